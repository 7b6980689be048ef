"""The connector lifecycle through the API, one provider at a time."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.credentials import AZURE_SECRET, azure_credentials, gcp_credentials
from tests.support.people import Person


def test_create_list_show_delete_azure_connector(client: TestClient, admin: Person) -> None:
    created = client.post("/api/v1/connectors", headers=admin.headers, json={
        "name": "prod-azure", "provider": "azure", "credentials": azure_credentials()})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "pending" and body["discovery"] is None
    assert body["run_frequency_minutes"] == 240
    assert AZURE_SECRET not in created.text
    assert body["credentials"]["subscription_id"] == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

    listed = client.get("/api/v1/connectors", headers=admin.headers).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    shown = client.get(f"/api/v1/connectors/{body['id']}", headers=admin.headers)
    assert shown.status_code == 200 and AZURE_SECRET not in shown.text
    assert client.delete(f"/api/v1/connectors/{body['id']}", headers=admin.headers
                         ).status_code == 204
    assert client.get(f"/api/v1/connectors/{body['id']}", headers=admin.headers
                      ).status_code == 404


def test_run_frequency_rules_name_the_field(client: TestClient, admin: Person) -> None:
    for value, rule in ((59, "minimum is 60"), (1441, "maximum is 1440")):
        answer = client.post("/api/v1/connectors", headers=admin.headers, json={
            "name": "gcp", "provider": "gcp", "run_frequency_minutes": value,
            "credentials": gcp_credentials()})
        assert answer.status_code == 422
        assert answer.json()["detail"] == f"run_frequency_minutes: {rule}"


def test_viewer_cannot_create(client: TestClient, viewer: Person) -> None:
    answer = client.post("/api/v1/connectors", headers=viewer.headers, json={
        "name": "x", "provider": "gcp", "credentials": gcp_credentials()})
    assert answer.status_code == 403


def test_the_document_states_the_shape_of_project_lists(client: TestClient,
                                                       admin: Person) -> None:
    from cloudconnectors.providers.gcp.credentials import PROJECT_ID_PATTERN
    from cloudconnectors.providers.gcp.projects import MAX_LISTED

    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for model in ("ConnectorCreate", "ConnectorUpdate"):
        lists, null = schemas[model]["properties"]["projects"]["anyOf"]
        assert null == {"type": "null"} and lists["additionalProperties"] is False
        for key in ("include", "exclude"):
            ids = lists["properties"][key]
            assert ids["maxItems"] == MAX_LISTED
            assert ids["items"]["pattern"] == PROJECT_ID_PATTERN.pattern
    # No lists at all is no project selection, which any provider may state.
    created = client.post("/api/v1/connectors", headers=admin.headers, json={
        "name": "az", "provider": "azure", "credentials": azure_credentials(), "projects": {}})
    assert created.status_code == 201 and created.json()["projects"] is None


def test_inventory_setting_through_the_api(client: TestClient, admin: Person) -> None:
    """rules by default; full on create or by PATCH; anything else (or null) names the field
    and the choices."""
    created = client.post("/api/v1/connectors", headers=admin.headers, json={
        "name": "gcp-inv", "provider": "gcp", "credentials": gcp_credentials()})
    assert created.status_code == 201 and created.json()["inventory"] == "rules"
    url = f"/api/v1/connectors/{created.json()['id']}"
    changed = client.patch(url, headers=admin.headers, json={"inventory": "full"})
    assert changed.status_code == 200 and changed.json()["inventory"] == "full"
    assert client.get(url, headers=admin.headers).json()["inventory"] == "full"
    for bad in ("everything", None):
        refused = client.patch(url, headers=admin.headers, json={"inventory": bad})
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"].startswith("inventory: ")
    full = client.post("/api/v1/connectors", headers=admin.headers, json={
        "name": "gcp-full", "provider": "gcp", "credentials": gcp_credentials(),
        "inventory": "full"})
    assert full.status_code == 201 and full.json()["inventory"] == "full"
    assert client.get(url, headers=admin.headers).json()["inventory"] == "full"
