"""Judging quotes beyond price: SLA scorecard, due diligence, contract terms, and ranking."""
from .assess import VendorAssessment, assess, effective_rate
from .ranking import Comparison, compare, stability
from .decision import Decision, decide

__all__ = [
    'Comparison',
    'Decision',
    'VendorAssessment',
    'assess',
    'compare',
    'decide',
    'effective_rate',
    'stability',
]
