"""One report: run the numbered notebooks for one gemeente or region with papermill and write its HTML.

For a code: validate the params and everything else that can be checked before a notebook runs
(:func:`preflight`), execute ``notebooks/NN_*.ipynb`` in this process's warm kernel (parameters: the
code and the params file, nothing else), check that no cell failed, join the executed notebooks into
one HTML file without code (:mod:`kompas_lib.pipeline.assemble`) and write it atomically to
``reports/<code>-<slug>/rapport.html``, with ``tabellen.xlsx`` and, last, the fingerprint of what it
was made from. A problem of this one run becomes a :class:`RunResult` with a Dutch message, never an
exception.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kompas_lib.core import io, paths
from kompas_lib.core.errors import KompasError
from kompas_lib.core.params import params_file_for
from kompas_lib.core.prepare_info import PrepareInfo
from kompas_lib.pipeline.assemble import front_page, to_html, warm_up
from kompas_lib.pipeline.kernel import WarmKernel, discard_worker_kernel, worker_kernel
from kompas_lib.pipeline.prepared import current_gemeenten, herindelingen, last_year, region_facts
from kompas_lib.presentation import workbook
from kompas_lib.presentation.report import report_dir
from kompas_lib.sources.local import own_paths

log = logging.getLogger(__name__)
NOTEBOOK_RE = re.compile(r"^\d\d_.*\.ipynb$")
OWN_ERRORS = ("KompasError", "DataError", "ParamsError", "SourceUnavailable", "TemplateError")  # message only


@dataclass
class RunResult:
    code: str
    ok: bool
    report: Path | None = None
    message: str = ""
    seconds: float = 0.0
    skipped: bool = False  # inputs unchanged since the last good report: not made again
    name: str = ""


# --- fingerprint: what a report was made from ------------------------------------------------------

FINGERPRINT = ".kompas-invoer.json"  # beside a good report: what it was made from
# beside a report: where its time went (s): kernel ready, computing, drawing figures, assembling the page
TIMINGS = ".kompas-tijden.json"


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
    root = paths.PACKAGE_DIR
    files = sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yml", ".csv") and "__pycache__" not in p.parts)
    return _hash_files(files)


def _stamps(paths_: list[Path]) -> str:
    """A hash of the size and modification time of each file (not its content: the fact table is large)."""
    h = hashlib.sha256()
    for p in paths_:
        try:
            st = p.stat()
            h.update(f"{p.name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{p.name}\t-\n".encode())
    return h.hexdigest()


def data_record(info: PrepareInfo) -> dict:
    """What the prepared data were made from, as the report's record keeps it (readable)."""
    return {"bron": info.source.kind, "map": info.source.root, "kenmerk": info.source.fingerprint,
            "voorbereid": info.prepared_at}


def fingerprint(code: str, params_file: Path | None, params, info_path: Path, demo: Path | None) -> dict:
    """Everything a report depends on: the prepared data (their prepare.json, with the source, its
    folder and the fingerprint of its raw files, and the size and time of the fact and region tables,
    so a new preparation always counts as a change), the params (and the defaults), the gemeente's own
    files, the notebooks and the library."""
    own = [p for p in own_paths(params, params_file, demo).values() if p is not None]
    processed = Path(info_path).parent
    info = PrepareInfo.read(processed)
    return {"code": code, "data": data_record(info),
            "facts": _hash_files([info_path]) + _stamps([processed / "facts.parquet", processed / "regions.parquet"]),
            "params": _hash_files([p for p in (params_file, paths.params_dir() / "default.yml") if p]),
            "own_files": _hash_files(own), "notebooks": _hash_files(notebooks()), "library": library_version()}


def notebooks(folder: Path | None = None) -> list[Path]:
    """The numbered notebooks of a report (01_….ipynb …), in order."""
    folder = Path(folder or paths.notebooks_dir())
    found = sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_RE.match(p.name))
    if not found:
        raise KompasError(f"Geen genummerde notebooks (01_….ipynb) gevonden in {folder}. Staat KOMPAS_HOME of "
                          "KOMPAS_NOTEBOOKS_DIR goed?")
    return found


# --- folders and locks -----------------------------------------------------------------------------

@contextmanager
def folders(processed: Path | None, out_root: Path | None):
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


# --- before a notebook runs ------------------------------------------------------------------------

