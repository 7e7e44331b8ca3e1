"""Measuring a scenario's claims: the explicit step after loading it.

:func:`rcmmodel.load_scenario` reads and validates a file and opens nothing else but a
``vendors_file``. Where the practice lists ``claims_files``, :func:`measure_claims` reads
them and returns the scenario with the baseline KPIs the file does not state measured from
them (docs/methodology.md section 7), together with the claims review every surface shows
(``rcm kpi``, the claims-review report, the proposal's evidence, the Excel KPI sheet).
The CLI commands, the reports, batches and the app call it right after loading, so all of
them show the same figures.

Claims files are read once per process while they are unchanged: the reading is cached on
each file's path, modification time and size.

>>> from rcmmodel import load_scenario, scenario_with_claims
>>> s = scenario_with_claims(load_scenario("scenarios/family-practice-claims.yaml"))  # doctest: +SKIP
>>> s.measured_kpis                                                                   # doctest: +SKIP
['clean_claim_rate', 'days_in_ar', 'denial_rate', 'net_collection_rate']
"""
from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from ..scenario.schema import Scenario

#: Distinct sets of claims files kept read (a batch or the app reuses a handful).
CACHE_SIZE = 8


class _Read:
    """One set of claims files, read: the data, and the review once it is asked for."""

    def __init__(self, data):
        from ..claims.review import baseline_kpis

        self.data = data
        self.baseline = baseline_kpis(data)
        self._review: dict | None = None
        self._lock = threading.Lock()

    def review(self) -> dict:
        with self._lock:
            if self._review is None:
                from ..claims.review import summarize
                self._review = summarize(self.data)
            return self._review


_CACHE: OrderedDict[tuple, _Read] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def claims_paths(scenario: Scenario) -> list[Path]:
    """The scenario's ``claims_files``, relative ones taken from its folder."""
    return [scenario.base_dir / p for p in scenario.practice.claims_files]


def _key(paths: list[Path]) -> tuple | None:
    """Each file's resolved path, modification time and size; None when one cannot be
    looked at (reading it then raises the error that names it)."""
    try:
        return tuple((str(p.resolve()), st.st_mtime_ns, st.st_size)
                     for p, st in ((p, p.stat()) for p in paths))
    except OSError:
        return None


def _read(paths: list[Path]) -> _Read:
    from ..claims.review import read_claims

    key = _key(paths)
    with _CACHE_LOCK:
        hit = _CACHE.get(key) if key is not None else None
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    found = _Read(read_claims(paths))
    if key is not None and _key(paths) == key:      # unchanged while it was read
        with _CACHE_LOCK:
            _CACHE[key] = found
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return found


def clear_cache() -> None:
    """Forget every claims file read (tests; a long-running app after a disk change is
    already covered by the modification times)."""
    with _CACHE_LOCK:
        _CACHE.clear()


@dataclass(frozen=True)
class MeasuredClaims:
    """A scenario with its claims measured (:func:`measure_claims`).

    Attributes
    ----------
    scenario : Scenario
        The scenario, its baseline KPIs not stated in the file filled from the claims
        (``scenario.measured_kpis`` names them). Unchanged without claims files.
    """

    scenario: Scenario
    _read: _Read | None = field(default=None, repr=False, compare=False)

    @property
    def has_claims(self) -> bool:
        return self._read is not None

    @property
    def measured_kpis(self) -> list[str]:
        return self.scenario.measured_kpis

    @property
    def review(self) -> dict | None:
        """The claims review (:func:`rcmmodel.claims.summarize`, what ``rcm kpi --json``
        prints) as of the latest date in the data; None without claims files. A fresh
        copy each time: a caller may change it."""
        return None if self._read is None else copy.deepcopy(self._read.review())

    def review_as_of(self, as_of=None, *, fee_schedule=None) -> dict | None:
        """The claims review as of another date, or with a fee schedule (underpayments),
        from the same files read once."""
        if self._read is None:
            return None
        if as_of is None and fee_schedule is None:
            return self.review
        from ..claims.review import summarize
        return summarize(self._read.data, as_of, fee_schedule=fee_schedule)


def measure_claims(scenario: Scenario, fee_schedule=None) -> MeasuredClaims:
    """Read the scenario's ``practice.claims_files`` and measure its baseline from them.

    The KPIs the file states win; those it leaves out (days in A/R, clean claim rate, net
    collection rate, denial rate) are measured as of the latest date in the data, by the
    same definitions as ``rcm kpi`` (docs/methodology.md section 7), unless the files hold
    fewer than 30 adjudicated claims (then nothing is filled). What the claims show a vendor
    could win back (:class:`~rcmmodel.model.planning.ClaimsEvidence`) rides on the scenario
    as ``scenario.claims_evidence``: the planning uplift reads it.

    Raises
    ------
    RcmInputError
        A claims file that cannot be read, naming the file and the place.
    """
    if not scenario.practice.claims_files:
        return MeasuredClaims(scenario)
    from .planning import claims_evidence

    read = _read(claims_paths(scenario))
    # a fee schedule adds the underpayments to what a vendor could win back each year
    review = read.review() if fee_schedule is None else \
        summarize_with(read.data, fee_schedule)
    ev = claims_evidence(review)
    # too few adjudicated claims: the KPIs are shown (the review) but fill no baseline
    baseline = {} if ev.too_few_claims else read.baseline
    return MeasuredClaims(scenario.with_measured_kpis(baseline, ev), read)


def summarize_with(data, fee_schedule) -> dict:
    """The claims review of ``data`` with a fee schedule (its underpayments)."""
    from ..claims.review import summarize
    return summarize(data, None, fee_schedule=fee_schedule)


def scenario_with_claims(scenario: Scenario, fee_schedule=None) -> Scenario:
    """:func:`measure_claims`'s scenario: the baseline KPIs the file leaves out, measured
    (and, with a ``fee_schedule``, the underpayments counted in what the claims show)."""
    return measure_claims(scenario, fee_schedule).scenario


__all__ = ["MeasuredClaims", "claims_paths", "clear_cache", "measure_claims",
           "scenario_with_claims", "summarize_with"]
