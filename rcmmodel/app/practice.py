"""Step 1, "Your practice": where the figures come from, and what billing costs in-house.

It starts empty, with a prompt for each figure, or from a scenario file she opens, or from
an example. In-house cost is a total or staff and costs, with the payroll tax and
benefits rates on screen. Switching between the two never swaps her figure for a default:
until the staff are filled in, the total she gave stays in use and the page says so.
Claims files (835, 837, ledger) measure her baseline KPIs and fill what they can.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..describe import money
from ..errors import RcmInputError
from ..present.labels import APP_FIELDS
from . import session as ses
from .binding import Bound
from .claims import ACCEPT, enough_data
from .losses import LossesPanel
from .confirm import Confirm
from .controls import NumberField, error_html, note_html, warning_html
from .transfer import MAX_UPLOAD, Upload, size_text

COSTS = ("training", "software", "clearinghouse", "office_space")
TOTAL, STAFF = "A total", "Staff and costs"


def section(title: str, line: str = "") -> w.HTML:
    """A step's section heading, with a line of help under it."""
    sub = f"<div class='rcm-help'>{html.escape(line)}</div>" if line else ""
    return w.HTML(f"<h3 class='rcm-section'>{html.escape(title)}</h3>{sub}")


def grid(children) -> w.VBox:
    """Fields side by side where the page is wide, one under another on a phone."""
    box = w.VBox(children, layout=w.Layout(width="100%"))
    box.add_class("rcm-grid")
    return box


# The names app/quotes.py still imports; it moves to section/grid when the app's two stacks
# are merged (that file is being reworked elsewhere), then these go.


class StaffRow:
    """One person (or role) billing in-house: role, FTE and salary."""

    def __init__(self, on_change, on_remove):
        self.role = w.Text(description="Role", placeholder="e.g. Billing specialist",
                           style={"description_width": "initial"}, continuous_update=False,
                           layout=w.Layout(width="100%", max_width="460px"))
        self.role.add_class("rcm-text")
        self.fte = NumberField(APP_FIELDS["fte"][0], None, help=APP_FIELDS["fte"][1],
                               low=0, low_open=True, slider=None, placeholder="e.g. 1",
                               on_change=on_change)
        self.salary = NumberField(APP_FIELDS["salary"][0], None, unit="money",
                                  help=APP_FIELDS["salary"][1], slider=None,
                                  placeholder="e.g. 45,000", on_change=on_change)
        self.remove = w.Button(description="Remove this person", layout=w.Layout(width="auto"))
        self.remove.on_click(lambda _b: on_remove(self))
        self.role.observe(lambda _c: on_change(None), "value")
        self.box = w.VBox([self.role, self.fte.box, self.salary.box, self.remove],
                          layout=w.Layout(border_left="3px solid #ddd", padding="0 0 0 8px",
                                          margin="0 0 8px 0"))

    def entry(self) -> dict | None:
        if self.fte.value is None or self.salary.value is None:
            return None
        return {"role": self.role.value.strip() or "Billing staff", "fte": self.fte.value,
                "salary": self.salary.value}


