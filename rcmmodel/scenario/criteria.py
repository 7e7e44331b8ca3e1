"""The practice's own ranking criteria (``ranking.criteria``): a consultant's scorecard beyond
the four built-in criteria (docs/methodology.md §5, "Her own criteria").

Each criterion has a name, a weight and, per vendor, either a score 0-100 (``scores``) or
yes/no answers to its questions (``questions`` and ``answers``), scored as the due-diligence
answers are: 100 x (answers yes) / (questions), a ``null`` answer (not stated) counting as not
verified. A vendor the criterion does not score is "not stated" and scores 0, as a question
left unanswered does. The answers sit in the criterion, beside its questions, so that the
questions are asked once for every vendor (a vendor's ``profile`` keeps the guide's checklist).

Checked here: the fields of one criterion (a weight, scores within 0-100, one answer per
question, a name that is not a built-in criterion's). Checked across the file
(:func:`criteria_problems`): the vendors scored are vendors of the scenario.
"""
from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from ..describe import clip, shown
from .fields import D, Name, Section, number

#: The built-in criteria, in ranking order; no criterion of the practice may take their names
#: (nor ``total``, the ranking's sum), written with spaces or underscores, in any case.
BUILTIN = ("financial", "sla", "due_diligence", "contract_risk")
_RESERVED = (*BUILTIN, "total")

Score = number(ge=0, le=100, dist=False)
Weight = number(ge=0, dist=False)


def criterion_key(name) -> str:
    """How criterion names are compared: case, spaces, hyphens and underscores ignored.

    >>> criterion_key("Due diligence"), criterion_key(" contract-risk ")
    ('due_diligence', 'contract_risk')
    """
    return re.sub(r"[\s_-]+", "_", str(name).strip().casefold())


def vendor_key(name) -> str:
    """How a vendor named in a criterion is matched to a quote: ignoring case and spaces
    around (as vendor names are compared, :func:`rcmmodel.scenario.rules.name_key`)."""
    return str(name).strip().casefold()


class Criterion(Section):
    """One criterion of the practice's own, beside the four built-in ones: a score 0-100 per
    vendor, or yes/no questions answered per vendor. A vendor it leaves out is not stated and
    scores 0."""

    name: Name = Field(**D("The criterion, as reports show it; not a built-in criterion's "
                           "name.", "References and client retention"))
    weight: Weight = Field(**D(
        "How much it counts. With a priority preset (or the default) it is a share of all "
        "the weights (0.10 is 10%) and the four built-in criteria share the rest in the "
        "preset's proportions; with your own `weights`, only the ratios matter.", 0.10))
    scores: dict[Name, Score | None] | None = Field(None, **D(
        "Per vendor (by name), a score from 0 (worst) to 100 (best); null or left out: not "
        "stated, scored 0.", {"Acme RCM": 80, "Beta Billing": 55}))
    questions: list[Name] | None = Field(None, **D(
        "Yes/no questions asked of every vendor, instead of scores; the score is the share "
        "answered yes, x 100.", ["SOC 2 Type II report?", "Cyber insurance?"]))
    answers: dict[Name, list[bool | None]] = Field({}, **D(
        "Per vendor (by name), one answer per question, in order: true, false, or null (not "
        "stated, counted as not verified).", {"Acme RCM": [True, None]}))

    @field_validator("name")
    @classmethod
    def _not_builtin(cls, name):
        if criterion_key(name) in _RESERVED:
            raise ValueError(f"{shown(name, 40)} is a built-in criterion's name "
                             f"({', '.join(BUILTIN)}); set its weight in ranking.weights or "
                             "give your criterion another name")
        return name

    @model_validator(mode="after")
    def _one_kind(self):
        if self.scores is not None and self.questions is not None:
            raise ValueError("@questions: give either scores (0-100 per vendor) or questions "
                             "answered per vendor, not both")
        if self.scores is None and self.questions is None:
            raise ValueError("@scores: give scores (0-100 per vendor) or questions answered "
                             "yes/no per vendor")
        if self.answers and self.questions is None:
            raise ValueError("@answers: answers need the questions they answer: list them in "
                             "questions")
        if self.questions is not None:
            if not self.questions:
                raise ValueError("@questions: give at least one question")
            seen = set()
            for q in self.questions:
                if q.strip().casefold() in seen:
                    raise ValueError(f"@questions: {shown(q, 40)} is asked twice")
                seen.add(q.strip().casefold())
            for where, problem in answer_problems(self.questions, self.answers):
                raise ValueError(f"@{where}: {problem}")
        return self

    @property
    def kind(self) -> str:
        """``"scores"`` or ``"questions"``."""
        return "scores" if self.scores is not None else "questions"

    def stated(self, vendor: str):
        """What the criterion says of ``vendor`` (matched ignoring case): its score, its
        list of answers, or None where it does not say."""
        given = self.scores if self.scores is not None else self.answers
        return next((v for k, v in given.items() if vendor_key(k) == vendor_key(vendor)), None)


