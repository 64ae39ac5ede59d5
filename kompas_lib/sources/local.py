"""A gemeente's own files (blocks 2–6), read once at the start of a run.

Each file is made from a template in ``kompas_lib/templates`` and validated on load
(:mod:`kompas_lib.sources.sjablonen`). Where the params file names no file, the demo data bring
their own (Demoland). A missing or invalid file is not fatal: the report explains what to collect
or what is wrong, so the result is an :class:`OwnFile` with either a frame or a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kompas_lib.core.errors import KompasError
from kompas_lib.core.registry import load_registry
from kompas_lib.sources import sjablonen

# kind -> (template name, params key, file name in the demo folder)
KINDS = {
    "indicatoren": ("lokale_indicatoren", "lokale_gegevens.indicatoren", "lokale_indicatoren.csv"),
    "activiteiten": ("activiteiten", "lokale_gegevens.activiteiten", "activiteiten.csv"),
    "inputkwaliteit": ("inputkwaliteit", "lokale_gegevens.inputkwaliteit", "inputkwaliteit.csv"),
    "aanbieders": ("aanbieders", "aanbieders.bestand", "aanbieders_uitkomsten.csv"),
    "duiding": ("duiding", "lokale_gegevens.duiding", "duiding.csv"),
    "verbeteracties": ("verbeteracties", "lokale_gegevens.verbeteracties", "verbeteracties.csv"),
    "leerplicht": ("leerplicht", "lokale_gegevens.leerplicht", "leerplicht.csv"),
    "wachttijden": ("wachttijden", "lokale_gegevens.wachttijden", "wachttijden.csv"),
}
CHECKS_CODES = ("aanbieders", "leerplicht")  # files whose gemeente codes are checked against the known ones


@dataclass(frozen=True)
class OwnFile:
    """One own file: its validated rows, or why there are none (no file, or a problem in it)."""

    kind: str
    name: str | None = None  # the file name (no folders: the report is shared)
    frame: pd.DataFrame | None = None
    problem: str | None = None

    @property
    def present(self) -> bool:
        return self.frame is not None


@dataclass(frozen=True)
class LocalData:
    indicatoren: OwnFile = field(default_factory=lambda: OwnFile("indicatoren"))
    activiteiten: OwnFile = field(default_factory=lambda: OwnFile("activiteiten"))
    inputkwaliteit: OwnFile = field(default_factory=lambda: OwnFile("inputkwaliteit"))
    aanbieders: OwnFile = field(default_factory=lambda: OwnFile("aanbieders"))
    duiding: OwnFile = field(default_factory=lambda: OwnFile("duiding"))
    verbeteracties: OwnFile = field(default_factory=lambda: OwnFile("verbeteracties"))
    leerplicht: OwnFile = field(default_factory=lambda: OwnFile("leerplicht"))
    wachttijden: OwnFile = field(default_factory=lambda: OwnFile("wachttijden"))


def own_path(configured: str | None, params_path: Path | None, demo_root: Path | None, demo_name: str) -> Path | None:
    """The params value (relative to the params file), or — with the demo data — the demo's file."""
    if configured:
        p = Path(configured)
        return p if p.is_absolute() else ((params_path.parent / p) if params_path else p).resolve()
    if demo_root is not None:
        demo = Path(demo_root) / demo_name
        return demo if demo.is_file() else None
    return None


def read_own_file(kind: str, path: Path | None, known_codes: dict[str, str] | None = None,
                  known_indicators: set[str] | None = None) -> OwnFile:
    template, _, _ = KINDS[kind]
    if path is None:
        return OwnFile(kind)
    try:
        return OwnFile(kind, path.name, sjablonen.load(path, template, known_codes, known_indicators))
    except KompasError as exc:
        return OwnFile(kind, path.name, None, str(exc))


def own_paths(params, params_path: Path | None, demo: Path | None) -> dict[str, Path | None]:
    """Per kind the own file a report uses: named in the params, or the demo's."""
    out = {}
    for kind, (_, key, demo_name) in KINDS.items():
        section, _, attr = key.partition(".")
        out[kind] = own_path(getattr(getattr(params, section), attr), params_path, demo, demo_name)
    return out


def read_local(params, params_path: Path | None, demo: Path | None,
               known_codes: dict[str, str] | None = None) -> LocalData:
    """Read and validate every own file the params name (or the demo brings)."""
    files = {}
    for kind, path in own_paths(params, params_path, demo).items():
        indicators = set(load_registry().indicators) if kind == "verbeteracties" and path is not None else None
        files[kind] = read_own_file(kind, path, known_codes if kind in CHECKS_CODES else None, indicators)
    return LocalData(**files)
