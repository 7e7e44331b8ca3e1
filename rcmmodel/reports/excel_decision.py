"""The Decision sheet of the live Excel model: the weighted ranking and the verdict, as formulas.

The rule is the library's (:mod:`rcmmodel.vendors.decision`, docs/methodology.md §6),
written in Excel so that a fee rate, a weight or ``annual_collections`` changed on the
Inputs sheet moves the verdict exactly as ``rcm evaluate`` would:

    eligible        the vendor offers a Business Associate Agreement
    planning gain   net gain a year at the planning uplift (the vendor sheets)
    financial score 100 x max(0, g) / max(g of the eligible vendors), capped at 100;
                    0 for all where no eligible vendor gains (g: planning net gain or NPV)
    other scores    SLA, due diligence and contract risk, each 0-100 (rcmmodel.vendors.assess)
    weighted score  sum(weight x score) / sum(weights)
    place           among eligible vendors: score, then financial score, then name
    recommended     the best-placed eligible vendor whose planning net gain is above 0;
                    "in-house" where none (the defined name ``recommended_vendor``)

The criteria are the library's, in its order (the scenario's weights); a criterion this
module has no formula for (:data:`LIVE`) is written as the library's score, as a value,
and its header says so. Adding a criterion is adding a column.
"""
from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..claims.targets import TARGETS
from ..present.decision_text import criterion_words, reason, whose_weights
from ..present.flags_text import EXCLUDED_LABELS, reasons_text
from ..vendors.assess import CHECKLIST, CORE_KPIS, GRADE_POINTS, UNKNOWN
from ..vendors.alternatives import HALF_CENT
from ..vendors.ranking import TIE
from .excel_cells import (MONEY, PERCENT, SCORE, WRAP, Names, addr, formula,
                          header, note, put, widths)

EXCLUDED = EXCLUDED_LABELS["no_baa"]              # a vendor that refuses a BAA
CENTER = Alignment(horizontal="center")
VALUE_FONT = Font(italic=True, color="7F6000")     # a stored value among formulas


def _sla(k: int, by_path: dict) -> str:
    """The SLA score: each core KPI committed graded green 100, amber 50, red or not
    committed 0 against the benchmark table; their mean."""
    terms = []
    for kpi in CORE_KPIS:
        x, t = by_path[f"vendors[{k - 1}].sla.{kpi}"], TARGETS[kpi]
        green, amber = GRADE_POINTS["green"], GRADE_POINTS["amber"]
        if t.higher_is_better:
            grade = f"IF({x}>={t.green!r},{green!r},IF({x}>={t.amber!r},{amber!r},0))"
        else:
            grade = f"IF({x}<{t.green!r},{green!r},IF({x}<={t.amber!r},{amber!r},0))"
        terms.append(f"IF(COUNT({x})=0,0,{grade})")
    return f"({'+'.join(terms)})/{len(terms)}"


def _due_diligence(k: int, by_path: dict) -> str:
    """100 x the checklist's questions answered "yes" / their number."""
    yes = "+".join(f'({by_path[f"vendors[{k - 1}].profile.{i.key}"]}="yes")'
                   for i in CHECKLIST)
    return f"100*({yes})/{len(CHECKLIST)}"


def _contract(k: int, by_path: dict, vendor_cost: str) -> str:
    """100 - 30 x term - 40 x exit fee - 15 x notice - 15 x auto-renewal, each penalty in
    [0, 1]; a term the quote does not state costs half its penalty
    (:func:`rcmmodel.vendors.assess.contract_risk_score`)."""
    at = f"vendors[{k - 1}].contract"
    term, fee, notice = (by_path.get(f"{at}.{key}") for key in
                         ("term_months", "termination_fee", "notice_days"))
    renewal = by_path[f"{at}.auto_renewal"]
    u = repr(UNKNOWN)
    parts = [
        f"30*MIN(1,MAX(0,({term}-12)/24))" if term else f"30*{u}",
        f"40*IF({fee}<=0,0,IF({vendor_cost}<=0,1,MIN(1,{fee}/({vendor_cost}/4))))"
        if fee else f"40*{u}",
        f"15*MIN(1,MAX(0,({notice}-30)/90))" if notice else f"15*{u}",
        f'15*IF({renewal}="yes",1,IF({renewal}="no",0,{u}))']
    return "100-" + "-".join(parts)