def answer_problems(questions, answers) -> list[tuple[str, str]]:
    """Every vendor's answers one per question: ``(answers.VENDOR, message)`` pairs."""
    if not isinstance(questions, list) or not isinstance(answers, dict):
        return []
    n, out = len(questions), []
    for vendor, given in answers.items():
        if isinstance(given, list) and len(given) != n:
            out.append((f"answers.{vendor}", f"{len(given)} answer"
                        f"{'s' if len(given) != 1 else ''} for {n} question"
                        f"{'s' if n != 1 else ''}; give one per question, in order (true, "
                        "false, or null where not stated)"))
    return out


def criteria_weight_problems(criteria: list[Criterion], preset: bool) -> list[str]:
    """Where the practice's criteria's weights cannot be shares of the whole: with a preset
    (or the default), they must add up to less than 1."""
    total = sum(c.weight for c in criteria)
    if preset and criteria and total >= 1:
        return [f"with a priority preset (or the default weights) your criteria's weights are "
                f"shares of all the weights and must add up to less than 1 (they add up to "
                f"{total:g}); lower them, or set all the weights yourself in ranking.weights"]
    return []


def criteria_problems(ranking, vendor_names) -> list[tuple[str, str]]:
    """Rules across a file for the raw ``ranking`` mapping: criterion names unique, and every
    vendor a criterion scores or answers for a vendor of the scenario (``vendor_names``),
    named once. Paths are relative to the scenario."""
    criteria = ranking.get("criteria") if isinstance(ranking, dict) else None
    if not isinstance(criteria, list):
        return []
    known = {vendor_key(n) for n in vendor_names if isinstance(n, str)}
    out, names = [], {}
    for i, c in enumerate(criteria):
        if not isinstance(c, dict):
            continue
        name = c.get("name")
        if isinstance(name, str) and name.strip():
            first = names.setdefault(criterion_key(name), i)
            if first != i:
                out.append((f"ranking.criteria[{i}].name", f"duplicate criterion name "
                            f"{shown(name, 40)} (ranking.criteria[{first}] has the same name)"))
        out += [(f"ranking.criteria[{i}].{where}", problem)
                for where, problem in answer_problems(c.get("questions"), c.get("answers"))]
        for field in ("scores", "answers"):
            given = c.get(field)
            if not isinstance(given, dict):
                continue
            seen = set()
            for vendor in given:
                key = vendor_key(vendor)
                if key in seen:
                    out.append((f"ranking.criteria[{i}].{field}.{vendor}", "this vendor is "
                                "named twice (ignoring case)"))
                elif key not in known:
                    hint = ", ".join(str(n) for n in vendor_names[:6])
                    out.append((f"ranking.criteria[{i}].{field}.{vendor}", "no vendor of this "
                                f"name in the scenario (vendors: {clip(hint, 80)})"))
                seen.add(key)
    return out


__all__ = ["BUILTIN", "Criterion", "criteria_problems", "criteria_weight_problems",
           "criterion_key", "vendor_key"]
