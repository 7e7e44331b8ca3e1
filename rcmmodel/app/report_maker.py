"""The app's PDF reports, made on a warm kernel and ahead of the click.

A report made from scratch starts a kernel, imports pandas, altair and the library, runs
the template and lays out the PDF: most of that is the kernel, its imports and the first
use of each library (the chart renderer, the PDF fonts). The app keeps one report kernel
of its own, as a batch worker does (:class:`~rcmmodel.reports.warm.WarmKernel`), for every
report it makes: the decision report ("Take it home") and the audit report ("Check your
vendor"). :meth:`ReportMaker.warm` starts it in the background: ``rcm app``'s page does so
while the page is being prepared, before she arrives (otherwise the Decision step does).
A report is begun for the figures on screen as soon as they are whole: a scenario opened,
the Decision step or "Take it home" opened, the audit's verdict shown. The click then
only waits for whatever of that work is left; figures changed since are rendered anew on
the same warm kernel.

A report is :func:`rcmmodel.reports.render.render_bytes` on the scenario file the app
saves, exactly what ``rcm report`` renders for it. All the work runs on one thread of its
own (the kernel's event loop is not thread-safe), one job at a time; for each template
only the newest figures count: a report of figures no longer on screen that has not begun
is dropped, not awaited.

The report kernel is this kernel's child; it is shut down when this kernel exits, and
exits by itself if this kernel is killed (the kernel watches its parent process).
"""
from __future__ import annotations

import atexit
import os
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from ..errors import RcmInputError

TEMPLATE = "decision"
#: What the maker is doing, in words (for the button while she waits).
STAGES = {"kernel": "Starting the report engine...",
          "figures": "Working out the figures and drawing the charts...",
          "pdf": "Laying out the PDF pages..."}
#: ``0`` in the environment: nothing ahead of a click (no kernel started in the background,
#: no report begun before it is asked for); for a machine short of memory, and the fast
#: tests, which open steps by the dozen and download nothing.
AHEAD_ENV = "RCMMODEL_REPORTS_AHEAD"


def ahead() -> bool:
    """Whether reports and the report kernel are begun ahead of the click."""
    return os.environ.get(AHEAD_ENV, "1").strip() != "0"


class Report(NamedTuple):
    """A report made: its file name, the PDF, and the figures the template recorded."""

    name: str
    pdf: bytes
    figures: dict | None


class ReportMaker:
    """PDF reports of saved scenarios (any template), made on one warm kernel.

    Parameters
    ----------
    kernel : WarmKernel, optional
        A kernel lent to it (a test session's) instead of one of its own: started if it is
        not, and left running by :meth:`close`.
    """

    def __init__(self, kernel=None):
        self._work = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rcm-report")
        self._kernel = None
        self._lent = kernel
        self._lock = threading.Lock()
        self._jobs: dict[str, tuple[tuple[str, str], Future]] = {}   # template -> newest
        self._listeners: dict[str | None, list] = {}
        atexit.register(self.close)

    def listen(self, listener, template: str | None = None) -> None:
        """Call ``listener(stage)`` (a :data:`STAGES` key) as the work on ``template``'s
        reports moves on (every template's with None); a starting kernel is told to all."""
        self._listeners.setdefault(template, []).append(listener)

    def _tell(self, stage: str, template: str | None = None) -> None:
        for key, listeners in list(self._listeners.items()):
            if template is None or key is None or key == template:
                for listener in list(listeners):
                    listener(stage)

    # ------------------------------------------------------------------ the kernel
    def warm(self) -> None:
        """Start the report kernel in the background (does nothing once started, nor with
        :data:`AHEAD_ENV` at 0)."""
        if ahead():
            self._kernel_started()

    def _kernel_started(self) -> None:
        with self._lock:
            if self._kernel is None:
                from ..reports.warm import WarmKernel

                self._kernel = self._lent if self._lent is not None else WarmKernel()
                self._work.submit(self._start)

    def _start(self) -> None:
        kernel = self._kernel
        if kernel is not None and kernel.km is None:
            from ..reports.render import prepare

            self._tell("kernel")
            kernel.start()
            # Set up once on this thread: nbconvert's exporter (its templates take a second
            # to load), WeasyPrint's fonts and the report stylesheet.
            prepare(("pdf",))

    def close(self) -> None:
        """Shut the report kernel down (idempotent)."""
        with self._lock:
            kernel, self._kernel = self._kernel, None
            jobs, self._jobs = self._jobs, {}
        for _key, future in jobs.values():
            future.cancel()
        self._work.shutdown(wait=True, cancel_futures=True)
        if kernel is not None and kernel is not self._lent:
            kernel.close()

    # ------------------------------------------------------------------ reports
    def ahead(self, scenario_yaml: str, stem: str, template: str = TEMPLATE) -> None:
        """Begin this report now, ahead of the click (see :func:`ahead`)."""
        if ahead():
            self.prepare(scenario_yaml, stem, template)

    def prepare(self, scenario_yaml: str, stem: str, template: str = TEMPLATE) -> Future:
        """The ``template`` report of this scenario, started now unless it is already under
        way (a report of another template is left alone).

        Returns a future of a :class:`Report`.
        """
        self._kernel_started()
        key = (scenario_yaml, stem)
        with self._lock:
            job = self._jobs.get(template)
            if job is not None and job[0] == key and not (
                    job[1].done() and job[1].exception() is not None):
                return job[1]
            if job is not None:
                job[1].cancel()          # figures no longer on screen: not needed
            future = self._work.submit(self._render, scenario_yaml, stem, template)
            self._jobs[template] = (key, future)
            return future

    def pdf(self, scenario_yaml: str, stem: str, template: str = TEMPLATE) -> Report:
        """The report (file name, PDF bytes, figures); waits for the work left."""
        return self.prepare(scenario_yaml, stem, template).result()

    def _render(self, scenario_yaml: str, stem: str, template: str) -> Report:
        from ..reports.outputs import output_stem
        from ..reports.render import ReportError, render_bytes

        with tempfile.TemporaryDirectory(prefix="rcm-report-") as tmp:
            path = Path(tmp) / f"{stem}.yaml"
            path.write_text(scenario_yaml, encoding="utf-8")
            try:
                data, figures, _ = render_bytes(path, template, ("pdf",), kernel=self._kernel,
                                                progress=lambda st: self._tell(st, template))
            except ReportError as exc:
                raise RcmInputError.at(None, "", f"the report could not be written: {exc}") \
                    from None
        return Report(f"{output_stem(path, template)}.pdf", data["pdf"], figures)
