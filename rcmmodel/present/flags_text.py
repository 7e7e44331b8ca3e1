"""A quote's flags and its exclusion in words (docs/methodology.md §6).

:func:`rcmmodel.vendors.assess` returns facts: each flag a code and its figures, an
excluded vendor the code of its reason. This module says them: :func:`flag_message` (the
``message`` of a flag in ``rcm compare --json``), :func:`flag_sentence` (with the vendor as
its subject), :func:`flag_label` (a table cell), :func:`disqualified_text` and
:func:`comparison_dict` (the vendors of ``rcm compare --json`` with their words in place).
"""
from __future__ import annotations

from ..claims.targets import TARGETS
from ..describe import money, possessive

#: Why a vendor may not be recommended, by the code of ``VendorAssessment.disqualified``.
DISQUALIFIED_WORDS = {
    "no_baa": "no Business Associate Agreement offered, and HIPAA requires one with anyone "
              "who handles patient data",
}
# ... as a table cell says it, beside the vendor
EXCLUDED_LABELS = {"no_baa": "excluded: no BAA"}

#: A contract's terms as a sentence names them.
CONTRACT_WORDS = {"term_months": "term", "termination_fee": "termination fee",
                  "notice_days": "notice period", "auto_renewal": "auto-renewal"}

FLAG_LABELS = {
    "no_baa": "no Business Associate Agreement",
    "baa_unconfirmed": "Business Associate Agreement not confirmed",
    "extras": "fees billed apart",
    "one_time_fees": "one-time fees",
    "minimum_binds": "monthly minimum applies",
    "no_sla": "no service levels",
    "sla_gaps": "service levels incomplete",
    "sla_below_benchmark": "service levels below benchmark",
    "sla_worse_than_today": "service levels worse than today",
    "diligence_no": "due-diligence answers of no",
    "diligence_unanswered": "due-diligence questions unanswered",
    "auto_renewal": "renews automatically",
    "termination_fee": "costly to leave",
    "net_loss": "loses money",
    "contract_unstated": "contract terms not stated",
}


def disqualified_text(code: str | None) -> str | None:
    """Why a vendor may not be recommended, in words (None where it may be)."""
    if code is None:
        return None
    return DISQUALIFIED_WORDS.get(code, code.replace("_", " "))


def reasons_text(codes) -> str:
    """A vendor's exclusion reasons (codes) in words, '; ' between."""
    return "; ".join(disqualified_text(c) for c in codes)


def _kpis(keys) -> str:
    return ", ".join(TARGETS[k].label.lower() for k in keys)


def _items(keys) -> str:
    from ..vendors.assess import CHECKLIST    # on use: present.labels loads this module

    labels = {i.key: i.label.lower() for i in CHECKLIST}
    return ", ".join(labels[k] for k in keys)


def _termination_fee(f: dict) -> str:
    notice = ("notice not stated" if f["notice_days"] is None
              else f"{f['notice_days']} days' notice")
    cost = (f"leaving costs {money(f['exit_cost'])}" if f["exit_cost"] is not None
            else "leaving costs at least the termination fee")
    return f"{cost} (termination fee {money(f['termination_fee'])} + {notice})"


_MESSAGES = {
    "no_baa": lambda f: DISQUALIFIED_WORDS["no_baa"],
    "baa_unconfirmed": lambda f: ("has not confirmed a Business Associate Agreement: get one "
                                  "in writing before signing"),
    "extras": lambda f: "billed apart: " + ", ".join(
        f"{item} {money(amount)}/yr" for item, amount in f["items"]),
    "one_time_fees": lambda f: "one-time: " + ", ".join(
        f"{item} {money(amount)}" for item, amount in f["items"]),
    "minimum_binds": lambda f: (f"the monthly minimum binds: it adds {money(f['amount'])} a "
                                "year to the fee"),
    "no_sla": lambda f: "no SLA: no committed KPIs to hold the vendor to",
    "sla_gaps": lambda f: "SLA omits " + _kpis(f["kpis"]),
    "sla_below_benchmark": lambda f: "commits below the benchmark on " + _kpis(f["kpis"]),
    "sla_worse_than_today": lambda f: ("commits to worse than the practice achieves today on "
                                       + _kpis(f["kpis"])),
    "diligence_no": lambda f: "says no to: " + _items(f["items"]),
    "diligence_unanswered": lambda f: "has not answered: " + _items(f["items"]),
    "auto_renewal": lambda f: "renews automatically",
    "termination_fee": _termination_fee,
    "contract_unstated": lambda f: "contract does not state: " + ", ".join(
        CONTRACT_WORDS[t] for t in f["terms"]),
    "net_loss": lambda f: f"loses {money(f['amount'])} a year against staying in-house",
}


def flag_message(flag) -> str:
    """A flag (:class:`rcmmodel.vendors.assess.Flag`) in words, e.g. 'one-time: setup
    $3,000, credentialing $2,800'."""
    say = _MESSAGES.get(flag.code)
    return say(flag.figures) if say else flag.code.replace("_", " ")


def flag_label(flag) -> str:
    """A flag's short name for a table cell ('one-time fees')."""
    return FLAG_LABELS.get(flag.code, flag.code.replace("_", " "))


# How each flag reads with the vendor as its subject: {v} the vendor, {m} the flag's message,
# {rest} what follows the message's first colon.
_FLAG_SENTENCES = {
    "no_baa": "{v} offers no Business Associate Agreement, and HIPAA requires one with "
              "anyone who handles patient data",
    "extras": "{v} bills apart: {rest}",
    "one_time_fees": "{v} charges one-time fees: {rest}",
    "minimum_binds": "{vp} monthly minimum applies: {rest}",
    "no_sla": "{v} offers no service levels: nothing committed to hold it to",
    "sla_gaps": "{vp} service levels leave out {after_omits}",
    "termination_fee": "Leaving {v} {after_leaving}",
    "contract_unstated": "{vp} {m}",
}


def flag_sentence(flag, vendor: str = "The vendor") -> str:
    """A flag as a sentence with the vendor as its subject, e.g.
    'MindfulRCM charges one-time fees: setup $3,000, credentialing $2,800.'"""
    m = flag_message(flag).rstrip(".").replace("/yr", " a year")
    template = _FLAG_SENTENCES.get(flag.code, "{v} {m}")
    text = template.format(v=vendor, vp=possessive(vendor), m=m,
                           rest=m.partition(":")[2].strip(),
                           after_omits=m.partition("omits ")[2],
                           after_leaving=m.partition("leaving ")[2])
    return text[:1].upper() + text[1:] + "."


def flags_text(a) -> str:
    """Why a vendor is excluded, or its flags' messages: one table cell ('; ' between)."""
    return disqualified_text(a.disqualified) or "; ".join(flag_message(f) for f in a.flags)


def comparison_dict(c) -> dict:
    """``c.to_dict()`` (a :class:`rcmmodel.vendors.Comparison`) with each vendor's exclusion
    reason and flags in words: ``disqualified`` the sentence, ``flags`` their ``code`` and
    ``message``, as ``rcm compare --json`` prints them."""
    out = c.to_dict()
    for v, a in zip(out["vendors"], c.ranked):
        v["disqualified"] = disqualified_text(a.disqualified)
        v["flags"] = [{"code": f.code, "message": flag_message(f)} for f in a.flags]
    return out


__all__ = ["CONTRACT_WORDS", "DISQUALIFIED_WORDS", "EXCLUDED_LABELS", "FLAG_LABELS",
           "comparison_dict", "disqualified_text", "flag_label", "flag_message", "flag_sentence",
           "flags_text", "reasons_text"]
