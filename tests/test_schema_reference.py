"""``rcm schema`` (the scenario file's JSON Schema) and docs/scenario-reference.md, both
generated from the pydantic schema: the committed reference equals the generator's output,
every example validates against the JSON Schema, and the reference documents what users ask."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SCENARIOS, rcm_inprocess

REFERENCE = ROOT / "docs" / "scenario-reference.md"
TESTS = Path(__file__).parent


@pytest.fixture(scope="module")
def schema():
    proc = rcm_inprocess("schema")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)        # strict JSON, or this fails


def _properties(schema):
    """(section title, key, property) for every key of every object in the schema."""
    objects = [("Scenario", schema)] + list(schema["$defs"].items())
    for title, node in objects:
        for key, prop in node.get("properties", {}).items():
            yield title, key, prop


def test_schema_is_json_schema_with_descriptions(schema):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    missing = [f"{t}.{k}" for t, k, p in _properties(schema) if not p.get("description")]
    assert missing == []
    assert schema["properties"]["practice"]["$ref"].endswith("/Practice")


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml"))
                         + [TESTS / "data_vendors" / "with-quotes.yaml",
                            TESTS / "scenarios_unc" / "three-vendors.yaml"],
                         ids=lambda p: p.stem)
def test_every_example_validates_against_the_json_schema(schema, path):
    from jsonschema import Draft202012Validator

    data = yaml.safe_load(path.read_text())
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_the_json_schema_refuses_what_validation_refuses(schema):
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    good = yaml.safe_load((SCENARIOS / "guide-example.yaml").read_text())
    assert validator.is_valid(good)
    typo = json.loads(json.dumps(good))
    typo["practice"]["anual_collections"] = 1
    assert not validator.is_valid(typo)
    rate = json.loads(json.dumps(good))
    rate["vendors"][0]["pricing"]["rate"] = 7          # a percent written as 7, not 0.07
    assert not validator.is_valid(rate)
    dist = json.loads(json.dumps(good))
    dist["vendors"][0]["uplift"] = {"dist": "triangular", "low": 0.05, "mode": 0.1, "high": 0.2}
    assert validator.is_valid(dist)
    dist["vendors"][0]["uplift"] = {"dist": "triangular", "low": 0.05}
    assert not validator.is_valid(dist)


def test_help_speaks_plainly():
    proc = rcm_inprocess("schema", "--help")
    assert proc.returncode == 0
    assert "JSON Schema" in proc.stdout and "editor" in proc.stdout
    assert "SP" + "EC" not in proc.stdout


def test_committed_reference_is_the_generated_one():
    from rcmmodel.scenario.reference import markdown

    assert REFERENCE.read_text() == markdown(), (
        "docs/scenario-reference.md is out of date: run "
        "python -m rcmmodel.scenario.reference > docs/scenario-reference.md")


def test_reference_documents_what_users_ask():
    text = REFERENCE.read_text()
    for section in ("`capacity`", "`ranking`", "`ranking.weights`", "`vendors[].profile`",
                    "`vendors[].contract`", "`vendors[].pricing`", "`vendors[].fees`",
                    "`timeline`", "`inhouse.staff[]`", "`practice.baseline_kpis`"):
        assert f"## {section}" in text, section
    from rcmmodel.scenario.schema import Contract, Profile
    for key in [*Profile.model_fields, *Contract.model_fields, "vendors_file"]:
        assert f"| `{key}` |" in text, key
    assert "`uplift` defaults to 0" in text
    for line in ("| `per_claim` |", "`claims_per_month` > 0", "`annual_charges` with "
                 "`base: charges`", "`patient_statements_per_month`"):
        assert line in text
    for kind in ("triangular", "pert", "uniform", "normal", "lognormal"):
        assert f"| `{kind}` |" in text
    for path in SCENARIOS.glob("*.yaml"):        # every specialty the examples use
        specialty = yaml.safe_load(path.read_text())["practice"].get("specialty")
        if specialty:
            assert f"`{specialty}`" in text, specialty
    assert "SP" + "EC" not in text and "[0]" not in text


def test_reference_example_is_a_valid_scenario():
    from rcmmodel.scenario import parse_scenario

    text = REFERENCE.read_text()
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    scenario = parse_scenario(yaml.safe_load(example), "reference example")
    assert [v.name for v in scenario.vendors] == ["Acme RCM", "Second Billing Co"]


def test_every_key_has_an_example_or_a_default():
    from rcmmodel.scenario.reference import json_schema

    schema = json_schema()
    bare = [f"{t}.{k}" for t, k, p in _properties(schema)    # a section's keys have their own
            if not t.endswith("Distribution") and "$ref" not in p
            and "examples" not in p and "default" not in p]
    assert bare == []
