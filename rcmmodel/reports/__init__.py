"""Delivering: report templates run by papermill to HTML/PDF, batches, and the Excel workbook."""
_WHERE = {
    'render_report': 'render',
    'ReportError': 'render',
    'template_path': 'render',
    'run_batch': 'batch',
    'export_workbook': 'excel',
    'build_workbook': 'excel',
    'workbook_bytes': 'excel',
    'Report': 'sections',
    'Proposal': 'proposal',
    'ClaimsReview': 'claims_review',
}
__all__ = sorted(_WHERE)


def __getattr__(name):  # exports load on first use, so importing a light module stays light
    if name in _WHERE:
        from importlib import import_module
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
