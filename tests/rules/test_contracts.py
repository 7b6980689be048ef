"""Meta tests over the registries: IDs, metadata, framework mappings, collected types."""

from __future__ import annotations

import re

import pytest

from cloudconnectors.providers.aws.declarations import ResourceType
from cloudconnectors.rules.aws.shapes import (
    COLLECTED_AWS_TYPES,
    DETAIL_PERMISSIONS,
    LIST_PERMISSIONS,
)
from cloudconnectors.rules.frameworks import BUILTIN, builtin_frameworks, load_framework
from cloudconnectors.rules.model import AccountRule, ResourceRule, Severity
from cloudconnectors.rules.registry import CATALOGS, all_rules, provider_rules

ID = re.compile(r"^[a-z]+\.[a-z0-9]+\.[a-z0-9_]+$")


def test_rule_ids_unique_and_well_formed() -> None:
    ids = [r.id for p in CATALOGS for r in provider_rules(p)]
    assert len(ids) == len(set(ids))
    for rule_id in ids:
        assert ID.match(rule_id), rule_id
        assert rule_id.split(".")[0] in CATALOGS


@pytest.mark.parametrize("rule", list(all_rules().values()), ids=lambda r: r.id)
def test_metadata_complete(rule: ResourceRule | AccountRule) -> None:
    for field in ("title", "rationale", "remediation", "provider"):
        assert getattr(rule, field).strip(), f"{rule.id}: {field} is empty"
    assert isinstance(rule.severity, Severity)
    assert rule.remediation != rule.rationale


def test_every_rule_reads_collected_types_only() -> None:
    for rule in provider_rules("aws"):
        assert set(rule.resource_types) <= COLLECTED_AWS_TYPES, rule.id
        if isinstance(rule, ResourceRule):
            for need in rule.needs:
                assert need.permission in (DETAIL_PERMISSIONS.get((rule.resource_type,
                                                                   need.key)),
                                           LIST_PERMISSIONS[rule.resource_type])


def test_every_rule_type_is_collected_by_the_aws_collector() -> None:
    """The contract's types are the collector's types, spelled the same on both sides."""
    from cloudconnectors.providers.aws import COLLECTED_TYPES

    assert COLLECTED_AWS_TYPES <= COLLECTED_TYPES, sorted(COLLECTED_AWS_TYPES - COLLECTED_TYPES)
    for rule in provider_rules("aws"):
        assert set(rule.resource_types) <= COLLECTED_TYPES, rule.id


def _declarations() -> dict[str, ResourceType]:
    from cloudconnectors.providers.aws.resources import RESOURCES

    return {t: r for r in RESOURCES for t in r.types()}


def test_list_permissions_are_the_collectors_actions() -> None:
    declared = _declarations()
    for type_, permission in LIST_PERMISSIONS.items():
        assert permission in declared[type_].actions(), (type_, permission)


def test_detail_keys_are_filled_by_the_collector_with_that_permission() -> None:
    """Each detail key a rule reads is a ``Detail`` of the type, calling that permission."""
    from cloudconnectors.providers.aws.permissions import iam_action

    declared = _declarations()
    for (type_, key), permission in DETAIL_PERMISSIONS.items():
        resource = declared[type_]
        details = {d.key: iam_action(d.service or resource.service, d.operation)
                   for d in resource.details}
        assert key in details, f"{type_}: the collector stores no {key}"
        assert details[key] == permission, (type_, key)


@pytest.mark.parametrize("framework_id", sorted(BUILTIN))
def test_framework_controls_resolve(framework_id: str) -> None:
    framework = load_framework(framework_id)
    known = all_rules()
    ids = [c.id for c in framework.controls]
    assert len(ids) == len(set(ids)), "duplicate control id"
    for control in framework.controls:
        assert control.title.strip() and control.section.strip(), control.id
        for rule_id in control.rules:
            assert rule_id in known, f"{framework_id} {control.id} cites unknown {rule_id}"
        if not control.rules:
            assert control.manual_reason, f"{control.id}: a manual control must say why"


def test_every_builtin_rule_is_cited_by_a_framework() -> None:
    cited = {r for f in builtin_frameworks() for r in f.rule_ids}
    assert set(all_rules()) <= cited


def test_cis_version_and_counts() -> None:
    cis = load_framework("cis_aws_3_0_0")
    assert cis.version == "3.0.0"
    summary = cis.summary()
    assert (summary["controls"], summary["automated_controls"]) == (62, 52)


def test_cis_doc_lists_every_control() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "cis-aws.md").read_text()
    cis = load_framework("cis_aws_3_0_0")
    summary = cis.summary()
    assert "v3.0.0" in doc
    assert (f"{summary['controls']} controls: {summary['automated_controls']} automated, "
            f"{summary['manual_controls']} manual") in doc
    for control in cis.controls:
        row = next((line for line in doc.splitlines()
                    if line.startswith(f"| {control.id} | ")), None)
        assert row, f"docs/cis-aws.md lacks control {control.id}"
        assert ("| yes |" in row) == control.automated, control.id
        assert all(f"`{r}`" in row for r in control.rules), control.id


#: Rules for which an absent key has a meaning (no profile, no KMS key, no tags...).
ABSENCE_MEANS_SOMETHING = {"aws.ec2.instance_profile_attached", "aws.cloudtrail.kms_encrypted",
                           "aws.ec2.instance_imdsv2_required"}


@pytest.mark.parametrize("rule", [r for r in provider_rules("aws")
                                  if isinstance(r, ResourceRule)], ids=lambda r: r.id)
def test_empty_record_is_never_a_silent_pass(rule: ResourceRule) -> None:
    """Missing data answers MANUAL (or not applicable), never a verdict nobody could check."""
    from cloudconnectors.rules.engine import Engine
    from cloudconnectors.rules.model import InventoryItem, Status
    from tests.rules.fixtures import NOW

    [result] = Engine([rule]).evaluate(
        [InventoryItem("k", rule.resource_type, "us-east-1", "x", None, {})], now=NOW)
    if rule.id in ABSENCE_MEANS_SOMETHING:
        assert result.status is Status.FAIL, result
    else:
        assert result.status in (Status.MANUAL, Status.NOT_APPLICABLE), result


def test_detail_permissions_are_type_permission_pairs() -> None:
    from cloudconnectors.rules.registry import detail_permissions

    pairs = detail_permissions("aws")
    assert ("AWS::S3::Bucket", "s3:GetBucketPolicy") in pairs
    assert ("AWS::S3::Bucket", "s3:ListAllMyBuckets") not in pairs
    assert detail_permissions("nowhere") == frozenset()
