"""Run the numbered notebooks for one or more gemeenten with papermill and write HTML reports.

For each code: validate the params, execute ``notebooks/NN_*.ipynb`` (parameters: the gemeente
code and the params file, nothing else), check that no cell failed, join the executed notebooks
into one HTML file without code and write it atomically to ``reports/<code>-<slug>/rapport.html``.
A failing gemeente does not stop the others; the batch writes ``reports/index.html``.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import time
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd

from kompas_lib.core import fmt, io, paths
from kompas_lib.analysis.shared import region_catalogue
from kompas_lib.core.errors import DataError, KompasError
from kompas_lib.prepare.facts import load_regions
from kompas_lib.presentation import workbook
from kompas_lib.presentation.kernel import discard_worker_kernel, worker_kernel
from kompas_lib.presentation.report import FrontPage, postprocess_html, report_dir
from kompas_lib.sources.local import demo_root, own_paths

log = logging.getLogger(__name__)
NOTEBOOK_RE = re.compile(r"^\d\d_.*\.ipynb$")


@dataclass
class RunResult:
    code: str
    ok: bool
    report: Path | None = None
    message: str = ""
    seconds: float = 0.0
    skipped: bool = False  # inputs unchanged since the last good report: not made again
    name: str = ""


FINGERPRINT = ".kompas-invoer.json"  # beside a good report: what it was made from


def made_from(target_dir: Path, inputs: dict) -> bool:
    """True when the report in ``target_dir`` is complete and was made from exactly ``inputs``
    (the fingerprint is written last, so an interrupted run does not count)."""
    done = target_dir / FINGERPRINT
    return ((target_dir / "rapport.html").is_file() and done.is_file()
            and json.loads(done.read_text(encoding="utf-8")) == inputs)


def _hash_files(paths_: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths_:
        h.update(str(p.name).encode())
        h.update(p.read_bytes() if p.is_file() else b"-")
    return h.hexdigest()


@lru_cache(maxsize=1)
def library_version() -> str:
    """A hash of the library's code and catalogue: a changed method makes every report stale."""
    root = Path(__file__).resolve().parents[1]
    files = sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yml", ".csv") and "__pycache__" not in p.parts)
    return _hash_files(files)


def fingerprint(code: str, params_file: Path | None, params, info_path: Path, demo: Path | None) -> dict:
    """Everything a report depends on: the prepared facts (their prepare.json), the params (and the
    defaults), the gemeente's own files, the notebooks and the library."""
    own = [p for p in own_paths(params, params_file, demo).values() if p is not None]
    return {"code": code, "facts": _hash_files([info_path]),
            "params": _hash_files([p for p in (params_file, paths.params_dir() / "default.yml") if p]),
            "own_files": _hash_files(own), "notebooks": _hash_files(notebooks()), "library": library_version()}


def notebooks(folder: Path | None = None) -> list[Path]:
    folder = Path(folder or paths.notebooks_dir())
    found = sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_RE.match(p.name))
    if not found:
        raise KompasError(f"Geen genummerde notebooks (01_….ipynb) gevonden in {folder}. Staat KOMPAS_HOME of "
                          "KOMPAS_NOTEBOOKS_DIR goed?")
    return found


def params_file_for(code: str, explicit: Path | None) -> Path | None:
    if explicit:
        return Path(explicit).resolve()
    own = paths.params_dir() / f"{code}.yml"
    return own.resolve() if own.is_file() else None


