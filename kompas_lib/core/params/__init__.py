"""Params: one YAML file per gemeente or region, merged over ``params/default.yml`` and validated.

Everything a notebook needs beyond the gemeente code comes from here. A broken file stops the run
*before* any analysis, with one message that lists every problem as
``<file>: <key>: <problem>; allowed: <what is allowed>``.

* :mod:`.models` — the pydantic models and the rules for each value;
* :mod:`.reading` — the YAML file read safely, where each key stands (for line numbers in messages),
  texts cleaned of invisible characters;
* :mod:`.messages` — a validation error in Dutch, and the region meant by a mistyped code;
* :mod:`.loading` — :func:`load_params` (defaults, the file, validation, catalogue and region checks)
  and :func:`params_file_for`;
* :mod:`.starter` — :func:`new_params_file`, the starter file of ``kompas params new``.
"""

from kompas_lib.core.params.loading import load_params, params_file_for
from kompas_lib.core.params.messages import ALLOWED, TYPE_WORDS
from kompas_lib.core.params.models import (
    BENCHMARKS,
    CODE_RE,
    FIRST_YEAR,
    MIN_THRESHOLD,
    MODEL_VARIABLES,
    PROFILE_VARIABLES,
    YEARS_AHEAD,
    Aanbieders,
    Ambitie,
    Basis,
    DoelIndicator,
    Int,
    KompasParams,
    LokaleGegevens,
    Periode,
    Privacy,
    Rapport,
    Resultaat,
    Vergelijkbaar,
    VerwachtGebruikKeuze,
)
from kompas_lib.core.params.reading import PATH_KEYS, YAML_PROBLEMS
from kompas_lib.core.params.starter import STARTER, new_params_file

__all__ = [
    "ALLOWED", "BENCHMARKS", "CODE_RE", "FIRST_YEAR", "MIN_THRESHOLD", "MODEL_VARIABLES", "PATH_KEYS",
    "PROFILE_VARIABLES", "STARTER", "TYPE_WORDS", "YAML_PROBLEMS", "YEARS_AHEAD",
    "Aanbieders", "Ambitie", "Basis", "DoelIndicator", "Int", "KompasParams", "LokaleGegevens", "Periode",
    "Privacy", "Rapport", "Resultaat", "Vergelijkbaar", "VerwachtGebruikKeuze",
    "load_params", "new_params_file", "params_file_for",
]
