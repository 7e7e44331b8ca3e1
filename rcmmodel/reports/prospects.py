"""A billing company's prospect list (CSV) and its offer (YAML) -> one scenario per prospect
(docs/methodology.md §11, ``rcm batch --prospects LIST.csv --offer OFFER.yaml``).

Each row becomes the scenario {practice from the row, in-house cost from the row, the offer
as the only vendor, the offer's timeline}. The offer file is checked first (a mistake there
is every row's mistake: exit 2); a bad row is reported with its row number (as a
spreadsheet shows it, the header being row 1) and column, and the other rows still render.

Columns:

- required: ``name, specialty, providers, annual_collections, claims_per_month``, and
  either ``inhouse_annual_cost`` or ``billing_staff_fte`` (with ``avg_salary``, else the
  cited default for the specialty, :mod:`rcmmodel.scenario.salaries`);
- optional: ``patient_statements_per_month, annual_charges, days_in_ar, clean_claim_rate,
  net_collection_rate, denial_rate``.

>>> offer = load_offer("scenarios/offer-example.yaml")               # doctest: +SKIP
>>> rows, bad = read_prospects("scenarios/prospects-example.csv", offer)  # doctest: +SKIP
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .._files import read_input, read_small_text
from ..claims.targets import BASELINE_KPIS
from ..describe import plain_text
from ..errors import Problem, RcmInputError
from ..scenario import SCHEMA, parse_scenario, yaml_loader
from ..scenario.salaries import default_salary
from . import crm_text

REQUIRED = ("name", "specialty", "providers", "annual_collections", "claims_per_month")
INHOUSE = ("inhouse_annual_cost", "billing_staff_fte", "avg_salary")
OPTIONAL = ("patient_statements_per_month", "annual_charges")
KPIS = BASELINE_KPIS
COLUMNS = REQUIRED + INHOUSE + OPTIONAL + KPIS
#: Dollar amounts and counts: the columns where ``1,250,000`` groups thousands.
GROUPED = ("providers", "annual_collections", "claims_per_month", "inhouse_annual_cost",
           "avg_salary", "patient_statements_per_month", "annual_charges")
#: The names a proposal's files cannot take: the batch's own files, and the device names
#: Windows refuses as a file's name whatever its extension (a CRM team opens the folder
#: from a Windows share).
RESERVED = ("index", "prospects-summary", "scenarios", "con", "prn", "aux", "nul",
            *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10)))
RATES = ("clean_claim_rate", "net_collection_rate", "denial_rate")
OFFER_KEYS = ("vendor", "timeline", "inhouse")
#: In-house defaults an offer may give; all but the residual describe a cost built from staff.
INHOUSE_DEFAULTS = ("payroll_tax_rate", "benefits_rate", "costs", "turnover",
                    "residual_after_outsourcing")
MAX_BYTES = 50 * 1024 * 1024
MAX_CELL = 128 * 1024           # one cell of a CRM export: far beyond a name or a number


class ProspectList(list):
    """The prospects, and the list's columns rcmmodel does not use (``ignored``)."""

    ignored: list[str] = []