def _error_text(nb) -> str | None:
    """The first error a cell produced, as plain text (the message, not the traceback)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"{out.get('ename')}: {out.get('evalue')}"
    return None


def _strip_for_sharing(nb) -> None:
    """Remove what must not reach partners: stderr, warnings, the parameters cells."""
    keep = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        keep.append(cell)
    nb.cells = keep


def agenda_of(report_folder: Path) -> tuple[list[tuple[str, str]], str]:
    """The block-6 agenda as the report showed it (saved table), for the front page."""
    found = sorted((report_folder / workbook.TABLES_DIR).glob("*_verbetercyclus_agenda.json"))
    if not found:
        return [], "Er staan geen signalen op de agenda: geen verschil of ontwikkeling is groter dan toeval."
    rec = json.loads(found[-1].read_text(encoding="utf-8"))
    cols = rec["columns"]
    if "Blok" not in cols or "Wat valt op" not in cols:
        return [], ""
    return [(r[cols.index("Blok")], r[cols.index("Wat valt op")]) for r in rec["rows"]], ""


def front_page(code: str, name: str, params, info: dict, facts, report_folder: Path | None = None) -> FrontPage:
    """The front page's facts: title, region, date, data source and its status."""
    from datetime import date

    from kompas_lib.presentation.notebook import fmt_date, source_kind

    notes = []
    modified = sorted(str(m.get("modified"))[:10] for m in info.get("table_metadata", {}).values() if m.get("modified"))
    if modified and not info.get("source", {}).get("fictief"):
        notes.append(f"CBS-tabellen bijgewerkt door CBS tussen {modified[0]} en {modified[-1]}.")
    status = facts.loc[facts["region_code"] == code, "status"].astype(str)
    if status.str.contains("voorlopig", case=False).any():
        notes.append("Een deel van de cijfers is voorlopig; CBS kan ze later nog aanpassen.")
    agenda, rule = agenda_of(report_folder) if report_folder else ([], "")
    return FrontPage(params.rapport.titel or f"Kwaliteitskompas jeugd — {name}", name, code, fmt_date(date.today()),
                     source_kind(info), params.rapport.organisatie, notes, agenda, rule)


@lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process (its templates are loaded once)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        embed_images=True)


def to_html(executed: list, fictitious: bool, title: str, front: FrontPage | None = None) -> str:
    combined = nbformat.v4.new_notebook()
    combined.metadata = executed[0].metadata
    combined.metadata["title"] = title
    for nb in executed:
        _strip_for_sharing(nb)
        combined.cells.extend(nb.cells)
    body, _ = _exporter().from_notebook_node(combined)
    return postprocess_html(body, fictitious, front)


@contextmanager
def _folders(processed: Path | None, out_root: Path | None):
    """Point the notebook kernels (which inherit the environment) at the given folders."""
    saved = {k: os.environ.get(k) for k in ("KOMPAS_PROCESSED_DIR", "KOMPAS_REPORTS_DIR")}
    if processed:
        os.environ["KOMPAS_PROCESSED_DIR"] = str(Path(processed).resolve())
    if out_root:
        os.environ["KOMPAS_REPORTS_DIR"] = str(Path(out_root).resolve())
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@lru_cache(maxsize=2)
def _region_columns(processed: Path, _version: tuple) -> tuple[pd.DataFrame, dict]:
    columns = ["region_code", "region_name", "region_level", "status"]
    try:
        facts = pd.read_parquet(processed / "facts.parquet", columns=columns)
    except Exception:  # noqa: BLE001 - any damage: the same advice as load_facts gives
        from kompas_lib.prepare.facts import load_facts

        load_facts(processed)  # raises the library's message (damaged, or from an older version)
        raise
    return facts, region_catalogue(facts, load_regions(processed))


@lru_cache(maxsize=2)
def _last_year(processed: Path, _version: tuple) -> int:
    """The last year with figures in the prepared facts."""
    return int(pd.read_parquet(processed / "facts.parquet", columns=["period_start"])["period_start"].max().year)


def _region_facts(processed: Path) -> tuple[pd.DataFrame, dict]:
    """What the worker itself needs of the facts (region names and status), read once per process
    and prepared version; the full table lives in the kernel."""
    files = [processed / "facts.parquet", processed / "regions.parquet"]
    for f in files:
        if not f.is_file():
            raise DataError(f"{f} bestaat nog niet. Draai eerst 'kompas prepare' (of 'make report').")
    version = tuple(f.stat().st_mtime_ns for f in files)
    return _region_columns(processed.resolve(), version)


