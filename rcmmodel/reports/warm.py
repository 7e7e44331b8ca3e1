"""The report engine: papermill parameters, executed by nbclient on a kernel that can be
kept warm between reports.

A cold ``rcm report`` starts a kernel, imports pandas, altair and the library, runs the
template and shuts the kernel down. A batch worker instead keeps one :class:`WarmKernel`:
the kernel and its imports stay, and between two reports
:func:`rcmmodel.reports.kernel_state.reset` puts the kernel back to the state it had right
after the imports (namespace, output history, warnings, working directory, environment).
Templates are pure functions of their parameters, so practice B's report is the same
whether the kernel rendered practice A before it or not (tests/test_batch.py proves it).

A kernel that dies is replaced by a new one and the report is tried once more.

>>> with WarmKernel() as kernel:                                    # doctest: +SKIP
...     a = kernel.run(template_path("proposal"), {"scenario_path": "a.yaml"})
...     b = kernel.run(template_path("proposal"), {"scenario_path": "b.yaml"})
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import threading
from pathlib import Path

log = logging.getLogger(__name__)

PRELUDE = "import rcmmodel.reports.kernel_state as _rcm_state; _rcm_state.prelude(); del _rcm_state"
RESET = "import rcmmodel.reports.kernel_state as _rcm_state; _rcm_state.reset()"


class CellFailed(Exception):
    """A template cell raised: ``source`` is the cell, ``ename``/``evalue`` the error."""

    def __init__(self, source: str, ename: str, evalue: str):
        super().__init__(f"{ename}: {evalue}")
        self.source, self.ename, self.evalue = source, ename, evalue


class KernelDied(Exception):
    """The kernel died while running a report (and again on the retry)."""


class WarmKernel:
    """One kernel of this environment, kept between reports.

    Parameters
    ----------
    timeout : int
        Seconds a single cell may run.
    """

    def __init__(self, timeout: int = 600):
        self.timeout = timeout
        self.km = self.kc = None
        self.reports = 0          # reports run on the current kernel
        self.restarts = 0         # kernels replaced after dying
        self._loop = asyncio.new_event_loop()
        self._dirty = False       # the kernel ran a report since its last reset

    # ---------------------------------------------------------------- life cycle
    def start(self, meanwhile=None) -> None:
        """Start the kernel; it imports the report libraries as it starts (:data:`PRELUDE`),
        in its own process, while this one calls ``meanwhile`` if given."""
        self._loop.run_until_complete(self._start(meanwhile))

    async def _start(self, meanwhile=None) -> None:
        from .render import KERNEL_NAME, kernel_manager_class

        km = kernel_manager_class()(kernel_name=KERNEL_NAME)
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            if meanwhile is not None:
                meanwhile()
            await _ready(km, kc, timeout=120)
        except BaseException:     # cleanup, then the error goes on: no kernel left behind
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
            raise
        self.km, self.kc, self.reports, self._dirty = km, kc, 0, False
        # Run as the kernel started already (so it was no wait); again here, where a failure
        # raises and the clean state is recorded with the kernel serving.
        await self._silent(PRELUDE)

    @property
    def pid(self) -> int | None:
        """The kernel's process id (None before it starts)."""
        provisioner = getattr(self.km, "provisioner", None)
        proc = getattr(provisioner, "process", None)
        return getattr(proc, "pid", None)

    def alive(self) -> bool:
        return self.km is not None and self._loop.run_until_complete(self.km.is_alive())

    def close(self) -> None:
        """Shut the kernel down (idempotent; safe from atexit and signal paths)."""
        km, kc, self.km, self.kc = self.km, self.kc, None, None
        if km is None or self._loop.is_closed():
            return
        try:
            if kc is not None:
                kc.stop_channels()
            self._loop.run_until_complete(km.shutdown_kernel(now=True))
        except Exception as exc:
            # Shutting down, maybe from atexit or a signal: raising here would leave the
            # kernel running, so it is logged and the kernel killed by its process id.
            pid = getattr(getattr(km.provisioner, "process", None), "pid", None)
            log.warning("the report kernel did not shut down (%s: %s); %s",
                        type(exc).__name__, exc,
                        f"killing its process {pid}" if pid else "no process id to kill")
            _kill(pid)                    # last resort: never leave a kernel behind

    def kill(self) -> None:
        """Kill the kernel's processes now, without waiting for them to go (safe in a
        signal handler: a kernel holds nothing worth saving)."""
        _kill(self.pid)

    def dismiss(self) -> None:
        """Done with this kernel: stop listening to it, then kill it without waiting for it
        to go. A cold report dismisses its kernel as soon as the template has run, so the
        kernel dies while this process converts the notebook; :meth:`close` still follows
        and finds only tidying up to do. (The channels stop first: stopping them once the
        kernel is gone can wait on its heartbeat.)"""
        kc, self.kc = self.kc, None
        if kc is not None:
            kc.stop_channels()
        self.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---------------------------------------------------------------- running
    async def _silent(self, code: str, timeout: float = 180) -> None:
        """Run housekeeping code that is no part of any report; raise if it fails.

        A kernel that does not answer in ``timeout`` seconds is taken for dead (replaced,
        and the report tried again), rather than holding the worker for a cell's timeout.
        """
        from nbclient.exceptions import DeadKernelError

        try:
            reply = await self.kc.execute_interactive(code, silent=True, store_history=False,
                                                       timeout=timeout, output_hook=_ignore)
        except TimeoutError:
            raise DeadKernelError("the kernel did not answer") from None
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"kernel housekeeping failed: {content.get('ename')}: "
                               f"{content.get('evalue')}")

    def run(self, template: Path, parameters: dict, meanwhile=None):
        """Execute ``template`` with ``parameters``; return the executed notebook.

        ``meanwhile`` is called while the kernel starts, if it has to start (a cold report,
        a worker's first): work of this process that need not wait for the kernel.

        Raises :class:`CellFailed` when a template cell raises, :class:`KernelDied` when
        the kernel dies twice running this report.
        """
        from nbclient.exceptions import DeadKernelError

        for attempt in (1, 2):
            try:
                if self.km is None or not self.alive():
                    if self.km is not None:
                        self.restarts += 1
                        self.close()
                    self.start(meanwhile)
                    meanwhile = None
                return self._loop.run_until_complete(self._run(template, parameters))
            except DeadKernelError:
                self.restarts += 1
                self.close()
                if attempt == 2:
                    raise KernelDied("the report kernel died twice on this report") from None
        raise AssertionError("unreachable")

    async def _run(self, template: Path, parameters: dict):
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        from .render import KERNEL_NAME

        if self._dirty:
            await self._silent(RESET)
        self._dirty = True
        nb = load_notebook_node(str(template))
        nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL_NAME, language="python")
        client = NotebookClient(nb, km=self.km, kernel_name=KERNEL_NAME, timeout=self.timeout,
                                allow_errors=False, record_timing=False)
        client.kc = self.kc
        client.log.setLevel(logging.WARNING)
        client.reset_execution_trackers()
        for index, cell in enumerate(nb.cells):
            try:
                await client.async_execute_cell(cell, index)
            except CellExecutionError as exc:
                raise CellFailed(cell.source, exc.ename, exc.evalue) from None
        self.reports += 1
        return nb