def preflight(code: str, params, pfile: Path | None, info: PrepareInfo, cat: dict) -> None:
    """Everything that can be checked before a notebook runs, so a mistake in the analyst's input
    stops this gemeente with a message on the console and never becomes a section of a report that
    partners read: a gemeente that was merged away, a period outside the data, and every own file
    named in the params (all their problems at once)."""
    from kompas_lib.analysis import codes
    from kompas_lib.sources.local import read_local

    current = current_gemeenten(paths.processed_dir())
    if code.startswith("GM") and code not in current:
        codes.resolve([code], cat, current, herindelingen(info))  # raises with the successor
    last = last_year(paths.processed_dir())
    if params.periode.start_jaar > last:
        raise KompasError(f"{pfile or 'params'}: periode.start_jaar: {params.periode.start_jaar} ligt na het laatste "
                          f"jaar in de gegevens ({last}); kies een eerder jaar.")
    known = {c: n for c, (n, level) in cat.items() if level in ("gemeente", "samenwerkingsverband")}
    local = read_local(params, pfile, info.demo_root, known)
    problems = [f.problem for f in vars(local).values() if f.problem]
    if problems:
        raise KompasError("Eigen bestanden met fouten (het rapport is niet gemaakt):\n" + "\n".join(problems))


@dataclass
class _Job:
    """One report, checked and ready to make: what it is made from and where it goes."""

    code: str
    params_file: Path | None
    params: object
    name: str
    info: PrepareInfo
    facts: pd.DataFrame
    work: Path  # the executed notebooks and the lock
    target_dir: Path  # the report folder
    inputs: dict  # the fingerprint


def _job(code: str, params_file: Path | None) -> _Job:
    """Read the params and the prepared data's description, check everything :func:`preflight` checks
    and compute the fingerprint; raises KompasError with the reason otherwise."""
    from kompas_lib.core.params import load_params

    processed = paths.processed_dir()
    facts, cat = region_facts(processed)
    info = PrepareInfo.read(processed)
    if info.fictitious and code not in cat and code.startswith("GM") and not code.startswith("GM9"):
        raise KompasError(
            f"{code} staat niet in de voorbereide gegevens: dat zijn de fictieve demogegevens (Demoland; met --bron "
            "demo gevraagd, of omdat er geen CBS-kopie en geen internet was). Zet KOMPAS_CBS_DIR op een map met "
            "CBS-tabellen (of maak verbinding met internet) en draai de opdracht opnieuw zonder --bron demo; of kies "
            "een Demoland-gemeente (GM9001–GM9031, GM9040).")
    pfile = params_file_for(code, params_file)
    params = load_params(pfile, code, known_regions={c: n for c, (n, _) in cat.items()})
    name = params.naam or cat[params.gemeente][0]
    preflight(code, params, pfile, info, cat)
    return _Job(code, pfile, params, name, info, facts, work=processed / "runs" / code,
                target_dir=report_dir(code, name),
                inputs=fingerprint(code, pfile, params, processed / "prepare.json", info.demo_root))


# --- making the report -----------------------------------------------------------------------------

def _clear_earlier(target_dir: Path) -> None:
    """The tables of an earlier run, and temporary files of a run that was killed while writing."""
    shutil.rmtree(target_dir / workbook.TABLES_DIR, ignore_errors=True)
    for left in target_dir.rglob(".*.tmp"):
        left.unlink(missing_ok=True)


