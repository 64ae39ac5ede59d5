"""Reports on a Dask distributed cluster, when one machine is not enough.

``kompas run --alle --executor dask --scheduler tcp://HOST:8786`` submits one task per gemeente to
an existing cluster. Each task is :func:`~kompas_lib.pipeline.run.run_one` on a worker:
the worker needs the project installed and sees the same prepared-data and reports folders (a
shared file system), exactly as a local worker process does. The results come back to the machine
that submitted them, which writes the index; the reports themselves are written (atomically) by
the workers. See docs/batch.md ("On a Dask cluster").

Within a worker process all reports run on one thread, in that process's warm kernel (one report at
a time per worker process; start workers with ``--nthreads 1`` and as many processes as cores).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kompas_lib.core.errors import KompasError

CONNECT_TIMEOUT = "15s"  # to reach the scheduler
_KERNEL_THREAD: ThreadPoolExecutor | None = None


def _on_kernel_thread(fn: Callable, *args, **kwargs):
    """Run ``fn`` on this process's one report thread (its warm kernel and its event loop belong to
    that thread; Dask may call from any of its threads)."""
    global _KERNEL_THREAD
    if _KERNEL_THREAD is None:
        _KERNEL_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kompas-rapport")
    return _KERNEL_THREAD.submit(fn, *args, **kwargs).result()


def report_task(make: Callable, code: str, params_file: Path | None, kwargs: dict):
    """One gemeente's report on a Dask worker: ``make`` is :func:`kompas_lib.pipeline.run.run_one`."""
    return _on_kernel_thread(make, code, params_file, **kwargs)


def connect(scheduler):
    """A client of the cluster at ``scheduler`` (an address such as tcp://host:8786, or a running
    cluster object, e.g. a LocalCluster in tests)."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise KompasError("Dask distributed is niet geïnstalleerd; installeer het project opnieuw (make setup).") from exc
    if not scheduler:
        raise KompasError("Geef bij --executor dask ook het adres van de scheduler, bv. --scheduler tcp://host:8786.")
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise KompasError(f"De Dask-scheduler op {scheduler} is niet bereikbaar ({exc}). Controleer het adres en of "
                          "de scheduler en de workers draaien.") from None


def run_on_cluster(make: Callable, codes: list[str], params_file: Path | None, kwargs: dict,
                   scheduler) -> Iterator[tuple[str, object]]:
    """Submit ``make(code, params_file, **kwargs)`` as one task per code; yield (code, its result or the
    exception of a lost task) as they finish."""
    from distributed import as_completed

    client = connect(scheduler)
    batch = uuid.uuid4().hex[:8]
    try:
        futures = {client.submit(report_task, make, code, params_file, kwargs, key=f"kompas-{code}-{batch}",
                                pure=False): code
                   for code in codes}
        for fut in as_completed(futures):
            code = futures[fut]
            try:
                yield code, fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails this code, the rest goes on
                yield code, exc
    finally:
        client.close()
