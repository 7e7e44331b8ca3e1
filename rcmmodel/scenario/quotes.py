"""Vendor quotes from a CSV or Excel sheet (the scenario's ``vendors_file:``).

One row a quote, one column a field. Column names are case-insensitive; unknown columns
are errors (a misspelt header must not be silently ignored); blank cells take the
scenario's defaults. Rows are numbered as a spreadsheet shows them: the header is row 1,
so the first quote is row 2. Every bad cell is reported at once as
``quotes.csv: row 3, column rate: must be at most 1``.

Column layout
-------------
name                        the vendor's name (required, unique across the scenario)
pricing_model               a model of the pricing registry (:mod:`rcmmodel.pricing`), required
then a column per pricing field of the registry: a rate as a fraction (0.07) or a percent
                            string ("7%"), money in USD, a choice as its word, bands as
                            ``up_to:rate`` separated by ``;``, the last open, e.g.
                            ``250000:0.06;500000:0.05;:0.04``
setup, monthly_minimum, per_statement, per_provider_monthly, credentialing_per_provider
                            a quote's ``fees:``, USD
other_annual                named recurring extras, ``name=amount`` separated by ``;``,
                            e.g. ``denial_management=1200;reporting_portal=600``
uplift                      expected relative increase in collections (fraction)
sla_days_in_ar, sla_clean_claim_rate, sla_net_collection_rate, sla_denial_rate,
sla_ar_over_90              the SLA; all blank means the vendor offers no SLA
term_months, termination_fee, notice_days, auto_renewal
                            the contract
specialty_experience, certified_coders, baa_offered, realtime_dashboard,
data_export_on_exit, encryption, disaster_recovery, dedicated_account_manager
                            due-diligence answers: yes/no (true/false, y/n, 1/0); blank = not said

Money cells may carry ``$`` and thousands separators; quotes hold plain numbers, never
distributions.
"""
from __future__ import annotations

import io
import math
import re
from pathlib import Path

from pydantic import ValidationError

from .. import _files
from .._files import MB, check_workbook
from ..describe import shown
from ..errors import Problem, RcmInputError
from ..pricing import price_fields
from .messages import problems as _problems
from .schema import Scenario, Vendor, name_key, vendor_problems

MAX_BYTES = 16 * MB                     # a quotes sheet is one row a quote
PRICING = tuple(price_fields())          # a column per pricing field of the registry
FEES = ("setup", "monthly_minimum", "per_statement", "per_provider_monthly",
        "credentialing_per_provider", "other_annual")
SLA_KPIS = ("days_in_ar", "clean_claim_rate", "net_collection_rate", "denial_rate", "ar_over_90")
CONTRACT = ("term_months", "termination_fee", "notice_days", "auto_renewal")
PROFILE = ("specialty_experience", "certified_coders", "baa_offered", "realtime_dashboard",
           "data_export_on_exit", "encryption", "disaster_recovery", "dedicated_account_manager")
COLUMNS = (("name", "pricing_model") + PRICING + FEES + ("uplift",)
           + tuple(f"sla_{k}" for k in SLA_KPIS) + CONTRACT + PROFILE)
BOOLEAN = {"yes": True, "y": True, "true": True, "1": True,
           "no": False, "n": False, "false": False, "0": False}
TEXT = {"name", "pricing_model", "base"}


