"""What a report is of and what its files are called: the offering vendor of a proposal, and
``<scenario>-<template>[-<vendor slug>]`` file names, so two vendors' proposals of one
practice never overwrite each other.

>>> slug("Acme RCM, Inc.")
'acme-rcm-inc'
>>> output_stem("scenarios/guide-example.yaml", "proposal", "Guide Billing Co")
'guide-example-proposal-guide-billing-co'
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import RcmInputError


def slug(name: str) -> str:
    """A vendor's name as a file-name part: 'Acme RCM, Inc.' -> 'acme-rcm-inc'."""
    text = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")
    return text[:60].rstrip("-") or "vendor"


def output_stem(scenario_path, template: str, vendor: str | None = None) -> str:
    """File name stem of a report: the scenario file's stem and the template's name, and for
    a proposal the offering vendor's slug, so two vendors' proposals never overwrite."""
    stem = f"{Path(scenario_path).stem}-{Path(template).stem}"
    return f"{stem}-{slug(vendor)}" if vendor else stem


def is_proposal(template: str) -> bool:
    return Path(template).stem == "proposal"


def is_audit(template: str) -> bool:
    return Path(template).stem == "audit"


def audit_vendor(scenario, name: str | None = None) -> str:
    """The vendor an audit report is of, in the scenario's spelling: ``name`` (ignoring
    case), else the one its ``audit:`` block names; an input error, before any work, where
    neither names one of its vendors or the block does not give the files."""
    from ..model.audit import vendor_index
    from ..scenario.audit_files import audit_args

    args = audit_args(scenario, vendor=name)
    return scenario.vendors[vendor_index(scenario, args["vendor"])].name


def offer_vendor(scenario, name: str | None = None) -> str:
    """Whose offer a proposal presents: ``name`` matched ignoring case (exit 2 listing the
    scenario's vendors where none matches), else the recommended vendor, else the best
    eligible one, else the first."""
    from ..scenario.schema import name_key

    names = [v.name for v in scenario.vendors]
    if name is not None:
        found = [n for n in names if name_key(n) == name_key(name)]
        if not found:
            raise RcmInputError.at(scenario.source, "--vendor", f"no vendor named "
                                   f"{str(name)[:80]!r}; the scenario has {', '.join(names)}")
        return found[0]
    from ..vendors.decision import decide

    d = decide(scenario)
    return d.recommended or d.financial_best or names[0]


__all__ = ["audit_vendor", "is_audit", "is_proposal", "offer_vendor", "output_stem", "slug"]
