"""Declarative tenant rules: validation messages and evaluation by the same engine."""

from __future__ import annotations

import json

import pytest

from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.rules.custom import (
    Format,
    compile_custom_rule,
    custom_framework,
    parse_custom_rules,
)
from cloudconnectors.rules.engine import Engine
from cloudconnectors.rules.model import Status
from tests.rules.fixtures import NOW, edit, good_account

GOOD_TOML = '''
[[rules]]
id = "custom.s3.versioning_on"
title = "Buckets keep object versions"
severity = "medium"
resource_type = "AWS::S3::Bucket"
condition = "Versioning.Status == 'Enabled'"
applies_if = "Name != 'scratch'"
rationale = "Versions let us recover from deletes."
remediation = "Enable versioning."

[[rules]]
id = "custom.ec2.tagged_owner"
title = "Instances name an owner"
severity = "low"
resource_type = "AWS::EC2::Instance"
condition = "length(Tags[?Key=='owner'] || `[]`) > `0`"
control = "tagging"
'''


def _problems(text: str, fmt: str = "toml") -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_custom_rules(text, fmt)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_parse_toml_and_json_alike() -> None:
    specs = parse_custom_rules(GOOD_TOML, "toml")
    assert [s.id for s in specs] == ["custom.s3.versioning_on", "custom.ec2.tagged_owner"]
    as_json = json.dumps({"rules": [s.to_dict() for s in specs]})
    assert parse_custom_rules(as_json, "json") == specs


def test_bad_jmespath_names_rule_field_and_position() -> None:
    text = GOOD_TOML.replace("Versioning.Status == 'Enabled'", "Versioning.[")
    [problem] = _problems(text)
    assert problem.startswith("rules[0] (custom.s3.versioning_on).condition: is not valid "
                              "JMESPath")
    assert "position 12" in problem


def test_unknown_function_is_refused_on_upload() -> None:
    text = GOOD_TOML.replace("length(", "lenght(")
    [problem] = _problems(text)
    assert "rules[1] (custom.ec2.tagged_owner).condition" in problem and "lenght" in problem


@pytest.mark.parametrize(("change", "expected"), [
    (('id = "custom.s3.versioning_on"', 'id = "s3.versioning_on"'),
     "rules[0] (s3.versioning_on).id: must start with 'custom.'"),
    (('severity = "medium"', 'severity = "urgent"'),
     "rules[0] (custom.s3.versioning_on).severity: must be one of critical"),
    (('resource_type = "AWS::S3::Bucket"', 'resource_type = "AWS::S3::Nope"'),
     "rules[0] (custom.s3.versioning_on).resource_type: is not collected"),
    (('title = "Buckets keep object versions"', 'colour = "red"'),
     "rules[0] (custom.s3.versioning_on).colour: is not a known field"),
])
def test_field_errors_name_rule_and_field(change: tuple[str, str], expected: str) -> None:
    problems = _problems(GOOD_TOML.replace(*change))
    assert any(p.startswith(expected) for p in problems), problems


def test_missing_required_and_duplicates() -> None:
    problems = _problems('[[rules]]\nid = "custom.a"\n')
    assert "rules[0] (custom.a).title: is required" in problems
    dup = GOOD_TOML.replace("custom.ec2.tagged_owner", "custom.s3.versioning_on")
    assert any("is used more than once" in p for p in _problems(dup))


def test_document_errors() -> None:
    assert _problems("rules = 3")[0].startswith("rules: must be a non-empty list")
    assert _problems("[[rules]\n")[0].startswith("content: is not valid TOML")
    assert _problems("{", "json")[0].startswith("content: is not valid JSON")


def test_custom_rules_run_in_the_engine() -> None:
    rules = [compile_custom_rule(s) for s in parse_custom_rules(GOOD_TOML)]
    items = edit("AWS::S3::Bucket", lambda d: d["Versioning"].update(Status="Suspended"),
                 native_id="data")(good_account())
    items = edit("AWS::S3::Bucket", lambda d: d.update(Name="scratch"),
                 native_id="trail-logs")(items)
    results = {(r.rule_id, r.resource_id): r for r in Engine(rules).evaluate(items, now=NOW)}
    assert results[("custom.s3.versioning_on", "data")].status is Status.FAIL
    assert "Versioning.Status" in results[("custom.s3.versioning_on", "data")].reason
    assert results[("custom.s3.versioning_on", "trail-logs")].status is Status.NOT_APPLICABLE
    assert results[("custom.ec2.tagged_owner", "i-us-east-1")].status is Status.FAIL


def test_condition_type_error_is_manual_with_reason() -> None:
    [spec] = parse_custom_rules('[[rules]]\nid="custom.len"\ntitle="t"\nseverity="low"\n'
                                'resource_type="AWS::EC2::Instance"\n'
                                'condition="length(Tags) > `0`"\n')
    verdict = compile_custom_rule(spec).check({}, None)  # type: ignore[arg-type]
    assert verdict[0] is Status.MANUAL and "invalid type" in verdict[1]


def test_custom_rule_reading_refused_detail_is_manual() -> None:
    [rule, _] = [compile_custom_rule(s) for s in parse_custom_rules(GOOD_TOML)]
    assert [n.key for n in rule.needs] == ["Versioning"]

    def refuse(d: dict) -> None:
        d.pop("Versioning")
        d["_cc_errors"] = {"Versioning": "AccessDenied"}

    items = edit("AWS::S3::Bucket", refuse, native_id="data")(good_account())
    results = {r.resource_id: r for r in Engine([rule]).evaluate(items, now=NOW)}
    assert results["data"].status is Status.MANUAL
    assert "s3:GetBucketVersioning" in results["data"].reason


def test_jmespath_truthiness_not_python() -> None:
    [spec] = parse_custom_rules('[[rules]]\nid="custom.zero"\ntitle="t"\nseverity="low"\n'
                                'resource_type="AWS::EC2::Instance"\ncondition="Count"\n')
    rule = compile_custom_rule(spec)
    assert rule.check({"Count": 0}, None)[0] is Status.PASS  # type: ignore[arg-type]
    assert rule.check({"Count": []}, None)[0] is Status.FAIL  # type: ignore[arg-type]


def test_custom_framework_groups_by_control() -> None:
    framework = custom_framework(parse_custom_rules(GOOD_TOML))
    assert [(c.id, c.rules) for c in framework.controls] == [
        ("tagging", ("custom.ec2.tagged_owner",)),
        ("custom.s3.versioning_on", ("custom.s3.versioning_on",))]


def test_documented_example_is_valid() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "custom-rules.md").read_text()
    example = doc.split("```toml", 1)[1].split("```", 1)[0]
    assert [s.id for s in parse_custom_rules(example)] == [
        "custom.s3.versioning_on", "custom.ec2.owner_tag"]


@pytest.mark.parametrize(("text", "fmt", "rule"), [
    ("rules = " + "[" * 500 + "]" * 500, "toml", "must not nest deeper than 32 levels"),
    ("a = " + "{b = " * 500 + "1" + "}" * 500, "toml", "must not nest deeper than 32 levels"),
    ('{"rules": ' + "[" * 1000 + "]" * 1000 + "}", "json",
     "must not nest deeper than 32 levels"),
    ("n = " + "9" * 5000, "toml", "must not hold a number longer than 100 digits"),
    ('{"n": ' + "9" * 5000 + "}", "json", "must not hold a number longer than 100 digits"),
])
def test_deep_or_huge_documents_are_refused_naming_content(text: str, fmt: Format,
                                                            rule: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_custom_rules(text, fmt)
    assert [(p.field, p.rule) for p in caught.value.problems] == [("content", rule)]
