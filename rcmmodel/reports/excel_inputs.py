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

from ..present.assumptions import source_text
from ..present.labels import field_label, field_unit, value_text
from ..scenario.distributions import Dist, central
from ..pricing import pricing_label, pricing_model
from ..scenario.schema import KPIs
from .excel_cells import (COUNT, DAYS, INPUT_FILL, INTEGER, MONEY, RATE, Names, header, note,
                          put, widths)

NOT_STATED = "not stated"

# A field's unit (rcmmodel.present.labels.field_unit) -> the cell's number format.
FORMATS = {"money": MONEY, "fee": MONEY, "rate": RATE, "days": DAYS, "months": INTEGER,
           "count": COUNT, "fte": COUNT, "years": INTEGER, "weight": "0.00"}


def _answer(x) -> str:
    """A yes/no answer in words: 'yes', 'no' or 'not stated'."""
    return NOT_STATED if x is None else "yes" if x else "no"


def input_format(path: str) -> str | None:
    """The number format of a scenario field's cell, from its unit."""
    return FORMATS.get(field_unit(path))


class InputsSheet:
    """Writes the Inputs sheet and remembers the defined name of every numeric input."""

    COLS = ["input", "value", "name in formulas", "note"]

    def __init__(self, wb, names: Names):
        self.ws = wb.create_sheet("Inputs")
        self.names = names
        self.by_path: dict[str, str] = {}                    # field path -> defined name
        self.sources: dict = {}                              # field path -> its source
        self.row = 1
        # the yes/no answers offer a drop-down of the three words the formulas understand
        self.choices = DataValidation(type="list", formula1=f'"yes,no,{NOT_STATED}"',
                                      allow_blank=True)
        self.ws.add_data_validation(self.choices)
        header(self.ws, 1, self.COLS)
        self.ws.freeze_panes = "A2"
        widths(self.ws, {1: 46, 2: 18, 3: 36, 4: 110})

    # -- rows ---------------------------------------------------------------------------
    def section(self, title: str) -> None:
        self.row += 2 if self.row > 1 else 1
        put(self.ws, self.row, 1, title, bold=True)

    def number(self, path: str, value, name: str, why: str | None = None,
               label: str | None = None) -> str:
        """One numeric input: its label (the field's, unless given) and central value, its
        defined name, and a note in words (a distribution's range, a default)."""
        self.row += 1
        r = self.row
        put(self.ws, r, 1, label or field_label(path, self.scenario, vendor=False))
        cell = put(self.ws, r, 2, None if value is None else central(value), input_format(path))
        cell.fill = INPUT_FILL
        name = self.names.add(name, self.ws, r, 2)
        put(self.ws, r, 3, name)
        words = []
        if isinstance(value, Dist):
            words.append(f"Uncertain: {value_text(path, value)}. The model uses "
                         f"{value_text(path, value.central)}; the reports' Monte Carlo draws "
                         "the whole range.")
        if why:
            words.append(why)
        if path in self.sources:
            words.append(f"Source: {source_text(self.sources, path)}.")
        if words:
            note(self.ws, r, 4, " ".join(words))     # the last column: it may run on
        self.by_path[path] = name
        return name

    def text(self, label: str, value, why: str | None = None) -> None:
        """A value that no formula reads (a name, a yes/no answer, a word)."""
        self.row += 1
        put(self.ws, self.row, 1, label)
        put(self.ws, self.row, 2, value)
        if why:
            note(self.ws, self.row, 4, why)

    def answer(self, path: str, value, name: str) -> str:
        """A yes/no answer ('yes', 'no' or 'not stated'), named for formulas that read it."""
        self.row += 1
        r = self.row
        put(self.ws, r, 1, field_label(path, self.scenario, vendor=False))
        cell = put(self.ws, r, 2, _answer(value))
        cell.fill = INPUT_FILL
        self.choices.add(cell)
        name = self.names.add(name, self.ws, r, 2)
        put(self.ws, r, 3, name)
        self.by_path[path] = name
        return name

    # -- the scenario -------------------------------------------------------------------
    def write(self, scenario) -> "InputsSheet":
        from ..model.provenance import input_sources

        self.scenario = scenario
        self.sources = {i.path: i for i in input_sources(scenario)}
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
        self.section("The practice")
        self.text("Practice", s.name)
        self.text("Specialty", p.specialty.replace("_", " "))
        self.number("practice.providers", p.providers, "providers")
        self.number("practice.annual_collections", p.annual_collections, "annual_collections",
                    "What the practice collects a year today, before any vendor.")
        self.number("practice.annual_charges", p.annual_charges, "annual_charges",
                    None if p.annual_charges is not None else
                    "Not given: needed only for a fee charged on charges.")
        self.number("practice.claims_per_month", p.claims_per_month, "claims_per_month")
        self.number("practice.patient_statements_per_month", p.patient_statements_per_month,
                    "patient_statements_per_month")
        if p.claims_files:
            # a count, not the names: a file name can carry a patient's name
            n = len(p.claims_files)
            self.text("Claims files", f"{n} file{'s' if n != 1 else ''}",
                      "The practice's own claims data (named in the scenario file): the KPIs "
                      "sheet is measured from it.")
        self._evidence(s.claims_evidence)
        measured = set(s.measured_kpis)
        for key in type(p.baseline_kpis).model_fields:
            value = getattr(p.baseline_kpis, key)
            why = ("Measured from the practice's claims files." if key in measured else
                   NOT_STATED.capitalize() + "." if value is None else None)
            self.number(f"practice.baseline_kpis.{key}", value, f"baseline_{key}", why)

    def _evidence(self, ev) -> None:
        """What the practice's claims show being lost a year, at most: the cap of every
        quote's planning uplift (docs/methodology.md §6), where the claims are usable."""
        if ev is None or not ev.usable:
            return
        self.row += 1
        r = self.row
        put(self.ws, r, 1, "Lost a year that a vendor could win back, at most")
        cell = put(self.ws, r, 2, ev.high, RATE)
        cell.fill = INPUT_FILL
        name = self.names.add("evidence_high", self.ws, r, 2)
        put(self.ws, r, 3, name)
        period = f" ({ev.start} to {ev.end})" if ev.start else ""
        note(self.ws, r, 4, f"Measured from claims{period}: {ev.claims:,} adjudicated claims; "
             "denials not overturned and underpayments, as a share of collections (old A/R "
             "is one-time and not counted). Each quote's planning uplift is at most this.")
        self.by_path["claims.evidence_high"] = name

    def _inhouse(self, h) -> None:
        self.section("Billing in-house today")
        if h.annual_cost is not None:
            self.number("inhouse.annual_cost", h.annual_cost, "inhouse_annual_cost",
                        "Given as one total: it is the in-house cost of ownership.")
        for i, m in enumerate(h.staff):
            self.number(f"inhouse.staff[{i}].fte", m.fte, f"staff{i + 1}_fte")
            self.number(f"inhouse.staff[{i}].salary", m.salary, f"staff{i + 1}_salary")
        if h.annual_cost is None:
            self.number("inhouse.payroll_tax_rate", h.payroll_tax_rate, "payroll_tax_rate",
                        "A share of wages.")
            self.number("inhouse.benefits_rate", h.benefits_rate, "benefits_rate",
                        "A share of wages.")
            for i, (key, amount) in enumerate(h.costs.items(), start=1):
                self.number(f"inhouse.costs.{key}", amount,
                            f"cost_{self.names.slug(key, str(i))}", "A year.")
            self.number("inhouse.turnover.annual_rate", h.turnover.annual_rate,
                        "turnover_rate", "A share of the billing FTEs.")
            self.number("inhouse.turnover.cost_per_departure", h.turnover.cost_per_departure,
                        "cost_per_departure")
        self.number("inhouse.residual_after_outsourcing", h.residual_after_outsourcing,
                    "residual_cost", "A year.")

    def _timeline(self, t) -> None:
        self.section("Timeline")
        self.number("timeline.horizon_months", t.horizon_months, "horizon_months",
                    f"The vendor sheets have rows for {t.horizon_months} months: a shorter "
                    "horizon works here, a longer one needs a new export.")
        self.number("timeline.discount_rate", t.discount_rate, "discount_rate")
        self.number("timeline.parallel_run_days", t.parallel_run_days, "parallel_run_days",
                    "In-house costs continue while the vendor onboards.")
        self.number("timeline.ramp_days", t.ramp_days, "ramp_days",
                    "The uplift grows in a straight line to full.")

    def _vendor(self, k: int, v) -> None:
        at, tag = f"vendors[{k - 1}]", f"vendor{k}"
        self.section(f"Vendor {k}: {v.name}")
        self.text("Vendor", v.name)
        p = v.pricing
        self.text("Pricing", pricing_label(v))
        for f in pricing_model(p).fields:       # the registry's fields
            key = f.name
            if f.numeric and getattr(p, key) is not None:
                self.number(f"{at}.pricing.{key}", getattr(p, key), f"{tag}_{key}",
                            f"A share of {p.base}." if key == "rate" and
                            getattr(p, "base", None) else None)
            if f.kind != "tiers":
                continue
            for j, tier in enumerate(getattr(p, key) or [], start=1):
                if tier.up_to is not None:
                    self.number(f"{at}.pricing.{key}[{j - 1}].up_to", tier.up_to,
                                f"{tag}_tier{j}_up_to",
                                "The bands are marginal: each rate applies to the part of a "
                                "year's collections inside its band." if j == 1 else None)
                self.number(f"{at}.pricing.{key}[{j - 1}].rate", tier.rate,
                            f"{tag}_tier{j}_rate")
        self.number(f"{at}.uplift", v.uplift, f"{tag}_uplift",
                    "The expected rise in collections." if "uplift" in v.model_fields_set
                    else "Not quoted: no rise in collections is assumed.")
        f = v.fees
        for key in ("setup", "monthly_minimum", "per_statement", "per_provider_monthly",
                    "credentialing_per_provider"):
            self.number(f"{at}.fees.{key}", getattr(f, key), f"{tag}_{key}",
                        "One-time, in month 1." if key in ("setup",
                                                           "credentialing_per_provider")
                        else None)
        for i, (key, amount) in enumerate(f.other_annual.items(), start=1):
            self.number(f"{at}.fees.other_annual.{key}", amount,
                        f"{tag}_{self.names.slug(key, f'extra{i}')}")
        self._terms(at, tag, v)

    def _terms(self, at: str, tag: str, v) -> None:
        for key in KPIs.model_fields:
            value = getattr(v.sla, key) if v.sla else None
            self.number(f"{at}.sla.{key}", value, f"{tag}_sla_{key}",
                        NOT_STATED.capitalize() + "." if value is None else None)
        c, given = v.contract, v.contract.model_fields_set
        for key in ("term_months", "termination_fee", "notice_days"):
            if key in given and getattr(c, key) is not None:
                self.number(f"{at}.contract.{key}", getattr(c, key), f"{tag}_{key}")
            else:
                self.text(field_label(f"{at}.contract.{key}", vendor=False), NOT_STATED)
        self.answer(f"{at}.contract.auto_renewal", c.auto_renewal, f"{tag}_auto_renewal")
        for key in type(v.profile).model_fields:
            self.answer(f"{at}.profile.{key}", getattr(v.profile, key), f"{tag}_{key}")

    def _ranking(self, s) -> None:
        from ..present.decision_text import whose_weights

        rk = s.ranking
        self.section("Ranking weights (the Decision sheet ranks the quotes with them)")
        whose = whose_weights(rk)
        builtin, own = type(rk.weights).model_fields, 0
        for key, weight in rk.effective_weights.items():
            # a criterion of the practice's own is labelled by its name: weight_own1, ...
            own += key not in builtin
            self.number(f"ranking.weights.{key}", weight,
                        f"weight_{key if key in builtin else f'own{own}'}",
                        f"Whose: {whose}. Only the ratios of the weights matter.",
                        None if key in builtin else f"Weight of {key}")
        self.text(field_label("ranking.basis"), "NPV" if rk.basis == "npv" else
                  "steady-state net gain", "Fixed when exported: export again to change it.")

    def _capacity(self, c) -> None:
        self.section("Growth (used by the reports' capacity view, not by these formulas)")
        defaults = {"current_fte": "the staff's FTEs",
                    "cost_per_fte": "the staff's average loaded cost",
                    "years": "the horizon, in years"}
        for key in type(c).model_fields:
            value = getattr(c, key)
            self.number(f"capacity.{key}", value, f"growth_{key}",
                        f"Not given: {defaults[key]}." if value is None and key in defaults
                        else None)
