"""The practice's own criteria (``ranking.criteria``): scored, weighed beside the four built-in
criteria, on every surface; bad criteria refused (docs/methodology.md §5)."""
import copy
import json
from pathlib import Path
from types import SimpleNamespace as NS

import numpy as np
import pytest
import yaml
from conftest import SCENARIOS, rcm_inprocess

from rcmmodel import RcmInputError
from rcmmodel.scenario import load_scenario, parse_scenario
from rcmmodel.scenario.criteria import Criterion
from rcmmodel.vendors import compare, decide
from rcmmodel.vendors.odds import decision_odds
from rcmmodel.vendors.scorecard import criterion_scores, ranking_criteria

FOUR = Path(__file__).parent / "data_vendors" / "four-quotes.yaml"
BASE = yaml.safe_load(FOUR.read_text())
# the fixture's hand-computed figures (its comments): net gains and the four built-in scores
GAIN = {"AllIn": 77000, "Extras": 82600, "MinPerClaim": 55000}
BUILTIN = {"AllIn": (100 * 77000 / 82600, 100, 100, 100), "Extras": (100, 25, 50, 15),
           "MinPerClaim": (100 * 55000 / 82600, 0, 37.5, 95)}
BALANCED = (0.40, 0.25, 0.20, 0.15)
SECURITY = {"name": "Security", "weight": 0.1,
            "questions": ["SOC 2 report?", "Cyber insurance?", "Offshore handling disclosed?"],
            "answers": {"AllIn": [True, None, True], "extras": [True, True, True],
                        "NoBAA": [True, True, True]}}


def with_ranking(ranking: dict, data=None) -> object:
    d = copy.deepcopy(data or BASE)
    d["ranking"] = ranking
    return parse_scenario(d, "test.yaml")


def builtin_total(v, weights=BALANCED):
    return sum(w * s for w, s in zip(weights, BUILTIN[v])) / sum(weights)


def test_weighted_scores_by_hand():
    """The balanced default shares what the practice's criteria leave: 1 - 0.3 = 0.7."""
    s = with_ranking({"criteria": [
        {"name": "References", "weight": 0.2,
         "scores": {"AllIn": 40, "Extras": 90, "MinPerClaim": 70}}, SECURITY]})
    c = compare(s)
    w = [0.4 * 0.7, 0.25 * 0.7, 0.2 * 0.7, 0.15 * 0.7]
    assert [c.weights[k] for k in c.criteria] == pytest.approx(w + [0.2, 0.1])
    assert c.criteria[4:] == c.own_criteria == ("References", "Security")
    own = {"AllIn": (40, 200 / 3), "Extras": (90, 100.0), "MinPerClaim": (70, 0.0)}
    for v, (refs, sec) in own.items():
        fin, sla, dd, cr = BUILTIN[v]
        total = w[0] * fin + w[1] * sla + w[2] * dd + w[3] * cr + 0.2 * refs + 0.1 * sec
        assert c.score_of(v)["total"] == pytest.approx(total, abs=1e-9), v
        assert (c.score_of(v)["References"], c.score_of(v)["Security"]) == \
            pytest.approx((refs, sec))
    assert c.score_of("AllIn")["total"] == pytest.approx(82.768362, abs=1e-6)
    assert c.score_of("Extras")["total"] == pytest.approx(68.95, abs=1e-9)
    assert c.top.name == "AllIn"
    assert c.score_of("NoBAA")["References"] == 0.0 and not c.vendor("NoBAA").eligible


def test_no_criteria_changes_nothing():
    c = compare(load_scenario(FOUR))
    assert c.criteria == ("financial", "sla", "due_diligence", "contract_risk")
    assert c.score_of("Extras")["total"] == pytest.approx(58.5)
    assert [k.key for k in ranking_criteria(c)] == list(c.criteria)


def test_not_stated_scores_as_not_verified():
    crit = Criterion(name="Security", weight=0.1, questions=["a?", "b?"],
                     answers={"A": [None, None], "B": [True, None], "C": [False, True]})
    assert criterion_scores(crit, ["A", "B", "C", "D"]) == [0.0, 50.0, 50.0, 0.0]
    given = Criterion(name="Refs", weight=0.1, scores={"A": 70, "B": None})
    assert criterion_scores(given, ["a", "B", "C"]) == [70.0, 0.0, 0.0]   # case ignored


