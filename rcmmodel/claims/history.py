"""Claims as they stood on a date: the remittance history collapsed to one row a claim.

A claim can be remitted more than once: denied in one 835, paid in a later one (an
overturn); a ledger row or an 837 can say it was sent and nothing else. :class:`ClaimsData`
keeps every such row (``history``: ledger columns, one row an adjudication or a
submission) with the service lines of each. :meth:`ClaimsData.at` gives the ledger as of
a date (``--as-of``, docs/methodology.md §10): claims with a service date after it are left
out; payments dated after it have not happened (a claim with none before it is open); each
claim (claim id and payer) is its latest remittance by then. Remittances of the same payment
date are separate claims, even under one claim id. Its denial is the one of its *first*
adjudication (the initial denial rate of HFMA's MAP keys), and a denied claim paid in a
later remittance is ``overturned``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .kpi import as_of_view, default_as_of
from .ledger import make_ledger

_LINE_COLUMNS = ("claim", "line", "qualifier", "procedure_code", "modifiers", "units",
                 "charge", "paid", "allowed", "contractual", "other",
                 "patient_responsibility", "denied", "service_date")


@dataclass
class ClaimsData:
    """Everything read from a practice's claims files.

    ``history`` has the ledger columns; ``lines``, ``adjustments`` and ``remarks`` point
    at its rows through their ``claim`` column (see
    :class:`rcmmodel.claims.remittance.Remittances`). ``has_lines`` is true where 835s gave
    real service lines (else each claim is one line).
    """

    history: pd.DataFrame
    line_table: pd.DataFrame | None            # None: one line a claim, built when asked
    adjustments: pd.DataFrame
    remarks: pd.DataFrame
    has_lines: bool = False
    #: True where remittances may hold a claim more than once (835s, 837s): a bare ledger
    #: is one row a claim, and skips the search for repeats.
    repeats: bool = False
    sources: dict = field(default_factory=dict)
    provider_adjustments: list = field(default_factory=list)
    reversals: int = 0
    unmatched_reversals: int = 0

    @property
    def lines(self) -> pd.DataFrame:
        """The service-line table (``claim`` = history row)."""
        if self.line_table is None:
            self.line_table = ledger_lines(self.history)
        elif "denied_dollars" not in self.line_table:
            t = self.line_table
            t["denied_dollars"] = np.where(t["denied"].to_numpy(dtype=bool),
                                           t["charge"].to_numpy(), 0.0)
        return self.line_table

    @classmethod
    def from_ledger(cls, ledger: pd.DataFrame, **meta) -> "ClaimsData":
        """A ledger alone: each claim one line carrying its amounts (built only when a
        figure needs it: the ledger's own columns give the denial figures)."""
        if not isinstance(ledger.index, pd.RangeIndex) or ledger.index.start != 0:
            ledger = ledger.reset_index(drop=True)
        return cls(ledger, None, empty_adjustments(), empty_remarks(), **meta)

    def at(self, as_of=None) -> "Snapshot":
        """The claims as they stood on ``as_of`` (default: the latest date in the data)."""
        as_of = default_as_of(self.history) if as_of is None else pd.Timestamp(as_of)
        return Snapshot(self, as_of)


class Snapshot:
    """:class:`ClaimsData` as of one date.

    Attributes
    ----------
    ledger : pandas.DataFrame
        One row a claim, as of the date; extra columns ``row`` (the history row it
        shows), ``first_row`` (the first adjudication's row, -1 if none yet) and
        ``overturned``. ``denied_charge`` is the first adjudication's denied dollars.
    lines : pandas.DataFrame
        Service lines of the claims' current rows, ``pos`` = the claim's ledger row.
    first_lines : pandas.DataFrame
        Service lines of each claim's first adjudication (what the denial figures use).
    """

    def __init__(self, data: ClaimsData, as_of):
        self.data, self.as_of = data, as_of
        h = data.history
        service = h["service_date"].to_numpy()
        keep = np.ones(len(h), dtype=bool) if as_of is None else ~(service > np.datetime64(
            as_of))
        rows = np.flatnonzero(keep)
        paid = h["paid_date"].to_numpy()[rows]
        happened = h["status"].to_numpy(dtype=object)[rows] != "open"
        if as_of is not None:
            happened &= np.isnat(paid) | (paid <= np.datetime64(as_of))
        ids, uniq = pd.factorize(h["claim_id"].to_numpy(dtype=object)[rows]) \
            if data.repeats else (rows, rows)
        if len(uniq) == len(ids):                       # one row a claim: the usual case
            chosen, first = rows, np.where(happened, rows, -1)
        else:
            # a claim is its id and payer: a secondary payer's remittance is its own claim
            payer, _ = pd.factorize(h["payer"].to_numpy(dtype=object)[rows],
                                    use_na_sentinel=False)
            codes, _ = pd.factorize(ids.astype(np.int64) * (int(payer.max()) + 1) + payer)
            # Remittances of one payment date are separate claims even under one id (a
            # placeholder account number, two claims in one run); the same claim decided
            # again is a remittance of a later date: the n-th on each date pair up.
            day = np.where(np.isnat(paid), np.iinfo(np.int64).min, paid.astype("int64"))
            nth = pd.DataFrame({"c": codes, "d": day}).groupby(["c", "d"]).cumcount()
            nth = nth.to_numpy()
            codes, _ = pd.factorize(codes.astype(np.int64) * (int(nth.max()) + 1) + nth)
            chosen, first = _collapse(codes, rows, paid, happened)
        # every row, in order (the usual case): a shallow copy, not a million-row take
        whole = len(chosen) == len(h) and bool((chosen == np.arange(len(h))).all())
        ledger = as_of_view(h.copy(deep=False) if whole else
                            h.iloc[chosen].reset_index(drop=True), as_of)
        if ledger is h:
            ledger = h.copy(deep=False)
        first_status = np.where(first >= 0, h["status"].to_numpy(dtype=object)[
            np.maximum(first, 0)], "open")
        first_denied_charge = np.where(
            first >= 0, _denied_dollars(h).to_numpy()[np.maximum(first, 0)], 0.0)
        was_denied = (first_denied_charge > 0) | (first_status == "denied")
        now_paid = ledger["insurance_paid"].to_numpy() > 0
        ledger["denied_charge"] = np.where(was_denied, first_denied_charge,
                                           _denied_dollars(ledger).to_numpy())
        ledger["row"] = chosen
        ledger["first_row"] = first
        ledger["overturned"] = was_denied & now_paid & (first != chosen)
        self.ledger = ledger
        position = np.full(len(h), -1)
        position[chosen] = np.arange(len(chosen))
        self.position = position
        first_pos = np.full(len(h), -1)
        first_pos[first[first >= 0]] = np.flatnonzero(first >= 0)
        self._open_now = ledger["status"].to_numpy(dtype=object) == "open"
        self._first_pos = first_pos
        # first adjudication == current row for every adjudicated claim: one line table
        self._same = np.array_equal(first, np.where(self._open_now, -1, chosen))

    @cached_property
    def lines(self) -> pd.DataFrame:
        """Service lines of the claims' current rows (open claims left out)."""
        return self._lines(self.position, self._open_now)

    @cached_property
    def first_lines(self) -> pd.DataFrame:
        """Service lines of each claim's first adjudication."""
        if self._same:
            return self.lines
        return self._lines(self._first_pos, np.zeros(len(self.ledger), dtype=bool))

    def _lines(self, position, exclude):
        lines = self.data.lines
        pos = position[lines["claim"].to_numpy()]
        ok = pos >= 0
        ok[ok] &= ~exclude[pos[ok]]
        out = lines.copy(deep=False) if ok.all() else lines[ok].reset_index(drop=True)
        out["pos"] = pos[ok]
        out["lid"] = np.flatnonzero(ok)
        return out

    def claim_rows(self, table: pd.DataFrame, first: bool = True) -> pd.DataFrame:
        """Rows of ``adjustments`` or ``remarks`` for the first (or current) adjudication
        of each claim, with ``pos`` = the claim's ledger row."""
        rows = self.ledger["first_row" if first else "row"].to_numpy()
        position = np.full(len(self.data.history), -1)
        position[rows[rows >= 0]] = np.flatnonzero(rows >= 0)
        pos = position[table["claim"].to_numpy()] if len(table) else np.zeros(0, int)
        out = table[pos >= 0].copy()
        out["pos"] = pos[pos >= 0]
        return out.reset_index(drop=True)


def _denied_dollars(ledger) -> pd.Series:
    """A claim's denied dollars: its charge when denied whole, else its denied lines'."""
    charge = ledger["charge"].to_numpy()
    denied = np.nan_to_num(ledger["denied_charge"].to_numpy())
    return pd.Series(np.where(ledger["status"].to_numpy(dtype=object) == "denied", charge,
                              denied), index=ledger.index)


def _collapse(codes, rows, paid, happened):
    """Per claim key: the latest happened row (else its first row), and the first
    happened row (else -1). Order: paid date (none first), then file order."""
    order = np.lexsort((np.arange(len(rows)), np.where(np.isnat(paid), np.iinfo(np.int64).min,
                                                       paid.astype("int64")), codes))
    frame = pd.DataFrame({"code": codes[order], "row": rows[order], "ok": happened[order]})
    seen = frame[frame["ok"]]
    latest = seen.groupby("code")["row"].last()
    earliest = seen.groupby("code")["row"].first()
    firsts = frame.groupby("code", sort=True)["row"].first()
    chosen = latest.reindex(firsts.index).fillna(firsts).astype(int)
    first = earliest.reindex(firsts.index).fillna(-1).astype(int)
    # keep the file order of each claim's first appearance
    order = np.argsort(firsts.to_numpy(), kind="stable")
    return chosen.to_numpy()[order], first.to_numpy()[order]


def ledger_lines(ledger: pd.DataFrame) -> pd.DataFrame:
    """One line a claim for a ledger: its charge, payment and (where given) allowed;
    denied when the claim was denied, or had denied lines (``denied_charge``).

    Only the columns the denial, payer and fee figures read: a million-claim ledger
    must not carry a second million-row table of blanks.
    """
    n = len(ledger)
    dollars = _denied_dollars(ledger).to_numpy()
    denied = (ledger["status"].to_numpy(dtype=object) == "denied") | (dollars > 0)
    blank = np.full(n, "", dtype=object)
    return pd.DataFrame({
        "claim": np.arange(n), "line": np.ones(n, dtype=np.int64),
        "procedure_code": blank, "modifiers": blank, "units": np.ones(n),
        "charge": ledger["charge"].to_numpy(), "paid": ledger["insurance_paid"].to_numpy(),
        "allowed": ledger["allowed"].to_numpy(), "denied": denied,
        "denied_dollars": np.where(denied, dollars, 0.0)}, copy=False)


def empty_adjustments() -> pd.DataFrame:
    return pd.DataFrame({"claim": np.zeros(0, int), "line": np.zeros(0, int),
                         "group": np.zeros(0, object), "code": np.zeros(0, object),
                         "amount": np.zeros(0)})


def empty_remarks() -> pd.DataFrame:
    return pd.DataFrame({"claim": np.zeros(0, int), "line": np.zeros(0, int),
                         "code": np.zeros(0, object)})


def empty_lines() -> pd.DataFrame:
    return ledger_lines(make_ledger({}))
