"""Frameworks, reports (one connector and the overview), exports and report refresh.

Polls run through the fake AWS provider; ``create_app`` installed the post-poll hook, so a
successful poll alone produces the report.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.rules.frameworks import BUILTIN
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.polling import poll_now
from tests.api.reports_world import (
    CIS,
    MIN_LENGTH_RULE,
    Polled,
    aws_connector,
    fake_aws,
    polled_aws,
)
from tests.fakes.provider import FakeProvider, Plan
from tests.support.credentials import azure_credentials
from tests.support.people import Person, make_person

API = "/api/v1"


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_aws() as provider:
        yield provider


@pytest.fixture
def polled(ctx: AppContext, client: TestClient, admin: Person, fake: FakeProvider) -> Polled:
    return polled_aws(ctx, admin)


def _control(report: dict, control_id: str) -> dict:
    return next(c for c in report["controls"] if c["id"] == control_id)


def test_frameworks_list(client: TestClient, viewer: Person) -> None:
    answer = client.get(f"{API}/frameworks", headers=viewer.headers)
    assert answer.status_code == 200
    frameworks = {f["id"]: f for f in answer.json()["items"]}
    assert frameworks["cis_gcp_4_0_0"]["provider"] == "gcp"
    cis = frameworks[CIS]
    assert frameworks["cis_azure_5_0_0"]["provider"] == "azure"
    assert {k: cis[k] for k in ("id", "provider", "version")} == {
        "id": CIS, "provider": "aws", "version": "3.0.0"}
    assert cis["controls"] == cis["automated"] + cis["manual"] and cis["automated"] > 0
    assert "CIS" in cis["name"]


def test_a_poll_produces_a_report(client: TestClient, viewer: Person, polled: Polled) -> None:
    answer = client.get(f"{API}/reports", params={"connector": polled.connector_id},
                        headers=viewer.headers)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["framework"]["id"] == CIS  # the default for an AWS connector
    assert report["connector_id"] == polled.connector_id
    assert report["connector_name"] == polled.name
    assert report["account_uid"] == "111122223333"  # from the Role ARN
    assert report["snapshot_id"] == polled.first.snapshot_id
    assert 0 <= report["score"] < 1
    control = _control(report, "1.8")
    assert control["status"] == "fail"
    [finding] = control["failing"]
    assert finding["rule_id"] == MIN_LENGTH_RULE and finding["state"] == "open"
    assert "minimum length is 8" in finding["reason"]
    assert finding["first_seen"] == finding["last_seen"]
    assert _control(report, "1.9")["status"] == "pass"
    assert len(report["trend"]) == 1 and report["trend"][0]["score"] == report["score"]
    assert report["fixed"] == []


def test_fixed_findings_and_trend_over_polls(
        ctx: AppContext, client: TestClient, viewer: Person, polled: Polled,
        fake: FakeProvider) -> None:
    from tests.api.reports_world import aws_plan

    fake.plan = aws_plan(length=14)
    poll_now(ctx, polled.connector_id)
    report = client.get(f"{API}/reports", params={"connector": polled.connector_id,
                                                  "framework": CIS},
                        headers=viewer.headers).json()
    assert _control(report, "1.8")["status"] == "pass"
    [fixed] = report["fixed"]
    assert fixed["rule_id"] == MIN_LENGTH_RULE and fixed["state"] == "fixed"
    assert fixed["fixed_at"] is not None
    assert [p["score"] for p in report["trend"]][-1] == report["score"]
    assert len(report["trend"]) == 2 and report["trend"][0]["score"] < report["score"]
    later = client.get(f"{API}/reports", headers=viewer.headers, params={
        "connector": polled.connector_id, "fixed_since": "2999-01-01T00:00:00Z"}).json()
    assert later["fixed"] == []


def test_overview_lists_every_connector(
        ctx: AppContext, client: TestClient, admin: Person, viewer: Person, polled: Polled,
        fake: FakeProvider) -> None:
    poll_now(ctx, polled.connector_id)
    waiting = aws_connector(ctx, admin, "not-polled-yet")
    azure = client.post(f"{API}/connectors", headers=admin.headers, json={
        "name": "corp-azure", "provider": "azure", "credentials": azure_credentials()})
    assert azure.status_code == 201
    answer = client.get(f"{API}/reports", headers=viewer.headers)
    assert answer.status_code == 200, answer.text
    items = {i["connector_name"]: i for i in answer.json()["items"]}
    assert list(items) == ["corp-azure", "not-polled-yet", "prod-aws"]  # by name
    prod = items["prod-aws"]
    assert set(prod) >= {"connector_id", "connector_name", "provider", "framework", "score",
                         "passed", "failed", "manual", "not_applicable", "evaluated_at",
                         "trend"}
    assert prod["framework"] == CIS and prod["provider"] == "aws"
    assert prod["failed"] >= 1 and prod["passed"] >= 1 and prod["manual"] >= 1
    assert prod["evaluated_at"] is not None and 0 <= prod["score"] < 1
    assert [set(p) for p in prod["trend"]] == [{"at", "score"}] * 2
    report = client.get(f"{API}/reports", params={"connector": prod["connector_id"]},
                        headers=viewer.headers).json()
    assert prod["score"] == report["score"]
    assert prod["failed"] == report["results"]["fail"]
    assert prod["passed"] == report["results"]["pass"]
    assert prod["score"] == round(prod["passed"] / (prod["passed"] + prod["failed"]), 4)
    assert prod["controls"] == report["controls_by_status"]
    assert items["not-polled-yet"]["connector_id"] == waiting
    assert items["not-polled-yet"]["evaluated_at"] is None
    assert items["not-polled-yet"]["score"] is None and items["not-polled-yet"]["trend"] == []
    # An Azure connector gets CIS Azure on the Overview; not evaluated yet, so no score.
    assert items["corp-azure"]["framework"] == "cis_azure_5_0_0"
    assert items["corp-azure"]["evaluated_at"] is None and items["corp-azure"]["score"] is None
    # Naming the framework keeps only the connectors it applies to; trend is bounded.
    only = client.get(f"{API}/reports", params={"framework": CIS, "trend": 1},
                      headers=viewer.headers).json()["items"]
    assert [i["connector_name"] for i in only] == ["not-polled-yet", "prod-aws"]
    assert len(only[1]["trend"]) == 1


def test_overview_is_per_tenant(client: TestClient, polled: Polled, ctx: AppContext) -> None:
    stranger = make_person(ctx, tenant="other", role="admin")
    assert client.get(f"{API}/reports", headers=stranger.headers).json() == {"items": []}
    answer = client.get(f"{API}/reports", params={"connector": polled.connector_id},
                        headers=stranger.headers)
    assert answer.status_code == 404


@pytest.mark.parametrize(("fmt", "media", "suffix"), [
    ("json", "application/json", ".json"), ("csv", "text/csv", ".csv"),
    ("html", "text/html", ".html"), ("ocsf", "application/json", ".ocsf.json")])
def test_exports(client: TestClient, viewer: Person, polled: Polled, fmt: str, media: str,
                 suffix: str) -> None:
    answer = client.get(f"{API}/reports/export", headers=viewer.headers, params={
        "connector": polled.connector_id, "framework": CIS, "format": fmt})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(media)
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f'filename="prod-aws-{CIS}{suffix}"' in disposition
    body = answer.text
    if fmt == "json":
        assert json.loads(body)["framework"]["id"] == CIS
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body)))
        assert any(r["rule_id"] == MIN_LENGTH_RULE and r["finding_state"] == "open"
                   for r in rows)
    elif fmt == "html":
        assert "<html" in body and "1.8" in body
    else:
        events = json.loads(body)
        assert events and events[0]["class_uid"] == 2004
        # The AWS account the connector's role lives in (tests/support/credentials.py).
        assert {e["cloud"]["account"]["uid"] for e in events} == {"111122223333"}


def test_export_filename_is_safe_for_any_name(
        ctx: AppContext, client: TestClient, admin: Person, fake: FakeProvider) -> None:
    polled = polled_aws(ctx, admin, name='Prod "eu" / Zürich')
    answer = client.get(f"{API}/reports/export", headers=admin.headers, params={
        "connector": polled.connector_id, "format": "csv"})
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert 'filename="Prod_eu_Z_rich-cis_aws_3_0_0.csv"' in disposition
    assert "filename*=UTF-8''Prod%20%22eu%22%20%2F%20Z%C3%BCrich" in disposition


def test_unknown_framework_or_format_is_422(
        client: TestClient, viewer: Person, polled: Polled) -> None:
    for path, params in ((f"{API}/reports", {}), (f"{API}/reports/export", {})):
        answer = client.get(path, headers=viewer.headers, params={
            **params, "connector": polled.connector_id, "framework": "pci"})
        assert answer.status_code == 422
        assert answer.json()["errors"] == [{"field": "framework",
                                            "rule": "must be one of " + ", ".join(BUILTIN)}]
    answer = client.get(f"{API}/reports", headers=viewer.headers, params={"framework": "pci"})
    assert answer.status_code == 422 and "framework" in answer.json()["detail"]
    answer = client.get(f"{API}/reports/export", headers=viewer.headers, params={
        "connector": polled.connector_id, "format": "pdf"})
    assert answer.status_code == 422
    [problem] = answer.json()["errors"]
    assert problem["field"] == "format"
    assert all(f in problem["rule"] for f in ("json", "csv", "html", "ocsf"))


def test_report_of_a_connector_never_polled(
        ctx: AppContext, client: TestClient, admin: Person) -> None:
    connector_id = aws_connector(ctx, admin)
    answer = client.get(f"{API}/reports", headers=admin.headers,
                        params={"connector": connector_id})
    assert answer.status_code == 404 and "not been evaluated" in answer.json()["detail"]
    answer = client.post(f"{API}/connectors/{connector_id}/reports/refresh",
                         headers=admin.headers)
    assert answer.status_code == 409
    assert "no complete inventory yet" in answer.json()["detail"]


def test_refresh_re_evaluates_now(
        client: TestClient, admin: Person, viewer: Person, polled: Polled) -> None:
    path = f"{API}/connectors/{polled.connector_id}/reports/refresh"
    assert client.post(path, headers=viewer.headers).status_code == 403
    answer = client.post(path, headers=admin.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["connector_id"] == polled.connector_id
    assert body["snapshot_id"] == polled.first.snapshot_id
    assert body["asset_count"] == 4 and body["result_count"] > 0
    assert 0 <= body["scores"][CIS] < 1
    assert body["findings"] == {"opened": 0, "reopened": 0, "fixed": 0,
                                "still_open": body["findings"]["still_open"]}
    assert body["findings"]["still_open"] >= 1
    report = client.get(f"{API}/reports", params={"connector": polled.connector_id},
                        headers=viewer.headers).json()
    # The same snapshot again: the evaluation is replaced, not a second trend point.
    assert [p["snapshot_id"] for p in report["trend"]] == [polled.first.snapshot_id]
    assert report["evaluated_at"] == report["trend"][0]["evaluated_at"]
    assert client.post(path, headers=admin.headers).status_code == 200
    again = client.get(f"{API}/reports", params={"connector": polled.connector_id},
                       headers=viewer.headers).json()
    assert len(again["trend"]) == 1 and again["evaluated_at"] > report["evaluated_at"]


def test_gcp_connector_defaults_to_cis_gcp(
        ctx: AppContext, client: TestClient, admin: Person) -> None:
    from cloudconnectors.domain.connector import ProviderName
    from tests.fakes.connectors import make_gcp_connector
    from tests.fakes.provider import fake_provider

    with fake_provider(ProviderName.GCP, Plan()):
        connector_id = make_gcp_connector(ctx, admin)
        poll_now(ctx, connector_id)
    answer = client.get(f"{API}/reports", params={"connector": connector_id},
                        headers=admin.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["framework"]["id"] == "cis_gcp_4_0_0"
    answer = client.get(f"{API}/reports", params={"connector": connector_id, "framework": CIS},
                        headers=admin.headers)
    assert answer.status_code == 422 and "applies to aws connectors" in answer.text


def test_a_report_and_its_exports_filtered_by_project(
        ctx: AppContext, client: TestClient) -> None:
    from tests.support.gcp_projects import OTHER, PROJECTS, two_project_connector
    from tests.support.people import principal_of

    person = make_person(ctx, tenant="gcp-org", role="viewer")
    connector = two_project_connector(ctx, principal_of(ctx, make_person(
        ctx, tenant="gcp-org", role="admin")))
    base = f"{API}/reports?connector={connector}&framework=cis_gcp_4_0_0"
    whole = client.get(base, headers=person.headers).json()
    assert whole["account"] is None and whole["accounts"] == sorted(PROJECTS)
    mine = client.get(f"{base}&account={OTHER}", headers=person.headers)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert (body["account"], body["account_uid"]) == (OTHER, OTHER)
    failing = [f for c in body["controls"] for f in c["failing"]]
    assert failing and {f["account"] for f in failing} <= {OTHER, None}
    assert sum(body["results"].values()) < sum(whole["results"].values())
    exported = client.get(f"{API}/reports/export?connector={connector}&format=csv"
                          f"&account={OTHER}", headers=person.headers)
    assert exported.status_code == 200 and OTHER in exported.headers["content-disposition"]
    assert {r["account"] for r in csv.DictReader(io.StringIO(exported.text))} <= {OTHER, ""}
    unknown = client.get(f"{base}&account=nope-9", headers=person.headers)
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("account: ")
    listed = client.get(f"{API}/reports?account={OTHER}", headers=person.headers).json()
    assert [s["connector_id"] for s in listed["items"]] == [connector]
    assert client.get(f"{API}/reports?account=nope-9", headers=person.headers
                      ).json()["items"] == []


def test_findings_filtered_by_project(ctx: AppContext, client: TestClient) -> None:
    """/findings?account= lists that project's findings and the connector-wide ones, as the
    report filtered to the project counts them (so an unknown project lists only those)."""
    from tests.support.gcp_projects import OTHER, PROJECTS, two_project_connector
    from tests.support.people import principal_of

    person = make_person(ctx, tenant="gcp-findings", role="viewer")
    connector = two_project_connector(ctx, principal_of(ctx, make_person(
        ctx, tenant="gcp-findings", role="admin")))
    url = f"{API}/findings?connector={connector}&limit=1000"
    everything = client.get(url, headers=person.headers).json()
    assert {f["account"] for f in everything["items"]} >= set(PROJECTS)
    mine = client.get(f"{url}&account={OTHER}", headers=person.headers)
    assert mine.status_code == 200, mine.text
    items = mine.json()["items"]
    assert items and {f["account"] for f in items} <= {OTHER, None}
    assert mine.json()["total"] < everything["total"]
    expected = [f for f in everything["items"] if f["account"] in (OTHER, None)]
    assert mine.json()["total"] == len(expected)
    nobody = client.get(f"{url}&account=nope-9", headers=person.headers).json()
    assert {f["account"] for f in nobody["items"]} <= {None}
    refused = client.get(f"{url}&account=a%00b", headers=person.headers)
    assert refused.status_code == 422 and "account" in refused.text
