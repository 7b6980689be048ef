"""Custom rules per tenant: upload (validated), list, delete, run, and their framework."""

from __future__ import annotations

import pytest

from cloudconnectors.domain.errors import NotFound, ValidationFailed
from cloudconnectors.rules.frameworks import builtin_frameworks
from cloudconnectors.services import reports as service
from tests.rules.fixtures import NOW, good_account

RULES = '''
[[rules]]
id = "custom.s3.versioning_on"
title = "Buckets keep object versions"
severity = "medium"
resource_type = "AWS::S3::Bucket"
condition = "Versioning.Status == 'Enabled'"

[[rules]]
id = "custom.ec2.owner_tag"
title = "Instances name an owner"
severity = "low"
resource_type = "AWS::EC2::Instance"
condition = "length(Tags[?Key=='owner'] || `[]`) > `0`"
'''


def test_upload_list_run_delete(seeded, db) -> None:
    tenant = seeded.tenant()
    other = seeded.tenant("other")
    connector = seeded.connector(tenant)
    seeded.snapshot(tenant, connector, good_account(), NOW)

    assert [r["id"] for r in service.upload_custom_rules(db, tenant, RULES)] == [
        "custom.s3.versioning_on", "custom.ec2.owner_tag"]
    assert [r["id"] for r in service.list_custom_rules(db, tenant)] == [
        "custom.ec2.owner_tag", "custom.s3.versioning_on"]
    assert service.list_custom_rules(db, other) == []
    builtin = [f.id for f in builtin_frameworks()]
    assert [f["id"] for f in service.list_frameworks(db, tenant)] == [*builtin, "custom"]
    assert [f["id"] for f in service.list_frameworks(db, other)] == builtin

    summary = service.evaluate_connector(db, tenant, connector)
    assert summary.scores["custom"] == 0.5  # 2 buckets pass, 2 instances fail
    report = service.get_report(db, tenant, connector, "custom")
    statuses = {c.id: c.status for c in report.controls}
    assert statuses == {"custom.ec2.owner_tag": "fail", "custom.s3.versioning_on": "pass"}
    # the built-in report is unaffected by custom rules
    assert service.get_report(db, tenant, connector, "cis_aws_3_0_0").score == 1.0

    service.delete_custom_rule(db, tenant, "custom.ec2.owner_tag")
    with pytest.raises(NotFound):
        service.delete_custom_rule(db, tenant, "custom.ec2.owner_tag")
    with pytest.raises(NotFound):
        service.get_report(db, other, connector, "custom")


def test_invalid_upload_stores_nothing(seeded, db) -> None:
    tenant = seeded.tenant()
    bad = RULES.replace("Versioning.Status == 'Enabled'", "Versioning.Status ==")
    with pytest.raises(ValidationFailed) as caught:
        service.upload_custom_rules(db, tenant, bad)
    assert str(caught.value.problems[0]).startswith(
        "rules[0] (custom.s3.versioning_on).condition: is not valid JMESPath")
    assert service.list_custom_rules(db, tenant) == []


def test_validate_only_json(db) -> None:
    import json

    doc = json.dumps({"rules": [{"id": "custom.x", "title": "t", "severity": "low",
                                 "resource_type": "AWS::EC2::Volume",
                                 "condition": "Encrypted"}]})
    assert service.validate_custom_rules(doc, "json")[0]["id"] == "custom.x"


def test_reupload_replaces_by_id(seeded, db) -> None:
    tenant = seeded.tenant()
    service.upload_custom_rules(db, tenant, RULES)
    service.upload_custom_rules(db, tenant, RULES.replace("Buckets keep", "All buckets keep"))
    titles = {r["id"]: r["title"] for r in service.list_custom_rules(db, tenant)}
    assert titles["custom.s3.versioning_on"] == "All buckets keep object versions"
    assert len(titles) == 2