def test_a_criterion_flips_the_recommendation():
    """References 0.5 favouring Extras: totals 0.5 x built-in + 0.5 x references."""
    refs = {"name": "References", "weight": 0.5, "scores": {"AllIn": 0, "Extras": 100}}
    s = with_ranking({"criteria": [refs]})
    d = decide(s)
    assert decide(load_scenario(FOUR)).recommended == "AllIn"
    assert d.recommended == "Extras"
    assert d.scores["Extras"] == pytest.approx(0.5 * builtin_total("Extras") + 50)
    assert d.scores["AllIn"] == pytest.approx(0.5 * builtin_total("AllIn"))
    # the weight that gives first place back to AllIn: p x 100 + (1 - p) x E = (1 - p) x A
    a, e = builtin_total("AllIn"), builtin_total("Extras")
    p = (a - e) / (100 + a - e)
    r = compare(s).stability["References"]
    assert (r.share_low, r.rival_low) == (pytest.approx(p, rel=1e-12), "AllIn")
    flip = next(f for f in d.flips if f["criterion"] == "References")
    assert (flip["direction"], flip["to"]) == ("lower", "AllIn")
    assert flip["to_weight"] == pytest.approx(p * 0.5 / (1 - p))   # the others weigh 0.5
    just_below = compare(s, weights={"References": flip["to_weight"] * (1 - 1e-7)})
    assert just_below.top.name == "AllIn"


def test_a_criterion_that_outweighs_the_money_is_named():
    """AllIn is recommended over Extras, the financial best; a criterion of the practice's
    own that favours AllIn is among what outweighs the money, by its name, in the reason."""
    from rcmmodel.present.decision_text import reason

    refs = {"name": "References and client retention", "weight": 0.3,
            "scores": {"AllIn": 100, "Extras": 0}}
    d = decide(with_ranking({"priority": "money_first", "criteria": [refs]}))
    assert (d.recommended, d.financial_best) == ("AllIn", "Extras")
    assert d.outweighs[0] == "References and client retention"     # the largest gap first
    text = reason(d)
    assert "“References and client retention”" in text and "money-first" in text


def test_own_weights_count_as_given():
    s = with_ranking({"weights": {"financial": 1, "sla": 0, "due_diligence": 0,
                                  "contract_risk": 0},
                      "criteria": [{"name": "Refs", "weight": 3,
                                    "scores": {"AllIn": 0, "Extras": 100}}]})
    c = compare(s)
    assert c.weights == {"financial": 1, "sla": 0, "due_diligence": 0, "contract_risk": 0,
                         "Refs": 3}
    assert c.score_of("Extras")["total"] == pytest.approx((100 + 300) / 4)
    assert c.weights_source == "practice" and c.preset is None


def test_odds_keep_the_criteria_fixed():
    """Two vendors, two draws: B gains more in both, A's own criterion keeps it first."""
    crit = ("financial", "sla", "due_diligence", "contract_risk", "Refs")
    c = NS(weights={"financial": 1, "sla": 0, "due_diligence": 0, "contract_risk": 0,
                    "Refs": 1}, criteria=crit, basis="net_gain",
           scores=np.array([[0, 0, 0, 0, 100.0], [0, 0, 0, 0, 0.0]]),
           assessments=[NS(name="A", eligible=True), NS(name="B", eligible=True)])
    gains = np.array([[10.0, 5.0], [20.0, 30.0]])
    # draw 1: A (50 + 100) / 2 = 75 > B 50; draw 2: A (16.7 + 100) / 2 = 58.3 > B 50
    assert decision_odds(c, gains).prob_recommended == [1.0, 0.0]
    c.weights["Refs"] = 0
    assert decision_odds(c, gains).prob_recommended == [0.0, 1.0]


def test_simulate_applies_the_criteria():
    from rcmmodel.risk import simulate

    s = load_scenario(SCENARIOS / "family-practice-scorecard.yaml")
    sim = simulate(s, draws=400, seed=7, progress=False)
    total = sum(v.prob_recommended or 0 for v in sim.vendors) + sim.prob_stay
    assert total == pytest.approx(1.0)
    flipped = with_ranking({"priority": "low_risk", "criteria": [
        {"name": "References", "weight": 0.9, "scores": {"MinPerClaim": 100}}]})
    sim = simulate(flipped, draws=200, seed=7, progress=False)
    assert sim.vendor("MinPerClaim").prob_recommended == 1.0


