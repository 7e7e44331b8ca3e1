"""Render a report: run a papermill template for one scenario, convert it to HTML and PDF.

The template runs on a kernel of *this* Python environment (``sys.executable``), never on
whatever kernel happens to be registered globally under some name, so a report renders the
same in a venv, in CI and on a Dask worker. The notebook is converted without its code
(:mod:`.convert`): its body exported once, wrapped in a page with inline CSS, so the HTML
carries no CDN script or stylesheet and works offline; the PDF is WeasyPrint over that same
body (no browser is downloaded).

papermill injects the parameters; nbclient runs the cells (:mod:`.warm`), on a kernel
started for the report or on a batch worker's warm kernel, kept between reports. While the
kernel starts, this process gets the conversion ready (:func:`.convert.prepare`); the
PDF step reuses WeasyPrint's font setup and parsed stylesheet within a process (:mod:`.pdf`).

Every output is written to a temporary file first and renamed into place only after all
requested formats rendered, so a failure leaves no partial report behind.

>>> paths = render_report("scenarios/guide-example.yaml", "reports")  # doctest: +SKIP
>>> paths.files["html"]                                                  # doctest: +SKIP
PosixPath('reports/guide-example-decision.html')
"""
from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RcmInputError
from .style import CSS  # noqa: F401  (the pages' stylesheet; re-exported)
from .outputs import (audit_vendor, is_audit, is_proposal, offer_vendor,  # noqa: F401
                      output_stem, slug)                                 # (re-exported)
from ..paths import templates_dir
from ..model.measure import scenario_with_claims
from ..scenario import load_scenario
from .convert import (FIGURES_MIME, html_body, page_html, prepare,  # noqa: F401
                      recorded_figures, to_html, to_pdf)              # (re-exported)

TEMPLATES = ("decision", "proposal", "claims-review", "audit")
_HERE = Path(__file__).resolve().parent   # a kernelspec's resource folder: any real folder will do
FORMATS = ("html", "pdf", "ipynb")
DEFAULT_FORMATS = ("html", "pdf")
KERNEL_NAME = "rcmmodel-here"



class ReportError(Exception):
    """A template failed while running for a scenario (exit code 1 in the CLI)."""


@dataclass
class Rendered:
    """What :func:`render_report` wrote: format -> path, and the figures the template recorded."""

    scenario: str
    name: str
    files: dict[str, Path] = field(default_factory=dict)
    figures: dict | None = None


# --------------------------------------------------------------------------------------
# A kernel of the current environment
# --------------------------------------------------------------------------------------

def _kernel_argv() -> list[str]:
    from .warm import PRELUDE

    # -Xfrozen_modules=off quiets the debugger warning Python 3.11 prints on stderr;
    # no history database: many kernels at once would contend for one SQLite file. The
    # kernel imports the report libraries as it starts, before it says it is ready, while
    # the process that started it gets on with its own work.
    return [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
            "-f", "{connection_file}", "--HistoryManager.enabled=False",
            "--IPKernelApp.log_level=CRITICAL", f"--IPKernelApp.exec_lines={PRELUDE}"]


