"""X12 835 remittances: the claims ledger and the service-line table
(the mapping of docs/methodology.md §10).

The file is read a few MB at a time into numpy tables (:mod:`rcmmodel.claims.segments`);
each segment type the ledger needs has its own handler, which takes the chunk's segments
of that type all at once and returns columns. Only CLP, SVC, CAS, DTM, AMT, LQ, MOA, N1,
BPR, PLB and the envelope are read; NM1 (patient names, member IDs) and every other
segment are passed over unread. :mod:`rcmmodel.claims.assemble` joins the columns into
claims and lines once a file is read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import RcmInputError
from .assemble import assemble_file
from .ledger import make_ledger
from .segments import iter_chunks
from .x12 import Envelope, amount_at

# CLP02 claim status codes (X12 5010 835). 19/20/21 are 1/2/3 with the claim forwarded
# to the next payer: still processed. 23 "not our claim" is a payer's refusal: denied.
PROCESSED, DENIED, REVERSAL = "processed", "denied", "reversal"
CLP_STATUS = {"1": PROCESSED, "2": PROCESSED, "3": PROCESSED, "19": PROCESSED,
              "20": PROCESSED, "21": PROCESSED, "4": DENIED, "23": DENIED, "22": REVERSAL}
CAS_GROUPS = ("CO", "OA", "PI", "PR", "CR")
_ENVELOPE = ("ISA", "IEA", "GS", "GE", "ST", "SE")


@dataclass
class Remittances:
    """What 835 files say, claim by claim and line by line.

    ``ledger``: one row per CLP claim payment (reversed payments removed), the ledger
    columns plus ``denied_charge``. ``lines``: one row per service line (a claim without
    SVC is one line), with ``claim`` = the ledger row. ``adjustments``: every CAS amount
    (``claim``, ``line`` = row of ``lines`` or -1 for the claim level, ``group``,
    ``code``, ``amount``). ``remarks``: RARC codes from LQ*HE and MOA (``claim``, ``line``,
    ``code``).
    """

    ledger: pd.DataFrame
    lines: pd.DataFrame
    adjustments: pd.DataFrame
    remarks: pd.DataFrame
    provider_adjustments: list = field(default_factory=list)
    reversals: int = 0
    unmatched_reversals: int = 0


def read_835(source, name: str = None) -> pd.DataFrame:
    """Read X12 835 remittances into a ledger, one row per CLP claim payment.

    Mapping (docs/methodology.md §10): CLP01 claim_id; CLP02 status; CLP03 charge; CLP04
    insurance_paid; CLP05 patient_responsibility; CAS CO = contractual_adjustment on paid
    lines, but on a denied line or claim the CO amount is the denied amount
    (``denied_amount``), kept in open A/R; OA, PI (and the retired CR) = other_adjustment;
    payer from N1*PR; service_date from claim DTM*232, else the earliest service-line
    DTM*472/150; submitted_date from DTM*050 (received); paid_date from BPR16, else DTM*405;
    allowed from AMT*AU, else charge less the payer's adjustments; ``denied_charge`` the
    charge of the denied lines (all of it when CLP02 = 4). A reversal (CLP02 22) cancels the
    latest earlier payment of the same claim_id; both rows leave the ledger.

    ``first_pass`` is true for a processed claim whose first remittance in the data it
    is, and whose CLP09 frequency code is not a replacement (7) or void (8): rejections
    before the payer (at a clearinghouse) cannot be seen in an 835.

    Parameters
    ----------
    source : str, Path, bytes, binary file, or a list of them
        Several files are read as one remittance history, so a reversal in a later
        file cancels the payment in an earlier one.
    name : str, optional
        How to name the file in messages.

    Returns
    -------
    pandas.DataFrame
        The ledger; ``attrs`` holds ``provider_adjustments`` (PLB: a list of dicts with
        payer, date, reason, amount), ``reversals`` and ``unmatched_reversals`` counts.
        :func:`read_remittances` gives the service lines as well.

    Raises
    ------
    RcmInputError
        Naming the segment number: unknown CLP02 status, an amount that is not a
        number, an unknown CAS group, a truncated file, binary data.
    """
    r = read_remittances(source, name)
    r.ledger.attrs.update(provider_adjustments=r.provider_adjustments,
                          reversals=r.reversals, unmatched_reversals=r.unmatched_reversals)
    return r.ledger


def read_remittances(source, name: str = None) -> Remittances:
    """:func:`read_835` with the service-line, adjustment and remark tables."""
    sources = source if isinstance(source, (list, tuple)) else [source]
    files = []
    for src in sources:
        label = name or (str(src) if isinstance(src, (str, Path)) else None)
        files.append(assemble_file(_read_file(src, label), label))
    return _combine(files)


# --- one handler per segment type: (chunk, indices, problems) -> columns --------------

def _clp(c, idx, problems):
    code = c.label(idx, 2, 4)
    kind = pd.Series(code, dtype=object).map(CLP_STATUS).to_numpy(dtype=object)
    ids = c.text(idx, 1, 80)
    n = c.numbers[idx]
    for mask, message in ((pd.isna(kind), "unknown CLP02 claim status code (expected 1, 2, "
                           "3, 4, 19, 20, 21, 22 or 23)"),
                          (ids == "", "CLP01 claim id is missing")):
        if mask.any():
            problems.append((int(n[np.flatnonzero(mask)[0]]), message))
    out = {"n": n, "claim_id": ids, "kind": kind, "freq": c.label(idx, 9, 4)}
    for key, i, what, required in (("charge", 3, "CLP03 charge", True),
                                   ("insurance_paid", 4, "CLP04 paid amount", True),
                                   ("patient_responsibility", 5, "CLP05 patient "
                                    "responsibility", False)):
        out[key], problem = c.number(idx, i, what, required)
        if problem:
            problems.append(problem)
    return out


def _svc(c, idx, problems):
    out = {"n": c.numbers[idx], "qualifier": c.label(idx, 1, 4, k=0),
           "procedure_code": c.label(idx, 1, 48, k=1), "modifiers": c.tail(idx, 1, 2)}
    for key, i, what in (("charge", 2, "SVC02 charge"), ("paid", 3, "SVC03 paid amount")):
        out[key], problem = c.number(idx, i, what)
        if problem:
            problems.append(problem)
    paid_units, _ = c.number(idx, 5, "SVC05 units", default=0.0)
    billed_units, _ = c.number(idx, 7, "SVC07 units", default=0.0)
    out["units"] = np.where(paid_units > 0, paid_units,
                            np.where(billed_units > 0, billed_units, 1.0))
    return out


def _cas(c, idx, problems):
    group = c.label(idx, 1, 4)
    n = c.numbers[idx]
    unknown = ~pd.Series(group, dtype=object).isin(CAS_GROUPS).to_numpy()
    if unknown.any():
        problems.append((int(n[np.flatnonzero(unknown)[0]]),
                         "unknown CAS group code (expected CO, OA, PI or PR)"))
    parts = []
    for i in range(2, 20, 3):                   # up to 6 reason/amount/quantity triplets
        if not c.present(idx, i).any():
            break
        start, end = c.field(idx, i)
        given = end > start
        if not given.any():
            continue
        sub = idx[given]
        code = c.label_at(start[given], end[given], 8)
        start, end = c.field(idx, i + 1)
        amount, problem = c.number_at(start[given], end[given], sub, f"CAS{i + 1:02d} amount")
        if problem:
            problems.append(problem)
        given[given] = code != ""
        keep = code != ""
        code, amount = code[keep], amount[keep]
        parts.append({"n": n[given], "group": group[given], "code": code,
                      "amount": amount, "triplet": np.full(int(given.sum()), i)})
    if not parts:
        return None
    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((out.pop("triplet"), out["n"]))
    return {k: v[order] for k, v in out.items()}


def _dtm(c, idx, problems):
    return {"n": c.numbers[idx], "qual": c.label(idx, 1, 4), "value": c.label(idx, 2, 8)}


def _amt(c, idx, problems):
    qual = c.label(idx, 1, 4)
    keep = (qual == "AU") | (qual == "B6")
    amount, problem = c.number(idx[keep], 2, "AMT02 amount")
    if problem:
        problems.append(problem)
    return {"n": c.numbers[idx[keep]], "qual": qual[keep], "amount": amount}


def _lq(c, idx, problems):
    keep = np.asarray(c.label(idx, 1, 4) == "HE")
    return {"n": c.numbers[idx[keep]], "code": c.label(idx[keep], 2, 12)}


def _moa(c, idx, problems):
    parts = [(c.numbers[idx], c.label(idx, i, 12)) for i in range(3, 8)]
    n = np.concatenate([p[0] for p in parts])
    code = np.concatenate([p[1] for p in parts])
    keep = code != ""
    return {"n": n[keep], "code": code[keep]}


def _n1(c, idx, problems):
    keep = np.asarray(c.label(idx, 1, 4) == "PR")
    return {"n": c.numbers[idx[keep]],
            "payer": np.array(c.fields(idx[keep], 2), dtype=object)}


def _bpr(c, idx, problems):
    return {"n": c.numbers[idx], "date": c.label(idx, 16, 8)}


def _plb(c, idx, problems):
    rows = []
    name = c.name
    for k in idx:
        el = c.elements(k)
        n = int(c.numbers[k])
        for i in range(3, min(len(el), 15), 2):
            reason = el[i].strip().split(c.seps.component)[0] if i < len(el) else ""
            if reason:
                try:
                    rows.append((n, el[2].strip()[:8] if len(el) > 2 else "", reason,
                                 amount_at(el, i + 1, n, name, f"PLB{i + 1:02d} amount")))
                except RcmInputError as exc:
                    problems.append((n, exc.problems[0].message))
    if not rows:
        return None
    n, date, reason, amount = zip(*rows)
    return {"n": np.array(n), "date": np.array(date, dtype=object),
            "reason": np.array(reason, dtype=object), "amount": np.array(amount)}


HANDLERS = {"CLP": (("CLP",), _clp), "SVC": (("SVC",), _svc), "CAS": (("CAS",), _cas),
            "DTM": (("DTM",), _dtm), "AMT": (("AMT",), _amt), "LQ": (("LQ",), _lq),
            "MOA": (("MOA",), _moa), "N1": (("N1",), _n1), "BPR": (("BPR",), _bpr),
            "PLB": (("PLB",), _plb)}


def _envelope(c, env, problems, events):
    """Feed ISA/GS/ST/SE/GE/IEA through the envelope checker; record ST/SE numbers."""
    for k in c.where(*_ENVELOPE):
        el = c.elements(k)
        n = int(c.numbers[k])
        try:
            env.feed(n, el)
        except RcmInputError as exc:
            problems.append((n, exc.problems[0].message))
            return
        if el[0] in ("ST", "SE"):
            events.append((n, el[0] == "ST"))


def _read_file(source, name) -> dict:
    """All chunks of one file -> one table (dict of arrays) per segment type."""
    env = Envelope(name, "835")
    tables = {k: [] for k in HANDLERS}
    events: list = []
    last = 0
    for chunk in iter_chunks(source, name):
        problems: list = []
        bad = chunk.first_bad_tag()
        if bad is not None:
            problems.append((bad, "not an X12 segment"))
        _envelope(chunk, env, problems, events)
        for key, (tags, handler) in HANDLERS.items():
            idx = chunk.where(*tags)
            if len(idx):
                out = handler(chunk, idx, problems)
                if out is not None:
                    tables[key].append(out)
        if problems:
            n, message = min(problems, key=lambda p: p[0])
            raise RcmInputError.at(name, f"segment {n}", message)
        last = int(chunk.numbers[-1])
    st = [n for n, is_open in events if is_open]
    se = [n for n, is_open in events if not is_open]
    out = {}
    for key in list(tables):           # one table at a time, its chunks freed as it goes
        parts = tables.pop(key)
        out[key] = {c: np.concatenate([p.pop(c) for p in parts]) for c in list(parts[0])} \
            if parts else None
    out["st"] = np.array(st, dtype=np.int64)
    out["se"] = np.array(se + [np.iinfo(np.int64).max] * (len(st) - len(se)), dtype=np.int64)
    out["env"], out["last"] = env, last
    return out


# --- across files: reversals, and one set of tables --------------------------------

def _cancel_reversals(ids, kinds):
    """Keep-mask after each reversal cancels the latest earlier standing payment."""
    keep = np.ones(len(kinds), dtype=bool)
    reversals = np.flatnonzero(kinds == REVERSAL)
    if not len(reversals):
        return keep, 0, 0
    wanted = set(ids[reversals])
    standing: dict[str, list[int]] = {}
    matched = unmatched = 0
    for i in np.flatnonzero(np.isin(ids, list(wanted))):
        cid, k = ids[i], kinds[i]
        if k != REVERSAL:
            standing.setdefault(cid, []).append(i)
            continue
        keep[i] = False
        if standing.get(cid):
            keep[standing[cid].pop()] = False
            matched += 1
        else:
            unmatched += 1
    return keep, matched, unmatched


def _combine(files) -> Remittances:
    claims = pd.concat([f["claims"] for f in files], ignore_index=True)
    offsets = np.cumsum([0] + [len(f["claims"]) for f in files])[:-1]
    line_offsets = np.cumsum([0] + [len(f["lines"]) for f in files])[:-1]

    def stack(key, with_line):
        parts = []
        for f, off, loff in zip(files, offsets, line_offsets):
            t = f[key].copy()
            t["claim"] += off
            if with_line:
                t["line"] = np.where(t["line"] >= 0, t["line"] + loff, -1)
            parts.append(t)
        return pd.concat(parts, ignore_index=True)

    lines, adjustments, remarks = stack("lines", False), stack("adjustments", True), \
        stack("remarks", True)
    ids = claims["claim_id"].to_numpy(dtype=object)
    kinds = claims["kind"].to_numpy(dtype=object)
    keep, matched, unmatched = _cancel_reversals(ids, kinds)
    if not keep.all():
        new_row = np.cumsum(keep) - 1
        line_keep = keep[lines["claim"].to_numpy()]
        new_line = np.cumsum(line_keep) - 1
        lines = lines[line_keep].reset_index(drop=True)
        lines["claim"] = new_row[lines["claim"].to_numpy()]
        fixed = []
        for t in (adjustments, remarks):
            t = t[keep[t["claim"].to_numpy()]].reset_index(drop=True)
            t["claim"] = new_row[t["claim"].to_numpy()]
            t["line"] = np.where(t["line"] >= 0, new_line[np.maximum(t["line"], 0)], -1)
            fixed.append(t)
        adjustments, remarks = fixed
        claims = claims[keep].reset_index(drop=True)
        ids, kinds = ids[keep], kinds[keep]
    processed = kinds == PROCESSED
    first_pass = (processed & ~pd.Series(ids).duplicated().to_numpy()
                  & ~claims["freq"].isin(["7", "8"]).to_numpy())
    denied = kinds == DENIED
    charge, paid = claims["charge"].to_numpy(), claims["insurance_paid"].to_numpy()
    resp, allowed = claims["patient_responsibility"].to_numpy(), claims["allowed"].to_numpy()
    short = processed & ((paid + resp < allowed - 0.005) | ((paid <= 0) & (charge > 0)))
    ledger = make_ledger({
        "claim_id": ids, "payer": claims["payer"].to_numpy(dtype=object),
        "service_date": claims["service_date"], "submitted_date": claims["submitted_date"],
        "charge": charge, "allowed": allowed, "insurance_paid": paid,
        "patient_paid": np.zeros(len(ids)), "patient_responsibility": resp,
        "contractual_adjustment": claims["contractual_adjustment"].to_numpy(),
        "other_adjustment": claims["other_adjustment"].to_numpy(),
        "status": np.where(denied, "denied", np.where(short, "partial", "paid")),
        "first_pass": first_pass, "paid_date": claims["paid_date"],
        "denial_reason": np.where(denied, claims["reason"].to_numpy(dtype=object), None),
        "denied_amount": claims["denied_amount"].to_numpy(),
        "denied_charge": claims["denied_charge"].to_numpy()})
    plb = [p for f in files for p in f["plb"]]
    return Remittances(ledger, lines, adjustments, remarks, plb, matched, unmatched)
