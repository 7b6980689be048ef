"""Findings listings, rule metadata, and custom rules: upload -> evaluation -> report."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloudconnectors.rules.frameworks import BUILTIN
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.tables import AssetRow, CustomRuleRow
from tests.api.reports_world import CIS, MIN_LENGTH_RULE, Polled, fake_aws, polled_aws
from tests.fakes.provider import FakeProvider
from tests.support.people import Person, make_person

API = "/api/v1"
# The fake's buckets carry {"index": 0 | 1, ...}: index 0 passes, index 1 fails.
BUCKET_RULE = """
[[rules]]
id = "custom.s3.first_bucket_only"
title = "Only the first bucket is allowed"
severity = "high"
resource_type = "AWS::S3::Bucket"
condition = "index == `0`"
remediation = "Delete the other buckets."
"""


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_aws() as provider:
        yield provider


@pytest.fixture
def polled(ctx: AppContext, client: TestClient, admin: Person, fake: FakeProvider) -> Polled:
    return polled_aws(ctx, admin)


def _upload(client: TestClient, person: Person, content: str, fmt: str = "toml"):  # type: ignore[no-untyped-def]
    return client.post(f"{API}/rules/custom", headers=person.headers,
                       json={"format": fmt, "content": content})


def test_findings_filters_and_paging(client: TestClient, viewer: Person, polled: Polled) -> None:
    answer = client.get(f"{API}/findings", headers=viewer.headers,
                        params={"connector": polled.connector_id})
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["total"] == len(page["items"]) >= 1
    assert all(f["connector_id"] == polled.connector_id for f in page["items"])
    mine = client.get(f"{API}/findings", headers=viewer.headers, params={
        "rule": MIN_LENGTH_RULE, "state": "open"}).json()
    [finding] = mine["items"]
    assert finding["resource_key"] == "account" and finding["severity"] == "medium"
    by_resource = client.get(f"{API}/findings", headers=viewer.headers, params={
        "connector": polled.connector_id, "resource": "account"}).json()["items"]
    assert by_resource and {f["resource_key"] for f in by_resource} == {"account"}
    assert MIN_LENGTH_RULE in {f["rule_id"] for f in by_resource}
    assert client.get(f"{API}/findings", headers=viewer.headers,
                      params={"state": "fixed"}).json()["total"] == 0
    first = client.get(f"{API}/findings", headers=viewer.headers,
                       params={"limit": 1, "offset": 0}).json()
    assert len(first["items"]) == 1 and first["total"] == page["total"]
    answer = client.get(f"{API}/findings", headers=viewer.headers, params={"state": "closed"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "state"


def test_rules_metadata(client: TestClient, viewer: Person) -> None:
    answer = client.get(f"{API}/rules", params={"provider": "aws"}, headers=viewer.headers)
    assert answer.status_code == 200
    rules = {r["id"]: r for r in answer.json()["items"]}
    rule = rules[MIN_LENGTH_RULE]
    assert rule["provider"] == "aws" and rule["severity"] == "medium"
    assert rule["frameworks"] == {CIS: ["1.8"]}
    assert rule["resource_types"] == ["AWS::IAM::AccountPasswordPolicy"]
    gcp = client.get(f"{API}/rules", params={"provider": "gcp"},
                     headers=viewer.headers).json()["items"]
    logging = next(r for r in gcp if r["id"] == "gcp.logging.audit_logs_all_services")
    assert logging["frameworks"] == {"cis_gcp_4_0_0": ["2.1"]}
    assert client.get(f"{API}/rules", params={"provider": "ibm"},
                      headers=viewer.headers).status_code == 422


def test_custom_rule_upload_evaluates_and_reports(
        ctx: AppContext, client: TestClient, admin: Person, viewer: Person,
        polled: Polled) -> None:
    assert _upload(client, viewer, BUCKET_RULE).status_code == 403
    answer = _upload(client, admin, BUCKET_RULE)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [r["id"] for r in body["items"]] == ["custom.s3.first_bucket_only"]
    assert body["reevaluating"] == 1
    listed = client.get(f"{API}/rules/custom", headers=viewer.headers).json()["items"]
    assert listed[0]["condition"] == "index == `0`"
    frameworks = client.get(f"{API}/frameworks", headers=viewer.headers).json()["items"]
    assert [f["id"] for f in frameworks] == [*BUILTIN, "custom"]

    # Re-evaluated already (no poll needed): the custom report shows the failing bucket.
    report = client.get(f"{API}/reports", headers=viewer.headers, params={
        "connector": polled.connector_id, "framework": "custom"}).json()
    assert report["score"] == 0.5
    [control] = report["controls"]
    assert control["id"] == "custom.s3.first_bucket_only" and control["status"] == "fail"
    [failing] = control["failing"]
    assert failing["resource_type"] == "AWS::S3::Bucket" and failing["severity"] == "high"
    assert "index == `0`" in failing["reason"]

    # The failing bucket shows its findings; a passing one has none.
    with ctx.db.read() as session:
        keys = dict(session.execute(select(AssetRow.native_id, AssetRow.key).where(
            AssetRow.snapshot_id == polled.first.snapshot_id,
            AssetRow.type == "AWS::S3::Bucket")).all())
    assert failing["resource_key"] == keys["storage-1"]
    shown = client.get(f"{API}/assets/{keys['storage-1']}/findings", headers=viewer.headers,
                       params={"connector": polled.connector_id}).json()
    assert shown["asset_id"] == keys["storage-1"] and shown["total"] == len(shown["items"])
    assert "custom.s3.first_bucket_only" in {f["rule_id"] for f in shown["items"]}
    assert {f["resource_key"] for f in shown["items"]} == {keys["storage-1"]}
    passing = client.get(f"{API}/assets/{keys['storage-0']}/findings",
                         headers=viewer.headers).json()["items"]
    assert "custom.s3.first_bucket_only" not in {f["rule_id"] for f in passing}
    assert client.get(f"{API}/assets/nope/findings", headers=viewer.headers).status_code == 404

    exported = client.get(f"{API}/reports/export", headers=viewer.headers, params={
        "connector": polled.connector_id, "framework": "custom", "format": "ocsf"})
    [event] = json.loads(exported.text)
    assert event["finding_info"]["analytic"]["uid"] == "custom.s3.first_bucket_only"

    # Deleting the rule re-evaluates too; the custom framework is gone with it.
    assert client.delete(f"{API}/rules/custom/custom.s3.first_bucket_only",
                         headers=viewer.headers).status_code == 403
    gone = client.delete(f"{API}/rules/custom/custom.s3.first_bucket_only",
                         headers=admin.headers)
    assert gone.status_code == 204
    assert client.get(f"{API}/rules/custom", headers=viewer.headers).json() == {"items": []}
    answer = client.get(f"{API}/reports", headers=viewer.headers, params={
        "connector": polled.connector_id, "framework": "custom"})
    assert answer.status_code == 404  # no custom rules, no custom framework
    assert client.delete(f"{API}/rules/custom/custom.s3.first_bucket_only",
                         headers=admin.headers).status_code == 404


def test_invalid_upload_names_rule_and_field_and_stores_nothing(
        ctx: AppContext, client: TestClient, admin: Person) -> None:
    bad = BUCKET_RULE + """
