"""Demoland: a deterministic, fictitious country in the raw formats of the real CBS tables.

The demo data are the offline default and the training dataset. They are written in exactly the
layout of the CBS snapshot (``<out>/<TABLEID>/<TABLEID>.csv``, ``;``, UTF-8 with BOM, titles in the
dimension columns, counts as floats, empty = missing), so ``prepare`` reads them unchanged. Every
table carries a metadata JSON with ``"fictief": true`` and a title starting with ``FICTIEF``.

Demoland has 33 gemeenten until 2021 and 32 from 2022 (a merger), in 5 jeugdregio's and 3
provincies, and 4 PO and 3 VO samenwerkingsverbanden passend onderwijs (the regulation's postcode table,
see :func:`.country.write_passend_onderwijs`).

The catalogue in use (``tables.yml`` or ``KOMPAS_CATALOGUE``) may ask for tables and columns the
generators do not know; those are filled afterwards from a simple seeded model (see
:class:`.model.IndicatorModel` and :func:`.filler.fill_catalogue`) and listed in the table's metadata
(``aangevuld``), in ``README.txt`` and in the manifest, so that a new indicator never breaks
``prepare`` on the demo.

Modules: :mod:`.country` (gemeenten, regions, the merger, rates, how a table is written),
:mod:`.cbs_tables` (the CBS-format tables, with their calibration), :mod:`.own_files` and
:mod:`.onderwijs_files` (a gemeente's own files), :mod:`.model` and :mod:`.filler` (the catalogue
filler). :func:`generate_demo` writes them all, in a fixed order of random draws.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kompas_lib.core import io
from kompas_lib.core.registry import Registry, load_registry
from kompas_lib.sources.demoland.cbs_tables import write_cbs_tables
from kompas_lib.sources.demoland.country import (
    JEUGDREGIOS, NOTE, SEED, display_id, draw_gemeenten, draw_rates, gemeenten_in, random_stream, with_profile,
    write_passend_onderwijs,
)
from kompas_lib.sources.demoland.filler import fill_catalogue
from kompas_lib.sources.demoland.model import MODEL_NOTE
from kompas_lib.sources.demoland.onderwijs_files import write_onderwijs_files
from kompas_lib.sources.demoland.own_files import write_own_files

__all__ = ["SEED", "display_id", "gemeenten_in", "generate_demo"]


def generate_demo(out_dir: Path, seed: int = SEED, registry: Registry | None = None) -> dict:
    """Write Demoland into ``out_dir`` (same seed and catalogue -> byte-identical files). Returns a
    manifest; ``aangevuld`` lists the tables and columns filled for the catalogue (``registry``,
    default the catalogue in use, see :func:`~kompas_lib.core.registry.catalogue_path`)."""
    out = Path(out_dir)
    registry = registry or load_registry()
    rng = np.random.default_rng(seed)
    g = with_profile(draw_gemeenten(rng), random_stream(seed, "profiel"))
    rates = draw_rates(g, rng)
    write_cbs_tables(out, g, rates, rng)
    write_own_files(out, g, rng)
    write_onderwijs_files(out, g, random_stream(seed, "onderwijs_en_wachttijden"))
    filled = fill_catalogue(out, g, registry, seed)
    write_passend_onderwijs(out, g)
    listed = "".join(f"- {t}: {', '.join(c) or 'rijen voor een nieuwe categorie'}\n" for t, c in filled.items())
    io.write_text(out / "README.txt", "FICTIEVE GEGEVENS — Demoland\n\n" + NOTE + "\nGemaakt door kompas_lib.demo "
                  f"(seed {seed}). Zelfde indeling als CBS-tabellen, zodat het werkboek ze zonder internet kan gebruiken.\n"
                  + (f"\n{MODEL_NOTE}\n{listed}" if filled else ""))
    return {"folder": str(out), "gemeenten": int(len(gemeenten_in(g, 2024))), "jeugdregios": len(JEUGDREGIOS),
            "tables": sorted(p.name for p in out.iterdir() if p.is_dir() and p.name != "passend_onderwijs"),
            "seed": seed, "aangevuld": filled}
