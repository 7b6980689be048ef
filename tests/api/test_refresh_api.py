"""Refresh through the API: refreshing from the moment it is accepted, and back with a warning
when no poller takes it within the lease time (no poller runs in these tests)."""

from __future__ import annotations

import dataclasses
import time

from fastapi.testclient import TestClient

from cloudconnectors.services.context import AppContext
from tests.support.credentials import azure_credentials
from tests.support.people import Person


def _connector(client: TestClient, admin: Person) -> str:
    created = client.post("/api/v1/connectors", headers=admin.headers, json={
        "name": "az", "provider": "azure", "credentials": azure_credentials()})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_an_immediate_get_after_refresh_reads_refreshing(
        client: TestClient, admin: Person) -> None:
    connector_id = _connector(client, admin)
    accepted = client.post(f"/api/v1/connectors/{connector_id}/refresh", headers=admin.headers)
    assert accepted.status_code == 202 and accepted.json()["queued"] is True
    assert accepted.json()["connector"]["status"] == "refreshing"
    shown = client.get(f"/api/v1/connectors/{connector_id}", headers=admin.headers).json()
    assert shown["status"] == "refreshing" and shown["refresh_queued"] is True
    assert shown["refresh_requested_at"] is not None
    listed = client.get("/api/v1/connectors?status=refreshing", headers=admin.headers).json()
    assert [c["id"] for c in listed["items"]] == [connector_id]


def test_a_refresh_no_poller_takes_goes_back_with_a_message(
        ctx: AppContext, client: TestClient, admin: Person) -> None:
    ctx.settings = dataclasses.replace(ctx.settings, poll_lease_seconds=0.3)
    connector_id = _connector(client, admin)
    client.post(f"/api/v1/connectors/{connector_id}/refresh", headers=admin.headers)
    time.sleep(0.4)  # the lease time configured above, and no poller anywhere
    shown = client.get(f"/api/v1/connectors/{connector_id}", headers=admin.headers).json()
    assert shown["status"] == "pending" and shown["refresh_queued"] is False
    assert shown["refresh_requested_at"] is None
    assert "not taken by any poller within 0.3 s" in shown["warning"]
    assert "press Refresh again" in shown["warning"]
