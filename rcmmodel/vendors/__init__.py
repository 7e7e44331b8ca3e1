"""Judging quotes beyond price: SLA scorecard, due diligence, contract terms, and ranking."""
from .assess import VendorAssessment, assess, effective_rate
from .ranking import Comparison, compare, stability

__all__ = [
    'Comparison',
    'VendorAssessment',
    'assess',
    'compare',
    'effective_rate',
    'stability',
]