def test_the_list_of_every_criterion():
    s = load_scenario(SCENARIOS / "family-practice-scorecard.yaml")
    c = compare(s)
    rows = ranking_criteria(c)
    assert [r.key for r in rows] == ["financial", "sla", "due_diligence", "contract_risk",
                                     "References and client retention", "Security"]
    assert [r.share for r in rows] == pytest.approx([0.2, 0.2, 0.2, 0.2, 0.1, 0.1])
    assert [r.builtin for r in rows] == [True] * 4 + [False] * 2
    sec = rows[-1]
    assert sec.kind == "questions" and len(sec.questions) == 3
    assert sec.scores["AllIn Billing"] == pytest.approx(200 / 3)
    assert sec.stated["LowRate RCM"] == [None, None, False]
    assert sec.scores["ShoreSide Billing"] == 0.0                 # not answered at all
    for v in c.assessments:                                      # the totals they make
        total = sum(r.share * r.scores[v.name] for r in rows)
        assert c.score_of(v.name)["total"] == pytest.approx(total)


def test_json_shapes():
    path = SCENARIOS / "family-practice-scorecard.yaml"
    out = rcm_inprocess("compare", path, "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    crit = {c["name"]: c for c in d["criteria"]}
    assert crit["financial"]["builtin"] and crit["financial"]["kind"] == "builtin"
    refs = crit["References and client retention"]
    assert (refs["builtin"], refs["kind"], refs["weight"], refs["share"]) == \
        (False, "scores", 0.1, 0.1)
    assert refs["stated"]["ShoreSide Billing"] is None and refs["scores"]["TierWise RCM"] == 90
    assert crit["Security"]["stated"]["AllIn Billing"] == [True, None, True]
    assert d["vendors"][0]["scores"]["Security"] == pytest.approx(66.6667, abs=1e-4)
    ev = rcm_inprocess("evaluate", path, "--json")
    dec = json.loads(ev.stdout)["decision"]
    assert dec["weights"] == {"financial": 0.2, "sla": 0.2, "due_diligence": 0.2,
                              "contract_risk": 0.2, "References and client retention": 0.1,
                              "Security": 0.1}
    assert (dec["weights_source"], dec["priority"]) == ("practice", "low_risk")
    assert "its own criteria “References and client retention” and “Security”" in dec["reason"]
    assert dec == d["decision"]


def test_compare_text_shows_the_columns():
    out = rcm_inprocess("compare", SCENARIOS / "family-practice-scorecard.yaml")
    assert out.returncode == 0, out.stderr
    head = next(line for line in out.stdout.splitlines() if line.startswith("#  vendor"))
    assert "References an…" in head and "Security" in head
    assert "Security: 3 yes/no questions, the share answered yes" in out.stdout
    assert "References and client retention 0.1" in out.stdout.splitlines()[1]


def test_the_app_shows_the_criteria():
    pytest.importorskip("ipywidgets")
    from rcmmodel.app.scorecard_view import ranking_html

    html = ranking_html(compare(with_ranking({"criteria": [
        {"name": "<b>Refs</b>", "weight": 0.1, "scores": {"AllIn": 55}}]})))
    assert "&lt;b&gt;Refs&lt;/b&gt;" in html and "<b>Refs" not in html
    assert "<details class='rcm-ranking-criteria' open>" in html
    assert "<td>55</td>" in html and "excluded" in html


BAD = [
    ({"name": "Refs", "scores": {"AllIn": 50}}, "ranking.criteria[0].weight",
     "required field is missing"),
    ({"name": "Refs", "weight": 0.1, "scores": {"AllIn": 101}}, "ranking.criteria[0].scores.AllIn",
     "at most 100"),
    ({"name": "Refs", "weight": 0.1, "scores": {"AllIn": -1}}, "ranking.criteria[0].scores.AllIn",
     "at least 0"),
    ({"name": "Refs", "weight": 0.1, "scores": {"Acme": 50}}, "ranking.criteria[0].scores.Acme",
     "no vendor of this name"),
    ({"name": "Sec", "weight": 0.1, "questions": ["a?", "b?"], "answers": {"AllIn": [True]}},
     "ranking.criteria[0].answers.AllIn", "1 answer for 2 questions"),
    ({"name": "Sec", "weight": 0.1, "questions": ["a?"], "answers": {"Nobody": [True]}},
     "ranking.criteria[0].answers.Nobody", "no vendor of this name"),
    ({"name": "Due diligence", "weight": 0.1, "scores": {}}, "ranking.criteria[0].name",
     "built-in criterion"),
    ({"name": "total", "weight": 0.1, "scores": {}}, "ranking.criteria[0].name",
     "built-in criterion"),
    ({"name": "Refs", "weight": 0.1}, "ranking.criteria[0].scores", "give scores"),
    ({"name": "Refs", "weight": 0.1, "scores": {}, "questions": ["a?"]},
     "ranking.criteria[0].questions", "not both"),
    ({"name": "Refs", "weight": 1.0, "scores": {}}, "ranking.criteria",
     "must add up to less than 1"),
]


@pytest.mark.parametrize("criterion,where,words", BAD, ids=[b[2][:20] for b in BAD])
def test_bad_criteria_exit_2_naming_the_field(tmp_path, criterion, where, words):
    d = copy.deepcopy(BASE)
    d["ranking"] = {"criteria": [criterion]}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(d))
    out = rcm_inprocess("validate", path)
    assert out.returncode == 2 and out.stdout == ""
    line = next((x for x in out.stderr.splitlines() if f": {where}:" in x), None)
    assert line is not None and words in line, out.stderr
    assert "Traceback" not in out.stderr


