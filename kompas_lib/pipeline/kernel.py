"""The warm kernel of a batch worker: one Jupyter kernel that makes many reports.

Decision (issue 12, measured in bench/bench_batch.py): papermill still parameterises and executes
every numbered notebook, but not each in a kernel of its own. A worker process starts one kernel,
imports the library and loads the fact and region tables in it once (:func:`warm`), and runs the
notebooks of gemeente after gemeente in it. Before each gemeente :func:`fresh_start` empties the
kernel's namespace (IPython's reset: variables, imports and output history of the previous
gemeente are gone) and closes its figures; what stays are the library's own caches of the fact
table, which do not depend on the gemeente (:mod:`kompas_lib.analysis.shared`). A kernel that died,
hung (timeout) or failed outside a notebook cell is replaced by a new one before the next gemeente.

Parent side: :class:`WarmKernel`. Kernel side: :func:`warm` and :func:`fresh_start`, called in the
kernel by the code :class:`WarmKernel` sends.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kompas_lib.core.errors import KompasError

FOLDER_VARIABLES = ("KOMPAS_PROCESSED_DIR", "KOMPAS_REPORTS_DIR", "KOMPAS_CBS_DIR")
READY_TIMEOUT = 120  # seconds for a new kernel to start and load the tables


# --- kernel side ---------------------------------------------------------------------------------

def warm(processed: str) -> None:
    """Import what the notebooks use and load the tables, so the first report does not pay for it."""
    from kompas_lib.presentation import render

    render.use_inline_backend()
    import kompas_lib.analysis.sections  # noqa: F401 - imported for its cost, once
    from kompas_lib.presentation import notebook, session  # noqa: F401

    folder = Path(processed)
    if (folder / "facts.parquet").is_file() and (folder / "regions.parquet").is_file():
        session.warm_tables(folder)
        session.country_tables(folder)  # read, or made once for every worker of the batch
    from kompas_lib.core.memory import keep_for_good

    keep_for_good()


def fresh_start(env: dict[str, str | None]) -> None:
    """Before the next gemeente: the run's folders in the environment, no figures, and an empty
    namespace (nothing of the previous gemeente is visible)."""
    from kompas_lib.presentation import render, view

    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    render.close_all()
    view.reset_namespace()
    from kompas_lib.core.memory import give_back

    give_back()


# --- parent side ---------------------------------------------------------------------------------

def _quiet_log() -> logging.Logger:
    """Kernel housekeeping and nbclient's own error lines are not news for the analyst: what went
    wrong reaches them as the gemeente's result message."""
    quiet = logging.getLogger("kompas_lib.kernel")
    quiet.setLevel(logging.CRITICAL)
    quiet.propagate = False
    return quiet


