"""GET /connectors/{id}/runs and /runs/{run_id}: poll history through the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.domain.runs import Trigger
from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from tests.fakes.connectors import make_gcp_connector
from tests.fakes.provider import FakeProvider, Plan, fake_provider
from tests.support.people import Person, make_person


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as provider:
        yield provider


def test_history_newest_first_with_results(
        ctx: AppContext, client: TestClient, admin: Person, viewer: Person,
        fake: FakeProvider) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    fake.plan = Plan(deny=frozenset({"storage"}), regions=("eu-1", "us-1"))
    partial = polling.poll_now(ctx, connector_id, Trigger.SCHEDULE)
    fake.plan = Plan(fail_auth="key revoked: upload a new key")
    failed = polling.poll_now(ctx, connector_id, Trigger.REFRESH)

    answer = client.get(f"/api/v1/connectors/{connector_id}/runs", headers=viewer.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == 2 and [r["id"] for r in body["items"]] == [failed.run_id,
                                                                       partial.run_id]
    newest, oldest = body["items"]
    assert newest["state"] == "failed" and newest["trigger"] == "refresh"
    assert newest["error"] == "key revoked: upload a new key" and newest["results"] == []
    assert oldest["state"] == "partial" and oldest["trigger"] == "schedule"
    assert oldest["regions"] == ["eu-1", "us-1"]
    assert oldest["asset_count"] == 4 and oldest["vm_count"] == 4 and oldest["api_calls"] == 4
    assert oldest["duration_seconds"] >= 0 and oldest["finished_at"] is not None
    assert "storage.buckets.list" in oldest["warning"]
    denied = [r for r in oldest["results"] if r["outcome"] == "denied"]
    assert {(r["region"], r["service"], r["permission"]) for r in denied} == {
        ("eu-1", "storage", "storage.buckets.list"), ("us-1", "storage", "storage.buckets.list")}
    ok = [r for r in oldest["results"] if r["outcome"] == "ok"]
    assert all(r["count"] == 2 for r in ok) and len(ok) == 2

    paged = client.get(f"/api/v1/connectors/{connector_id}/runs?limit=1&offset=1",
                       headers=viewer.headers).json()
    assert paged["total"] == 2 and [r["id"] for r in paged["items"]] == [partial.run_id]

    one = client.get(f"/api/v1/connectors/{connector_id}/runs/{partial.run_id}",
                     headers=viewer.headers)
    assert one.status_code == 200 and one.json() == oldest


def test_runs_are_tenant_scoped(
        ctx: AppContext, client: TestClient, admin: Person, fake: FakeProvider) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    run_id = polling.poll_now(ctx, connector_id).run_id
    stranger = make_person(ctx, tenant="globex", role="admin")
    for path in (f"/api/v1/connectors/{connector_id}/runs",
                 f"/api/v1/connectors/{connector_id}/runs/{run_id}"):
        assert client.get(path, headers=stranger.headers).status_code == 404
    other = make_gcp_connector(ctx, stranger)
    assert client.get(f"/api/v1/connectors/{other}/runs/{run_id}",
                      headers=stranger.headers).status_code == 404
    assert client.get(f"/api/v1/connectors/{connector_id}/runs/nope",
                      headers=admin.headers).status_code == 404


@pytest.mark.parametrize(("query", "detail"), [
    ("limit=0", "limit: minimum is 1"),
    ("limit=abc", "limit: must be an integer"),
    ("offset=-1", "offset: minimum is 0"),
])
def test_bad_paging_names_the_parameter(
        ctx: AppContext, client: TestClient, admin: Person, query: str, detail: str) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    answer = client.get(f"/api/v1/connectors/{connector_id}/runs?{query}", headers=admin.headers)
    assert answer.status_code == 422 and answer.json()["detail"] == detail


def test_runs_need_authentication(client: TestClient) -> None:
    assert client.get("/api/v1/connectors/x/runs").status_code == 401
