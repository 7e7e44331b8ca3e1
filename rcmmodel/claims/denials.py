"""Denials (docs/methodology.md §7): by claim and by line, by reason and category,
appealable or not, and the practice's own overturn rate.

Counted over each claim's first adjudication as of the date (the initial denial rate): a
claim denied in one 835 and paid in a later one stays a denial, and is an overturn. A
denied line's reasons are the CAS adjustments (groups CO, OA, PI; not CARC 23) on that
line, or on the claim when the whole claim was denied or it has no service lines.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import codes
from .kpi import denied_dollars, ratio

_DENIAL_GROUPS = ("CO", "OA", "PI")


def _scalar(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def denied_lines(snap) -> pd.DataFrame:
    """The first adjudication's denied lines of adjudicated claims (``pos`` = ledger row,
    ``lid`` = row of the data's line table, ``charge``, ``overturned``)."""
    lines = snap.first_lines
    out = lines[lines["denied"].to_numpy(dtype=bool)]
    return out.assign(overturned=snap.ledger["overturned"].to_numpy()[out["pos"].to_numpy()])


def reasons(snap) -> pd.DataFrame:
    """One row per denied line and reason: ``pos``, ``lid``, ``group``, ``code``,
    ``amount``, ``overturned``, ``appealable``, ``action``, ``category``."""
    lines = denied_lines(snap)
    ledger = snap.ledger
    adj = snap.claim_rows(snap.data.adjustments, first=True)
    adj = adj[adj["group"].isin(_DENIAL_GROUPS).to_numpy() & (adj["code"] != "23").to_numpy()]
    line_level = adj[adj["line"].isin(lines["lid"])]
    rows = [line_level.merge(lines[["lid", "overturned"]], left_on="line", right_on="lid")
            [["pos", "lid", "group", "code", "amount", "overturned"]]]
    # Claim-level reasons: the whole claim denied, or a claim that is its one line.
    claim_level = adj[adj["line"] < 0]
    whole = lines[~lines["lid"].isin(line_level["line"])]
    if len(claim_level) and len(whole):
        per_line = whole[["pos", "lid", "overturned"]].merge(
            claim_level[["pos", "group", "code", "amount"]], on="pos")
        # a claim-level amount is shared by the claim's denied lines, not repeated
        share = per_line.groupby(["pos", "group", "code"])["lid"].transform("count")
        per_line["amount"] = per_line["amount"] / share
        rows.append(per_line[["pos", "lid", "group", "code", "amount", "overturned"]])
    out = pd.concat(rows, ignore_index=True)
    covered = set(out["lid"])
    bare = lines[~lines["lid"].isin(covered)]
    if len(bare):
        reason = ledger.get("denial_reason")
        text = (reason.to_numpy(dtype=object)[bare["pos"].to_numpy()] if reason is not None
                else np.full(len(bare), None, dtype=object))
        group, code = _split_codes(text)
        out = pd.concat([out, pd.DataFrame({
            "pos": bare["pos"].to_numpy(), "lid": bare["lid"].to_numpy(),
            "group": group, "code": code,
            "amount": bare["denied_dollars"].to_numpy(),
            "overturned": bare["overturned"].to_numpy()})], ignore_index=True)
    resubmit = out["lid"].isin(_resubmit_lines(snap)).to_numpy()
    # Codes repeat: look each distinct one up once.
    uniq = pd.unique(out["code"])
    category = {c: codes.category(c) for c in uniq}
    act = {c: codes.action(c) for c in uniq}
    out["category"] = out["code"].map(category)
    out["action"] = np.where(resubmit, codes.RESUBMIT, out["code"].map(act).to_numpy())
    out["appealable"] = out["action"].to_numpy() == codes.APPEAL
    return out


def _split_codes(text) -> tuple[np.ndarray, np.ndarray]:
    """:func:`codes.split_code` of each reason text (None for none), each distinct text
    split once: (groups, codes)."""
    at, uniq = pd.factorize(pd.Series(text, dtype=object))       # no reason: -1
    split = [codes.split_code(u) for u in uniq] + [codes.split_code(None)]
    return (np.array([g for g, _ in split], dtype=object)[at],
            np.array([c for _, c in split], dtype=object)[at])


def _ledger_reasons(ledger, denied, dollars) -> pd.DataFrame:
    """:func:`reasons` for a bare ledger: each denied claim, its ``denial_reason``."""
    pos = np.flatnonzero(denied)
    text = ledger["denial_reason"].to_numpy(dtype=object)[pos] if "denial_reason" in ledger \
        else np.full(len(pos), None, dtype=object)
    group, code = _split_codes(text)
    out = pd.DataFrame({"pos": pos, "lid": pos, "group": group, "code": code,
                        "amount": dollars[pos],
                        "overturned": ledger["overturned"].to_numpy(dtype=bool)[pos]})
    uniq = pd.unique(out["code"])
    out["category"] = out["code"].map({c: codes.category(c) for c in uniq})
    out["action"] = out["code"].map({c: codes.action(c) for c in uniq})
    out["appealable"] = out["action"].to_numpy() == codes.APPEAL
    return out