@contextmanager
def _one_at_a_time(folder: Path):
    """Two runs of the same gemeente at the same time (two terminals, two batches) take turns instead
    of mixing their files: an exclusive lock on a file in the gemeente's work folder."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".kompas.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _herindelingen(info: dict) -> pd.DataFrame:
    from kompas_lib.sources import FolderSource

    source = info.get("source", {})
    return FolderSource(Path(source.get("root") or "."), source.get("kind") or "snapshot").herindelingen()


def _current_gemeenten(processed: Path) -> set[str]:
    """Today's gemeenten (the latest indeling of the prepared regions)."""
    from kompas_lib.prepare.regions import latest_classification

    return set(latest_classification(load_regions(processed))["gemeente_code"])


def resolve_codes(texts: list[str], processed: Path | None = None) -> list[str]:
    """The region codes meant by what the user typed (codes or names); one Dutch message naming every
    problem otherwise (see :mod:`kompas_lib.analysis.codes`)."""
    from kompas_lib.analysis import codes

    processed = Path(processed or paths.processed_dir())
    _, cat = _region_facts(processed)
    info = json.loads((processed / "prepare.json").read_text(encoding="utf-8"))
    return codes.resolve(texts, cat, _current_gemeenten(processed), _herindelingen(info))


def preflight(code: str, params, pfile: Path | None, info: dict, cat: dict) -> None:
    """Everything that can be checked before a notebook runs, so a mistake in the analyst's input
    stops this gemeente with a message on the console and never becomes a section of a report that
    partners read: a gemeente that was merged away, a period outside the data, and every own file
    named in the params (all their problems at once)."""
    from kompas_lib.analysis import codes
    from kompas_lib.sources.local import read_local

    current = _current_gemeenten(paths.processed_dir())
    if code.startswith("GM") and code not in current:
        codes.resolve([code], cat, current, _herindelingen(info))  # raises with the successor
    facts_file = paths.processed_dir() / "facts.parquet"
    last = _last_year(facts_file.parent.resolve(), (facts_file.stat().st_mtime_ns,))
    if params.periode.start_jaar > last:
        raise KompasError(f"{pfile or 'params'}: periode.start_jaar: {params.periode.start_jaar} ligt na het laatste "
                          f"jaar in de gegevens ({last}); kies een eerder jaar.")
    local = read_local(params, pfile, demo_root(info), {c: n for c, (n, level) in cat.items() if level == "gemeente"})
    problems = [f.problem for f in vars(local).values() if f.problem]
    if problems:
        raise KompasError("Eigen bestanden met fouten (het rapport is niet gemaakt):\n" + "\n".join(problems))


def run_one(code: str, params_file: Path | None = None, *, processed: Path | None = None,
            out_root: Path | None = None, force: bool = True, timeout: float | None = None) -> RunResult:
    """Make the report of one gemeente or region; never raises for a problem of that one run.
    ``force=False`` skips a gemeente whose inputs are unchanged since its last good report;
    ``timeout`` (seconds per notebook cell) fails a hung notebook for this gemeente only."""
    with _folders(processed, out_root):
        return _run_one(code, params_file, force, timeout)