class _CellError(ValueError):
    """A cell that cannot be read; carries the column it belongs to."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def read_table(path: Path) -> list[dict[str, object]]:
    """The sheet's rows as dicts keyed by header (ignoring case, spaces and underscores:
    ``Pricing Model`` is ``pricing_model``); blank cells are ``""``.

    The first sheet of a workbook is read; CSV is read as text so that a cell such as
    ``007`` or ``1,200`` reaches the cell parser as the user typed it.
    """
    import pandas as pd   # lazily: loading a scenario without quotes stays light

    suffix = path.suffix.lower()
    if not path.exists():
        raise RcmInputError.at(path, "", "no such file (vendors_file is relative to the "
                               "scenario's folder)")
    _files.regular_file(path, "", MAX_BYTES, "the file is over 16 MB: a quotes sheet is "
                        "one row a quote")
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise RcmInputError.at(path, "", "quotes must be a .csv or .xlsx file")
    raw = io.BytesIO(_files.read_input(path, "", MAX_BYTES, "the file is over 16 MB: a "
                                       "quotes sheet is one row a quote"))
    if suffix != ".csv":
        check_workbook(raw, path)
        raw.seek(0)
    try:
        if suffix == ".csv":
            frame = pd.read_csv(io.StringIO(_text(raw.getvalue(), path)), dtype=str,
                                keep_default_na=False, skipinitialspace=True,
                                skip_blank_lines=False)   # keep row numbers true
        elif suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(raw, sheet_name=0, dtype=object, engine="openpyxl")
        else:
            raise RcmInputError.at(path, "", "quotes must be a .csv or .xlsx file")
    except FileNotFoundError:
        raise RcmInputError.at(path, "", "no such file (vendors_file is relative to the "
                               "scenario's folder)") from None
    except RcmInputError:
        raise
    except Exception as exc:  # pandas/openpyxl raise many types for a damaged file
        raise RcmInputError.at(path, "", f"cannot read quotes: {exc}") from None
    # 'Pricing Model' and 'BAA offered' as a spreadsheet's user types them
    frame.columns = [_files.column_key(c) for c in frame.columns]
    rows = []
    for record in frame.to_dict("records"):
        rows.append({k: "" if _blank(v) else v for k, v in record.items()})
    return rows


def _text(raw: bytes, path) -> str:
    """A quotes CSV's text: UTF-8 (a byte-order mark or none), else Windows-1252, what Excel
    on Windows saves as "CSV"."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4096]:
        raise RcmInputError.at(path, "", 'UTF-16 or binary, not a text CSV: in Excel, use '
                               'Save As > "CSV UTF-8 (Comma delimited)"')
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(column: str, value):
    """A number from a cell: Excel gives numbers, CSV gives text such as ``$1,200`` or ``7%``."""
    if isinstance(value, bool):
        raise _CellError(column, f"must be a number, got {value!r}")
    if isinstance(value, (int, float)):
        number, percent = value, False
    else:
        text = str(value).strip().replace("$", "").replace(",", "")
        percent = text.endswith("%")
        try:
            number = float(text.rstrip("%").strip())
        except ValueError:
            raise _CellError(column, f"must be a number, got {shown(str(value).strip())}") \
                from None
    # The same rule as a scenario's numbers: finite, and within sane bounds (the model
    # checks the bounds again; an overflow must never reach it as a float).
    if isinstance(number, int) and abs(number) >= 1e12 or not math.isfinite(float(number)):
        raise _CellError(column, f"must be a finite number below 1,000,000,000,000, "
                         f"got {shown(value)}")
    number = float(number)
    return number / 100 if percent else number


