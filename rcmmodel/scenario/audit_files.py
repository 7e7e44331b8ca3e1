"""The scenario's ``audit:`` block: which vendor the practice signed with and the files that
show whether it delivers (docs/methodology.md §12).

``rcm audit SCENARIO`` and the ``audit`` report template read it, each path relative to the
scenario file. Loading checks what can be checked without reading a claims file: the
vendor is one of the scenario's (ignoring case) and every file named is there; reading the
files is the audit's own work.
"""
from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..describe import shown
from ..errors import Problem, RcmInputError
from .fields import Name
from .rules import name_key

_NEEDS = {"vendor": "vendor signed with", "before": "practice's own claims files (before)",
          "after": "vendor's claims files (after)"}
#: The block's file fields, in the order problems are reported.
FILE_FIELDS = ("before", "after", "invoices", "fee_schedule")


def _one_or_many(value):
    """``before: before.csv`` reads as ``before: [before.csv]``; an empty list is a mistake."""
    if isinstance(value, list) and not value:
        raise ValueError("is empty: give at least one claims file")
    return [value] if isinstance(value, str) else value


def _day(value):
    if value is None:
        return None
    text = str(value).strip()
    try:
        datetime.datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise ValueError(f"{shown(text, 40)} is not a date: give YYYY-MM-DD, e.g. "
                         "2026-10-10") from None
    return text


Files = Annotated[list[Name], BeforeValidator(_one_or_many)]


def _describe(text: str, *examples) -> dict:
    return {"description": text, **({"examples": list(examples)} if examples else {})}


class AuditFiles(BaseModel):
    """After signing: the vendor the practice signed with and the files `rcm audit` and the
    `audit` report compare, each relative to this file (docs/methodology.md §12)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vendor: Name = Field(**_describe(
        "The vendor signed with: one of `vendors[].name` (ignoring case).", "Acme RCM"))
    before: Files = Field(**_describe(
        "Claims files of the practice's own billing before the vendor (ledger CSV or Excel, "
        "835 or 837P), one or a list.", ["before.csv"]))
    after: Files = Field(**_describe(
        "Claims files of the vendor's billing (its 835s or ledger), one or a list.",
        ["after.csv"]))
    invoices: Name | None = Field(None, **_describe(
        "The vendor's invoices: a CSV of `month` (YYYY-MM) and `amount` billed; without it "
        "the fees are the contract's.", "invoices.csv"))
    fee_schedule: Name | None = Field(None, **_describe(
        "Contracted rates (CSV: payer, procedure_code, modifier, allowed): adds each side's "
        "underpayments.", "fee-schedule.csv"))
    as_of: Annotated[str | None, BeforeValidator(_day)] = Field(None, **_describe(
        "Measure the after files as they stood that day (default: their latest date).",
        "2026-10-10"))


def audit_problems(scenario) -> list[Problem]:
    """What is wrong with a loaded scenario's ``audit:`` block: a vendor the scenario does not
    quote, a file that is not there (each named by its field)."""
    block = scenario.audit
    if block is None:
        return []
    file = scenario.source
    found = []
    names = [v.name for v in scenario.vendors]
    if name_key(block.vendor) not in {name_key(n) for n in names}:
        found.append(Problem(file, "audit.vendor", f"no vendor named {shown(block.vendor, 80)}"
                             f" in the scenario: give one of {', '.join(names) or '(none)'}"))
    for key in FILE_FIELDS:
        value = getattr(block, key)
        for i, name in enumerate([value] if isinstance(value, str) else value or []):
            where = f"audit.{key}" + (f"[{i}]" if key in ("before", "after") else "")
            path = scenario.base_dir / name
            if not path.is_file():
                what = "a folder, not a file" if path.is_dir() else "no such file"
                found.append(Problem(file, where, f"{what}: {path} (paths are relative to "
                                     "the scenario file)"))
    return found


def absolute_block(scenario) -> dict | None:
    """The ``audit:`` block with every path made absolute (a scenario kept in memory has
    no folder of its own), or None without one."""
    if scenario.audit is None:
        return None
    out = scenario.audit.model_dump(exclude_none=True)
    for key in FILE_FIELDS:
        if key in out:
            value = out[key]
            out[key] = ([str((scenario.base_dir / v).resolve()) for v in value]
                        if isinstance(value, list) else str((scenario.base_dir / value)
                                                            .resolve()))
    return out


def audit_args(scenario, vendor=None, before=None, after=None, invoices=None,
               fee_schedule=None, as_of=None) -> dict:
    """The audit's arguments: each one given here (a command line's flags, relative to the
    working folder) wins over the scenario's ``audit:`` block (relative to the scenario).

    Returns ``{"vendor", "before", "after", "invoices", "fee_schedule", "as_of"}`` (paths as
    :class:`~pathlib.Path`, absent ones None).

    Raises
    ------
    RcmInputError
        Neither gives the vendor, or the before or after files.
    """
    block = scenario.audit

    def pick(key, given):
        if given is not None:
            return given
        value = getattr(block, key) if block is not None else None
        if value is None or key in ("vendor", "as_of"):
            return value
        base = scenario.base_dir
        return [base / v for v in value] if isinstance(value, list) else base / value

    out = {"vendor": pick("vendor", vendor), "before": pick("before", before),
           "after": pick("after", after), "invoices": pick("invoices", invoices),
           "fee_schedule": pick("fee_schedule", fee_schedule), "as_of": pick("as_of", as_of)}
    missing = [k for k in ("vendor", "before", "after") if not out[k]]
    if missing:
        raise RcmInputError([Problem(scenario.source, f"audit.{k}", f"the audit needs the "
                                     f"{_NEEDS[k]}: give an audit: block with {k}: in the "
                                     f"scenario (or rcm audit --{k})") for k in missing])
    return out


__all__ = ["AuditFiles", "FILE_FIELDS", "absolute_block", "audit_args", "audit_problems"]