def _error_text(nb) -> str | None:
    """The first error a cell produced, as plain text (the message, not the traceback)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"{out.get('ename')}: {out.get('evalue')}"
    return None


def _execute_one(nb_path: Path, job: _Job, kernel: WarmKernel, timeout: float | None):
    """One numbered notebook, executed by papermill in the warm kernel; KompasError if a cell failed."""
    import papermill as pm

    out_nb = job.work / nb_path.name
    out_nb.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = pm.execute_notebook(str(nb_path), str(out_nb), parameters={
            "gemeente": job.code, "params_file": str(job.params_file) if job.params_file else ""},
            cwd=str(nb_path.parent), progress_bar=False, kernel_name="python3",
            engine_name="kompas-warm", warm=kernel, request_save_on_cell_execute=False,
            execution_timeout=timeout)
    except pm.PapermillExecutionError as exc:  # the library's own errors: the message only
        ours = exc.ename in OWN_ERRORS
        raise KompasError(f"{nb_path.name}: {exc.evalue if ours else exc.ename + ': ' + exc.evalue}") from None
    err = _error_text(nb)
    if err:
        raise KompasError(f"{nb_path.name}: {err}")
    return nb


def _execute(job: _Job, timeout: float | None, running: list[str], timings: dict | None = None) -> list:
    """Every numbered notebook in order; ``running`` gets the name of each as it starts (for the
    message of a timeout); ``timings`` the seconds spent getting the kernel ready (started and warmed,
    or emptied), running the notebooks, and drawing figures in them."""
    executed = []
    t0 = time.perf_counter()
    kernel = worker_kernel(notebooks()[0].parent).ready()
    t1 = time.perf_counter()
    warm_up()  # the exporter's templates, while the kernel computes
    for nb_path in notebooks():
        running.append(nb_path.name)
        executed.append(_execute_one(nb_path, job, kernel, timeout))
    kernel.reports += 1
    if timings is not None:
        spent = kernel.run_code("import kompas_lib.presentation.view as _v; print(_v.take_figure_seconds()); del _v")
        figures = float(spent.strip() or 0)
        timings.update(kernel=t1 - t0, rekenen=time.perf_counter() - t1 - figures, figuren=figures)
    return executed


ANALYST_REPORT = "rapport-voor-analist.html"  # the report with the how-to for the analyst (--voor-analist)


def _write_report(job: _Job, executed: list, analyst: bool = False) -> Path:
    """rapport.html (and with ``analyst`` the analyst's edition beside it) and tabellen.xlsx, then the
    fingerprint (last: a report without it is made again next time)."""
    front = front_page(job.params.gemeente, job.name, job.params, job.info, job.facts, job.target_dir)
    page = to_html(executed, job.info.fictitious, front.title, front, analyst=analyst)
    if analyst:
        page, for_analyst = page
        io.write_text(job.target_dir / ANALYST_REPORT, for_analyst)
    else:
        (job.target_dir / ANALYST_REPORT).unlink(missing_ok=True)  # never an analyst's page older than the report
    report = io.write_text(job.target_dir / "rapport.html", page)
    workbook.build(job.target_dir)
    io.write_json(job.target_dir / FINGERPRINT, job.inputs)
    return report


def run_one(code: str, params_file: Path | None = None, *, processed: Path | None = None,
            out_root: Path | None = None, force: bool = True, timeout: float | None = None,
            analyst: bool = False) -> RunResult:
    """Make the report of one gemeente or region; never raises for a problem of that one run.
    ``force=False`` skips a gemeente whose inputs are unchanged since its last good report;
    ``timeout`` (seconds per notebook cell) fails a hung notebook for this gemeente only; ``analyst``
    also writes the analyst's edition (:data:`ANALYST_REPORT`, with the how-to for own files)."""
    with folders(processed, out_root):
        return _run_one(code, params_file, force, timeout, analyst)


def _run_one(code: str, params_file: Path | None, force: bool = True, timeout: float | None = None,
             analyst: bool = False) -> RunResult:
    t0 = time.perf_counter()
    running: list[str] = []  # the notebooks started, for the message of a timeout
    try:
        job = _job(code, params_file)
        with _one_at_a_time(job.work):
            if not force and made_from(job.target_dir, job.inputs) and (
                    not analyst or (job.target_dir / ANALYST_REPORT).is_file()):
                return RunResult(code, True, job.target_dir / "rapport.html", "", time.perf_counter() - t0,
                                 skipped=True, name=job.name)
            _clear_earlier(job.target_dir)
            timings: dict[str, float] = {}
            executed = _execute(job, timeout, running, timings)
            t1 = time.perf_counter()
            report = _write_report(job, executed, analyst)
            timings["opmaken"] = time.perf_counter() - t1
            io.write_json(job.target_dir / TIMINGS, {k: round(v, 3) for k, v in timings.items()})
            return RunResult(code, True, report, "", time.perf_counter() - t0, name=job.name)
    except KompasError as exc:
        return RunResult(code, False, None, str(exc), time.perf_counter() - t0)
    except TimeoutError:
        discard_worker_kernel()  # still busy with the hung cell
        current = running[-1] if running else ""
        return RunResult(code, False, None, f"notebook {current} duurde te lang: één cel liep langer dan "
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