[[rules]]
id = "custom.ec2.broken"
title = "Broken"
severity = "urgent"
resource_type = "AWS::EC2::Instance"
condition = "length(Tags"
"""
    answer = _upload(client, admin, bad)
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"rules[1] (custom.ec2.broken).severity",
                      "rules[1] (custom.ec2.broken).condition"}
    assert "custom.ec2.broken" in answer.json()["detail"]
    with ctx.db.read() as session:
        assert session.scalars(select(CustomRuleRow)).first() is None
    for content, fmt, field in (("not = [toml", "toml", "content"),
                                ('{"rules": []}', "json", "rules"),
                                ("x\x00", "toml", "content")):
        answer = _upload(client, admin, content, fmt)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == field
    answer = client.post(f"{API}/rules/custom", headers=admin.headers,
                         json={"format": "yaml", "content": "x"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "format"


def test_json_upload_and_tenants_do_not_share_rules(
        ctx: AppContext, client: TestClient, admin: Person) -> None:
    document = {"rules": [{"id": "custom.iam.x", "title": "X", "severity": "low",
                           "resource_type": "AWS::IAM::User", "condition": "UserName"}]}
    answer = _upload(client, admin, json.dumps(document), "json")
    assert answer.status_code == 200 and answer.json()["reevaluating"] == 0
    stranger = make_person(ctx, tenant="other", role="admin")
    assert client.get(f"{API}/rules/custom", headers=stranger.headers).json() == {"items": []}
    assert client.delete(f"{API}/rules/custom/custom.iam.x",
                         headers=stranger.headers).status_code == 404
    assert len(client.get(f"{API}/rules/custom", headers=admin.headers).json()["items"]) == 1


def test_long_custom_rule_ids_can_be_deleted(client: TestClient, admin: Person) -> None:
    rule_id = "custom." + "x" * 93  # the longest allowed: 100 characters
    content = BUCKET_RULE.replace("custom.s3.first_bucket_only", rule_id)
    assert _upload(client, admin, content).status_code == 200
    assert client.delete(f"{API}/rules/custom/{rule_id}", headers=admin.headers
                         ).status_code == 204
    assert client.delete(f"{API}/rules/custom/{rule_id}x", headers=admin.headers
                         ).status_code == 404


def test_nested_documents_answer_422_naming_content(client: TestClient, admin: Person) -> None:
    for content, fmt in (("x = " + "{y = " * 500 + "1" + "}" * 500, "toml"),
                         ('{"rules": ' + "[" * 1000 + "]" * 1000 + "}", "json")):
        answer = _upload(client, admin, content, fmt)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"] == [
            {"field": "content", "rule": "must not nest deeper than 32 levels"}]
