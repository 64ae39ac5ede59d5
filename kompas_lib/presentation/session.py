"""A notebook's session: everything one report needs, loaded once per kernel.

:func:`load_scope` reads the params, the prepared facts and regions, the catalogue and the gemeente's own
files into the ``scope`` every section builder takes (``view.start`` wraps it in a :class:`Context`).
Nothing here draws or talks to Jupyter. The fact and region
tables are kept per kernel (a batch worker's warm kernel makes many reports with them), and so is the
scope of the report being made: the six notebooks of one report share one validated params object
and one reading of the own files (see :func:`load_scope`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kompas_lib.analysis.scope import Focus, Scope
from kompas_lib.analysis.shared import shared
from kompas_lib.core import paths
from kompas_lib.core.errors import DataError
from kompas_lib.core.memory import give_back
from kompas_lib.core.prepare_info import PrepareInfo
from kompas_lib.core.registry import load_registry
from kompas_lib.prepare.facts import load_facts, load_regions
from kompas_lib.sources.local import read_local


@dataclass
class Context:
    """A notebook's state: the :class:`Scope` every section builder takes, where exports go, and
    which files were exported."""

    scope: Scope
    out_dir: Path
    exports: list[str] = field(default_factory=list)
    block: int = 0  # the Kompas block of the notebook (set by header); orders the tables in the workbook
    shown_tables: int = 0

    # Short-cuts for notebook prose (``ctx.focus.name``); the builders take ``ctx.scope``.
    @property
    def focus(self) -> Focus:
        return self.scope.focus

    @property
    def params(self):
        return self.scope.params

    @property
    def fictitious(self) -> bool:
        return self.scope.fictitious

    @property
    def threshold(self) -> int:
        return self.scope.threshold


_FACTS: dict = {}


def cached_tables(processed: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fact and region tables, loaded once per kernel (a batch worker's kernel makes many
    reports with them); a new preparation (another file time) is loaded again."""
    files = [processed / "facts.parquet", processed / "regions.parquet"]
    key = (str(processed.resolve()), *(f.stat().st_mtime_ns for f in files))
    if key not in _FACTS:
        from kompas_lib.presentation.country_store import CountryStore

        _FACTS.clear()
        _FACTS[key] = (load_facts(processed), load_regions(processed))
        shared(*_FACTS[key]).store = CountryStore(processed)  # country tables computed once per preparation
        give_back()  # what reading left in Arrow's pool and the heap
    return _FACTS[key]


def warm_tables(processed: Path) -> None:
    """Load the tables and their gemeente-independent indexes ahead of the first report (warm kernel)."""
    facts, regions = cached_tables(Path(processed))
    common = shared(facts, regions)
    _ = common.by_indicator, common.catalogue, common.current


def country_tables(processed: Path, progress: bool = False) -> float:
    """Make the country tables every report reads — the findings of every gemeente on block 1's
    indicators with the default comparison (params/default.yml), every gemeente's opvallend groups
    in the splits, every provincie, jeugdregio and samenwerkingsverband on today's borders, and the
    expected-use model's frames and leave-one-out expectations — and keep them beside the prepared data
    (:mod:`.country_store`). Already made (a marker file per preparation and rules says so): read only the
    regions' sums, which reports look up; the rest is read when a report first asks for it. Two processes
    that start at once do not both compute: the second waits for the first and then reads. Seconds taken."""
    import fcntl
    import time

    from kompas_lib.analysis.sections import verwacht
    from kompas_lib.analysis.sections.wijken import SUBGROUP_INDICATORS
    from kompas_lib.core.params import load_params
    from kompas_lib.presentation.country_store import FOLDER

    t0 = time.perf_counter()
    facts, regions = cached_tables(Path(processed))
    common = shared(facts, regions)
    gemeenten = common.gemeenten
    if not gemeenten:
        return 0.0
    params = load_params(None, gemeenten[0])
    cfg = params.vergelijkbare_gemeenten
    catalogue = load_registry()
    indicators = catalogue.placed(1, "signaal", params.indicatoren)
    folder = Path(processed) / FOLDER
    done = folder / f".klaar-{common.store.namespace[:24]}" if common.store is not None else None
    sums = list(catalogue.indicators.values())
    if done is not None and done.is_file():  # all made: the rest is read when a report asks for it
        common.country_member_sums(sums)  # (these are looked up, so they are read now: one file)
        return time.perf_counter() - t0
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if progress:
                from tqdm.auto import tqdm

                indicators = tqdm(indicators, desc="Landelijke tabel (alle gemeenten)", unit="indicator")
            for ind in indicators:
                common.country_findings(catalogue, [ind], tuple(cfg.profiel), cfg.k)
            for dim, indicator in SUBGROUP_INDICATORS.items():  # the splits' opvallend groups
                if indicator in catalogue.indicators:
                    common.split_positions(indicator, dim, catalogue.rounding(indicator))
            common.country_member_sums(sums)  # regions on today's borders
            verwacht.country_tables(common, catalogue, params)  # the expected-use model
            if done is not None:
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return time.perf_counter() - t0


