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

from .._lazy import lazy_exports  # noqa: E402

__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