@dataclass
class Prospect:
    """One row of the list: its scenario, or what is wrong with it."""

    row: int                       # as a spreadsheet numbers it (header = row 1)
    name: str
    id: str = ""                   # the CRM's record id, carried to the summary
    slug: str = ""
    scenario: dict | None = None   # the scenario mapping, ready for YAML
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def slugify(name: str, fallback: str = "prospect") -> str:
    """A file-name-safe slug of a practice name.

    >>> slugify("St. Mary's Family Practice, LLC")
    'st-marys-family-practice-llc'
    >>> slugify("Clínica Niño")
    'clinica-nino'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].rstrip("-")
    return text or fallback


# ------------------------------------------------------------------------ the offer
def load_offer(path) -> dict:
    """Read and check OFFER.yaml: ``vendor:`` (one vendors[] entry), optional ``timeline:``
    and ``inhouse:`` defaults. Raises :class:`RcmInputError` (exit 2) listing every problem."""
    path = Path(path)
    text = read_small_text(path, "--offer", yaml_loader.MAX_BYTES,
                           "larger than 5 MB: an offer is a short file")
    data = yaml_loader.loads(text, str(path))   # no aliases, duplicates or deep nesting
    if not isinstance(data, dict) or not isinstance(data.get("vendor"), dict):
        raise RcmInputError.at(path, "vendor", "an offer is a YAML mapping with `vendor:` "
                               "(your quote: name, pricing, fees, uplift, ...)")
    problems = [Problem(str(path), str(k), _unknown(k, OFFER_KEYS)) for k in data
                if k not in OFFER_KEYS]
    inhouse = data.get("inhouse") or {}
    if not isinstance(inhouse, dict):
        problems.append(Problem(str(path), "inhouse", "must be a mapping of in-house defaults"))
        inhouse = {}
    problems += [Problem(str(path), f"inhouse.{k}", _unknown(k, INHOUSE_DEFAULTS))
                 for k in inhouse if k not in INHOUSE_DEFAULTS]
    if problems:
        raise RcmInputError(problems)
    # Check the vendor and timeline once, inside a placeholder practice, so no row repeats
    # the offer's mistakes; the field paths are put back into the offer's own words.
    probe = _scenario({"name": "offer check", "specialty": "general", "providers": 1,
                       "annual_collections": 500_000.0, "claims_per_month": 400.0,
                       "patient_statements_per_month": 100.0, "annual_charges": 900_000.0,
                       "inhouse_annual_cost": None, "billing_staff_fte": 1.0,
                       "avg_salary": 40_000.0}, data)
    try:
        parse_scenario(probe, str(path))
    except RcmInputError as exc:
        raise RcmInputError([Problem(p.file, p.where.replace("vendors[0]", "vendor")
                                     .replace("inhouse.staff[0]", "inhouse"), p.message)
                             for p in exc.problems]) from None
    return data


def _unknown(key, known) -> str:
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"
    return f"unknown field{hint}"


# ------------------------------------------------------------------------ the list
def read_prospects(path, offer: dict) -> ProspectList:
    """Every row of the prospect list as a :class:`Prospect` (good or with its problems);
    ``.ignored`` lists the columns rcmmodel does not use (a CRM's Owner, Stage, ...).

    Raises :class:`RcmInputError` (exit 2) only for what spoils the whole file: it cannot
    be read, a required column is missing, a column appears twice, or it has no rows.
    """
    path = Path(path)
    raw = read_input(path, "--prospects", MAX_BYTES, "larger than 50 MB; split the list")
    table = crm_text.rows(crm_text.decode(raw, path, "--prospects"))
    shown_header = [plain_text(h).strip() for h in (table[0] if table else [])]
    known = set(COLUMNS) | {"id"}
    header = [crm_text.header_key(h, COLUMNS) for h in shown_header]
    ignored = [h for h, k in zip(shown_header, header) if k and k not in known]
    problems = []
    for key in dict.fromkeys(k for k in header if k and header.count(k) > 1):
        same = [repr(h) for h, k in zip(shown_header, header) if k == key]
        problems.append(Problem(str(path), f"column {key!r}", f"appears {len(same)} times "
                                f"({', '.join(same)}): keep one"))
    for c in REQUIRED:
        if c not in header:
            unused = [crm_text.header_key(h) for h in ignored]
            close = difflib.get_close_matches(c, unused, n=1)
            hint = f"; the column {close[0]!r} was not used: did you mean {c!r}?" if close \
                else ""
            problems.append(Problem(str(path), f"column {c!r}",
                                    f"required column is missing{hint}"))
    if not {"inhouse_annual_cost", "billing_staff_fte"} & set(header):
        problems.append(Problem(str(path), "columns", "give inhouse_annual_cost, or "
                                "billing_staff_fte (with avg_salary) for the in-house cost"))
    if problems:
        raise RcmInputError(problems)
    out = ProspectList()
    out.ignored = ignored
    for row_number, cells in enumerate(table[1:], start=2):
        values = {k: c.strip() for k, c in zip(header, cells) if k in known}
        if not any(c.strip() for c in cells):
            continue                     # a blank line in a CRM export is not a prospect
        long = [k for k, c in values.items() if len(c) > MAX_CELL]
        if any(c.strip() for c in cells[len(header):]):
            prospect = Prospect(row_number, plain_text(values.get("name", ""))[:200])
            prospect.problems.append(Problem(str(path), f"row {row_number}",
                                             "more values than columns"))
        elif long:
            prospect = Prospect(row_number, plain_text(values.get("name", ""))[:200])
            prospect.problems += [Problem(str(path), f"row {row_number}, column {k}",
                                          f"{len(values[k]) // 1024:,} KB of text in one "
                                          "cell: a prospect's cell is a name or a number")
                                  for k in long]
        else:
            prospect = _prospect(path, row_number, values, offer)
        prospect.id = plain_text(values.get("id", ""))[:200]
        out.append(prospect)
    if not out:
        raise RcmInputError.at(path, "--prospects", "no prospects (the file has a header only)")
    _unique_slugs(out)
    return out


def _prospect(path: Path, row: int, values: dict, offer: dict) -> Prospect:
    # Line breaks and control characters in a CRM cell reach no terminal, file or page.
    name = plain_text(values.get("name", "")).strip()
    prospect = Prospect(row, name)

    def bad(column, message):
        prospect.problems.append(Problem(str(path), f"row {row}, column {column}", message))

    if not name:
        bad("name", "required: the practice's name")
    elif len(name) > 200:
        bad("name", "at most 200 characters")
    fields: dict = {"name": name,
                    "specialty": plain_text(values.get("specialty") or "general")}
    for column in COLUMNS[2:]:
        text = values.get(column, "")
        if not text:
            fields[column] = None
            continue
        number, wrong = crm_text.read_number(text, grouped=column in GROUPED)
        if number is None:
            bad(column, wrong)
        elif column in RATES and number > 1:
            bad(column, f"rates are fractions: did you mean {number / 100:g}?")
        fields[column] = number
    for column in ("providers", "annual_collections", "claims_per_month"):
        if fields.get(column) is None and not any(p.where.endswith(f"column {column}")
                                                  for p in prospect.problems):
            bad(column, "required: a number")
    if fields.get("providers") is not None and fields["providers"] != int(fields["providers"]):
        bad("providers", "must be a whole number")
    cost, fte, salary = (fields.get(c) for c in INHOUSE)
    given = {c for c in INHOUSE if values.get(c)}
    if cost is not None and (fte is not None or salary is not None):
        bad("inhouse_annual_cost", "give either inhouse_annual_cost or billing_staff_fte "
            "(with avg_salary), not both")
    elif "avg_salary" in given and "billing_staff_fte" not in given:
        bad("avg_salary", "needs billing_staff_fte (how many people do the billing)")
    elif not given:
        bad("inhouse_annual_cost", "give inhouse_annual_cost, or billing_staff_fte "
            "(with avg_salary) to build it from")
    if prospect.problems:
        return prospect
    scenario = _scenario(fields, offer)
    try:
        parse_scenario(scenario, f"{path} row {row}")
    except RcmInputError as exc:
        for p in exc.problems:
            bad(_column(p.where), p.message)
        return prospect
    prospect.scenario = scenario
    return prospect


def _scenario(fields: dict, offer: dict) -> dict:
    """The scenario mapping for one row (``fields`` are the row's parsed values)."""
    practice = {"specialty": fields["specialty"], "providers": int(fields["providers"]),
                "annual_collections": fields["annual_collections"],
                "claims_per_month": fields["claims_per_month"]}
    for column in OPTIONAL:
        if fields.get(column) is not None:
            practice[column] = fields[column]
    kpis = {k: fields[k] for k in KPIS if fields.get(k) is not None}
    if kpis:
        practice["baseline_kpis"] = kpis
    defaults = dict(offer.get("inhouse") or {})
    # What the row does not give is the seller's assumption (the offer's defaults) or a
    # cited default, and the scenario says so (its sources:), never the practice's figure.
    sources = {}
    if fields.get("inhouse_annual_cost") is not None:
        inhouse = {"annual_cost": fields["inhouse_annual_cost"]}
        if "residual_after_outsourcing" in defaults:
            inhouse["residual_after_outsourcing"] = defaults["residual_after_outsourcing"]
            sources["inhouse.residual_after_outsourcing"] = "offer"
    else:
        salary, role = fields.get("avg_salary"), "Billing staff"
        if salary is None:
            cited = default_salary(fields["specialty"])
            salary, role = cited.amount, f"Billing staff ({cited.short})"
            sources["inhouse.staff[0].salary"] = "bls"
        inhouse = {**defaults, "staff": [{"role": role, "fte": fields["billing_staff_fte"],
                                          "salary": salary}]}
        sources.update({f"inhouse.{k}": "offer" for k in defaults})
    scenario = {"schema": SCHEMA, "name": fields["name"], "practice": practice,
                "inhouse": inhouse, "vendors": [offer["vendor"]]}
    if offer.get("timeline"):
        scenario["timeline"] = offer["timeline"]
        sources["timeline"] = "offer"
    if sources:
        scenario["sources"] = sources
    return scenario


def _column(where: str) -> str:
    """A scenario field path back in the list's words: ``practice.providers`` -> providers."""
    last = re.sub(r"\[\d+\]", "", where).split(".")
    if where.startswith("inhouse.staff"):
        return {"fte": "billing_staff_fte", "salary": "avg_salary"}.get(last[-1],
                                                                        "billing_staff_fte")
    if where.startswith("inhouse"):
        return "inhouse_annual_cost"
    if last[-1] in COLUMNS:
        return last[-1]
    return where or "name"


def _unique_slugs(prospects: list[Prospect]) -> None:
    """A file name per prospect that no other prospect, and none of the batch's own files
    (``index.html``, the summary, ``scenarios/``), can take: each name's first holder keeps
    its slug; a repeat, or a reserved name, counts up past every slug already held
    ("Acme Clinic", "Acme-Clinic", "Acme Clinic 2" -> acme-clinic, acme-clinic-3,
    acme-clinic-2)."""
    bases = [slugify(p.name, f"row-{p.row}") for p in prospects]
    taken = set(RESERVED)
    first = {}
    for i, base in enumerate(bases):
        if base not in taken:
            taken.add(base)
            first[i] = base
    for i, (p, base) in enumerate(zip(prospects, bases)):
        if i in first:
            p.slug = first[i]
            continue
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        p.slug = f"{base}-{n}"
        taken.add(p.slug)


def scenario_yaml(scenario: dict) -> str:
    """The YAML text of a prospect's scenario (what a worker renders, and what is saved)."""
    return yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True)