class WarmKernel:
    """One kernel kept warm for the reports of one worker process, with one client to talk to it."""

    def __init__(self, cwd: Path):
        import threading

        self.cwd = Path(cwd)
        self.thread = threading.get_ident()  # its client belongs to this thread's event loop
        self.km = None
        self.kc = None
        self.reports = 0  # made in this kernel since it started

    def _start(self, processed: str | None = None) -> None:
        """Start the kernel process; it imports the library and loads the tables (:func:`warm`) while it
        starts up, so this returns at once and the caller goes on with its own work meanwhile (the first
        :meth:`run_code` waits until the kernel is ready)."""
        from jupyter_client.manager import KernelManager

        quiet = _quiet_log()
        # nbclient needs an asynchronous client: with a blocking one it cannot stop a hung cell
        self.km = KernelManager(kernel_name="python3", log=quiet,
                                client_class="jupyter_client.asynchronous.AsyncKernelClient")
        processed = os.environ.get("KOMPAS_PROCESSED_DIR", "") if processed is None else processed
        warm_up = f"import kompas_lib.pipeline.kernel as _k; _k.warm({processed!r}); del _k"
        self.km.start_kernel(cwd=str(self.cwd), extra_arguments=[
            "--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False", f"--IPKernelApp.exec_lines={warm_up}"])
        self.kc = None  # made by the first run_code, then shared with nbclient
        self.reports = 0

    def start_early(self, processed: str) -> WarmKernel:
        """Start the kernel now (and warm it with the tables of ``processed``) without waiting for it."""
        if self.km is None or not self.km.is_alive():
            self.shutdown()
            self._start(processed)
        return self

    def ready(self) -> WarmKernel:
        """A living kernel, emptied for the next gemeente, with this process's folders."""
        _register_engine()
        if self.km is None or not self.km.is_alive():
            self.shutdown()
            self._start()
        env = {k: os.environ.get(k) for k in FOLDER_VARIABLES}
        self.run_code(f"import kompas_lib.pipeline.kernel as _k; _k.fresh_start({env!r})")
        return self

    def run_code(self, code: str, timeout: float = READY_TIMEOUT) -> str:
        """Execute ``code`` in the kernel; its printed output, or a KompasError with the kernel's error."""
        from jupyter_core.utils import run_sync

        try:
            reply, printed = run_sync(self._run_code)(code, timeout)
        except (TimeoutError, RuntimeError) as exc:
            self.discard()
            raise KompasError(f"het rekenproces (kernel) reageerde niet binnen {timeout:.0f} s") from exc
        content = reply["content"]
        if content.get("status") != "ok":
            raise KompasError(f"het rekenproces (kernel) gaf een fout: {content.get('ename')}: {content.get('evalue')}")
        return "".join(printed)

    async def _run_code(self, code: str, timeout: float):
        # one asynchronous client per kernel, made in the same event loop nbclient uses (this
        # thread's), shared with nbclient for every notebook
        if self.kc is None:
            self.kc = self.km.client()
            self.kc.start_channels()
            self.kc.allow_stdin = False
            await self.kc.wait_for_ready(timeout=timeout)
        printed: list[str] = []

        def keep(msg):
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        reply = await self.kc.execute_interactive(code, timeout=timeout, output_hook=keep, allow_stdin=False)
        return reply, printed

    def discard(self) -> None:
        """After a hang or an unknown failure: the next gemeente gets a new kernel."""
        self.shutdown()

    def shutdown(self) -> None:
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # noqa: BLE001 - channels of a dead kernel
                pass
            self.kc = None
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - a kernel that is already gone is fine
                pass
            self.km = None


def _register_engine() -> None:
    """Register the papermill engine ``kompas-warm``, which executes a notebook in a :class:`WarmKernel`
    (papermill still parameterises the notebook and records every cell); pass the kernel as ``warm=``.
    Defined here, not at import: importing papermill takes seconds, which the command of one report
    spends while its kernel starts (:func:`start_early`)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines

    class WarmEngine(Engine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, warm: WarmKernel | None = None,
                                     execution_timeout=None, start_timeout=60, **_ignored):
            client = PapermillNotebookClient(nb_man, km=warm.km, timeout=execution_timeout,
                                             startup_timeout=start_timeout, kernel_name=kernel_name,
                                             log=_quiet_log())
            client.kc = warm.kc  # connected and ready: no new client (and no wait) per notebook
            return client.execute()

    if "kompas-warm" not in papermill_engines._engines:
        papermill_engines.register("kompas-warm", WarmEngine)


_WORKER: WarmKernel | None = None


def worker_kernel(cwd: Path) -> WarmKernel:
    """This process's warm kernel (made on first use; shut down when the process ends). A call from
    another thread gets a new kernel: the asynchronous client works only in the thread that made it."""
    import threading

    global _WORKER
    if _WORKER is None or _WORKER.cwd != Path(cwd) or _WORKER.thread != threading.get_ident():
        if _WORKER is not None:
            _WORKER.shutdown()
        _WORKER = WarmKernel(cwd)
        import atexit
        from multiprocessing import util

        atexit.register(_WORKER.shutdown)  # the main process
        util.Finalize(_WORKER, _WORKER.shutdown, exitpriority=10)  # worker processes skip atexit
    return _WORKER


def start_early(cwd: Path, processed: Path) -> None:
    """Start this process's kernel now, before the command has imported papermill and checked the params:
    the kernel starts and loads the tables on the other core meanwhile (one report: about 3 s sooner)."""
    worker_kernel(cwd).start_early(str(processed))


def discard_worker_kernel() -> None:
    """After a hang or an unknown failure: this process's next report starts a new kernel."""
    if _WORKER is not None:
        _WORKER.discard()