def _run_one(code: str, params_file: Path | None, force: bool = True, timeout: float | None = None) -> RunResult:
    import papermill as pm

    from kompas_lib.core.params import load_params

    t0 = time.perf_counter()
    processed = paths.processed_dir()
    current = None  # the notebook being run, for the message of a timeout
    try:
        facts, cat = _region_facts(processed)
        info = json.loads((processed / "prepare.json").read_text(encoding="utf-8"))
        fictitious = bool(info.get("source", {}).get("fictief"))
        if fictitious and code not in cat and code.startswith("GM") and not code.startswith("GM9"):
            raise KompasError(
                f"{code} staat niet in de voorbereide gegevens: dat zijn de fictieve demogegevens (Demoland), omdat er "
                "geen CBS-kopie en geen internet was. Zet KOMPAS_CBS_DIR op een map met CBS-tabellen (of maak "
                "verbinding met internet) en draai 'kompas prepare' opnieuw; of kies een Demoland-gemeente "
                "(GM9001–GM9031, GM9040).")
        pfile = params_file_for(code, params_file)
        params = load_params(pfile, code, known_regions={c: n for c, (n, _) in cat.items()})
        name = params.naam or cat[params.gemeente][0]
        preflight(code, params, pfile, info, cat)
        work = processed / "runs" / code
        target_dir = report_dir(code, name)
        inputs = fingerprint(code, pfile, params, processed / "prepare.json", demo_root(info))
        with _one_at_a_time(work):
            if not force and made_from(target_dir, inputs):
                return RunResult(code, True, target_dir / "rapport.html", "", time.perf_counter() - t0, skipped=True,
                                 name=name)
            shutil.rmtree(target_dir / workbook.TABLES_DIR, ignore_errors=True)  # tables of an earlier run
            for left in target_dir.rglob(".*.tmp"):  # temporary files of a run that was killed while writing
                left.unlink(missing_ok=True)
            executed = []
            kernel = worker_kernel(notebooks()[0].parent).ready()
            for nb_path in notebooks():
                current = nb_path.name
                out_nb = work / nb_path.name
                out_nb.parent.mkdir(parents=True, exist_ok=True)
                try:
                    nb = pm.execute_notebook(str(nb_path), str(out_nb), parameters={
                        "gemeente": code, "params_file": str(pfile) if pfile else ""},
                        cwd=str(nb_path.parent), progress_bar=False, kernel_name="python3",
                        engine_name="kompas-warm", warm=kernel, request_save_on_cell_execute=False,
                        execution_timeout=timeout)
                except pm.PapermillExecutionError as exc:  # the library's own errors: the message only
                    ours = exc.ename in ("KompasError", "DataError", "ParamsError", "SourceUnavailable", "TemplateError")
                    raise KompasError(f"{nb_path.name}: {exc.evalue if ours else exc.ename + ': ' + exc.evalue}") from None
                err = _error_text(nb)
                if err:
                    raise KompasError(f"{nb_path.name}: {err}")
                executed.append(nb)
            kernel.reports += 1
            front = front_page(params.gemeente, name, params, info, facts, target_dir)
            page = to_html(executed, fictitious, front.title, front)
            report = io.write_text(target_dir / "rapport.html", page)
            workbook.build(target_dir)
            io.write_json(target_dir / FINGERPRINT, inputs)  # last: a report without this file is made again next time
            return RunResult(code, True, report, "", time.perf_counter() - t0, name=name)
    except KompasError as exc:
        return RunResult(code, False, None, str(exc), time.perf_counter() - t0)
    except TimeoutError as exc:
        discard_worker_kernel()  # still busy with the hung cell
        return RunResult(code, False, None, f"notebook {current or ''} duurde te lang: één cel liep langer dan "
                         f"{timeout or 0:g} seconden en is gestopt. Verhoog --timeout, of kijk in JupyterLab wat die cel doet.",
                         time.perf_counter() - t0)
    except OSError as exc:  # disk full, no permission to write the reports folder, …
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        return RunResult(code, False, None, f"lezen of schrijven mislukt{where}: {exc.strerror or exc}; controleer of "
                         "de schijf vol is en of u in die map mag schrijven", time.perf_counter() - t0)
    except Exception as exc:  # an unexpected failure of one gemeente must not stop the batch
        discard_worker_kernel()
        log.exception("run failed for %s", code)
        return RunResult(code, False, None, f"{type(exc).__name__}: {exc}", time.perf_counter() - t0)


