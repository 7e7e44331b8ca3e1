"""Where batch jobs run: local worker processes or a Dask cluster, and how they stop.

Both sources yield ``(index, result)`` as jobs finish. Each worker process keeps a warm
report kernel (:mod:`rcmmodel.reports.warm`) between its jobs.

Stopping (SIGINT, SIGTERM, or any error in the parent): pending jobs are cancelled; every
local worker process *and its kernel* is terminated (the whole process tree below the
parent, found before anything is killed, so a kernel whose worker died first is not
missed), then killed if it has not gone within a few seconds; a Dask client cancels its
futures and closes. Nothing is written by workers, so nothing is left half-written.
"""
from __future__ import annotations

import os
import signal
import time

from .._files import held_signals
from ..errors import RcmInputError


class Interrupted(Exception):
    """The batch was stopped by a signal; ``code`` is the exit code (128 + signal)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum, self.code = signum, 128 + signum


#: After the first SIGTERM, how long cleaning up may take before the process just leaves.
UNWIND_SECONDS = 60


def stop_once(deadline: float | None = None):
    """A SIGTERM handler that raises :class:`Interrupted` the first time, so the work unwinds
    through its ``finally`` blocks (workers and kernels stopped, staging folders removed),
    and ignores the signals that follow, which would otherwise cut that cleaning short.
    With ``deadline`` (seconds) the process leaves with 143 if unwinding takes longer:
    one SIGTERM always ends it."""
    raised = []

    def stop(signum, frame):
        if raised:
            return
        raised.append(signum)
        if deadline is not None:
            import threading

            timer = threading.Timer(deadline, os._exit, (128 + signum,))
            timer.daemon = True
            timer.start()
        raise Interrupted(signum)

    stop.once = True
    return stop


class signals_stop_batch:
    """Context manager: SIGTERM raises :class:`Interrupted` in the main thread, once (see
    :func:`stop_once`; SIGINT already raises KeyboardInterrupt), so the batch unwinds
    through its ``finally`` blocks."""

    def __enter__(self):
        self._old = None
        if getattr(signal.getsignal(signal.SIGTERM), "once", False):
            return self             # the command line's handler (with its deadline) stands
        try:
            self._old = signal.signal(signal.SIGTERM, stop_once())
        except ValueError:          # not the main thread (e.g. called from a server)
            pass
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)


#: Hold SIGINT/SIGTERM while a set of files is renamed into place (one rule, in ``_files``).
deferred_signals = held_signals


def check_workers(workers: int | None, scheduler: str | None) -> int:
    """How many local workers a batch runs (default: one per core), checked with the Dask
    scheduler's address before anything starts (bad input is exit 2): an address where
    nothing answers is too."""
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise RcmInputError.at(None, "--workers", "must be at least 1")
    if scheduler:
        _reachable(check_scheduler(scheduler))
    return workers


# ---------------------------------------------------------------- local processes
def _worker_init() -> None:
    """In each local worker: the parent decides when to stop (a terminal's Ctrl-C reaches
    the whole process group), and SIGTERM takes the worker's kernels down with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def on_term(signum, frame):
        from .warm import kill_all
        kill_all()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)


def _tree() -> list:
    import psutil

    try:
        return psutil.Process().children(recursive=True)
    except psutil.Error:
        return []


def terminate_tree(procs, grace: float = 3.0) -> None:
    """Stop every process in ``procs``: kernels are killed at once (they hold nothing worth
    saving), workers get SIGTERM, then SIGKILL if still there after ``grace`` seconds.

    multiprocessing's resource tracker is left alone: it ignores SIGTERM, leaves by itself
    when this process exits, and if killed is relaunched to complain about semaphores."""
    import psutil

    targets = []
    for p in procs:
        try:
            line = " ".join(p.cmdline())
            if "resource_tracker" in line:
                continue
            targets.append(p)
            p.kill() if "ipykernel" in line else p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(targets, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=grace)