def test_duplicate_names_and_vendors_from_a_sheet(tmp_path):
    with pytest.raises(RcmInputError) as err:
        with_ranking({"criteria": [{"name": "Refs", "weight": 0.1, "scores": {}},
                                   {"name": "refs", "weight": 0.1, "scores": {}}]})
    assert any(p.where == "ranking.criteria[1].name" and "duplicate" in p.message
               for p in err.value.problems)
    # a vendor from the quotes sheet may be scored; one in neither place may not
    d = yaml.safe_load((SCENARIOS / "family-practice-scorecard.yaml").read_text())
    ok = parse_scenario(d, str(SCENARIOS / "family-practice-scorecard.yaml"))
    assert ok.ranking.criteria[0].stated("tierwise rcm") == 90
    d["ranking"]["criteria"][0]["scores"]["Nobody RCM"] = 50
    with pytest.raises(RcmInputError) as err:
        parse_scenario(d, str(SCENARIOS / "family-practice-scorecard.yaml"))
    assert [p.where for p in err.value.problems] == [
        "ranking.criteria[0].scores.Nobody RCM"]


def test_a_whatif_moves_a_criterion_weight():
    from rcmmodel.vendors.whatif import whatif

    w = whatif(SCENARIOS / "family-practice-scorecard.yaml",
               {"ranking.criteria[0].weight": 0.6})
    assert w.base.recommended == "AllIn Billing"
    assert w.variants[0].recommended == "TierWise RCM" and w.variants[0].moved


def test_the_compare_panel_ranks_as_the_file_does():
    """A file with a preset and criteria of its own: the panel's weight sliders start from
    the weights the ranking uses, so its ranking is the file's."""
    pytest.importorskip("ipywidgets")
    from rcmmodel.app.compare import CompareQuotes

    path = SCENARIOS / "family-practice-scorecard.yaml"
    panel = CompareQuotes(str(path), charts=False)
    assert panel.problems.value == ""
    assert [f.value for f in panel.weights.values()] == pytest.approx([0.2] * 4)
    mine = compare(load_scenario(path))
    assert panel.comparison.score_of("TierWise RCM")["total"] == \
        pytest.approx(mine.score_of("TierWise RCM")["total"])
    assert "References and client retention" in panel.table.value


def test_whose_weights_of_a_ranking_a_comparison_and_a_decision():
    from rcmmodel.present.decision_text import own_criteria, whose_weights

    s = load_scenario(SCENARIOS / "family-practice-scorecard.yaml")
    c = compare(s)
    expected = ["References and client retention", "Security"]
    assert own_criteria(s.ranking) == own_criteria(c) == own_criteria(decide(s)) == expected
    assert whose_weights(decide(s)).endswith("and its own criteria “References and client "
                                             "retention” and “Security”")
    paths = [r.path for r in ranking_criteria(c)]
    assert paths[0] == "ranking.weights.financial" and paths[-1] == "ranking.criteria[1].weight"


def test_rcm_schema_describes_the_criteria():
    out = rcm_inprocess("schema")
    assert out.returncode == 0, out.stderr
    defs = json.loads(out.stdout)["$defs"]
    crit = defs["Criterion"]
    assert set(crit["required"]) == {"name", "weight"}
    assert set(crit["properties"]) == {"name", "weight", "scores", "questions", "answers"}
    assert defs["Ranking"]["properties"]["criteria"]["items"] == {"$ref": "#/$defs/Criterion"}
