"""GET /connectors/{id}/diagnostics: judged from the last poll, unknown before one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from tests.fakes.connectors import make_gcp_connector
from tests.fakes.provider import FakeProvider, Plan, fake_provider
from tests.support.people import Person, make_person


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as provider:
        yield provider


def diagnostics(client: TestClient, person: Person, connector_id: str) -> dict:  # type: ignore[type-arg]
    answer = client.get(f"/api/v1/connectors/{connector_id}/diagnostics", headers=person.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_before_any_poll_everything_is_unknown(
        ctx: AppContext, client: TestClient, admin: Person, fake: FakeProvider) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    body = diagnostics(client, admin, connector_id)
    assert body["run_id"] is None and body["checked_at"] is None
    assert "No poll has finished yet" in body["note"]
    assert [i["access"] for i in body["items"]] == ["unknown", "unknown"]
    assert set(body["items"][0]) == {"key", "title", "access", "detail", "fix", "policy",
                                     "denied"}


def test_after_a_poll_with_a_denial(
        ctx: AppContext, client: TestClient, admin: Person, viewer: Person,
        fake: FakeProvider) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    fake.plan = Plan(deny=frozenset({"storage"}))
    run_id = polling.poll_now(ctx, connector_id).run_id
    body = diagnostics(client, viewer, connector_id)
    assert body["run_id"] == run_id and body["note"] is None and body["checked_at"]
    items = {i["key"]: i for i in body["items"]}
    assert items["compute"]["access"] == "granted" and items["compute"]["denied"] == []
    assert items["storage"]["access"] == "missing"
    assert items["storage"]["denied"] == ["storage.buckets.list"]
    assert items["storage"]["fix"] == "grant storage.buckets.list"


def test_after_an_authentication_failure_says_so(
        ctx: AppContext, client: TestClient, admin: Person, fake: FakeProvider) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    fake.plan = Plan(fail_auth="invalid_grant: the key was deleted; upload a new key")
    polling.poll_now(ctx, connector_id)
    body = diagnostics(client, admin, connector_id)
    assert "failed before any permission could be checked" in body["note"]
    assert "the key was deleted" in body["note"]


def test_diagnostics_are_tenant_scoped(
        ctx: AppContext, client: TestClient, admin: Person, fake: FakeProvider) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    stranger = make_person(ctx, tenant="globex", role="admin")
    answer = client.get(f"/api/v1/connectors/{connector_id}/diagnostics",
                        headers=stranger.headers)
    assert answer.status_code == 404
