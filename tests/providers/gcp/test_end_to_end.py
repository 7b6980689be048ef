"""A GCP connector through the API: Pending -> Online/Success, runs per project, the
per-project checklist, and an invalid key taking it Offline with the fix."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.composition import create_app
from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from tests.support.gcp_standin import HOME, GcpLab, ProjectSpec, gcp_lab
from tests.support.people import Person, make_person

OTHER = "data-lake-22"


@pytest.fixture
def lab() -> Iterator[GcpLab]:
    specs = [ProjectSpec(HOME, vms=2), ProjectSpec(OTHER, vms=0,
                                                   disabled=["container.googleapis.com"])]
    with gcp_lab(specs) as running:
        running.world.deny(running.key.email, OTHER, "storage.buckets.getIamPolicy")
        yield running


@pytest.fixture
def world_ctx(ctx: AppContext, lab: GcpLab) -> AppContext:
    return AppContext(settings=lab.settings(ctx.settings), db=ctx.db, secrets=ctx.secrets)


@pytest.fixture
def api(world_ctx: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(world_ctx)) as test_client:
        yield test_client


@pytest.fixture
def boss(world_ctx: AppContext) -> Person:
    return make_person(world_ctx, tenant="acme", role="admin")


def test_pending_to_online_with_per_project_results(
        world_ctx: AppContext, api: TestClient, boss: Person, lab: GcpLab) -> None:
    created = api.post("/api/v1/connectors", headers=boss.headers, json={
        "name": "gcp org", "provider": "gcp", "credentials": lab.credentials})
    assert created.status_code == 201, created.text
    connector = created.json()
    assert connector["status"] == "pending"
    assert connector["credentials"] == {"client_email": lab.key.email, "project_id": HOME}

    polling.poll_now(world_ctx, connector["id"])
    shown = api.get(f"/api/v1/connectors/{connector['id']}", headers=boss.headers).json()
    assert shown["status"] == "online" and shown["discovery"] == "success"
    assert "container.googleapis.com" in (shown["warning"] or "")

    vms = api.get(f"/api/v1/assets?connector={connector['id']}"
                  "&type=compute.googleapis.com/Instance", headers=boss.headers).json()
    assert vms["total"] == 2 and {v["account"] for v in vms["items"]} == {HOME}
    other = api.get(f"/api/v1/assets?connector={connector['id']}&account={OTHER}",
                    headers=boss.headers).json()
    assert other["total"] > 0

    run = api.get(f"/api/v1/connectors/{connector['id']}/runs",
                  headers=boss.headers).json()["items"][0]
    assert {r["account"] for r in run["results"]} == {HOME, OTHER}
    gke = [r for r in run["results"] if r["resource_type"] == "container.googleapis.com/Cluster"]
    assert {(r["account"], r["outcome"]) for r in gke} == {(HOME, "ok"), (OTHER, "skipped")}

    checklist = api.get(f"/api/v1/connectors/{connector['id']}/diagnostics",
                        headers=boss.headers).json()["items"]
    by_key = {item["key"]: item for item in checklist}
    gke_other = by_key[f"{OTHER}:api:container.googleapis.com"]
    assert gke_other["access"] == "missing"
    assert f"gcloud services enable container.googleapis.com --project {OTHER}" in (
        gke_other["fix"])
    assert by_key[f"{HOME}:api:container.googleapis.com"]["access"] == "granted"
    reviewer = by_key[f"{OTHER}:role:roles/iam.securityReviewer"]
    assert reviewer["access"] == "missing"
    assert reviewer["denied"] == ["storage.buckets.getIamPolicy"]
    assert reviewer["fix"] == (
        f"gcloud projects add-iam-policy-binding {OTHER} "
        f"--member=serviceAccount:{lab.key.email} --role=roles/iam.securityReviewer")
    assert by_key[f"{HOME}:role:roles/viewer"]["access"] == "granted"


def test_a_disabled_account_goes_offline_with_a_new_key_fix(
        world_ctx: AppContext, api: TestClient, boss: Person, lab: GcpLab) -> None:
    lab.world.accounts[lab.key.email].disabled = True
    created = api.post("/api/v1/connectors", headers=boss.headers, json={
        "name": "gcp", "provider": "gcp", "credentials": lab.credentials}).json()
    polling.poll_now(world_ctx, created["id"])
    shown = api.get(f"/api/v1/connectors/{created['id']}", headers=boss.headers).json()
    assert shown["status"] == "offline"
    assert "invalid_grant" in shown["last_error"]
    assert "Create a new JSON key" in shown["last_error"]
    assert "-----BEGIN" not in shown["last_error"]


def test_project_lists_through_the_api(
        world_ctx: AppContext, api: TestClient, boss: Person, lab: GcpLab) -> None:
    created = api.post("/api/v1/connectors", headers=boss.headers, json={
        "name": "only data", "provider": "gcp", "credentials": lab.credentials,
        "projects": {"include": [OTHER]}})
    assert created.status_code == 201, created.text
    connector = created.json()
    assert connector["projects"] == {"include": [OTHER], "exclude": []}
    polling.poll_now(world_ctx, connector["id"])
    run = api.get(f"/api/v1/connectors/{connector['id']}/runs",
                  headers=boss.headers).json()["items"][0]
    assert {r["account"] for r in run["results"]} == {OTHER}

    bad = api.patch(f"/api/v1/connectors/{connector['id']}", headers=boss.headers,
                    json={"projects": {"exclude": ["Not_A_Project"], "only": []}})
    assert bad.status_code == 422
    assert "projects.exclude[0]: must be a GCP project ID" in bad.json()["detail"]
    assert "projects.only: is not a known key" in bad.json()["detail"]
    cleared = api.patch(f"/api/v1/connectors/{connector['id']}", headers=boss.headers,
                        json={"projects": None})
    assert cleared.status_code == 200 and cleared.json()["projects"] is None


def test_project_lists_are_for_gcp_only(api: TestClient, boss: Person) -> None:
    from tests.support.credentials import azure_credentials

    refused = api.post("/api/v1/connectors", headers=boss.headers, json={
        "name": "az", "provider": "azure", "credentials": azure_credentials(),
        "projects": {"include": ["prod-123"]}})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "projects: only Google Cloud connectors take project lists"
