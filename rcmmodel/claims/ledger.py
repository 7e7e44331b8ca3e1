"""The claims ledger (docs/methodology.md §10): its columns, and reading it from CSV or Excel.

One row a claim. Every reader in rcmmodel (ledger files, X12 835 remittances, 837P
claims) produces a :class:`pandas.DataFrame` with exactly these columns and dtypes, so
the KPI functions in :mod:`rcmmodel.claims.kpi` never care where the data came from.

A bad cell is reported with its spreadsheet row (the header is row 1) and its column,
never dropped or guessed. Cell values are not echoed in messages: a ledger may hold
patient names in the wrong column, and nothing rcmmodel prints may contain them.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from .._files import MAX_WORKBOOK_ROWS, check_workbook, column_key, open_input, read_input
from ..describe import plain_text
from ..errors import Problem, RcmInputError

#: The ledger columns (docs/methodology.md §10), in order.
COLUMNS = ("claim_id", "payer", "service_date", "submitted_date", "charge", "allowed",
           "insurance_paid", "patient_paid", "patient_responsibility",
           "contractual_adjustment", "other_adjustment", "status", "first_pass", "paid_date")
#: Columns a ledger file must have; without them no KPI can be computed honestly.
REQUIRED = ("claim_id", "payer", "service_date", "charge", "insurance_paid", "patient_paid",
            "contractual_adjustment", "other_adjustment", "status")
#: Optional columns: the CARC code behind a denial, the amount denied (CO on denied
#: lines, which stays in open A/R), and ``denied_charge`` (the charge of the
#: claim's denied service lines).
EXTRAS = ("denial_reason", "denied_amount", "denied_charge")
MONEY = ("charge", "allowed", "insurance_paid", "patient_paid", "patient_responsibility",
         "contractual_adjustment", "other_adjustment", "denied_amount", "denied_charge")
DATES = ("service_date", "submitted_date", "paid_date")
STATUSES = ("paid", "partial", "denied", "open")

# Money columns where a blank cell means "nothing yet" (an open claim has no payment);
# a blank charge is an error, a blank allowed or patient_responsibility is unknown (NaN).
_BLANK_IS_ZERO = ("insurance_paid", "patient_paid", "contractual_adjustment",
                  "other_adjustment", "denied_amount", "denied_charge")
_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}
_MAX_PROBLEMS = 20
#: No claim is a trillion dollars (the scenario's money has the same bound); sums of
#: such amounts would overflow.
MAX_AMOUNT = 1e12
#: Text columns that name something a report draws: no control characters in them.
_NAMES = ("payer",)


def empty_ledger() -> pd.DataFrame:
    """A ledger with no rows and the right dtypes."""
    return make_ledger({})


def make_ledger(data: dict) -> pd.DataFrame:
    """Build a ledger from already-clean columns, filling the absent ones.

    Parameters
    ----------
    data : dict
        Column name -> sequence. Dates may be strings (``YYYY-MM-DD`` or ``YYYYMMDD``),
        datetimes or NaT; money floats; ``first_pass`` booleans or None.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS` then :data:`EXTRAS`, with ledger dtypes.

    Examples
    --------
    >>> make_ledger({"claim_id": ["A1"], "charge": [100.0], "status": ["open"]}).shape
    (1, 17)
    """
    n = len(next(iter(data.values()))) if data else 0
    out = {}
    for col in COLUMNS + EXTRAS:
        values = data.get(col)
        if col in MONEY:
            default = 0.0 if col in _BLANK_IS_ZERO else np.nan
            out[col] = (np.full(n, default) if values is None
                        else np.asarray(values, dtype="float64"))
        elif col in DATES:
            out[col] = (pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
                        if values is None else _to_datetime(values))
        elif col == "first_pass":
            out[col] = (pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))
                        if values is None else pd.array(values, dtype="boolean"))
        elif col in _NAMES and values is not None:
            out[col] = _plain_names(values)
        else:
            # A Series, not a bare object ndarray: pandas would scan the array for
            # dates to infer, costing seconds and hundreds of MB on a large ledger.
            out[col] = pd.Series(np.full(n, None, dtype=object) if values is None else
                                 np.asarray(values, dtype=object), dtype=object, copy=False)
    # copy=False keeps one block per column: consolidating them would copy the whole
    # ledger once more, which for a million claims is hundreds of MB at the peak.
    return pd.DataFrame({k: (v.to_numpy() if isinstance(v, pd.Series) and v.dtype != object
                             else v) for k, v in out.items()}, copy=False)


def _plain_names(values) -> pd.Series:
    """Names (payers) without control characters, which would steer a terminal or stop a
    chart renderer: cleaned once per distinct name, so a million claims cost little."""
    codes, names = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    if not any(isinstance(n, str) and plain_text(n) != n for n in names):
        return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)
    clean = np.append(np.array([plain_text(n) for n in names], dtype=object), None)
    return pd.Series(clean[codes], dtype=object, copy=False)


def _to_datetime(values) -> pd.Series:
    s = pd.Series(values)
    if s.dtype.kind == "M":
        return s.astype("datetime64[ns]")
    s = s.astype("object").where(s.notna(), None)
    compact = pd.to_datetime(s, format="%Y%m%d", errors="coerce")
    iso = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    return compact.fillna(iso).astype("datetime64[ns]")


def read_ledger(path, *, name: str | None = None) -> pd.DataFrame:
    """Read and validate a ledger CSV or Excel file.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file (UTF-8, header row) or an ``.xlsx`` workbook (first sheet).
    name : str, optional
        How to name the file in messages; defaults to ``path``.

    Returns
    -------
    pandas.DataFrame
        The ledger (see :func:`make_ledger`).

    Raises
    ------
    RcmInputError
        Naming the file, then ``row N, column C`` for each bad cell (at most 20, then a
        count of the rest), or the missing columns.
    """
    path = Path(path)
    name = name or str(path)
    with open_input(path) as f:
        head = f.read(4096)
    try:
        fast = None if head[:4] == b"PK\x03\x04" or b"\x00" in head else _fast_csv(path)
    except OSError as exc:
        raise RcmInputError.at(name, "", f"cannot read the file ({exc.strerror})") from None
    if fast is not None:
        return fast
    raw = read_input(path)
    if raw[:4] == b"PK\x03\x04":
        frame = _read_excel(raw, name)
    else:
        frame = _read_csv(raw, name)
    return validate_ledger(frame, name)


_CATEGORICAL = ("payer", "status", "first_pass", "denial_reason")


def _fast_csv(source):
    """A clean, canonical CSV (ISO dates, plain numbers) parsed by pandas' C reader.

    Returns None at the first sign of anything else; :func:`validate_ledger` then reads
    the file as text and names every bad cell. A million-row ledger takes seconds this
    way rather than the better part of a minute, in a third of the memory.
    """
    try:
        header = pd.read_csv(source, nrows=0, encoding="utf-8-sig").columns
        names = {column_key(c): c for c in header}
        if len(names) != len(header) or any(c not in names for c in REQUIRED):
            return None
        dtype, dates = {}, []
        for col, orig in names.items():
            if col in MONEY:
                dtype[orig] = "float64"
            elif col in _CATEGORICAL:
                dtype[orig] = "category"
            elif col in DATES:
                dates.append(orig)
            else:
                dtype[orig] = str
        frame = pd.read_csv(source, encoding="utf-8-sig", dtype=dtype,
                            parse_dates=dates, date_format="%Y-%m-%d",
                            keep_default_na=False, na_values=[""], skipinitialspace=True)
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None
    frame.columns = list(names)
    data = {}
    for col in DATES:
        if col in frame:
            if frame[col].dtype.kind != "M" and frame[col].notna().any():
                return None
            data[col] = frame[col].astype("datetime64[ns]")
    if data["service_date"].isna().any():
        return None
    ids = frame["claim_id"]
    if ids.isna().any() or (ids.str.strip() == "").any():
        return None
    data["claim_id"] = ids.to_numpy(dtype=object)
    for col in MONEY:
        if col in frame:
            values = frame[col].to_numpy()
            if (np.abs(values) >= MAX_AMOUNT).any() or (col == "charge" and
                                          (np.isnan(values).any() or (values < 0).any())):
                return None
            data[col] = np.where(np.isnan(values), 0.0, values) if col in _BLANK_IS_ZERO \
                else values
    status = _categorical(frame["status"], dict(zip(STATUSES, STATUSES)))
    if status is None:
        return None
    data["status"] = status
    if "first_pass" in frame:
        flags = dict.fromkeys(_TRUE, True) | dict.fromkeys(_FALSE, False)
        data["first_pass"] = _categorical(frame["first_pass"], flags, blank=None)
        if data["first_pass"] is None:
            return None
    for col in ("payer", "denial_reason"):
        if col in frame:
            data[col] = frame[col].astype(object).where(frame[col].notna(), None).to_numpy()
    return make_ledger(data)


def _categorical(column, allowed: dict, blank=False):
    """Map a categorical column's few categories (case- and space-insensitively) through
    ``allowed``; None when a value is not allowed (or blank, unless ``blank`` is given)."""
    cats = [str(c).strip().lower() for c in column.cat.categories]
    if any(c not in allowed for c in cats):
        return None
    codes = column.cat.codes.to_numpy()
    if blank is False and (codes < 0).any():
        return None
    lookup = np.array([allowed[c] for c in cats] + [blank], dtype=object)
    return lookup[codes]                 # code -1 (blank) picks the last entry


def _read_csv(raw: bytes, name: str) -> pd.DataFrame:
    if b"\x00" in raw[:4096]:
        raise RcmInputError.at(name, "", "binary data, not a ledger CSV")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RcmInputError.at(name, f"byte {exc.start}", "not UTF-8 text; save the "
                               "ledger as a UTF-8 CSV") from None
    if not text.strip():
        raise RcmInputError.at(name, "", "the file is empty")
    try:
        # All as text: validation below decides what a cell means, not pandas' guessing.
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                           skipinitialspace=True)
    except (pd.errors.ParserError, ValueError) as exc:
        raise RcmInputError.at(name, "", f"not a readable CSV ({_first_line(exc)})") from None


def _read_excel(raw: bytes, name: str) -> pd.DataFrame:
    check_workbook(raw, name)
    try:
        frame = pd.read_excel(io.BytesIO(raw), sheet_name=0, dtype=object, engine="openpyxl",
                              nrows=MAX_WORKBOOK_ROWS + 1)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise RcmInputError.at(name, "", f"not a readable Excel workbook "
                               f"({type(exc).__name__})") from None
    if len(frame) > MAX_WORKBOOK_ROWS:
        raise RcmInputError.at(name, "", f"over {MAX_WORKBOOK_ROWS:,} rows: save the ledger "
                               "as a CSV, which has no such limit")

    def cell(v):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
            return ""
        if hasattr(v, "strftime"):
            return v.strftime("%Y-%m-%d")
        return str(v)

    return frame.apply(lambda col: col.map(cell)).astype(str)


def _first_line(exc) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def validate_ledger(frame: pd.DataFrame, name: str | None = None) -> pd.DataFrame:
    """Validate a ledger read as text (every cell a string) and convert it.

    Parameters
    ----------
    frame : pandas.DataFrame
        Cells as strings; column names are matched ignoring case, spaces, hyphens and
        underscores ("Claim ID" is ``claim_id``).
    name : str, optional
        The file, for messages.

    Returns
    -------
    pandas.DataFrame
        The ledger with proper dtypes.

    Raises
    ------
    RcmInputError
        Missing columns, or every bad cell with its row and column.
    """
    frame = frame.rename(columns=column_key)
    twice = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if twice:
        raise RcmInputError.at(name, "header", "the column(s) " + ", ".join(twice)
                               + " appear twice (headers are matched ignoring case, spaces "
                               "and underscores): keep one")
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise RcmInputError.at(name, "header", "missing column(s): " + ", ".join(missing)
                               + "; a ledger needs " + ", ".join(REQUIRED))
    rows = np.arange(len(frame)) + 2     # spreadsheet row: the header is row 1
    problems: list[Problem] = []
    found = [0]

    def bad(mask, col, message):
        mask = np.asarray(mask, dtype=bool)
        found[0] += int(mask.sum())
        for r in rows[mask][: _MAX_PROBLEMS]:
            problems.append(Problem(name, f"row {r}, column {col}", message))

    data = {}
    text = {c: frame[c].astype(str).str.strip() for c in frame.columns
            if c in COLUMNS + EXTRAS}
    for col in ("claim_id", "payer", "denial_reason"):
        if col in text:
            data[col] = text[col].where(text[col] != "", None).to_numpy(dtype=object)
    bad(text["claim_id"] == "", "claim_id", "blank claim_id")
    for col in MONEY:
        if col not in text:
            continue
        cells = text[col].str.replace(",", "", regex=False).str.replace("$", "", regex=False)
        blank = cells == ""
        values = pd.to_numeric(cells.where(~blank, None), errors="coerce")
        bad(~blank & (values.isna() | ~np.isfinite(values.fillna(0))), col,
            "not an amount (expected a number such as 125.50)")
        bad(~blank & np.isfinite(values.fillna(0)) & (values.abs() >= MAX_AMOUNT), col,
            "too large to be an amount (at most 999,999,999,999.99)")
        if col == "charge":
            bad(blank, col, "blank charge")
            bad(values < 0, col, "negative charge")
        fill = 0.0 if col in _BLANK_IS_ZERO else np.nan
        data[col] = values.fillna(fill).to_numpy(dtype="float64")
    for col in DATES:
        if col not in text:
            continue
        cells = text[col]
        blank = cells == ""
        parsed = _parse_dates(cells.where(~blank, None))
        bad(~blank & parsed.isna(), col, "not a date (expected YYYY-MM-DD or MM/DD/YYYY)")
        if col == "service_date":
            bad(blank, col, "blank service_date")
        data[col] = parsed
    status = text["status"].str.lower()
    bad(~status.isin(STATUSES), "status", "unknown status; expected one of "
        + ", ".join(STATUSES))
    data["status"] = status.to_numpy(dtype=object)
    if "first_pass" in text:
        fp = text["first_pass"].str.lower()
        bad(~(fp.isin(_TRUE) | fp.isin(_FALSE) | (fp == "")), "first_pass",
            "not true or false")
        data["first_pass"] = np.where(fp.isin(_TRUE), True,
                                      np.where(fp.isin(_FALSE), False, None))
    if problems:
        problems.sort(key=lambda p: int(p.where.split(",")[0].split()[1]))
        if found[0] > _MAX_PROBLEMS:
            problems = problems[:_MAX_PROBLEMS] + [Problem(
                name, "", f"and {found[0] - _MAX_PROBLEMS} more problems not listed")]
        raise RcmInputError(problems)
    return make_ledger(data)


def _parse_dates(cells: pd.Series) -> pd.Series:
    iso = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
    if iso.notna().sum() == cells.notna().sum():
        return iso
    us = pd.to_datetime(cells, format="%m/%d/%Y", errors="coerce")
    compact = pd.to_datetime(cells, format="%Y%m%d", errors="coerce")
    return iso.fillna(us).fillna(compact)


def write_ledger(ledger: pd.DataFrame, path) -> None:
    """Write a ledger as CSV (dates ISO, booleans true/false), readable by :func:`read_ledger`."""
    out = ledger.copy()
    for col in DATES:
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    out["first_pass"] = out["first_pass"].map({True: "true", False: "false"})
    out.to_csv(path, index=False)
