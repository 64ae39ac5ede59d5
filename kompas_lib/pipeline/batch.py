"""Many reports: which codes a selection means, the reports made in worker processes (or on a Dask
cluster), reports whose inputs did not change skipped, and the batch's index page and summary line.
A failing gemeente never stops the others."""

from __future__ import annotations

import time
from pathlib import Path

from kompas_lib.core import paths
from kompas_lib.core.errors import KompasError
from kompas_lib.core.params import params_file_for
from kompas_lib.core.prepare_info import PrepareInfo
from kompas_lib.pipeline.index_page import write_index
from kompas_lib.pipeline.prepared import current_gemeenten, herindelingen, region_facts
from kompas_lib.pipeline.run import RunResult, fingerprint, folders, made_from, run_one
from kompas_lib.prepare.facts import load_regions
from kompas_lib.presentation.report import report_dir


def resolve_codes(texts: list[str], processed: Path | None = None) -> list[str]:
    """The region codes meant by what the user typed (codes or names); one Dutch message naming every
    problem otherwise (see :mod:`kompas_lib.analysis.codes`)."""
    from kompas_lib.analysis import codes

    processed = Path(processed or paths.processed_dir())
    _, cat = region_facts(processed)
    info = PrepareInfo.read(processed)
    return codes.resolve(texts, cat, current_gemeenten(processed), herindelingen(info))


def select_codes(*, alle: bool = False, regio: str | None = None, provincie: str | None = None,
                 processed: Path | None = None) -> list[str]:
    """The gemeenten of a selection on today's indeling: every gemeente, or the gemeenten of a jeugdregio
    or provincie followed by the region itself (its report as a whole)."""
    from kompas_lib.prepare.regions import latest_classification

    current = latest_classification(load_regions(Path(processed or paths.processed_dir())))
    if alle:
        return sorted(current["gemeente_code"])
    code, column, kind = ((regio, "jeugdregio_code", "jeugdregio") if regio else (provincie, "provincie_code", "provincie"))
    code = (code or "").strip().upper()
    members = sorted(current.loc[current[column] == code, "gemeente_code"])
    if not members:
        known = sorted(current[column].dropna().unique())
        raise KompasError(f"{code} is geen {kind} in de gegevens; bekende codes: {', '.join(known[:8])} …")
    return [*members, code]


def run_many(codes: list[str], params_file: Path | None = None, *, processed: Path | None = None,
             out_root: Path | None = None, progress: bool = True, jobs: int = 1, force: bool = True,
             timeout: float | None = None, executor: str = "lokaal", scheduler=None,
             analyst: bool = False) -> list[RunResult]:
    """Reports for many codes. ``executor``: "lokaal" (``jobs`` worker processes on this machine, each
    with its warm kernel) or "dask" (one task per code on the Dask cluster at ``scheduler``). A failing
    code never stops the others; the index is written at the end (and kept from earlier batches).
    ``analyst`` also writes each report's analyst's edition."""
    from tqdm.auto import tqdm

    processed = Path(processed or paths.processed_dir()).resolve()
    out_root = Path(out_root or paths.reports_dir()).resolve()
    results: dict[str, RunResult] = {}
    if not force and not analyst:  # unchanged reports are found here, with the facts' region columns read once
        with folders(processed, out_root):
            results = unchanged(codes, params_file)
    todo = [c for c in codes if c not in results]
    bar = tqdm(total=len(todo), desc="Rapporten maken", unit="rapport", disable=not progress or len(todo) < 2)
    kwargs = dict(processed=processed, out_root=out_root, force=force, timeout=timeout, analyst=analyst)
    if executor == "dask":
        from kompas_lib.pipeline.cluster import run_on_cluster

        finished = run_on_cluster(run_one, todo, params_file, kwargs, scheduler)
    elif jobs <= 1:
        finished = ((code, run_one(code, params_file, **kwargs)) for code in todo)
    else:
        finished = _in_processes(todo, params_file, kwargs, jobs)
    for code, result in finished:
        if not isinstance(result, RunResult):  # a worker that died: this code failed, the rest goes on
            result = RunResult(code, False, None, f"het rekenproces stopte onverwacht ({result})")
        results[code] = result
        bar.set_postfix_str(code)
        bar.update()
    bar.close()
    ordered = [results[c] for c in codes]
    with folders(None, out_root):
        write_index(ordered)
    return ordered


def _in_processes(codes: list[str], params_file: Path | None, kwargs: dict, jobs: int):
    """(code, RunResult or exception) as worker processes finish them."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_one, code, params_file, **kwargs): code for code in codes}
        for fut in as_completed(futures):
            try:
                yield futures[fut], fut.result()
            except Exception as exc:  # noqa: BLE001 - BrokenProcessPool and the like
                yield futures[fut], exc


def unchanged(codes: list[str], params_file: Path | None) -> dict[str, RunResult]:
    """The codes whose last good report was made from exactly the current inputs (skipped)."""
    from kompas_lib.core.params import load_params

    processed = paths.processed_dir()
    info_path = processed / "prepare.json"
    if not info_path.is_file():
        return {}
    demo = PrepareInfo.read(processed).demo_root
    _, cat = region_facts(processed)
    known = {c: n for c, (n, _) in cat.items()}
    out = {}
    for code in codes:
        t0 = time.perf_counter()
        try:
            pfile = params_file_for(code, params_file)
            params = load_params(pfile, code, known_regions=known)
            target = report_dir(code, params.naam or cat[params.gemeente][0])
            if made_from(target, fingerprint(code, pfile, params, info_path, demo)):
                out[code] = RunResult(code, True, target / "rapport.html", "", time.perf_counter() - t0, skipped=True,
                                      name=params.naam or cat[params.gemeente][0])
        except Exception:  # noqa: BLE001 - anything odd: let the real run report it
            continue
    return out


def summary(results: list[RunResult], seconds: float) -> str:
    """'342 rapporten: 340 gelukt, 0 overgeslagen, 2 mislukt in 512 s.'"""
    made = sum(r.ok and not r.skipped for r in results)
    skipped = sum(r.skipped for r in results)
    failed = sum(not r.ok for r in results)
    return (f"{len(results)} rapport{'en' if len(results) != 1 else ''}: {made} gelukt, {skipped} overgeslagen "
            f"(niets veranderd), {failed} mislukt in {seconds:.0f} s.")