def _boolean(column: str, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    answer = BOOLEAN.get(str(value).strip().lower())
    if answer is None:
        raise _CellError(column, f"must be yes or no (blank: not said), got {shown(value)}")
    return answer


def _tiers(value) -> list[dict]:
    tiers = []
    for k, band in enumerate(b for b in str(value).split(";") if b.strip()):
        up_to, sep, rate = band.partition(":")
        if not sep:
            raise _CellError("tiers", f"band {k + 1} {shown(band.strip())} must be 'up_to:rate' "
                             "(e.g. 250000:0.06;:0.04)")
        tier = {"rate": _number("tiers", rate)}
        if up_to.strip():
            tier["up_to"] = _number("tiers", up_to)
        tiers.append(tier)
    return tiers


def _other_annual(value) -> dict[str, float]:
    extras = {}
    for item in (i for i in str(value).split(";") if i.strip()):
        name, sep, amount = item.partition("=")
        if not sep or not name.strip():
            raise _CellError("other_annual", f"{shown(item.strip())} must be 'name=amount' "
                             "(e.g. denial_management=1200)")
        extras[name.strip()] = _number("other_annual", amount)
    return extras


def row_to_vendor(row: dict[str, object]) -> tuple[dict, list[_CellError]]:
    """One row as a scenario file's ``vendors[]`` mapping, and the cells that could not be read."""
    errors: list[_CellError] = []

    def cell(column, parse):
        value = row.get(column, "")
        if _blank(value):
            return None
        try:
            return parse(column, value)
        except _CellError as exc:
            errors.append(exc)
            return None

    def text(column, value):
        return str(value).strip()

    def section(columns, parse, prefix=""):
        out = {}
        for column in columns:
            value = cell(prefix + column, parse)
            if value is not None:
                out[column] = value
        return out

    pricing = {"model": cell("pricing_model", text)}
    parsers = {"choice": text, "tiers": lambda c, v: _tiers(v)}
    for column in PRICING:
        value = cell(column, parsers.get(price_fields()[column].kind, _number))
        if value is not None:
            pricing[column] = value
    fees = section(FEES[:-1], _number)
    other = cell("other_annual", lambda c, v: _other_annual(v))
    if other:
        fees["other_annual"] = other
    vendor = {"name": cell("name", text), "pricing": pricing, "fees": fees,
              "contract": {**section(CONTRACT[:-1], _number),
                           **section(CONTRACT[-1:], _boolean)},
              "profile": section(PROFILE, _boolean)}
    uplift = cell("uplift", _number)
    if uplift is not None:
        vendor["uplift"] = uplift
    sla = section(SLA_KPIS, _number, prefix="sla_")
    if sla:                       # all SLA cells blank: the vendor offers no SLA at all
        vendor["sla"] = sla
    return {k: v for k, v in vendor.items() if v is not None}, errors


def _column(field_path: str) -> str:
    """The sheet column behind a validation error's field path, e.g. sla.days_in_ar."""
    head, _, rest = field_path.partition(".")
    leaf = re.split(r"[.\[]", rest)[0] if rest else head
    if head == "pricing":
        return "pricing_model" if leaf in ("model", "") else leaf
    if head == "sla":
        return f"sla_{leaf}"
    if head in ("fees", "contract", "profile"):
        return leaf
    return head


def read_quotes(path, practice=None, taken=()) -> list[Vendor]:
    """Read and validate a quotes sheet; raise :class:`RcmInputError` naming row and column.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.xlsx`` file in the layout of this module's docstring.
    practice : mapping, optional
        The scenario's practice (its ``claims_per_month``, ``annual_charges``,
        ``patient_statements_per_month``): a quote whose price multiplies a volume the
        practice does not give is an error, never a $0 fee. None: not checked here.
    taken : iterable of str
        Vendor names already used (the scenario's inline vendors); a row may not reuse one
        (ignoring case), since results are keyed by vendor name.

    Examples
    --------
    >>> [v.name for v in read_quotes("scenarios/quotes-example.csv")]
    ['AllIn Billing', 'LowRate RCM', 'SteadyClaim', 'ShoreSide Billing', 'TierWise RCM']
    """
    path = Path(path)
    rows = read_table(path)
    file = str(path)
    unknown = [c for c in (rows[0] if rows else {}) if c not in COLUMNS]
    if unknown:
        raise RcmInputError([Problem(file, f"column {c}", "unknown column (check the spelling; "
                                     "see rcmmodel.scenario.quotes for the layout)") for c in unknown])
    problems: list[Problem] = []
    vendors: list[Vendor] = []
    seen = {name_key(n) for n in taken}
    for i, row in enumerate(rows):
        if all(_blank(v) for v in row.values()):
            continue                 # an empty line in a spreadsheet is not a quote
        where = f"row {i + 2}"
        data, errors = row_to_vendor(row)
        problems += [Problem(file, f"{where}, column {e.column}", str(e)) for e in errors]
        if errors:
            continue
        found = []
        try:
            vendor = Vendor.model_validate(data)
        except ValidationError as err:
            vendor = None
            found += [(p.where, p.message) for p in _problems(err, file)]
        found += vendor_problems(data, practice)
        name = data.get("name")
        if isinstance(name, str) and name_key(name) in seen:
            found.append(("name", f"duplicate vendor name {shown(name, 40)} (names must "
                          "differ, ignoring case)"))
        if isinstance(name, str):
            seen.add(name_key(name))
        problems += [Problem(file, f"{where}, column {_column(w)}", m)
                     for w, m in dict.fromkeys(found)]
        if vendor is not None and not found:
            vendors.append(vendor)
    if problems:
        raise RcmInputError(problems)
    if not vendors:
        raise RcmInputError.at(file, "", "no quotes: the sheet has a header but no rows")
    return vendors


def attach_quotes(scenario: Scenario) -> Scenario:
    """The scenario with the quotes of its ``vendors_file`` appended to ``vendors``.

    The path is relative to the scenario's folder (``Scenario.base_dir``).
    """
    path = Path(scenario.vendors_file)
    if not path.is_absolute():
        path = scenario.base_dir / path
    stated = {k: v for k, v in scenario.practice if k in scenario.practice.model_fields_set}
    quotes = read_quotes(path, practice=stated, taken=[v.name for v in scenario.vendors])
    combined = scenario.model_copy(update={"vendors": [*scenario.vendors, *quotes]})
    combined._source = scenario.source
    return combined
