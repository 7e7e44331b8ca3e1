"""Claims data: ledgers, X12 835 remittances and 837P claims, and the KPIs measured from them."""
_WHERE = {
    'load_claims': 'load',
    'read_claims': 'load',
    'ClaimsData': 'history',
    'evidence': 'evidence',
    'evidence_for': 'evidence',
    'judge_quote': 'evidence',
    'judge_quotes': 'evidence',
    'summarize': 'review',
    'claims_review': 'review',
    'baseline_kpis': 'review',
    'sniff': 'load',
    'parse_as_of': 'load',
    'read_ledger': 'ledger',
    'read_835': 'remittance',
    'read_remittances': 'remittance',
    'read_fee_schedule': 'fees',
    'read_837': 'claims837',
    'kpis': 'kpi',
    'TARGETS': 'targets',
    'KPIS': 'targets',
    'BASELINE_KPIS': 'targets',
    'grade': 'targets',
}
__all__ = sorted(_WHERE)

from .._lazy import lazy_exports  # noqa: E402

__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