def run_many(codes: list[str], params_file: Path | None = None, *, processed: Path | None = None,
             out_root: Path | None = None, progress: bool = True, jobs: int = 1, force: bool = True,
             timeout: float | None = None, executor: str = "lokaal", scheduler=None) -> list[RunResult]:
    """Reports for many codes. ``executor``: "lokaal" (``jobs`` worker processes on this machine, each
    with its warm kernel) or "dask" (one task per code on the Dask cluster at ``scheduler``). A failing
    code never stops the others; the index is written at the end (and kept from earlier batches)."""
    from tqdm.auto import tqdm

    processed = Path(processed or paths.processed_dir()).resolve()
    out_root = Path(out_root or paths.reports_dir()).resolve()
    results: dict[str, RunResult] = {}
    if not force:  # unchanged reports are found here, with the facts' region columns read once
        with _folders(processed, out_root):
            results = unchanged(codes, params_file)
    todo = [c for c in codes if c not in results]
    bar = tqdm(total=len(todo), desc="Rapporten maken", unit="rapport", disable=not progress or len(todo) < 2)
    kwargs = dict(processed=processed, out_root=out_root, force=force, timeout=timeout)
    if executor == "dask":
        from kompas_lib.presentation.cluster import run_on_cluster

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
    with _folders(None, out_root):
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


def unchanged(codes: list[str], params_file: Path | None) -> dict[str, RunResult]:
    """The codes whose last good report was made from exactly the current inputs (skipped)."""
    from kompas_lib.core.params import load_params

    processed = paths.processed_dir()
    info_path = processed / "prepare.json"
    if not info_path.is_file():
        return {}
    info = json.loads(info_path.read_text(encoding="utf-8"))
    demo = demo_root(info)
    _, cat = _region_facts(processed)
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


def write_index(results: list[RunResult]) -> Path:
    """reports/index.html: every report of this batch with its status (kept from earlier batches)."""
    root = paths.reports_dir()
    state_file = root / "index.json"
    state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.is_file() else {}
    for r in results:
        if r.skipped and r.code in state:
            state[r.code]["status"] = "niets veranderd"
            state[r.code]["name"] = r.name or state[r.code].get("name", "")
            continue
        state[r.code] = {"ok": r.ok, "report": str(r.report.relative_to(root)) if r.report else None,
                         "message": r.message, "time": time.strftime("%Y-%m-%d %H:%M"), "name": r.name,
                         "status": "niets veranderd" if r.skipped else ("gelukt" if r.ok else "mislukt"),
                         "seconds": round(r.seconds, 1)}
    io.write_json(state_file, state)

    def cell(s: dict) -> str:
        if s["report"]:
            return f'<a href="{html.escape(s["report"])}">rapport</a>'
        return html.escape(s["message"])

    counts = {k: sum(1 for s_ in state.values() if s_.get("status") == k) for k in ("gelukt", "niets veranderd", "mislukt")}
    rows = "".join(
        f"<tr class='{'fout' if not s['ok'] else ''}'><td>{html.escape(code)}</td><td>{html.escape(s.get('name') or '')}</td>"
        f"<td>{html.escape(s.get('status') or ('gelukt' if s['ok'] else 'mislukt'))}</td><td>{cell(s)}</td>"
        f"<td>{s['time']}</td><td class='num'>{fmt.number(s.get('seconds'), 1) if s.get('seconds') is not None else ''}"
        "</td></tr>" for code, s in sorted(state.items(), key=lambda kv: (kv[1]["ok"], kv[0])))
    page = ("<!doctype html><html lang='nl'><meta charset='utf-8'><title>Kwaliteitskompas — rapporten</title>"
            "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
            "th,td{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}td.num{text-align:right}"
            "tr.fout td{background:#fdecea}</style>"
            "<h1>Kwaliteitskompas jeugd — rapporten</h1>"
            f"<p>{len(state)} rapporten: {counts['gelukt']} gemaakt, {counts['niets veranderd']} ongewijzigd "
            f"(niets veranderd sinds de vorige keer), {counts['mislukt']} mislukt. Mislukte rapporten staan bovenaan, "
            "met de reden.</p><table><tr><th>Code</th><th>Naam</th><th>Status</th><th>Rapport of reden</th>"
            f"<th>Gemaakt</th><th>Seconden</th></tr>{rows}</table></html>")
    return io.write_text(root / "index.html", page)