def _ignore(msg) -> None:
    """Output of housekeeping code goes nowhere."""


def _kill(pid: int | None) -> None:
    """SIGKILL a kernel's process group (it leads its own session), or the process alone."""
    import os
    import signal

    if not pid:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:                  # already gone
            pass


async def _ready(km, kc, timeout: float) -> None:
    """Wait until the kernel answers on its shell and IOPub channels.

    jupyter_client's ``wait_for_ready`` does the same, then waits on IOPub until no message
    has come for 0.2 s, to drop stray output; here nothing reads IOPub but through a request
    (nbclient and :meth:`WarmKernel._silent` match messages to their request), so that
    0.2 s, on every kernel's start, is not waited.
    """
    import time
    from queue import Empty

    deadline = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            msg = await kc.shell_channel.get_msg(timeout=1)
        except Empty:
            msg = None
        if msg is not None and msg["msg_type"] == "kernel_info_reply":
            try:          # IOPub connected: the kernel's busy/idle for that request came
                await kc.iopub_channel.get_msg(timeout=0.2)
                return
            except Empty:
                log.debug("IOPub not connected yet; asking the kernel again")
        if not await km.is_alive():
            raise RuntimeError("the report kernel died before it was ready")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the report kernel was not ready in {timeout:.0f} s")


# -------------------------------------------------------------------- one per thread
_local = threading.local()
_all: list[WarmKernel] = []
_all_lock = threading.Lock()


def worker_kernel() -> WarmKernel:
    """This thread's warm kernel (a Dask worker may run several threads)."""
    kernel = getattr(_local, "kernel", None)
    if kernel is None:
        kernel = _local.kernel = WarmKernel()
        with _all_lock:
            if not _all:
                _register_cleanup()
            _all.append(kernel)
    return kernel


def close_all() -> None:
    """Shut down every warm kernel of this process."""
    with _all_lock:
        kernels = list(_all)
        _all.clear()
    for kernel in kernels:
        kernel.close()
    _local.__dict__.pop("kernel", None)


def _register_cleanup() -> None:
    # A multiprocessing child (a local pool or Dask worker process) leaves through
    # os._exit, which skips atexit; its Finalize hooks still run.
    from multiprocessing import util

    atexit.register(close_all)
    util.Finalize(None, close_all, exitpriority=100)


def kill_all() -> None:
    """Kill every warm kernel of this process at once, without waiting (safe in a signal
    handler, where the event loop may be mid-call): a kernel holds nothing worth saving."""
    for kernel in list(_all):
        kernel.kill()
