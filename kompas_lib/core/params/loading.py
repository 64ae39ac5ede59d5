"""Loading the params of a report: which file, merged over ``params/default.yml``, validated, and
checked against the catalogue and the known regions; every problem in one message."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Mapping

from pydantic import ValidationError

from kompas_lib.core import paths
from kompas_lib.core.errors import ParamsError
from kompas_lib.core.params.messages import _describe, _suggest
from kompas_lib.core.params.models import CODE_RE, KompasParams
from kompas_lib.core.params.reading import _clean_strings, _deep_merge, _Marks, _read_yaml_marked

def params_file_for(code: str, explicit: Path | None) -> Path | None:
    """The params file of a report: the one given, else ``params/<code>.yml`` when it exists, else none
    (the defaults alone)."""
    if explicit:
        return Path(explicit).resolve()
    own = paths.params_dir() / f"{code}.yml"
    return own.resolve() if own.is_file() else None


def load_params(path: Path | None, gemeente: str | None = None, *, known_regions: Mapping[str, str] | None = None,
                default_path: Path | None = None) -> KompasParams:
    """Read default.yml, merge the file at ``path`` over it, set the gemeente, validate."""
    default_path = Path(default_path or paths.params_dir() / "default.yml")
    data, marks = _read_yaml_marked(default_path) if default_path.is_file() else ({}, _Marks())
    label = str(path) if path else str(default_path)
    code_src = "--gemeente" if gemeente else label
    data, problems = _clean_strings(data, marks, str(default_path))
    if path:
        own, marks = _read_yaml_marked(Path(path))
        own, found = _clean_strings(own, marks, label)
        problems += found
        if problems:
            raise ParamsError("\n".join(problems))
        if gemeente and own.get("gemeente") and str(own["gemeente"]).upper() != gemeente.upper():
            raise ParamsError(f"{label}: {marks.where(('gemeente',))}gemeente: het bestand is voor {own['gemeente']}, "
                              f"maar het rapport is voor {gemeente}; toegestaan: dezelfde code, of laat 'gemeente' "
                              "weg uit het bestand")
        data = _deep_merge(data, own)
    elif problems:
        raise ParamsError("\n".join(problems))
    if gemeente:
        data["gemeente"] = gemeente.strip().upper()
    try:
        params = KompasParams.model_validate(data)
    except ValidationError as exc:
        lines = [f"{label}: {marks.where(e['loc'], key=e['type'] == 'extra_forbidden')}"
                 f"{_describe(e, marks.typed(e['loc']))}" for e in exc.errors()]
        if known_regions and isinstance(data.get("gemeente"), str) and not CODE_RE.match(data["gemeente"]):
            lines.append(f"{label}: gemeente: {_suggest(data['gemeente'], known_regions)}")
        raise ParamsError("\n".join(lines)) from None
    from kompas_lib.core.registry import load_registry

    catalogue = load_registry().indicators
    bad = [(a_i, r_i, i_i, ind.indicator) for a_i, a in enumerate(params.ambities) for r_i, r in enumerate(a.resultaten)
           for i_i, ind in enumerate(r.indicatoren) if ind.indicator and ind.indicator not in catalogue]
    bad_ids = [(i, x) for i, x in enumerate(params.indicatoren) if x not in catalogue]
    if bad_ids:
        raise ParamsError("\n".join(
            f"{label}: {marks.where(('indicatoren', i))}indicatoren.{i}: '{x}' staat niet in de catalogus; toegestaan: "
            f"{', '.join(difflib.get_close_matches(x, list(catalogue), n=3, cutoff=0.4)) or 'een id uit de catalogus'}"
            for i, x in bad_ids))
    model = load_registry().verwacht_gebruik
    outcomes = list(model.uitkomsten) if model else []
    bad_outcomes = [(i, x) for i, x in enumerate(params.verwacht_gebruik.uitkomsten) if x not in outcomes]
    if bad_outcomes:
        raise ParamsError("\n".join(
            f"{label}: {marks.where(('verwacht_gebruik', 'uitkomsten', i))}verwacht_gebruik.uitkomsten.{i}: '{x}' is geen uitkomst van het model van het verwachte "
            f"gebruik; toegestaan: {', '.join(outcomes) or 'geen (de catalogus heeft geen verwacht_gebruik)'}"
            for i, x in bad_outcomes))
    if bad:
        raise ParamsError("\n".join(
            f"{label}: {marks.where(('ambities', a, 'resultaten', r, 'indicatoren', i, 'indicator'))}"
            f"ambities.{a}.resultaten.{r}.indicatoren.{i}.indicator: '{x}' staat niet in de catalogus; "
            f"toegestaan: {', '.join(difflib.get_close_matches(x, list(catalogue), n=3, cutoff=0.4)) or 'een id uit kompas_lib/data/tables.yml'}"
            for a, r, i, x in bad))
    if known_regions is not None:
        problems = []
        if params.gemeente not in known_regions:
            problems.append(f"{code_src}: gemeente: {params.gemeente} is geen bekende regio; "
                            f"{_suggest(params.gemeente, known_regions)}")
        for c in params.vergelijkbare_gemeenten.vaste_lijst:
            if c not in known_regions:
                at = marks.where(("vergelijkbare_gemeenten", "vaste_lijst",
                                  params.vergelijkbare_gemeenten.vaste_lijst.index(c)))
                problems.append(f"{label}: {at}vergelijkbare_gemeenten.vaste_lijst: {c} is geen bekende gemeente; "
                                f"{_suggest(c, known_regions)}")
        if problems:
            raise ParamsError("\n".join(problems))
    return params