def kernel_manager_class():
    """An AsyncKernelManager whose only kernelspec is ``sys.executable`` (built lazily:
    jupyter_client is heavy and the CLI must stay fast for the other commands)."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
    from jupyter_client.manager import AsyncKernelManager

    class HereSpecManager(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name != KERNEL_NAME:
                raise NoSuchKernel(kernel_name)
            return KernelSpec(argv=_kernel_argv(), display_name="Python (rcmmodel)",
                              language="python", resource_dir=str(_HERE),
                              env={"PYDEVD_DISABLE_FILE_VALIDATION": "1"})

        def find_kernel_specs(self):
            return {KERNEL_NAME: str(_HERE)}

    class HereKernelManager(AsyncKernelManager):
        def _kernel_spec_manager_default(self):
            return HereSpecManager(data_dir=tempfile.gettempdir())

    return HereKernelManager


# --------------------------------------------------------------------------------------
# Templates and options
# --------------------------------------------------------------------------------------

def template_path(template: str) -> Path:
    """The notebook of a named template, or ``template`` itself if it is a .ipynb path."""
    if template.endswith(".ipynb"):
        path = Path(template)
    elif template in TEMPLATES:
        path = templates_dir() / f"{template}.ipynb"
    else:
        raise RcmInputError.at(None, "--template", f"unknown template {template!r}; "
                               f"choose one of {', '.join(TEMPLATES)} or give a .ipynb path")
    if not path.is_file():
        raise RcmInputError.at(str(path), "--template", "template notebook not found")
    return path


def parse_formats(formats) -> tuple[str, ...]:
    """``"html,pdf"`` or a sequence -> a tuple of known formats, in the order given."""
    if isinstance(formats, str):
        formats = [f.strip().lower() for f in formats.split(",") if f.strip()]
    formats = tuple(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise RcmInputError.at(None, "--format", f"unknown format {', '.join(bad) or '(none)'}; "
                               f"use a comma-separated list of {', '.join(FORMATS)}")
    return formats


# --------------------------------------------------------------------------------------
# Running and converting
# --------------------------------------------------------------------------------------

def _cell_label(template: Path, source: str) -> str:
    """'cell 7 (section "Vendor comparison")': the failing cell, found in the template by its
    source (papermill's own index counts the cells it inserted)."""
    import nbformat

    cells = nbformat.read(str(template), as_version=4).cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and cell.source == source:
            break
    else:
        return "a cell"
    heading = None
    for prev in reversed(cells[:i]):
        match = re.search(r"^#+\s*(.+)$", prev.source, re.M) if prev.cell_type == "markdown" else None
        if match:
            heading = match.group(1).strip()
            break
    return f'cell {i + 1} (section "{heading}")' if heading else f"cell {i + 1}"


def execute(scenario_path, template: str = "decision", parameters: dict | None = None,
            timeout: int = 600, kernel=None, meanwhile=None, measured=None):
    """Run a template for a scenario; return the executed notebook.

    ``kernel`` is a :class:`~rcmmodel.reports.warm.WarmKernel` to run on (a batch worker's,
    kept between reports, or a cold report's, which its caller closes); without one, a
    kernel is started for this report and shut down. ``meanwhile``, if given, is called
    while a kernel starts (see :meth:`~rcmmodel.reports.warm.WarmKernel.run`).
    ``measured`` is the scenario file already loaded and measured, if the caller has it
    (it is not read again).

    Raises
    ------
    RcmInputError
        When the scenario is invalid (checked before any kernel starts).
    ReportError
        When a cell fails, naming the scenario, the cell and the error.
    """
    from .warm import CellFailed, KernelDied, WarmKernel

    scenario = measured if measured is not None else scenario_with_claims(
        load_scenario(scenario_path))  # its claims files too
    if is_audit(template):              # the audit: block's vendor and files are there
        audit_vendor(scenario, (parameters or {}).get("vendor"))
    path = template_path(template)
    params = {"scenario_path": str(Path(scenario_path).resolve())}
    params.update(parameters or {})
    try:
        if kernel is not None:
            return kernel.run(path, params, meanwhile=meanwhile)
        with WarmKernel(timeout=timeout) as cold:
            return cold.run(path, params, meanwhile=meanwhile)
    except CellFailed as exc:
        where = _cell_label(path, exc.source)
        raise ReportError(f"{scenario_path}: the {Path(template).stem} template failed in "
                          f"{where}: {exc.ename}: {exc.evalue}") from None
    except KernelDied as exc:
        raise ReportError(f"{scenario_path}: {exc}") from None


def render_bytes(scenario_path, template: str = "decision", formats=DEFAULT_FORMATS,
                 parameters: dict | None = None, kernel=None, brand=None, progress=None,
                 measured=None) -> tuple[dict[str, bytes], dict | None, str]:
    """Run and convert a report in memory: (format -> bytes, recorded figures, title).

    Used by :func:`render_report` and by batch workers, which may run on another machine
    and send the bytes back; ``kernel`` is a worker's warm kernel (see :func:`execute`).
    ``progress``, if given, is called with ``"figures"`` before the template runs and with
    each format before it is made (the app says what it is doing). ``measured``: the
    scenario already loaded and measured, if the caller has it.

    Without a warm kernel, one is started for this report (while it starts, this process
    gets the conversion ready) and killed as soon as the template has run: it dies while
    the notebook is converted, and is reaped before this returns or raises.
    """
    from .warm import WarmKernel

    formats = parse_formats(formats)
    scenario = measured if measured is not None else scenario_with_claims(
        load_scenario(scenario_path))
    tell = progress or (lambda stage: None)
    cold = WarmKernel() if kernel is None else None
    try:
        tell("figures")
        nb = execute(scenario_path, template, parameters, kernel=kernel or cold,
                     meanwhile=lambda: prepare(formats), measured=scenario)
        if cold is not None:
            cold.dismiss()          # its work is done: no waiting for it to go
        out = _convert(nb, formats, scenario.name, template, brand, tell)
    finally:
        if cold is not None:
            cold.close()
    return out, recorded_figures(nb), scenario.name


def _convert(nb, formats, name: str, template: str, brand, tell) -> dict[str, bytes]:
    """An executed notebook in each of ``formats``: format -> bytes."""
    title = f"{name}: {Path(template).stem.replace('-', ' ')} report"
    out: dict[str, bytes] = {}
    body = None                     # exported once, for the HTML file and the PDF alike
    for fmt in formats:
        tell(fmt)
        if fmt in ("html", "pdf") and body is None:
            body = html_body(nb)
        if fmt == "html":
            out[fmt] = page_html(body, title, brand=brand).encode("utf-8")
        elif fmt == "pdf":
            out[fmt] = to_pdf(page_html(body, title, inline_css=False, brand=brand))
        else:
            import nbformat   # here, not before the kernel starts: it costs ~0.15 s to import

            out[fmt] = nbformat.writes(nb).encode("utf-8")
    return out


def write_outputs(data: dict[str, bytes], out_dir, stem: str) -> dict[str, Path]:
    """Write every format into a staging folder, then move the set into place
    (:func:`rcmmodel._files.write_set`): all of a report's formats appear, or none."""
    from .._files import write_set

    written = write_set(out_dir, {f"{stem}.{fmt}": payload for fmt, payload in data.items()})
    return {Path(name).suffix[1:]: path for name, path in written.items()}


def render_report(scenario_path, out_dir="reports", template: str = "decision",
                  formats=DEFAULT_FORMATS, parameters: dict | None = None,
                  brand=None, measured=None) -> Rendered:
    """Render one report for one scenario into ``out_dir``.

    Parameters
    ----------
    scenario_path : str or Path
        The scenario YAML file.
    out_dir : str or Path
        Folder for the outputs, created if missing.
    template : str
        ``decision``, ``proposal``, ``claims-review``, ``audit``, or the path of a template
        notebook.
    formats : str or sequence
        Any of ``html``, ``pdf``, ``ipynb`` (``"html,pdf"`` works too).
    parameters : dict, optional
        Extra template parameters (e.g. ``{"vendor": "Acme RCM"}`` for the proposal or the
        audit; the name is matched ignoring case).
    brand : Brand, optional
        Who prepared the report (:func:`rcmmodel.reports.brand.load_brand`).
    measured : Scenario, optional
        The scenario file already loaded and measured
        (:func:`rcmmodel.model.measure.scenario_with_claims`), if the caller has it: it is
        not read again.

    Returns
    -------
    Rendered
        The files written (``<scenario stem>-<template>.<format>``, a proposal
        ``<scenario stem>-proposal-<vendor slug>.<format>``) and the recorded figures.

    Raises
    ------
    RcmInputError
        Invalid scenario, template or format (nothing runs).
    ReportError
        A template cell failed; no file is written.
    """
    template_path(template)
    formats = parse_formats(formats)
    parameters = dict(parameters or {})
    scenario = measured if measured is not None else scenario_with_claims(
        load_scenario(scenario_path))
    vendor = None
    if is_proposal(template):
        vendor = parameters["vendor"] = offer_vendor(scenario, parameters.get("vendor"))
    elif is_audit(template):
        name = audit_vendor(scenario, parameters.get("vendor"))
        if parameters.get("vendor"):
            vendor = parameters["vendor"] = name
    elif parameters.get("vendor"):
        raise RcmInputError.at(None, "--vendor", "applies to the proposal and audit templates "
                                                 "only (--template proposal or audit)")
    data, figures, name = render_bytes(scenario_path, template, formats, parameters,
                                       brand=brand, measured=scenario)
    files = write_outputs(data, out_dir, output_stem(scenario_path, template, vendor))
    return Rendered(scenario=str(scenario_path), name=name, files=files, figures=figures)
