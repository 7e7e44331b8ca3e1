"""After signing: is the vendor delivering? (docs/methodology.md §12)

:func:`audit` sets the practice's own billing (the ``before`` claims files) beside the
vendor's (the ``after`` files) and the contract signed:

- the KPIs of docs/methodology.md §7 on each side, with its period and claim count (fewer
  than 30 adjudicated claims on a side: shown, not graded, and no realized uplift);
- each KPI the contract's SLA states, met or missed in the after period, and by how much;
- ``u_real = NCR_after / NCR_before - 1`` beside the quoted and the planning uplift;
- each month's contract fee: the vendor's pricing (through the pricing registry) on that
  month's collections, the larger of it and the monthly minimum, plus a twelfth of the
  recurring extras; with invoices, ``overbilled = max(0, billed - contract fee)``;
- the realized net gain a year, ``C0 * u_real + inhouse_savings - fees_a_year``, beside
  the net gain promised at signing (docs/methodology.md §3 at the quoted uplift);
- the verdict and the cost of leaving now, ``termination_fee + fees_a_year * notice_days /
  365``, against the yearly shortfall.

A month's volumes come from the after files as of ``as_of``: collections are the insurance
and patient payments whose ``paid_date`` falls in the month; claims (a per-claim fee) are
the claims whose ``submitted_date`` falls in the month, and charges (a fee on charges) those
claims' charges, times 12 as the pricing takes a yearly figure. Where the pricing needs such
a volume and the after files carry no submission dates, the audit stops with an input error
naming them. Patient statements, providers and other extras are the scenario's, as signed.

Nothing here returns a claim-level row: both sides are aggregates, so no patient identifier
can reach an output.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..claims.history import ClaimsData
from ..claims.review import parse_as_of, read_claims, summarize
from ..claims.targets import KPIS, MIN_GRADED_CLAIMS, TARGETS
from ..errors import RcmInputError
from ..pricing import monthly_service_fee, pricing_model
from ..scenario.schema import Scenario, name_key
from .._json import cents, number, rounded
from .evaluate import evaluate
from .invoices import check_months, read_invoices
from .pricing import recurring_extras

#: The verdicts, worst first.
VERDICTS = ("not delivering", "partly", "delivering")
#: Realized net gain below this share of the promised one: not delivering.
NOT_DELIVERING_BELOW = 0.5
#: At least this share, with every stated SLA KPI met: delivering.
DELIVERING_FROM = 0.8
# The volumes a pricing may need beyond collections, as the after files give them.
_SUBMITTED_VOLUMES = ("claims_per_month", "annual_charges")
_REASON_KEYS = ("group", "code", "description", "category", "action", "lines", "dollars")
_SIDE_KEYS = ("kpis", "period", "claims", "adjudicated_claims", "open_claims", "graded",
              "as_of", "collections")


@dataclass
class Audit:
    """The result of :func:`audit`; :meth:`to_dict` is what ``rcm audit --json`` prints."""

    vendor: str
    before: dict
    after: dict
    sla: list[dict]
    uplift: dict                 # promised, planning, realized (fractions; realized may be None)
    months: list[dict]           # month, collections, claims, billed, contract, overbilled
    invoiced: bool
    fees_a_year: float | None
    net_gain: dict               # promised, realized (USD a year)
    verdict: str | None          # one of VERDICTS; None where the claims cannot say
    exit_cost: float | None
    termination_fee: float | None
    notice_days: int | None
    collections: float           # C0, the scenario's yearly collections before
    inhouse_savings: float
    notes: list[dict] = field(default_factory=list)
    fees_promised: float | None = None   # the quote's steady-year fees (service + extras)

    @property
    def overbilled(self) -> float | None:
        if not self.invoiced:
            return None
        return float(sum(m["overbilled"] for m in self.months))

    @property
    def shortfall(self) -> float | None:
        """Promised less realized net gain, a year (None where the realized one is unknown)."""
        realized = self.net_gain["realized"]
        return None if realized is None else self.net_gain["promised"] - realized

    def to_dict(self) -> dict:
        def side(s):
            return {**{k: s[k] for k in _SIDE_KEYS if k in s},
                    "kpis": {k: _kpi_out(k, v) for k, v in s["kpis"].items()},
                    "collections": cents(s.get("collections")),
                    **({"underpayments": cents(s["underpayments"])}
                       if "underpayments" in s else {}),
                    "denials": {"claims": s["denials"]["claims"], "rate": rounded(
                        s["denials"]["rate"]), "dollars": cents(s["denials"]["dollars"]),
                        "by_reason": [{**r, "dollars": cents(r["dollars"])}
                                      for r in s["denials"]["by_reason"]]}}

        return {
            "vendor": self.vendor,
            "before": side(self.before), "after": side(self.after),
            "sla": [{"kpi": s["kpi"], "committed": number(s["committed"]),
                     "achieved": _kpi_out(s["kpi"], s["achieved"]),
                     "met": s["met"], "by": _kpi_out(s["kpi"], s["by"])} for s in self.sla],
            "uplift": {k: rounded(v) for k, v in self.uplift.items()},
            "fees": {"months": [{"month": m["month"], "collections": cents(m["collections"]),
                                 "claims": m["claims"], "billed": cents(m["billed"]),
                                 "contract": cents(m["contract"]),
                                 "overbilled": cents(m["overbilled"])} for m in self.months],
                     "invoiced": self.invoiced, "overbilled": cents(self.overbilled),
                     "a_year": cents(self.fees_a_year),
                     "promised_a_year": cents(self.fees_promised)},
            "net_gain": {k: cents(v) for k, v in self.net_gain.items()},
            "shortfall": cents(self.shortfall),
            "verdict": self.verdict,
            "exit_cost": cents(self.exit_cost),
            "exit_terms": {"termination_fee": cents(self.termination_fee),
                           "notice_days": self.notice_days},
            "baseline": {"collections": cents(self.collections),
                         "inhouse_savings": cents(self.inhouse_savings)},
            "notes": self.notes,
        }


def _kpi_out(kpi, value):
    unit = KPIS[kpi].unit if kpi in KPIS else "pct"
    return cents(value) if unit in ("money", "days") else rounded(value)


def audit(scenario: Scenario, vendor: str, before, after, invoices=None, fee_schedule=None,
          as_of=None) -> Audit:
    """Audit a vendor after signing (docs/methodology.md §12).

    Parameters
    ----------
    scenario : Scenario
        The scenario signed on (measured: :func:`rcmmodel.model.measure.scenario_with_claims`),
        holding the vendor's quote, SLA and contract.
    vendor : str
        The vendor's name in the scenario (ignoring case).
    before, after : path, list of paths, or ClaimsData
        Claims files of the practice's own billing and of the vendor's.
    invoices : path, optional
        The vendor's invoices CSV (``month`` YYYY-MM, ``amount``).
    fee_schedule : path or DataFrame, optional
        Contracted rates: adds each side's underpayments.
    as_of : date-like, optional
        Measures the after files as they stood that day (default: their latest date); the
        before files are measured as of their own latest date.

    Raises
    ------
    RcmInputError
        An unknown vendor, a file that is not claims data, an invoice month that is
        malformed or outside the after period, a volume the pricing needs that the after
        files cannot give.
    """
    k = vendor_index(scenario, vendor)
    spec = scenario.vendors[k]
    as_of = parse_as_of(as_of)
    bills = read_invoices(invoices) if invoices is not None else None
    schedule = fee_schedule
    if schedule is not None and not hasattr(schedule, "columns"):
        from ..claims.fees import read_fee_schedule

        schedule = read_fee_schedule(schedule)
    before_data, after_data = _data(before), _data(after)
    b = summarize(before_data, None, fee_schedule=schedule)
    a = summarize(after_data, as_of, fee_schedule=schedule)
    if bills is not None and a["period"]["start"]:
        check_months(bills, invoices, a["period"]["start"], a["period"]["end"])

    ev = evaluate(scenario)
    result = ev.vendors[k]
    quote = ev.inputs.vendors[k]
    practice = ev.inputs.practice
    extras = float(recurring_extras(quote.per_statement, practice.statements_per_month,
                                    quote.per_provider_monthly, practice.providers,
                                    quote.other_annual))
    volumes = month_volumes(after_data, as_of)
    need = pricing_model(quote.pricing).need(quote.pricing)
    if need is not None and need.volume in _SUBMITTED_VOLUMES and not volumes["dated"]:
        raise RcmInputError.at(_names(after), "submitted_date",
                               f"the vendor's {need.why} needs the claims submitted each "
                               "month, and no claim in the after files has a submitted_date:"
                               " give after files with submission dates (a ledger column or "
                               "837 files)")

    def contract_fee(month):
        v = volumes["months"].get(month, {"collections": 0.0, "claims": 0, "charges": 0.0})
        fee = monthly_service_fee(quote.pricing, v["collections"], 12 * v["charges"],
                                  v["claims"])
        return max(float(fee), float(quote.monthly_minimum)) + extras / 12, v

    months = []
    if bills is not None:
        for inv in sorted(bills, key=lambda i: i.month):
            fee, v = contract_fee(inv.month)
            months.append({"month": inv.month, "collections": v["collections"],
                           "claims": v["claims"], "billed": inv.amount, "contract": fee,
                           "overbilled": max(0.0, inv.amount - fee)})
        fees_a_year = sum(i.amount for i in bills) * 12 / len(bills)
    else:
        for month in sorted(m for m, v in volumes["months"].items() if v["payments"]):
            fee, v = contract_fee(month)
            months.append({"month": month, "collections": v["collections"],
                           "claims": v["claims"], "billed": None, "contract": fee,
                           "overbilled": None})
        fees_a_year = (sum(m["contract"] for m in months) * 12 / len(months)
                       if months else None)

    graded = b["graded"] and a["graded"]
    ncr_b, ncr_a = b["kpis"]["net_collection_rate"], a["kpis"]["net_collection_rate"]
    u_real = ncr_a / ncr_b - 1 if graded and ncr_a is not None and ncr_b else None
    c0, savings = float(practice.collections), float(ev.inputs.inhouse.savings)
    promised = float(result.figures.net_gain)
    realized = (c0 * u_real + savings - fees_a_year
                if u_real is not None and fees_a_year is not None else None)
    sla = sla_rows(spec.sla, a["kpis"], a["graded"])
    contract = spec.contract
    exit_cost = None
    if fees_a_year is not None:
        exit_cost = (float(contract.termination_fee or 0.0)
                     + fees_a_year * (contract.notice_days or 0) / 365)
    notes = [{"key": "too_few_to_grade", "side": name, "adjudicated": s["adjudicated_claims"],
              "needed": MIN_GRADED_CLAIMS} for name, s in (("before", b), ("after", a))
             if not s["graded"]]
    if realized is not None:
        notes += [{"key": "exit_term_not_stated", "term": t} for t in
                  ("termination_fee", "notice_days") if getattr(contract, t) is None]
    return Audit(
        vendor=spec.name, before=_side(b), after=_side(a), sla=sla,
        uplift={"promised": float(result.uplift),
                "planning": float(result.planned.uplift if result.planned else result.uplift),
                "realized": u_real},
        months=months, invoiced=bills is not None, fees_a_year=fees_a_year,
        net_gain={"promised": promised, "realized": realized},
        verdict=verdict(promised, realized, sla), exit_cost=exit_cost,
        termination_fee=contract.termination_fee, notice_days=contract.notice_days,
        collections=c0, inhouse_savings=savings, notes=notes,
        fees_promised=float(result.figures.vendor_cost))


def verdict(promised: float, realized: float | None, sla: list[dict]) -> str | None:
    """'not delivering' below half the promised net gain; 'delivering' with every stated SLA
    KPI met and at least 80% of it; else 'partly'. None where the realized gain is unknown.

    Examples
    --------
    >>> verdict(100.0, 40.0, []), verdict(100.0, 80.0, [{"met": True}])
    ('not delivering', 'delivering')
    >>> verdict(100.0, 90.0, [{"met": False}]), verdict(100.0, None, [])
    ('partly', None)
    """
    if realized is None:
        return None
    if realized < NOT_DELIVERING_BELOW * promised:
        return VERDICTS[0]
    if all(s["met"] is True for s in sla) and realized >= DELIVERING_FROM * promised:
        return VERDICTS[2]
    return VERDICTS[1]


def sla_rows(sla, achieved: dict, graded: bool) -> list[dict]:
    """Each KPI the SLA states (in the benchmarks' order): committed, achieved, met and
    ``by`` (achieved - committed; its sign read with the KPI's direction). ``met`` is None
    where the after side has too few claims or the KPI cannot be measured."""
    if sla is None:
        return []
    stated = {k: v for k, v in sla.model_dump().items() if v is not None}
    rows = []
    for kpi in [k for k in TARGETS if k in stated] + [k for k in stated if k not in TARGETS]:
        committed, value = float(stated[kpi]), achieved.get(kpi)
        met = None
        if graded and value is not None:
            met = bool(value >= committed if KPIS[kpi].higher_is_better else value <= committed)
        rows.append({"kpi": kpi, "committed": committed, "achieved": value, "met": met,
                     "by": None if value is None else value - committed})
    return rows


def month_volumes(data: ClaimsData, as_of=None) -> dict:
    """Per month (YYYY-MM) of the after files as of ``as_of``: ``collections`` (insurance +
    patient payments with a ``paid_date`` in it), ``payments`` (whether any), ``claims`` and
    ``charges`` (claims with a ``submitted_date`` in it); and ``dated``, whether any claim
    has a submitted date."""
    ledger = data.at(as_of).ledger
    paid = ledger["insurance_paid"].fillna(0.0) + ledger["patient_paid"].fillna(0.0)
    out: dict[str, dict] = {}
    when = ledger["paid_date"]
    has = when.notna() & (paid != 0)
    by_paid = paid[has].groupby(when[has].dt.strftime("%Y-%m")).sum()
    for month, amount in by_paid.items():
        out.setdefault(month, {"collections": 0.0, "claims": 0, "charges": 0.0,
                               "payments": False})
        out[month].update(collections=float(amount), payments=True)
    sent = ledger["submitted_date"]
    dated = sent.notna()
    months = sent[dated].dt.strftime("%Y-%m")
    for month, group in ledger.loc[dated, "charge"].groupby(months):
        out.setdefault(month, {"collections": 0.0, "claims": 0, "charges": 0.0,
                               "payments": False})
        out[month].update(claims=int(len(group)), charges=float(group.sum()))
    return {"months": out, "dated": bool(dated.any())}


def _side(review: dict) -> dict:
    side = {k: review[k] for k in _SIDE_KEYS if k in review}
    d = review["denials"]     # aggregates by CARC: what each side still loses to denials
    side["denials"] = {"claims": d["claims"]["denied"], "rate": d["claims"]["rate"],
                       "dollars": d["claims"]["dollars"],
                       "by_reason": [{k: r[k] for k in _REASON_KEYS} for r in d["by_reason"]]}
    if "underpayments" in review:
        side["underpayments"] = review["underpayments"]["amount"]
    return side


def _data(files) -> ClaimsData:
    return files if isinstance(files, ClaimsData) else read_claims(files)


def _names(files) -> str:
    if isinstance(files, (str, Path)):
        return str(files)
    if isinstance(files, ClaimsData):
        return "the after files"
    return ", ".join(str(f) for f in files)


def vendor_index(scenario: Scenario, name: str) -> int:
    """The index of the vendor called ``name`` (as vendor names compare: ``name_key``); an
    input error naming the vendors there are where none is."""
    names = [v.name for v in scenario.vendors]
    for k, n in enumerate(names):
        if name_key(n) == name_key(name):
            return k
    raise RcmInputError.at(None, "--vendor", f"no vendor named {name!r} in the scenario: "
                           f"give one of {', '.join(names) or '(none)'}")
