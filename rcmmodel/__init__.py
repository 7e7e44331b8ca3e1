"""rcmmodel: should a small medical practice outsource its billing, to whom, on what terms?"""
from .errors import Problem, RcmInputError

__version__ = "0.1.0"

__all__ = ["Problem", "RcmInputError", "__version__"]