HOW = {"recommended_vendor": "first place among the vendors that pay; in-house where none pays "
                             "(or where fixing billing in-house gains more)",
       "verdict": "outsource to the recommended vendor, improve in-house, or stay in-house",
       "top_vendor": "first place among the vendors that pay, before the in-house alternatives",
       "improves": "the best alternative's net gain is above 0 and above the top vendor's "
                   "(Alternatives sheet; compared on money alone)",
       "financial_best": "the eligible vendor with the highest planning net gain",
       "runner_up": "second place among those that pay; where none pays, the first eligible",
       "margin_score": "weighted score of the recommended vendor less the runner-up's",
       "margin_net_gain": "planning net gain of the recommended vendor less the runner-up's; "
                          "where none pays, what staying in-house beats the runner-up by"}
LIVE = {"sla": _sla, "due_diligence": _due_diligence}      # + financial, contract_risk


class DecisionSheet:
    """Writes the Decision sheet: the ranking, then the verdict's cells, each with a defined
    name (``recommended_vendor``, ``verdict``, ``financial_best``, ``runner_up``,
    ``margin_score``, ``margin_net_gain``)."""

    def __init__(self, wb, names: Names, scenario, vendors, comparison, by_path: dict):
        self.wb, self.names, self.scenario = wb, names, scenario
        self.vendors, self.comparison, self.by_path = vendors, comparison, by_path
        self.ws = wb.create_sheet("Decision")

    def write(self, decision) -> "DecisionSheet":
        ws, n = self.ws, len(self.vendors)
        criteria = list(self.comparison.weights)
        cols = ["vendor", "eligible (BAA)", "quoted uplift", "planning uplift",
                "planning net gain a year", "planning NPV", "pays (eligible, gains > 0)",
                *[f"{criterion_words(c)} score" + ("" if c in LIVE or c in (
                    "financial", "contract_risk") else " (value as exported)")
                  for c in criteria],
                "weighted score", "place in the ranking", "place among those that pay",
                "helper: financial measure if eligible", "helper: net gain if eligible"]
        C = {name: i for i, name in enumerate(["vendor", "eligible", "quoted", "plan", "gain",
                                               "npv", "pays"], start=1)}
        C.update({c: 8 + j for j, c in enumerate(criteria)})
        for j, key in enumerate(["total", "place", "place_pay", "measure", "elig_gain"]):
            C[key] = 8 + len(criteria) + j
        L = {key: get_column_letter(c) for key, c in C.items()}
        note(ws, 1, 1, "The decision, live: every figure here is a formula on the Inputs "
             "sheet (yellow cells). Change a fee, a weight or the collections there and the "
             "ranking and the verdict follow, by the rule of docs/methodology.md §6.")
        # the weights, above their criteria
        put(ws, 3, 1, "weight", bold=True)
        note(ws, 3, 2, f"Whose: {whose_weights(self.scenario.ranking)}; change them on the "
             "Inputs sheet.")
        for c in criteria:
            formula(ws, 3, C[c], self.by_path[f"ranking.weights.{c}"], "0.00", bold=True)
        top, last = 5, 4 + n
        header(ws, 4, cols)
        ws.freeze_panes = "B5"
        ws.row_dimensions[4].height = 45
        for c in range(1, len(cols) + 1):
            ws.cell(row=4, column=c).alignment = WRAP
        widths(ws, {1: 46, **{c: 13 for c in range(2, len(cols) + 1)}, C["eligible"]: 17,
                    C["gain"]: 16, C["npv"]: 16})
        col = {key: f"${L[key]}${top}:${L[key]}${last}" for key in L}
        for i, (cells, spec) in enumerate(zip(self.vendors, self.scenario.vendors)):
            self._vendor_row(i, top, n, cells, spec, criteria, C, L, col)
        # an ineligible vendor's row is greyed out, whatever its figures
        ws.conditional_formatting.add(
            f"A{top}:{get_column_letter(len(cols))}{last}",
            FormulaRule(formula=[f'${L["eligible"]}{top}<>"yes"'],
                        font=Font(color="808080", italic=True)))
        self._verdict(last + 2, col, L, top, decision)
        return self

    def _vendor_row(self, i: int, top: int, n: int, cells, spec, criteria: list, C: dict,
                    L: dict, col: dict) -> None:
        """Vendor ``i``'s row: its planning figures, its scores, its weighted score and its
        place in the ranking and among those that pay."""
        ws, k, r = self.ws, i + 1, top + i
        a = {key: f"{L[key]}{r}" for key in L}
        basis = "npv" if self.comparison.basis == "npv" else "gain"
        best = f"MAX({col['measure']})"
        put(ws, r, 1, spec.name)
        formula(ws, r, C["eligible"], f'IF({cells.ref("eligible")},"yes","{EXCLUDED}")')
        formula(ws, r, C["quoted"], self.by_path[f"vendors[{i}].uplift"], PERCENT)
        formula(ws, r, C["plan"], cells.ref("plan_uplift"), PERCENT)
        formula(ws, r, C["gain"], cells.ref("plan_net_gain"), MONEY)
        formula(ws, r, C["npv"], cells.ref("plan_npv"), MONEY)
        eligible = f'{a["eligible"]}="yes"'
        formula(ws, r, C["pays"], f'IF(AND({eligible},{a["gain"]}>0),"yes","no")')
        for key in ("eligible", "pays"):
            ws.cell(row=r, column=C[key]).alignment = CENTER
        formula(ws, r, C["measure"], f'IF({eligible},{a[basis]},"")', MONEY)
        formula(ws, r, C["elig_gain"], f'IF({eligible},{a["gain"]},"")', MONEY)
        for c in criteria:
            if c == "financial":
                expr = f"IF({best}<=0,0,MIN(100,MAX(0,100*{a[basis]}/{best})))"
            elif c == "contract_risk":
                expr = _contract(k, self.by_path, cells.ref("vendor_cost"))
            elif c in LIVE:
                expr = LIVE[c](k, self.by_path)
            else:              # no formula for it: the library's score, as a value
                cell = put(ws, r, C[c], self.comparison.score_of(spec.name)[c], SCORE)
                cell.font = VALUE_FONT
                continue
            formula(ws, r, C[c], expr, SCORE)
        w = [f"{L[c]}$3" for c in criteria]
        weighted = "+".join(f"{L[c]}{r}*{x}" for c, x in zip(criteria, w))
        formula(ws, r, C["total"], f"({weighted})/SUM({w[0]}:{w[-1]})", SCORE, bold=True)
        others = [j for j in range(n) if j != i]
        beats = [self._beats(L, top + j, r) for j in others]
        formula(ws, r, C["place"], f'IF({eligible},1{"".join("+" + b for b in beats)},"")',
                "0")
        pay = "".join(f'+AND({L["pays"]}{top + j}="yes",{b})' for j, b in zip(others, beats))
        formula(ws, r, C["place_pay"], f'IF({a["pays"]}="yes",1{pay},"")', "0")

    def _beats(self, L: dict, j: int, i: int) -> str:
        """Whether row j ranks above row i: a higher weighted score (beyond float noise), then
        a higher financial score, then the name first in order (rcmmodel.vendors.ranking)."""
        t, f, v = L["total"], L.get("financial"), L["vendor"]
        tie = f"ABS({t}{j}-{t}{i})<={TIE!r}"
        fin = f"OR({f}{j}>{f}{i},AND({f}{j}={f}{i},{v}{j}<{v}{i}))" if f else \
            f"{v}{j}<{v}{i}"
        return f"AND({L['eligible']}{j}=\"yes\",OR({t}{j}-{t}{i}>{TIE!r},AND({tie},{fin})))"

    def _verdict(self, r: int, col: dict, L: dict, top: int, d) -> None:
        ws, names = self.ws, self.names
        put(ws, r, 1, "The decision", bold=True)
        count_pay, count = f"COUNT({col['place_pay']})", f"COUNT({col['place']})"
        who = f"{col['vendor']}"
        top_vendor = f'IF({count_pay}=0,"in-house",INDEX({who},MATCH(1,{col["place_pay"]},0)))'
        runner = (f'IF({count_pay}=0,IF({count}=0,"none",INDEX({who},MATCH(1,{col["place"]},0))),'
                  f'IF({count_pay}<2,"none",INDEX({who},MATCH(2,{col["place_pay"]},0))))')
        score = f'IF({count_pay}<2,"",{self._at(col, "total", 1)}-{self._at(col, "total", 2)})'
        gain = (f'IF({count_pay}=0,IF({count}=0,"",-INDEX({col["gain"]},MATCH(1,{col["place"]},'
                f'0))),IF({count_pay}<2,"",{self._at(col, "gain", 1)}-{self._at(col, "gain", 2)}))')
        outsource = ('IF(recommended_vendor="in-house","Stay in-house",'
                     '"Outsource to "&recommended_vendor)')
        rows = []
        if self.scenario.alternatives:
            # fixing billing in-house wins on money alone (rcmmodel.vendors.alternatives)
            rows += [("top_vendor", "Top of the ranking among those that pay", top_vendor, None),
                     ("improves", "Fixing billing in-house gains more",
                      f"AND(best_alternative_net_gain>0,OR(top_vendor=\"in-house\","
                      f"best_alternative_net_gain>IF(top_vendor=\"in-house\",0,INDEX("
                      f"{col['gain']},MATCH(top_vendor,{who},0)))+{HALF_CENT!r}))", None)]
            top_vendor = 'IF(improves,"in-house",top_vendor)'
            outsource = f'IF(improves,"Improve in-house: "&best_alternative,{outsource})'
            runner = f'IF(improves,IF(top_vendor<>"in-house",top_vendor,{runner}),{runner})'
            score = f'IF(improves,"",{score})'
            gain = (f'IF(improves,IF(runner_up="none","",best_alternative_net_gain-INDEX('
                    f'{col["gain"]},MATCH(runner_up,{who},0))),{gain})')
        rows += [
            ("recommended_vendor", "Recommended", top_vendor, None),
            ("verdict", "Verdict", outsource, None),
            ("financial_best", "Highest planning net gain (eligible)",
             f'IF(COUNT({col["elig_gain"]})=0,"none",INDEX({who},MATCH(MAX({col["elig_gain"]}),'
             f'{col["elig_gain"]},0)))', None),
            ("runner_up", "Runner-up", runner, None),
            ("margin_score", "Lead over the runner-up (score points)", score, SCORE),
            ("margin_net_gain", "Lead over the runner-up (planning net gain a year)", gain,
             MONEY),
        ]
        for key, label, expr, fmt in rows:
            r += 1
            put(ws, r, 1, label, bold=key in ("recommended_vendor", "verdict"))
            formula(ws, r, 2, expr, fmt, bold=key in ("recommended_vendor", "verdict"))
            note(ws, r, 4, f"{HOW[key]} (defined name {names.add(key, ws, r, 2)})")
        r += 2
        put(ws, r, 1, "In words, when exported", bold=True)
        exported = d.recommended or "in-house"
        put(ws, r + 1, 1, "Recommended when exported")
        put(ws, r + 1, 2, exported)
        put(ws, r + 2, 1, "Why, when exported")
        put(ws, r + 3, 2, reason(d))
        formula(ws, r + 2, 2, f'IF(recommended_vendor={addr(r + 1, 2, True)},'
                f'"still the decision: the reason below holds","the inputs have changed the '
                f'decision since export: the reason below is the old one; export again for '
                f'the new one in words")')
        ws.merge_cells(start_row=r + 3, start_column=2, end_row=r + 3, end_column=12)
        ws.cell(row=r + 3, column=2).alignment = WRAP
        ws.row_dimensions[r + 3].height = 15 * (1 + len(reason(d)) // 120)
        for e in d.excluded:
            r += 1
            put(ws, r + 3, 1, f"Excluded: {e['vendor']}")
            put(ws, r + 3, 2, reasons_text(e["reasons"]))

    @staticmethod
    def _at(col: dict, key: str, place: int) -> str:
        """The ``key`` column's value of the vendor at ``place`` among those that pay."""
        return f"INDEX({col[key]},MATCH({place},{col['place_pay']},0))"


__all__ = ["DecisionSheet", "LIVE"]