def _stamp(path: Path | None) -> tuple:
    """What identifies a file's version without reading it: path, size and modification time."""
    if path is None:
        return ("-",)
    try:
        st = Path(path).stat()
    except OSError:
        return (str(path), None)
    return (str(Path(path).resolve()), st.st_size, st.st_mtime_ns)


_SCOPE: dict = {}  # the scope of the report being made: {key: (own-file stamps, Scope)}


def load_scope(gemeente: str, params_file: str | Path | None = None, *, processed: Path | None = None,
               facts: pd.DataFrame | None = None) -> Scope:
    """Params, facts, regions, catalogue and the gemeente's own files for one report.

    The params are validated and the own files read once per report: the notebooks of one report
    (and a training tool asked twice for the same gemeente) get the same scope as long as the params
    file, the defaults, the prepared data and every own file are unchanged. ``facts`` may be passed in
    when already loaded (tests); such a scope is not kept."""
    processed = Path(processed or paths.processed_dir())
    if not (processed / "facts.parquet").is_file():
        from kompas_lib.prepare.facts import prepare
        from kompas_lib.sources import choose_source

        prepare(choose_source("auto"), processed, progress=False)
    pfile = Path(params_file) if params_file else None
    key = (gemeente.strip().upper(), _stamp(pfile), _stamp(paths.params_dir() / "default.yml"),
           *(_stamp(processed / f) for f in ("facts.parquet", "regions.parquet", "prepare.json")))
    if facts is None and key in _SCOPE:
        own_stamps, scope = _SCOPE[key]
        if own_stamps == _own_stamps(scope, pfile):
            return scope
    scope = _read_scope(gemeente, pfile, processed, facts)
    if facts is None:
        _SCOPE.clear()
        _SCOPE[key] = (_own_stamps(scope, pfile), scope)
    return scope


def _own_stamps(scope: Scope, pfile: Path | None) -> tuple:
    from kompas_lib.sources.local import own_paths

    return tuple(_stamp(p) for p in own_paths(scope.params, pfile, scope.prepare_info.demo_root).values())


def _read_scope(gemeente: str, pfile: Path | None, processed: Path, facts: pd.DataFrame | None) -> Scope:
    from kompas_lib.core.params import load_params

    if facts is None:
        facts, regions = cached_tables(processed)
    else:
        regions = load_regions(processed)
    info = PrepareInfo.read(processed)
    common = shared(facts, regions)
    cat = common.catalogue
    params = load_params(pfile, gemeente, known_regions={c: n for c, (n, _) in cat.items()})
    code = params.gemeente
    if code not in cat:
        raise DataError(f"Er zijn geen cijfers voor {code} in de voorbereide gegevens; kies een andere code "
                        "(zoek met 'kompas regions').")
    name, level = cat[code]
    focus = Focus(code, params.naam or name, level)
    names = {c: n for c, (n, _) in cat.items()}
    current = common.current
    known = dict(zip(current["gemeente_code"], current["gemeente_naam"]))  # own files' codes are checked against these
    known.update({c: n for c, (n, lvl) in cat.items() if lvl == "samenwerkingsverband"})  # and a verband's code too
    local = read_local(params, pfile, info.demo_root, known)
    return Scope(params, facts, regions, load_registry(), focus, names, info, local)