def local(jobs, workers: int, task):
    """Yield (index, result) as local worker processes finish ``task(job)``.

    A finished job's result (a report's bytes, a megabyte or so) is let go as soon as it
    is yielded: the pool is fed a few jobs ahead of its workers rather than all at once,
    and no finished future is kept, so the parent's memory stays flat however many
    reports the batch holds.
    """
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # spawn: each worker starts clean (no inherited threads or zmq state), which kernels need.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                               initializer=_worker_init)
    queue = iter(enumerate(jobs))
    running: dict = {}
    clean = False

    def feed():
        while len(running) < 2 * workers:
            item = next(queue, None)
            if item is None:
                return
            try:
                running[pool.submit(task, item[1])] = item[0]
            except BrokenProcessPool as exc:     # a worker died: the rest cannot run here
                lost.append((item[0], exc))
                lost.extend((i, exc) for i, _ in queue)
                return

    lost: list = []
    try:
        feed()
        while running or lost:
            if not running:
                i, exc = lost.pop(0)
                yield i, {"ok": False, "error": f"worker failed: {type(exc).__name__}: {exc}",
                          "seconds": 0.0}
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                i = running.pop(fut)
                try:
                    result = fut.result()
                except Exception as exc:   # the worker process died: that job's outcome says so
                    result = {"ok": False, "error": f"worker failed: {type(exc).__name__}: "
                              f"{exc}", "seconds": 0.0}
                del fut
                yield i, result
                del result
            feed()
        clean = True
    finally:
        if clean:
            pool.shutdown(wait=True)   # workers close their kernels as they exit
        else:
            procs = _tree()            # workers and their kernels, before any is gone
            # No fut.cancel(): the pool's own thread marks every future broken once its
            # workers are gone (a future cancelled first makes that thread raise).
            terminate_tree(procs)
            pool.shutdown(wait=False)


# ---------------------------------------------------------------- Dask
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss", "inproc", "ucx")


def check_scheduler(address: str) -> str:
    """A Dask scheduler address, checked before anything starts (bad input is exit 2):
    ``tcp://HOST:PORT`` (also tls://, ws://, wss://, ucx://, inproc://), or ``HOST:PORT``
    meaning tcp. Returns the address with its scheme. The command line's ``--scheduler``
    uses this same rule.

    Examples
    --------
    >>> check_scheduler("127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    >>> check_scheduler("notascheme")
    Traceback (most recent call last):
    rcmmodel.errors.RcmInputError: --scheduler: 'notascheme' is not a scheduler address; give tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786
    """
    from urllib.parse import urlsplit

    from ..describe import shown

    text = str(address).strip()
    address = text if "://" in text else f"tcp://{text}"
    bad = RcmInputError.at(None, "--scheduler", f"{shown(text)} is not a scheduler address; "
                           "give tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        raise bad from None
    if parts.scheme not in SCHEDULER_SCHEMES:
        raise RcmInputError.at(None, "--scheduler", f"{shown(text)}: unknown scheme "
                               f"{shown(parts.scheme)}; use one of "
                               + ", ".join(f"{s}://" for s in SCHEDULER_SCHEMES))
    if parts.scheme == "inproc":
        return address
    if not parts.hostname or not port or parts.path not in ("", "/") or parts.query:
        raise bad
    return address


#: Schemes whose address is a TCP host and port (probed before the Dask client connects).
TCP_SCHEMES = ("tcp", "tls", "ws", "wss")


def unreachable(address: str, timeout: float) -> str | None:
    """Why nothing can connect to ``address`` (a TCP host and port), or None if something
    accepts there. A refused port or an unknown host is known at once, where the Dask
    client would retry it until its timeout; a silent host is given ``timeout`` seconds."""
    import socket
    from urllib.parse import urlsplit

    from ..describe import shown

    parts = urlsplit(address)
    if parts.scheme not in TCP_SCHEMES:
        return None
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=timeout):
            return None
    except ConnectionRefusedError:
        return "connection refused (is the scheduler running, on that port?)"
    except socket.gaierror as exc:
        return f"unknown host {shown(parts.hostname)} ({exc.strerror})"
    except TimeoutError:
        return f"no answer in {timeout:g} s"
    except OSError as exc:
        return exc.strerror or str(exc)


def _reachable(address: str, timeout: float = 10) -> None:
    why = unreachable(address, timeout)
    if why:
        raise RcmInputError.at(None, "--scheduler", f"cannot reach {address}: {why}")


def dask(jobs, address: str, task, connect_timeout: float = 10):
    """Yield (index, result) as jobs finish on a Dask distributed cluster."""
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise RcmInputError.at(None, "--scheduler", "dask.distributed is not installed") \
            from None
    check_scheduler(address)    # (whether it answers was checked before any work: check_workers)
    try:
        client = Client(address, timeout=f"{connect_timeout:g}s")
    except (OSError, TimeoutError) as exc:
        raise RcmInputError.at(None, "--scheduler", f"cannot reach {address}: {exc}") from None
    futures = []
    try:
        stamp = time.time_ns()
        futures = [client.submit(task, job, pure=False, key=f"rcm-report-{i}-{stamp}")
                   for i, job in enumerate(jobs)]
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in dask_completed(futures):
            i = index[fut.key]
            try:
                result = fut.result()
            except Exception as exc:   # the worker or its task failed: that job's outcome
                result = {"ok": False, "error": f"worker failed: {type(exc).__name__}: "
                          f"{exc}", "seconds": 0.0}
            futures[i] = None          # the cluster may forget it once nothing holds it
            del fut
            yield i, result
            del result
    finally:
        try:
            futures = [f for f in futures if f is not None]
            if futures:
                client.cancel(futures)
        finally:
            client.close(timeout=10)
