"""Many reports: which codes a selection means, the reports made in worker processes (or on a Dask
cluster), reports whose inputs did not change skipped, and the batch's index page and summary line.
A failing gemeente never stops the others, and neither does a worker process that dies: only the
gemeente it was making is tried again, in a new worker, and fails when its worker dies a second time.

How many worker processes: never more than the gemeenten still to make, and never more than
:data:`JOBS_PER_CPU` per processor core (each holds a Jupyter kernel with the fact table in memory;
more processes than cores make nothing faster). The command refuses more up front."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections import Counter, deque
from dataclasses import dataclass
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

log = logging.getLogger(__name__)


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
    """The gemeenten of a selection on today's indeling: every gemeente, or the gemeenten of a jeugdregio,
    samenwerkingsverband passend onderwijs (``regio``: JZ…, PO… or VO…; with the gemeenten that lie only
    partly in it) or provincie, followed by the region itself (its report as a whole)."""
    from kompas_lib.prepare.regions import latest_classification, verbanden

    current = latest_classification(load_regions(Path(processed or paths.processed_dir())))
    if alle:
        return sorted(current["gemeente_code"])
    code, column, kind = ((regio, "jeugdregio_code", "jeugdregio") if regio else (provincie, "provincie_code", "provincie"))
    code = (code or "").strip().upper()
    swv = verbanden(current) if regio else {}
    if code[:2] in ("PO", "VO") and regio:
        members = list(swv[code].members) if code in swv else []
        kind, known = "samenwerkingsverband passend onderwijs", sorted(c for c in swv if c[:2] == code[:2])
    else:
        members = sorted(current.loc[current[column] == code, "gemeente_code"])
        known = sorted(current[column].dropna().unique())
    if not members:
        if not known:
            raise KompasError(f"{code} is geen {kind} in de gegevens: er zijn geen samenwerkingsverbanden passend "
                              "onderwijs voorbereid, want de regeling met hun indeling staat niet naast de CBS-tabellen "
                              "(map passend_onderwijs). Kies een jeugdregio (JZ…) of zet die map erbij en voer "
                              "'kompas prepare' opnieuw uit.")
        raise KompasError(f"{code} is geen {kind} in de gegevens; bekende codes: {', '.join(known[:8])} …")
    return [*members, code]


JOBS_PER_CPU = 4  # at most this many worker processes per processor core


def cpus() -> int:
    """The processor cores this process may use (its affinity mask; a container's limit)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def max_jobs() -> int:
    """The most worker processes a batch may start on this machine."""
    return JOBS_PER_CPU * cpus()


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
        if not isinstance(result, RunResult):  # a lost task: this code failed, the rest goes on
            result = RunResult(code, False, None, _lost_message(result))
        results[code] = result
        bar.set_postfix_str(code)
        bar.update()
    bar.close()
    ordered = [results[c] for c in codes]
    with folders(None, out_root):
        write_index(ordered)
    return ordered


def _lost_message(exc) -> str:
    """The reason of a code whose task was lost (a dead worker, a cluster without workers), in Dutch."""
    from kompas_lib.pipeline.cluster import LostWorker, NoWorkers

    if isinstance(exc, (LostWorker, NoWorkers, WorkerDied)):
        return str(exc)
    return f"het rekenproces stopte onverwacht ({type(exc).__name__}); draai de opdracht opnieuw voor deze gemeente"


class WorkerDied(Exception):
    """The worker process making this code died twice."""


def _work(conn, params_file: Path | None, kwargs: dict) -> None:
    """A worker process: make the report of each code it is sent, send back its RunResult; stop at None."""
    from kompas_lib.core.memory import give_back, keep_for_good

    made = 0
    try:
        while True:
            code = conn.recv()
            if code is None:
                return
            conn.send(run_one(code, params_file, **kwargs))
            give_back()  # what the report's assembly left in the heap: the worker lives for many
            made += 1
            if made == 1:  # what the first report loaded (papermill, the exporter's templates) stays
                keep_for_good()
    except (KeyboardInterrupt, EOFError, BrokenPipeError):  # Ctrl-C, or the batch itself is gone
        import logging

        logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # the interrupted cell's task, in English
        return


@dataclass
class _Worker:
    process: object
    conn: object
    code: str | None = None  # what it is making now


def _start_worker(params_file: Path | None, kwargs: dict) -> _Worker:
    import multiprocessing as mp

    ours, theirs = mp.Pipe()
    process = mp.Process(target=_work, args=(theirs, params_file, kwargs), name="kompas-rapport")
    process.start()
    theirs.close()  # the worker has it; our copy would keep the pipe open after the worker died
    return _Worker(process, ours)


def _death(process) -> str:
    """How a worker process ended, in words."""
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        if -code == signal.SIGKILL:
            return f"van buitenaf gestopt met signaal {name}, bijvoorbeeld omdat het geheugen op was"
        return f"gestopt door signaal {name}"
    return f"gestopt met code {code}"


def _in_processes(codes: list[str], params_file: Path | None, kwargs: dict, jobs: int):
    """(code, RunResult or WorkerDied) as worker processes finish them. At most ``jobs`` processes,
    never more than there are codes. A worker that dies fails nothing at once: its code is queued
    again and a new worker is started; only a code whose worker died twice fails."""
    from multiprocessing.connection import wait

    queue = deque(codes)
    deaths: Counter = Counter()
    everyone: list[_Worker] = []
    idle = [_replacement(everyone, params_file, kwargs) for _ in range(min(jobs, len(queue)))]
    busy: dict = {}  # connection -> worker
    try:
        while queue or busy:
            while queue and idle:
                worker = idle.pop()
                worker.code = queue.popleft()
                try:
                    worker.conn.send(worker.code)
                    busy[worker.conn] = worker
                except OSError:  # died while idle: the code waits for the next worker
                    queue.appendleft(worker.code)
                    worker.code = None
                    if len(everyone) > 2 * len(codes) + jobs:  # workers that cannot even start
                        raise KompasError("De rekenprocessen voor de rapporten stoppen meteen na het starten; "
                                          "kijk of er genoeg geheugen is en draai de opdracht opnieuw met -v.")
                    idle.append(_replacement(everyone, params_file, kwargs))
            if not busy:
                continue
            ready = wait([*busy, *(w.process.sentinel for w in busy.values())])
            finished = {w.conn for w in busy.values() if w.conn in ready or w.process.sentinel in ready}
            for conn in finished:
                worker = busy.pop(conn)
                try:
                    result = conn.recv() if conn.poll() else None
                except (EOFError, OSError):
                    result = None
                if result is None:  # the worker died with this code
                    worker.process.join(timeout=5)
                    deaths[worker.code] += 1
                    if deaths[worker.code] >= 2:
                        yield worker.code, WorkerDied(
                            f"het rekenproces dat dit rapport maakte, stopte twee keer onverwacht "
                            f"({_death(worker.process)}); de andere gemeenten gaan door. Draai de opdracht opnieuw "
                            "voor deze gemeente; stopt het weer, kijk dan of er genoeg geheugen is.")
                    else:
                        log.warning("%s: het rekenproces stopte onverwacht (%s); een nieuw rekenproces maakt deze "
                                    "gemeente opnieuw.", worker.code, _death(worker.process))
                        queue.append(worker.code)
                    if queue and len(busy) + len(idle) < min(jobs, len(queue) + len(busy)):
                        idle.append(_replacement(everyone, params_file, kwargs))
                    continue
                yield worker.code, result
                worker.code = None
                idle.append(worker)
    finally:
        _stop(everyone)


def _replacement(everyone: list, params_file: Path | None, kwargs: dict) -> _Worker:
    worker = _start_worker(params_file, kwargs)
    everyone.append(worker)
    return worker


def _stop(workers: list) -> None:
    """Ask every worker to stop (its kernel is shut down as it ends); end those that do not."""
    for w in workers:
        if w.process.is_alive():
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
    for w in workers:
        w.process.join(timeout=30 if w.code is None else 5)
        if w.process.is_alive():
            w.process.terminate()
            w.process.join(timeout=5)
        w.conn.close()


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
