"""Reports on a Dask distributed cluster, when one machine is not enough.

``kompas run --alle --executor dask --scheduler tcp://HOST:8786`` submits one task per gemeente to
an existing cluster. Each task is :func:`~kompas_lib.pipeline.run.run_one` on a worker:
the worker needs the project installed and sees the same prepared-data and reports folders (a
shared file system), exactly as a local worker process does. The results come back to the machine
that submitted them, which writes the index; the reports themselves are written (atomically) by
the workers. See docs/batch.md ("On a Dask cluster").

Within a worker process all reports run on one thread, in that process's warm kernel (one report at
a time per worker process; start workers with ``--nthreads 1`` and as many processes as cores).

A cluster without workers would keep the tasks waiting for ever: the batch waits at most
:data:`NO_WORKER_WAIT` seconds for a first worker before it submits anything, and while it runs, the
gemeenten not yet made fail with a message once no worker has been connected for that long. A
worker lost while making a gemeente is Dask's to handle: the task goes to another worker, and only
a gemeente whose workers died several times fails (Dask's ``allowed-failures``).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kompas_lib.core.errors import KompasError

CONNECT_TIMEOUT = "15s"  # to reach the scheduler
NO_WORKER_WAIT = 60.0  # seconds without any worker before the batch stops waiting (tests make it shorter)
POLL = 2.0  # seconds between two looks at the workers while tasks run
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


def check_address(address: str) -> None:
    """A KompasError in Dutch unless ``address`` is a Dask scheduler address (tcp://HOST:PORT, or
    HOST:PORT; tls://, ws://, wss://, ucx:// and inproc:// as Dask knows them). Connects to nothing."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(str(address).strip())
        get_backend(scheme)
        if scheme != "inproc":
            host, port = parse_host_port(location)
            if not host or port is None or not 0 < int(port) < 65536:
                raise ValueError(location)
    except (ValueError, TypeError):
        raise KompasError(f"--scheduler {address!r} is geen geldig adres van een Dask-scheduler. Schrijf het als "
                          "tcp://HOST:8786: HOST is de naam of het IP-adres van de machine met de scheduler, 8786 de "
                          "poort die 'dask scheduler' bij het starten noemt.") from None


def connect(scheduler):
    """A client of the cluster at ``scheduler`` (an address such as tcp://host:8786, or a running
    cluster object, e.g. a LocalCluster in tests)."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise KompasError("Dask distributed is niet geïnstalleerd; installeer het project opnieuw "
                          "(make setup).") from exc
    if not scheduler:
        raise KompasError("Geef bij --executor dask ook het adres van de scheduler, bv. --scheduler tcp://host:8786.")
    if isinstance(scheduler, str):
        check_address(scheduler)
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise KompasError(f"De Dask-scheduler op {scheduler} is niet bereikbaar ({exc}). Controleer het adres en of "
                          "de scheduler en de workers draaien.") from None
    except (ValueError, TypeError):  # an address Dask refuses after all
        raise KompasError(f"--scheduler {scheduler!r} is geen geldig adres van een Dask-scheduler; schrijf het als "
                          "tcp://HOST:8786.") from None


def _workers(client) -> int:
    """How many workers the scheduler has now (0 when it cannot say)."""
    try:
        return len(client.nthreads())
    except Exception:  # noqa: BLE001 - a scheduler that went away has no workers for us
        return 0


class NoWorkers(Exception):
    """The cluster had no worker for :data:`NO_WORKER_WAIT` seconds while this code waited."""


class LostWorker(Exception):
    """The workers that made this code died (Dask gave up on it)."""


def no_workers_message(scheduler, seconds: float) -> str:
    return (f"de Dask-scheduler op {scheduler} had {seconds:.0f} seconden lang geen enkele worker, dus is dit rapport "
            "niet gemaakt. Start workers (dask worker ADRES --nthreads 1) en draai de opdracht opnieuw; wat al "
            "klaar is, wordt overgeslagen.")


def run_on_cluster(make: Callable, codes: list[str], params_file: Path | None, kwargs: dict,
                   scheduler) -> Iterator[tuple[str, object]]:
    """Submit ``make(code, params_file, **kwargs)`` as one task per code; yield (code, its result, or a
    :class:`LostWorker` or :class:`NoWorkers` exception) as they finish. No worker within
    :data:`NO_WORKER_WAIT` seconds before anything is submitted: a KompasError, nothing is made."""
    from distributed import wait

    client = connect(scheduler)
    address = getattr(scheduler, "scheduler_address", scheduler)
    batch = uuid.uuid4().hex[:8]
    chatter = logging.getLogger("distributed")  # Dask's own warnings (in English) only with -v
    level = chatter.level
    if not logging.getLogger().isEnabledFor(logging.INFO):
        chatter.setLevel(logging.ERROR)
    try:
        try:
            client.wait_for_workers(1, timeout=NO_WORKER_WAIT)
        except (TimeoutError, OSError):
            raise KompasError(f"De Dask-scheduler op {address} heeft geen workers: na {NO_WORKER_WAIT:.0f} seconden "
                              "wachten was er nog geen verbonden. Er is niets gemaakt. Start workers (dask worker "
                              f"{address} --nthreads 1) en draai de opdracht opnieuw.") from None
        futures = {client.submit(report_task, make, code, params_file, kwargs, key=f"kompas-{code}-{batch}",
                                 pure=False): code
                   for code in codes}
        pending = set(futures)
        alone_since = None  # when the cluster was last seen without workers
        while pending:
            try:
                done = wait(list(pending), timeout=POLL, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            for fut in done:
                pending.discard(fut)
                yield futures[fut], _outcome(fut)
            if not pending or done:
                alone_since = None
                continue
            if _workers(client):
                alone_since = None
            elif alone_since is None:
                alone_since = time.monotonic()
            elif time.monotonic() - alone_since >= NO_WORKER_WAIT:
                client.cancel(list(pending))
                for fut in sorted(pending, key=lambda f: futures[f]):
                    yield futures[fut], NoWorkers(no_workers_message(address, NO_WORKER_WAIT))
                pending.clear()
    finally:
        client.close()
        chatter.setLevel(level)


def _outcome(fut):
    """A finished task's RunResult, or a LostWorker for a task whose workers kept dying."""
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker, a cancelled task, a worker that could not unpickle
        name = type(exc).__name__
        if name == "KilledWorker":
            return LostWorker("de Dask-workers die dit rapport maakten, stopten telkens onverwacht (Dask gaf het na "
                              "enkele pogingen op); kijk in de uitvoer van de workers, bv. of het geheugen op was")
        return LostWorker(f"de taak op het Dask-cluster mislukte ({name}); kijk in de uitvoer van de workers")
