"""Underpayments against a fee schedule, and which payer pays best for each code
(docs/methodology.md §10, "Underpayments").

The fee schedule is a CSV ``payer, procedure_code, modifier, allowed``: the contracted
allowed amount per unit (headers matched ignoring case, spaces and underscores, and the
names exports give them: ``CPT``, ``Allowed Amount``...). Payers match ignoring case and
surrounding spaces; a blank or absent modifier matches any line of that code (a row naming the line's modifier wins over it).
For each paid, not denied service line: ``max(0, expected allowed x units - line
allowed)``, where the line's allowed is AMT*B6, else paid + patient responsibility.

Examples
--------
A line of 99213 allowed $80 by a payer contracted at $95: underpaid by $15.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

from .._files import MB, column_key, read_input
from ..errors import Problem, RcmInputError
from .kpi import ratio

COLUMNS = ("payer", "procedure_code", "modifier", "allowed")
#: Other names fee schedules give the columns (after :func:`rcmmodel._files.column_key`).
ALIASES = {"payer_name": "payer", "cpt": "procedure_code", "cpt_code": "procedure_code",
           "hcpcs": "procedure_code", "hcpcs_code": "procedure_code",
           "cpt_hcpcs": "procedure_code", "mod": "modifier",
           "modifier_1": "modifier", "allowed_amount": "allowed", "contracted_rate": "allowed",
           "contract_rate": "allowed", "fee": "allowed", "fee_amount": "allowed"}
MAX_BYTES = 64 * MB


def read_fee_schedule(path) -> pd.DataFrame:
    """Read and check a fee schedule CSV.

    Raises
    ------
    RcmInputError
        Naming the file and each bad row and column: a missing column, a blank payer or
        code, an allowed amount that is not a number of at least 0.
    """
    name = str(path)
    raw = read_input(path, "", MAX_BYTES)          # one row a payer and code: small
    try:
        frame = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), dtype=str,
                            keep_default_na=False, skipinitialspace=True)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError,
            ValueError):
        raise RcmInputError.at(name, "", "not a readable UTF-8 CSV; expected the columns "
                               + ", ".join(COLUMNS)) from None
    keys = [ALIASES.get(column_key(c), column_key(c)) for c in frame.columns]
    twice = sorted({k for k in keys if k in COLUMNS and keys.count(k) > 1})
    if twice:
        raise RcmInputError.at(name, "header", "more than one column for "
                               + ", ".join(twice) + ": keep one")
    frame.columns = keys
    missing = [c for c in ("payer", "procedure_code", "allowed") if c not in frame.columns]
    if missing:
        raise RcmInputError.at(name, "header", "missing column(s): " + ", ".join(missing)
                               + "; a fee schedule needs " + ", ".join(COLUMNS))
    if "modifier" not in frame:
        frame["modifier"] = ""
    frame = frame[list(COLUMNS)].apply(lambda c: c.str.strip())
    allowed = pd.to_numeric(frame["allowed"].str.replace("$", "", regex=False)
                            .str.replace(",", "", regex=False), errors="coerce")
    problems = []
    for i in range(len(frame)):
        row = i + 2                                   # the header is row 1
        if not frame["payer"].iat[i]:
            problems.append(Problem(name, f"row {row}, column payer", "blank payer"))
        if not frame["procedure_code"].iat[i]:
            problems.append(Problem(name, f"row {row}, column procedure_code",
                                    "blank procedure code"))
        value = allowed.iat[i]
        if pd.isna(value) or not np.isfinite(value) or value < 0:
            problems.append(Problem(name, f"row {row}, column allowed", "not an amount "
                                    "(expected a number of at least 0, such as 95.00)"))
    if problems:
        raise RcmInputError(problems[:20])
    return pd.DataFrame({"payer_key": frame["payer"].str.upper(),
                         "procedure_code": frame["procedure_code"].str.upper(),
                         "modifier": frame["modifier"].str.upper(),
                         "expected": allowed.to_numpy(dtype=float)})


def _paid_lines(snap) -> pd.DataFrame:
    lines = snap.lines
    ok = (lines["paid"].to_numpy() > 0) & ~lines["denied"].to_numpy(dtype=bool) & (
        lines["procedure_code"].to_numpy(dtype=object) != "")
    out = lines[ok]
    codes, names = pd.factorize(snap.ledger["payer"].fillna("(unknown payer)").astype(str))
    keys = np.array([str(n).strip().upper() for n in names], dtype=object)
    at = codes[out["pos"].to_numpy()]
    return out.assign(payer=np.asarray(names, dtype=object)[at], payer_key=keys[at])


def underpayments(snap, schedule: pd.DataFrame) -> dict:
    """Shortfall of paid lines against the fee schedule, by payer and by code."""
    lines = _paid_lines(snap).reset_index(drop=True)
    lines["code_key"] = lines["procedure_code"].str.upper()
    specific = schedule[schedule["modifier"] != ""].drop_duplicates(
        ["payer_key", "procedure_code", "modifier"], keep="last").astype({"modifier": object})
    general = schedule[schedule["modifier"] == ""].drop_duplicates(
        ["payer_key", "procedure_code"], keep="last")
    # A row naming a modifier applies to a line carrying that modifier, in any position.
    mods = lines["modifiers"].fillna("").str.upper().str.split()
    # (typed: with no modifier on any line the column would be empty floats, which pandas
    # refuses to merge with the schedule's text)
    each = pd.DataFrame({"row": np.repeat(np.arange(len(lines)), mods.str.len()),
                         "modifier": pd.Series([m for ms in mods for m in ms], dtype=object)})
    each = each.assign(payer_key=lines["payer_key"].to_numpy()[each["row"].to_numpy()],
                       code_key=lines["code_key"].to_numpy()[each["row"].to_numpy()])
    hits = each.merge(specific, left_on=["payer_key", "code_key", "modifier"],
                      right_on=["payer_key", "procedure_code", "modifier"])
    exact = np.full(len(lines), np.nan)
    first_hit = hits.drop_duplicates("row")
    exact[first_hit["row"].to_numpy()] = first_hit["expected"].to_numpy()
    fallback = lines.merge(general, left_on=["payer_key", "code_key"],
                           right_on=["payer_key", "procedure_code"], how="left",
                           suffixes=("", "_fee"))["expected"].to_numpy()
    expected = np.where(np.isnan(exact), fallback, exact)
    matched = ~np.isnan(expected)
    allowed = lines["allowed"].to_numpy()
    allowed = np.where(np.isnan(allowed), lines["paid"].to_numpy(), allowed)
    short = np.where(matched, np.maximum(0.0, np.round(
        np.nan_to_num(expected) * lines["units"].to_numpy() - allowed, 2)), 0.0)
    lines = lines.assign(short=short, under=short > 0)

    def total(by):
        g = lines[lines["under"]].groupby(by).agg(lines=("short", "size"),
                                                  amount=("short", "sum"))
        return [{by: k, "lines": int(r.lines), "amount": float(r.amount)}
                for k, r in g.sort_values("amount", ascending=False).iterrows()]

    return {"lines": int(lines["under"].sum()), "amount": float(short.sum()),
            "checked_lines": int(matched.sum()), "unmatched_lines": int((~matched).sum()),
            "by_payer": total("payer"), "by_code": total("procedure_code")}


def best_payers(snap, top: int = 20) -> list[dict]:
    """Per procedure code (most billed first): each payer's median allowed per unit over
    paid lines, and the payer that pays best."""
    lines = _paid_lines(snap)
    if not len(lines):
        return []
    allowed = lines["allowed"].to_numpy()
    allowed = np.where(np.isnan(allowed), lines["paid"].to_numpy(), allowed)
    frame = pd.DataFrame({"code": lines["procedure_code"].to_numpy(),
                          "payer": lines["payer"].to_numpy(),
                          "per_unit": allowed / np.maximum(lines["units"].to_numpy(), 1e-9)})
    stats = frame.groupby(["code", "payer"])["per_unit"].agg(["median", "size"]).reset_index()
    volume = frame.groupby("code").size().sort_values(ascending=False)
    out = []
    for code in volume.index[:top]:
        rows = stats[stats["code"] == code].sort_values("median", ascending=False)
        payers = [{"payer": r.payer, "lines": int(r.size),
                   "allowed_per_unit": float(r.median)} for r in rows.itertuples()]
        best, worst = payers[0]["allowed_per_unit"], payers[-1]["allowed_per_unit"]
        out.append({"procedure_code": code, "lines": int(volume[code]),
                    "best_payer": payers[0]["payer"] if len(payers) > 1 else None,
                    "spread": ratio(best - worst, best) if len(payers) > 1 else None,
                    "payers": payers})
    return out
