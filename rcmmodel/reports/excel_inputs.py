"""The Inputs sheet of the live Excel model: every scenario input, one row each, as numbers.

Each number the model runs on gets a workbook-level defined name (``annual_collections``,
``vendor1_rate``, ...), so the formula sheets read like the model's definitions and a
consultant can change an input in front of a client and watch every result follow.
A distribution is written as its central value (the one ``rcm evaluate`` uses), with the
range in words beside it.

:class:`InputsSheet` records, for every field path such as ``vendors[0].pricing.rate``, the
defined name it wrote, so :mod:`.excel_model` builds its formulas from names only.
"""
from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation

from ..present.labels import inhouse_label
from ..scenario.distributions import Dist, central
from ..scenario.pricing_models import FIELDS, pricing_label, pricing_model
from .excel_cells import (COUNT, DAYS, INPUT_FILL, INTEGER, MONEY, RATE, Names, header, note,
                          put, widths)

NOT_STATED = "not stated"

# kind -> (number format, how one value reads in a sentence)
KINDS = {
    "money": (MONEY, lambda v: f"${v:,.2f}".replace(".00", "")),
    "rate": (RATE, lambda v: f"{v * 100:.4g}%"),
    "count": (COUNT, lambda v: f"{v:,.4g}"),
    "int": (INTEGER, lambda v: f"{v:,.0f}"),
    "days": (DAYS, lambda v: f"{v:g} days"),
    "weight": ("0.00", lambda v: f"{v:g}"),
}


def dist_words(d: Dist, kind: str) -> str:
    """A distribution as a sentence, e.g. 'between 60 days and 120 days, most likely 75 days'."""
    w = KINDS[kind][1]
    p = d.params
    if d.kind in ("triangular", "pert"):
        return f"between {w(p['low'])} and {w(p['high'])}, most likely {w(p['mode'])}"
    if d.kind == "uniform":
        return f"anywhere between {w(p['low'])} and {w(p['high'])}, equally likely"
    if d.kind == "normal":
        return f"about {w(p['mean'])}, give or take {w(p['sd'])} (normal spread)"
    return f"typically {w(p['median'])}, with a long tail towards higher values"


def _answer(x) -> str:
    """A yes/no answer in words: 'yes', 'no' or 'not stated'."""
    return NOT_STATED if x is None else "yes" if x else "no"