def _resubmit_lines(snap) -> set:
    """Lines (``lid``) of the first adjudication whose RARCs, on the line or its claim,
    say correct and resubmit (no appeal rights)."""
    rem = snap.claim_rows(snap.data.remarks, first=True)
    if not len(rem):
        return set()
    flag = {c: codes.resubmit_only([c]) for c in pd.unique(rem["code"])}
    rem = rem[rem["code"].map(flag).to_numpy(dtype=bool)]
    lines = snap.first_lines[["pos", "lid"]]
    claim_level = rem[rem["line"] < 0].merge(lines, on="pos")["lid"]
    return set(claim_level) | set(rem.loc[rem["line"] >= 0, "line"])


def summary(snap) -> dict:
    """The ``denials`` block of ``rcm kpi --json`` (docs/architecture.md), with categories,
    actions and overturns."""
    ledger = snap.ledger
    status = ledger["status"].to_numpy(dtype=object)
    adjudicated = status != "open"
    dollars = denied_dollars(ledger) * adjudicated
    denied = adjudicated & ((status == "denied") | (dollars > 0))
    overturned = denied & ledger["overturned"].to_numpy(dtype=bool)
    charge = float((ledger["charge"].to_numpy() * adjudicated).sum())
    if snap.data.has_lines:
        lines = snap.first_lines
        n_lines = int(len(lines))
        n_denied_lines = int(lines["denied"].sum()) if n_lines else 0
        line_dollars = float(lines["denied_dollars"].sum())
        why = reasons(snap)
    else:
        # A bare ledger: one line a claim, its reason the ledger's denial_reason.
        n_lines, n_denied_lines = int(adjudicated.sum()), int(denied.sum())
        line_dollars = float(dollars[denied].sum())
        why = _ledger_reasons(ledger, denied, dollars)
    n_denied = int(denied.sum())
    return {
        "claims": {"denied": n_denied, "adjudicated": int(adjudicated.sum()),
                   "rate": ratio(n_denied, int(adjudicated.sum())),
                   "dollars": float(dollars.sum()),
                   "dollar_rate": ratio(float(dollars.sum()), charge),
                   "overturned": int(overturned.sum()),
                   "overturned_dollars": float(dollars[overturned].sum()),
                   "overturn_rate": ratio(int(overturned.sum()), n_denied),
                   "open_dollars": float(dollars[denied & ~overturned].sum())},
        "lines": {"denied": n_denied_lines, "total": n_lines,
                  "rate": ratio(n_denied_lines, n_lines),
                  "dollars": float(line_dollars)},
        "by_reason": by_reason(why),
        "by_category": by_category(why),
        "by_action": by_action(why),
        "open_by_action": by_action(why[~why["overturned"].to_numpy(dtype=bool)]
                                    if len(why) else why),
    }


def by_reason(why: pd.DataFrame) -> list[dict]:
    """Denied lines and dollars by CARC group and code (and whether appealable)."""
    if not len(why):
        return []
    grouped = why.groupby(["group", "code", "appealable"], sort=False).agg(
        lines=("lid", "nunique"), dollars=("amount", "sum"),
        overturned=("overturned", "sum"), category=("category", "first"),
        action=("action", "first")).reset_index()
    grouped = grouped.sort_values(["dollars", "lines"], ascending=False, ignore_index=True)
    return [{"group": r.group, "code": r.code, "description": codes.describe_carc(r.code),
             "lines": int(r.lines), "dollars": float(r.dollars),
             "category": r.category, "appealable": bool(r.appealable), "action": r.action,
             "overturned_lines": int(r.overturned)} for r in grouped.itertuples()]


def by_category(why: pd.DataFrame) -> list[dict]:
    """Denied lines and dollars by category, largest first (every category listed)."""
    total = float(why["amount"].sum()) if len(why) else 0.0
    grouped = why.groupby("category").agg(lines=("lid", "nunique"), dollars=("amount", "sum")) \
        if len(why) else pd.DataFrame(columns=["lines", "dollars"])
    out = [{"category": c, "lines": int(grouped["lines"].get(c, 0)),
            "dollars": float(grouped["dollars"].get(c, 0.0)),
            "share": ratio(float(grouped["dollars"].get(c, 0.0)), total)}
           for c in codes.CATEGORIES]
    return sorted(out, key=lambda r: -r["dollars"])


def by_action(why: pd.DataFrame) -> list[dict]:
    """Denied dollars by what to do: appeal, correct and resubmit, bill the right payer."""
    if not len(why):
        return []
    grouped = why.groupby("action").agg(lines=("lid", "nunique"), dollars=("amount", "sum"))
    return [{"action": a, "lines": int(r.lines), "dollars": float(r.dollars)}
            for a, r in grouped.sort_values("dollars", ascending=False).iterrows()]
