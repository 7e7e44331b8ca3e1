"""The uplift the practice's own claims data supports: measured leakage a vendor could win back.

A billing vendor's uplift has to come from somewhere: denials nobody overturned,
underpayments against the contracted rates, and old A/R nobody chased. This module prices
each from the practice's data, as a share of the collections of the same period, low and
high:

- **denials**: denied dollars not overturned, at what a paid line yields per charge dollar
  (paid / charge over paid, not denied service lines), times the overturn rate: the
  practice's own where the data shows any overturn, else the cited 63%. Low counts the
  denials an appeal can recover; high adds those to correct and resubmit and those to bill
  to the right payer. Duplicates count in neither.
- **underpayments** (with a fee schedule): the shortfall against the contract, half of it
  (low) to all of it (high) recovered.
- **A/R over 120 days**: at its collectability, 10% (low) to 30% (high): a one-time gain,
  not a yearly one.

A quote promising more than ``high`` promises more than the data shows is being lost.

Examples
--------
>>> e = {"low": 0.02, "high": 0.05}
>>> judge_quote(0.08, e)["status"], judge_quote(0.03, e)["status"]
('above', 'within')

Facts only: each component's ``basis`` is a key with its figures in ``basis_figures``, a
judgement a status with the figures; :mod:`rcmmodel.present.review_text` words them.
"""
from __future__ import annotations

from .codes import APPEAL, REBILL, RESUBMIT
from .kpi import ratio

CITED_OVERTURN_RATE = 0.63
CITED_OVERTURN_SOURCE = ("Change Healthcare, Healthy Hospital Revenue Cycle Index (June 2017): "
                         "63% of denied hospital claims recovered on appeal")
AGED_AR_COLLECTABILITY = (0.10, 0.30)
AGED_AR_SOURCE = ("assumption: claims past 120 days are rarely collected; MGMA and AAFP "
                  "guidance treat A/R over 120 days as largely uncollectable")
UNDERPAYMENT_RECOVERY = (0.5, 1.0)
UNDERPAYMENT_SOURCE = "assumption: contract variances are recovered in part to in full"
OWN_OVERTURN_SOURCE = "the practice's own 835s"
#: The denials an appeal cannot recover but a corrected or redirected claim can (high only).
WIDER_ACTIONS = (RESUBMIT, REBILL)


def evidence(review: dict, overturn_rate: float = None) -> dict:
    """The evidence-based uplift range from a claims review (:func:`summarize`'s dict).

    Returns
    -------
    dict
        ``low``, ``high`` (fractions of ``collections``, None without collections),
        ``collections``, ``period_days``, ``overturn_rate`` and its ``overturn_source``
        (``measured`` or ``cited``), and ``components``: one dict each for denials,
        underpayments and aged A/R with ``name``, ``low_amount``, ``high_amount``,
        ``low``, ``high``, ``recurring``, ``basis`` (a key) and ``basis_figures`` (its
        figures), which :func:`rcmmodel.present.review_text.evidence_dict` puts in words.
    """
    d = review["denials"]["claims"]
    collections = review.get("collections") or 0.0
    own = d.get("overturn_rate") if d.get("overturned") else None
    # the practice's own rate wins; else the caller's assumption, else the cited one
    rate = own if own is not None else (
        CITED_OVERTURN_RATE if overturn_rate is None else float(overturn_rate))
    yield_ = review.get("paid_yield") or 0.0
    by_action = {a["action"]: a["dollars"] for a in review["denials"].get("open_by_action", [])}
    appeal = by_action.get(APPEAL, 0.0)
    wider = appeal
    for a in WIDER_ACTIONS:          # added in this order, as the figures were pinned
        wider += by_action.get(a, 0.0)
    source = "measured" if own is not None else "cited"
    comps = [_component("denials", appeal * yield_ * rate, wider * yield_ * rate, collections,
                        True, "denied_not_overturned",
                        {"paid_yield": yield_, "overturn_rate": rate, "overturn_source": source})]
    under = review.get("underpayments")
    if under:
        lo, hi = UNDERPAYMENT_RECOVERY
        comps.append(_component("underpayments", under["amount"] * lo, under["amount"] * hi,
                                collections, True, "fee_schedule_shortfall",
                                {"recovered_low": lo, "recovered_high": hi}))
    aged = sum(b["open_ar"] or 0.0 for b in review["aging"] if b["bucket"] == "120+")
    lo, hi = AGED_AR_COLLECTABILITY
    comps.append(_component("aged_ar", aged * lo, aged * hi, collections, False,
                            "aged_ar_collectable", {"collectable_low": lo, "collectable_high": hi}))
    low_amount = sum(c["low_amount"] for c in comps)
    high_amount = sum(c["high_amount"] for c in comps)
    return {"low": ratio(low_amount, collections), "high": ratio(high_amount, collections),
            "low_amount": float(low_amount), "high_amount": float(high_amount),
            "collections": float(collections), "period_days": review.get("period_days"),
            "overturn_rate": rate, "overturn_source": source,
            "components": comps,
            "sources": {"overturn": OWN_OVERTURN_SOURCE if own is not None
                        else CITED_OVERTURN_SOURCE, "aged_ar": AGED_AR_SOURCE,
                        "underpayments": UNDERPAYMENT_SOURCE}}


def _component(key, low, high, collections, recurring, basis, figures) -> dict:
    return {"name": key, "low_amount": float(low),
            "high_amount": float(high), "low": ratio(low, collections),
            "high": ratio(high, collections), "recurring": recurring, "basis": basis,
            "basis_figures": figures}


def judge_quote(uplift, ev: dict) -> dict:
    """Compare a vendor's quoted uplift (a fraction of collections) with the evidence.

    Returns ``{"status": "above" | "within" | "below" | "unknown", "uplift", "low",
    "high"}``: ``above`` means the quote promises more than the data shows is being lost
    (:func:`rcmmodel.present.review_text.judgement_text` says it in words).
    """
    low, high = ev.get("low"), ev.get("high")
    if uplift is None or high is None:
        status = "unknown"
    elif uplift > high + 1e-12:
        status = "above"
    elif low is not None and uplift < low - 1e-12:
        status = "below"
    else:
        status = "within"
    return {"status": status, "uplift": uplift, "low": low, "high": high}


def judge_quotes(quotes, ev: dict) -> list[dict]:
    """:func:`judge_quote` for each ``(vendor name, quoted uplift)``: the rows a report shows
    beside the evidence-based range (``vendor``, ``uplift``, ``status``, ``low``, ``high``)."""
    return [{"vendor": name, **judge_quote(uplift, ev)}
            for name, uplift in quotes]


def evidence_for(paths, as_of=None, *, base_dir=None, fee_schedule=None) -> dict:
    """:func:`evidence` straight from claims files (a scenario's ``claims_files``)."""
    from .review import claims_review, json_ready
    return json_ready(evidence(claims_review(paths, as_of, base_dir=base_dir,
                                             fee_schedule=fee_schedule)))
