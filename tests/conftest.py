import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SAMPLES = ROOT / "tests" / "data" / "x12"   # copies of the shared samples (SOURCES.txt)
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def root():
    return ROOT


def guide_dict(**vendor):
    """The guide's worked example as a scenario mapping; ``vendor`` overrides the quote."""
    quote = {"name": "Acme", "pricing": {"model": "percentage", "rate": 0.07}, "uplift": 0.10}
    quote.update(vendor)
    return {"schema": "rcmmodel/v1", "name": "Guide",
            "practice": {"annual_collections": 500000, "claims_per_month": 400},
            "inhouse": {"annual_cost": 40000}, "vendors": [quote]}