class PracticeStep:
    """The practice's figures and in-house cost, bound to the shared session."""

    def __init__(self, session: ses.Session, examples: list[tuple[str, str]]):
        self.session = session
        self.loading = False
        self.examples = examples
        change = self._changed
        B = Bound
        self.name = w.Text(description=APP_FIELDS["name"][0], continuous_update=False,
                           style={"description_width": "initial"},
                           layout=w.Layout(width="100%", max_width="460px"))
        self.name.add_class("rcm-text")
        self.name.add_class("rcm-wide")
        self.name.observe(lambda c: None if self.loading else self._changed(None), "value")
        self.fields = {
            "annual_collections": B("annual_collections", ("practice", "annual_collections"),
                                    change, unit="money", low=0, low_open=True,
                                    slider=(50_000, 3_000_000, 5_000),
                                    placeholder="e.g. 500,000"),
            "claims_per_month": B("claims_per_month", ("practice", "claims_per_month"), change,
                                  slider=(0, 5_000, 10), placeholder="e.g. 400",
                                  optional=True),
            "providers": B("providers", ("practice", "providers"), change, integer=True,
                           default=1,
                           low=1, slider=None, placeholder="e.g. 2", optional=True),
            "annual_charges": B("annual_charges", ("practice", "annual_charges"), change,
                                unit="money", slider=None, optional=True),
            "patient_statements_per_month": B("patient_statements_per_month",
                                              ("practice", "patient_statements_per_month"),
                                              change, slider=None, optional=True),
        }
        self.total = B("inhouse_total", ("inhouse", "annual_cost"), change, unit="money",
                       slider=(0, 300_000, 500), placeholder="e.g. 40,000", optional=True)
        pct = dict(unit="percent", scale=100, slider=None, optional=True)
        self.rates = {
            "payroll_tax_rate": B("payroll_tax_rate", ("inhouse", "payroll_tax_rate"), change,
                                  high=100, expect=(2, 20), default=0.0765, **pct),
            "benefits_rate": B("benefits_rate", ("inhouse", "benefits_rate"), change,
                               expect=(2, 60), default=0.20, **pct),
        }
        self.costs = {k: B(k, ("inhouse", "costs", k), change, unit="money", slider=None,
                           optional=True) for k in COSTS}
        self.turnover = {
            "annual_rate": B("turnover_rate", ("inhouse", "turnover", "annual_rate"), change,
                             expect=(2, 100), **pct),
            "cost_per_departure": B("cost_per_departure",
                                    ("inhouse", "turnover", "cost_per_departure"), change,
                                    unit="money", slider=None, optional=True),
        }
        self.residual = B("residual", ("inhouse", "residual_after_outsourcing"), change,
                          unit="money", slider=None, optional=True)
        self.mode = w.ToggleButtons(options=[TOTAL, STAFF], description="In-house cost as",
                                    style={"description_width": "initial",
                                           "button_width": "auto"})
        self.mode.observe(self._on_mode, "value")
        self.staff: list[StaffRow] = []
        self.staff_box = w.VBox([])
        self.add_staff = w.Button(description="Add a person", icon="plus",
                                  layout=w.Layout(width="auto"))
        self.add_staff.on_click(lambda _b: self._add_row(focus=True))
        self.mode_note = w.HTML("")
        self.other_costs: dict = {}
        self.total_box = w.VBox([self.total.box])
        self.staff_box.add_class("rcm-grid")
        self.staff_part = w.VBox([
            self.staff_box, self.add_staff, grid([b.box for b in self.rates.values()]),
            section("Other in-house costs a year"),
            grid([b.box for b in [*self.costs.values(), *self.turnover.values()]])])
        # starting points
        self.start_empty = w.Button(description="Start empty", icon="file-o",
                                    layout=w.Layout(width="auto"))
        self.confirm = Confirm()
        self.start_empty.on_click(lambda _b: self._discarding(
            "Start empty? Everything you entered is cleared (save it first under Take "
            "home to keep it).", "Clear everything",
            lambda: self.session.replace(ses.empty())))
        self.example = w.Dropdown(description="Or an example",
                                  options=[("Choose an example...", "")] + examples,
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="100%", max_width="460px"))
        self.example.observe(self._on_example, "value")
        self.open = Upload(self._on_open, label="Open scenario (YAML)", accept=".yaml,.yml",
                           max_bytes=5 * 1024 * 1024)
        self.open.add_class("rcm-open-scenario")
        self.claims = Upload(self._on_claims, label="Upload claims files (835, 837, ledger)",
                             accept=ACCEPT, multiple=True)
        self.claims.add_class("rcm-upload-claims")
        self.claims_out = w.HTML("")
        self.losses = LossesPanel(session)
        self.problems = w.HTML("")
        self.widget = w.VBox([
            section("Start", "Start empty and type your figures, open a scenario you saved, "
                     "or look at an example practice."),
            w.HBox([self.start_empty, self.open], layout=w.Layout(flex_flow="row wrap")),
            self.example, self.confirm.widget,
            section("Your practice"), self.name,
            grid([b.box for b in self.fields.values()]),
            section("Billing in-house today", "What billing costs you now: the cost you "
                     "save by outsourcing. Give a total, or the staff and costs it adds up "
                     "from."),
            self.mode, self.mode_note, self.total_box, self.staff_part, self.residual.box,
            section("Your claims (optional)", "Upload 835 remittances, 837 claims or a "
                     f"claims ledger (CSV or Excel, up to {size_text(MAX_UPLOAD)}) to measure how billing "
                     "works today. Only totals are shown; nothing leaves this computer."),
            self.claims, self.claims_out, self.problems, self.losses.widget,
        ], layout=w.Layout(width="100%"))
        self.widget.add_class("rcm-step-practice")
        session.listen(self._on_session)
        self.load(session.data)

    # -- loading -------------------------------------------------------------------------

    def load(self, data: dict) -> None:
        self.loading = True
        try:
            self.name.value = str(data.get("name") or "")
            for b in [*self.fields.values(), self.total, *self.rates.values(),
                      *self.costs.values(), *self.turnover.values(), self.residual]:
                b.load(data)
            h = data.get("inhouse", {})
            self.other_costs = {k: v for k, v in (h.get("costs") or {}).items()
                                if k not in COSTS}
            for r in list(self.staff):
                self._remove_row(r, quiet=True)
            for s in h.get("staff") or []:
                row = self._add_row(quiet=True)
                row.role.value = str(s.get("role", ""))
                row.fte.set_quietly(ses.central(s.get("fte")))
                row.salary.set_quietly(ses.central(s.get("salary")))
            if not self.staff:
                self._add_row(quiet=True)
            self.mode.value = STAFF if h.get("staff") else TOTAL
            self._show_mode()
            self.claims_out.value = ""
            self.claims.status = ""
        finally:
            self.loading = False

    def _on_session(self, session, reload) -> None:
        if reload:
            self.load(session.data)
            self.problems.value = ""
        self._needs(session)

    def _needs(self, session) -> None:
        """Under a practice figure a quote's price needs and she has not given: which
        quote needs it ("Claims a month is needed for BudgetBill's per-claim price")."""
        from .stale import volume_needs

        needs = volume_needs(session.data)
        for key, b in self.fields.items():
            f = b.field
            if not f.valid:
                continue
            text = " ".join(needs.get(key, [])) if f.value is None else ""
            if text or getattr(f, "_need_shown", False):
                f.message.value = warning_html(text) if text else ""
                f._need_shown = bool(text)

    def has_work(self) -> bool:
        """Whether she has entered anything that starting over would lose."""
        d = self.session.data
        return bool(d.get("practice") or d.get("inhouse") or d.get("vendors"))

    def _discarding(self, question, yes, action, on_cancel=None) -> None:
        if self.has_work():
            self.confirm.ask(question, yes, action, on_cancel)
        else:
            action()

    def _on_example(self, change) -> None:
        if change["new"] and not self.loading:
            label = dict((v, k) for k, v in self.examples).get(change["new"], "the example")
            self._discarding(f"Open {label}? It replaces everything you entered (save it "
                             "first under Take home to keep it).", "Open the example",
                             lambda: self._open_example(change["new"]), self._reset_example)

    def _reset_example(self) -> None:
        self.loading = True
        try:
            self.example.value = ""
        finally:
            self.loading = False

    def _open_example(self, path) -> None:
        try:
            self.session.open_file(path)
        except RcmInputError as exc:
            self.problems.value = "".join(error_html(str(p)) for p in exc.problems)

    def _on_open(self, items) -> str:
        (name, path), = items[:1]
        try:
            self.session.open_file(path, shown_name=name)
        except RcmInputError as exc:
            return "This file cannot be opened: " + "; ".join(str(p) for p in exc.problems)
        return f"Opened {name}."

    # -- in-house ------------------------------------------------------------------------

    def _add_row(self, quiet: bool = False, focus: bool = False) -> StaffRow:
        row = StaffRow(self._changed, self._remove_row)
        self.staff.append(row)
        self.staff_box.children = [r.box for r in self.staff]
        return row

    def _remove_row(self, row: StaffRow, quiet: bool = False) -> None:
        self.staff.remove(row)
        self.staff_box.children = [r.box for r in self.staff]
        if not quiet:
            self._changed(None)

    def _on_mode(self, change) -> None:
        if not self.loading:
            self._show_mode()
            self._changed(None)

    def _show_mode(self) -> None:
        staff = self.mode.value == STAFF
        self.total_box.layout.display = "none" if staff else ""
        self.staff_part.layout.display = "" if staff else "none"

    def inhouse(self) -> dict:
        """The ``inhouse:`` block the fields describe."""
        out: dict = {}
        scratch = {"inhouse": out}
        rows = [r.entry() for r in self.staff]
        complete = [r for r in rows if r]
        total = self.total.field.value
        if self.mode.value == STAFF and complete:
            out["staff"] = complete
            for b in [*self.rates.values(), *self.costs.values(), *self.turnover.values()]:
                b.store(scratch)
            if self.other_costs:
                out.setdefault("costs", {}).update(self.other_costs)
            self.mode_note.value = ""
        elif total is not None:
            self.total.store(scratch)
            self.mode_note.value = (note_html(
                f"Until each person's FTE and salary are in, the figures use your total of "
                f"{money(total)}.") if self.mode.value == STAFF else "")
        else:
            self.mode_note.value = ""
        self.residual.store(scratch)
        return out

    # -- changes -------------------------------------------------------------------------

    def _changed(self, bound) -> None:
        if self.loading:
            return
        fields = [b.field for b in [*self.fields.values(), self.total, *self.rates.values(),
                                    *self.costs.values(), *self.turnover.values(),
                                    self.residual]]
        fields += [f for r in self.staff for f in (r.fte, r.salary)]
        entries = self.session.entries
        entries.clear_prefix("practice:")
        for f in fields:
            if not f.valid:
                entries.mark(f"practice:{id(f)}", f.error)
        if entries.practice:
            self.session.changed()      # blank, saying why: never the old figures
            return
        data = self.session.data
        data["name"] = self.name.value.strip() or "My practice"
        for b in self.fields.values():
            b.store(data)
        data["inhouse"] = self.inhouse()
        self.session.changed()

    # -- claims --------------------------------------------------------------------------

    def _on_claims(self, items) -> str:
        from ..claims.review import read_claims, summarize

        paths = [p for _, p in items]
        try:
            data = read_claims(paths)
            review = summarize(data)
        except RcmInputError as exc:
            shown = {str(p): f"file {i + 1} ({n})" for i, (n, p) in enumerate(items)}
            text = "; ".join(str(p) for p in exc.problems)
            for raw, name in shown.items():
                text = text.replace(raw, name)
            return "These files cannot be read: " + text
        n = len(items)
        filled = self.fill_from_claims(review)
        self.claims_out.value = (note_html("Filled in from your claims: " + ", ".join(filled)
                                           + ".") if filled else "")
        self.losses.uploaded(data, f"{n} file{'s' if n != 1 else ''}", review)
        return f"Read {review['claims']:,} claims from {n} file{'s' if n != 1 else ''}."

    def fill_from_claims(self, review: dict) -> list[str]:
        """Baseline KPIs she has not given come from her claims; returns what was filled."""
        from ..claims.targets import BASELINE_KPIS
        from ..present.labels import KPI_LABELS

        data = self.session.data
        kpis = data.setdefault("practice", {}).setdefault("baseline_kpis", {})
        filled = []
        for k in BASELINE_KPIS:
            v = review["kpis"].get(k)
            if v is not None and kpis.get(k) is None and enough_data(review, k):
                kpis[k] = round(float(v), 4)
                filled.append(KPI_LABELS[k].lower())
        if not kpis:
            data["practice"].pop("baseline_kpis")
        self.session.changed()
        return filled
