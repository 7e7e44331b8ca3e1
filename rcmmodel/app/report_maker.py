"""The app's PDF report, made on a warm kernel and ahead of the click.

A report made from scratch starts a kernel, imports pandas, altair and the library, runs
the template and lays out the PDF: most of that is the kernel and its imports. The app
keeps one report kernel of its own, as a batch worker does
(:class:`~rcmmodel.reports.warm.WarmKernel`), started in the background the first time
"Take it home" opens, and begins the report for the figures on screen right then. The
click then only waits for whatever of that work is left; a scenario changed since is
rendered anew on the same warm kernel.

The report is :func:`rcmmodel.reports.render.render_bytes` on the scenario file the app
saves, exactly what ``rcm report`` renders for it. All the work runs on one thread of its
own (the kernel's event loop is not thread-safe), one job at a time, newest first: a
report for figures no longer on screen is dropped, not awaited.

The report kernel is this kernel's child; it is shut down when this kernel exits, and
exits by itself if this kernel is killed (the kernel watches its parent process).
"""
from __future__ import annotations

import atexit
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..errors import RcmInputError

TEMPLATE = "decision"
#: What the maker is doing, in words (for the button while she waits).
STAGES = {"kernel": "Starting the report engine...",
          "figures": "Working out the figures and drawing the charts...",
          "pdf": "Laying out the PDF pages..."}


class ReportMaker:
    """PDF decision reports of saved scenarios, made on one warm kernel."""

    def __init__(self):
        self._work = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rcm-report")
        self._kernel = None
        self._lock = threading.Lock()
        self._job: tuple[tuple[str, str], Future] | None = None
        self.listeners: list = []       # called with a STAGES key as the work moves on
        atexit.register(self.close)

    def _tell(self, stage: str) -> None:
        for listener in list(self.listeners):
            listener(stage)

    # ------------------------------------------------------------------ the kernel
    def warm(self) -> None:
        """Start the report kernel in the background (does nothing once started)."""
        with self._lock:
            if self._kernel is None:
                from ..reports.warm import WarmKernel

                self._kernel = WarmKernel()
                self._work.submit(self._start)

    def _start(self) -> None:
        kernel = self._kernel
        if kernel is not None and kernel.km is None:
            from ..reports.render import to_pdf

            self._tell("kernel")
            kernel.start()
            # WeasyPrint's fonts and the report stylesheet, set up once on this thread.
            to_pdf("<!DOCTYPE html><html><body><p>rcmmodel</p></body></html>")

    def close(self) -> None:
        """Shut the report kernel down (idempotent)."""
        with self._lock:
            kernel, self._kernel = self._kernel, None
            job, self._job = self._job, None
        if job is not None:
            job[1].cancel()
        self._work.shutdown(wait=True, cancel_futures=True)
        if kernel is not None:
            kernel.close()

    # ------------------------------------------------------------------ reports
    def prepare(self, scenario_yaml: str, stem: str) -> Future:
        """The report of this scenario, started now unless it is already under way.

        Returns a future of ``(file name, PDF bytes)``.
        """
        self.warm()
        key = (scenario_yaml, stem)
        with self._lock:
            if self._job is not None and self._job[0] == key and not (
                    self._job[1].done() and self._job[1].exception() is not None):
                return self._job[1]
            if self._job is not None:
                self._job[1].cancel()          # figures no longer on screen: not needed
            future = self._work.submit(self._render, scenario_yaml, stem)
            self._job = (key, future)
            return future

    def pdf(self, scenario_yaml: str, stem: str) -> tuple[str, bytes]:
        """The report's file name and PDF bytes (waits for the work left)."""
        return self.prepare(scenario_yaml, stem).result()

    def _render(self, scenario_yaml: str, stem: str) -> tuple[str, bytes]:
        from ..reports.outputs import output_stem
        from ..reports.render import ReportError, render_bytes

        with tempfile.TemporaryDirectory(prefix="rcm-report-") as tmp:
            path = Path(tmp) / f"{stem}.yaml"
            path.write_text(scenario_yaml, encoding="utf-8")
            try:
                data, _, _ = render_bytes(path, TEMPLATE, ("pdf",), kernel=self._kernel,
                                          progress=self._tell)
            except ReportError as exc:
                raise RcmInputError.at(None, "", f"the report could not be written: {exc}") \
                    from None
        return f"{output_stem(path, TEMPLATE)}.pdf", data["pdf"]