class InputsSheet:
    """Writes the Inputs sheet and remembers the defined name of every numeric input."""

    COLS = ["input", "value", "name in formulas", "note"]

    def __init__(self, wb, names: Names):
        self.ws = wb.create_sheet("Inputs")
        self.names = names
        self.by_path: dict[str, str] = {}                    # field path -> defined name
        self.labels: dict[str, tuple[str, str]] = {}         # field path -> (label, kind)
        self.row = 1
        # the yes/no answers offer a drop-down of the three words the formulas understand
        self.choices = DataValidation(type="list", formula1=f'"yes,no,{NOT_STATED}"',
                                      allow_blank=True)
        self.ws.add_data_validation(self.choices)
        header(self.ws, 1, self.COLS)
        self.ws.freeze_panes = "A2"
        widths(self.ws, {1: 46, 2: 18, 3: 36, 4: 110})

    # -- rows ---------------------------------------------------------------------------
    def label(self, path: str, scenario) -> tuple[str, str | None]:
        """(label, number format) of an input for other sheets, a vendor's named."""
        label, kind = self.labels.get(path, (path, None))
        if path.startswith("vendors["):
            k = int(path[len("vendors["):path.index("]")])
            label = f"{scenario.vendors[k].name}: {label[0].lower()}{label[1:]}"
        return label, KINDS[kind][0] if kind in KINDS else None

    def section(self, title: str) -> None:
        self.row += 2 if self.row > 1 else 1
        put(self.ws, self.row, 1, title, bold=True)

    def number(self, path: str, label: str, value, kind: str, name: str,
               why: str | None = None) -> str:
        """One numeric input: its central value, its defined name and a note in words."""
        self.row += 1
        r = self.row
        put(self.ws, r, 1, label)
        fmt = KINDS[kind][0]
        cell = put(self.ws, r, 2, None if value is None else central(value), fmt)
        cell.fill = INPUT_FILL
        name = self.names.add(name, self.ws, r, 2)
        put(self.ws, r, 3, name)
        words = []
        if isinstance(value, Dist):
            words.append(f"Uncertain: {dist_words(value, kind)}. The model uses "
                         f"{KINDS[kind][1](value.central)}; the Monte Carlo in the reports "
                         "draws the whole range.")
        if why:
            words.append(why)
        if words:
            note(self.ws, r, 4, " ".join(words))     # the last column: it may run on
        self.by_path[path] = name
        self.labels[path] = (label, kind)
        return name

    def text(self, label: str, value, why: str | None = None) -> None:
        """A value that no formula reads (a name, a yes/no answer, a word)."""
        self.row += 1
        put(self.ws, self.row, 1, label)
        put(self.ws, self.row, 2, value)
        if why:
            note(self.ws, self.row, 4, why)

    def answer(self, path: str, label: str, value, name: str) -> str:
        """A yes/no answer ('yes', 'no' or 'not stated'), named for formulas that read it."""
        self.row += 1
        r = self.row
        put(self.ws, r, 1, label)
        cell = put(self.ws, r, 2, _answer(value))
        cell.fill = INPUT_FILL
        self.choices.add(cell)
        name = self.names.add(name, self.ws, r, 2)
        put(self.ws, r, 3, name)
        self.by_path[path] = name
        self.labels[path] = (label, "answer")
        return name

    # -- the scenario -------------------------------------------------------------------
    def write(self, scenario) -> "InputsSheet":
        self._practice(scenario)
        self._inhouse(scenario.inhouse)
        self._timeline(scenario.timeline)
        for k, vendor in enumerate(scenario.vendors, start=1):
            self._vendor(k, vendor)
        self._ranking(scenario)
        self._capacity(scenario.capacity)
        return self

    def _practice(self, s) -> None:
        p = s.practice
        put(self.ws, 1, 1, "input", bold=True)
        self.section("The practice")
        self.text("Practice", s.name)
        self.text("Specialty", p.specialty.replace("_", " "))
        self.number("practice.providers", "Providers", p.providers, "int", "providers")
        self.number("practice.annual_collections", "Annual collections today",
                    p.annual_collections, "money", "annual_collections",
                    "What the practice collects a year today, before any vendor.")
        self.number("practice.annual_charges", "Annual charges", p.annual_charges, "money",
                    "annual_charges",
                    None if p.annual_charges is not None else
                    "Not given: needed only for a fee charged on charges.")
        self.number("practice.claims_per_month", "Claims a month", p.claims_per_month,
                    "count", "claims_per_month")
        self.number("practice.patient_statements_per_month", "Patient statements a month",
                    p.patient_statements_per_month, "count", "patient_statements_per_month")
        if p.claims_files:
            from pathlib import PurePath
            self.text("Claims files", ", ".join(PurePath(f).name for f in p.claims_files),
                      "The practice's own claims data: the KPIs sheet is measured from it.")
        measured = set(s.measured_kpis)
        kpis = [("days_in_ar", "Days in A/R today", "days"),
                ("clean_claim_rate", "Clean claim rate today", "rate"),
                ("net_collection_rate", "Net collection rate today", "rate"),
                ("denial_rate", "Denial rate today", "rate"),
                ("ar_over_90", "Share of A/R over 90 days today", "rate")]
        for key, label, kind in kpis:
            value = getattr(p.baseline_kpis, key)
            why = ("Measured from the practice's claims files." if key in measured else
                   NOT_STATED.capitalize() + "." if value is None else None)
            self.number(f"practice.baseline_kpis.{key}", label, value, kind, f"baseline_{key}",
                        why)

    def _inhouse(self, h) -> None:
        self.section("Billing in-house today")
        if h.annual_cost is not None:
            self.number("inhouse.annual_cost", "In-house billing cost a year (total)",
                        h.annual_cost, "money", "inhouse_annual_cost",
                        "Given as one total: it is the in-house cost of ownership.")
        for i, m in enumerate(h.staff):
            who = m.role or f"Staff member {i + 1}"
            self.number(f"inhouse.staff[{i}].fte", f"{who}: full-time equivalents", m.fte,
                        "count", f"staff{i + 1}_fte")
            self.number(f"inhouse.staff[{i}].salary", f"{who}: salary a year", m.salary,
                        "money", f"staff{i + 1}_salary")
        if h.annual_cost is None:
            self.number("inhouse.payroll_tax_rate", "Payroll tax (share of wages)",
                        h.payroll_tax_rate, "rate", "payroll_tax_rate")
            self.number("inhouse.benefits_rate", "Benefits (share of wages)", h.benefits_rate,
                        "rate", "benefits_rate")
            for i, (key, amount) in enumerate(h.costs.items(), start=1):
                self.number(f"inhouse.costs.{key}", f"{inhouse_label(key)} a year", amount,
                            "money", f"cost_{self.names.slug(key, str(i))}")
            self.number("inhouse.turnover.annual_rate", "Staff turnover a year (share of FTEs)",
                        h.turnover.annual_rate, "rate", "turnover_rate")
            self.number("inhouse.turnover.cost_per_departure", "Cost of replacing a leaver",
                        h.turnover.cost_per_departure, "money", "cost_per_departure")
        self.number("inhouse.residual_after_outsourcing", "In-house cost that stays after "
                    "outsourcing", h.residual_after_outsourcing, "money", "residual_cost")

    def _timeline(self, t) -> None:
        self.section("Timeline")
        self.number("timeline.horizon_months", "Months modelled", t.horizon_months, "int",
                    "horizon_months", f"The timeline sheets have rows for {t.horizon_months} "
                    "months: a shorter horizon works here, a longer one needs a new export.")
        self.number("timeline.discount_rate", "Discount rate a year", t.discount_rate, "rate",
                    "discount_rate")
        self.number("timeline.parallel_run_days", "Days both run in parallel",
                    t.parallel_run_days, "days", "parallel_run_days",
                    "In-house costs continue while the vendor onboards.")
        self.number("timeline.ramp_days", "Days until the full uplift", t.ramp_days, "days",
                    "ramp_days", "The uplift grows in a straight line to full.")

    def _vendor(self, k: int, v) -> None:
        at, tag = f"vendors[{k - 1}]", f"vendor{k}"
        self.section(f"Vendor {k}: {v.name}")
        self.text("Vendor", v.name)
        p = v.pricing
        self.text("Pricing", pricing_label(v))
        for key in pricing_model(p).fields:       # the registry's fields and labels
            field, value = FIELDS[key], getattr(p, key)
            if field.kind in ("rate", "money") and value is not None:
                label = field.label + (f" (on {p.base})" if key == "rate" else "")
                self.number(f"{at}.pricing.{key}", label, value, field.kind, f"{tag}_{key}")
        tiers = p.tiers or []
        for j, tier in enumerate(tiers, start=1):
            low = central(tiers[j - 2].up_to) if j > 1 else 0.0
            band = (f"above ${low:,.0f}" if tier.up_to is None else
                    f"up to ${central(tier.up_to):,.0f}" if j == 1 else
                    f"${low:,.0f} to ${central(tier.up_to):,.0f}")
            if tier.up_to is not None:
                self.number(f"{at}.pricing.tiers[{j - 1}].up_to", f"Tier {j}: top of the band "
                            "(collections a year)", tier.up_to, "money", f"{tag}_tier{j}_up_to",
                            "The bands are marginal: each rate applies to the part of a "
                            "year's collections inside its band." if j == 1 else None)
            self.number(f"{at}.pricing.tiers[{j - 1}].rate", f"Tier {j} rate ({band})",
                        tier.rate, "rate", f"{tag}_tier{j}_rate")
        self.number(f"{at}.uplift", "Expected rise in collections (uplift)", v.uplift, "rate",
                    f"{tag}_uplift", None if "uplift" in v.model_fields_set else
                    "Not quoted: no rise in collections is assumed.")
        f = v.fees
        for key, label in [("setup", "Setup fee (month 1)"),
                           ("monthly_minimum", "Monthly minimum service fee"),
                           ("per_statement", "Fee per patient statement"),
                           ("per_provider_monthly", "Fee per provider a month"),
                           ("credentialing_per_provider", "Credentialing fee per provider "
                            "(month 1)")]:
            self.number(f"{at}.fees.{key}", label, getattr(f, key), "money", f"{tag}_{key}")
        for i, (key, amount) in enumerate(f.other_annual.items(), start=1):
            self.number(f"{at}.fees.other_annual.{key}", f"{key.replace('_', ' ').capitalize()}"
                        " a year", amount, "money", f"{tag}_{self.names.slug(key, f'extra{i}')}")
        self._terms(at, tag, v)

    def _terms(self, at: str, tag: str, v) -> None:
        sla = v.sla
        for key, label, kind in [("days_in_ar", "SLA: days in A/R", "days"),
                                 ("clean_claim_rate", "SLA: clean claim rate", "rate"),
                                 ("net_collection_rate", "SLA: net collection rate", "rate"),
                                 ("denial_rate", "SLA: denial rate", "rate"),
                                 ("ar_over_90", "SLA: share of A/R over 90 days", "rate")]:
            value = getattr(sla, key) if sla else None
            self.number(f"{at}.sla.{key}", label, value, kind, f"{tag}_sla_{key}",
                        NOT_STATED.capitalize() + "." if value is None else None)
        c, given = v.contract, v.contract.model_fields_set
        for key, label, kind in [("term_months", "Contract term (months)", "int"),
                                 ("termination_fee", "Termination fee", "money"),
                                 ("notice_days", "Notice period (days)", "days")]:
            if key in given:
                self.number(f"{at}.contract.{key}", label, getattr(c, key), kind,
                            f"{tag}_{key}")
            else:
                self.text(label, NOT_STATED)
        self.answer(f"{at}.contract.auto_renewal", "Renews automatically", c.auto_renewal,
                    f"{tag}_auto_renewal")
        from ..vendors.assess import CHECKLIST
        for item in CHECKLIST:
            self.answer(f"{at}.profile.{item.key}", item.label,
                        getattr(v.profile, item.key), f"{tag}_{item.key}")

    def _ranking(self, s) -> None:
        self.section("Ranking weights (used by the ranking sheet, which holds values)")
        from ..vendors.decision import CRITERION_WORDS

        w = s.ranking.weights
        for key in type(w).model_fields:
            self.number(f"ranking.weights.{key}", f"Weight of {CRITERION_WORDS[key]}",
                        getattr(w, key), "weight", f"weight_{key}")
        self.text("Financial criterion", "NPV" if s.ranking.basis == "npv" else
                  "steady-state net gain")

    def _capacity(self, c) -> None:
        self.section("Growth (used by the reports' capacity view, not by these formulas)")
        rows = [("claims_growth_rate", "Claims growth a year", "rate", None),
                ("claims_per_fte_per_day", "Claims one biller handles a workday", "count", None),
                ("workdays_per_year", "Workdays a year", "int", None),
                ("current_fte", "Billing FTEs today", "count", "Not given: the staff's FTEs."),
                ("cost_per_fte", "Cost of one more hire a year", "money",
                 "Not given: the staff's average loaded cost."),
                ("years", "Years projected", "int", "Not given: the horizon, in years.")]
        for key, label, kind, default in rows:
            value = getattr(c, key)
            self.number(f"capacity.{key}", label, value, kind, f"growth_{key}",
                        default if value is None else None)
