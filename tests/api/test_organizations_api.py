"""Organization connectors over REST: create with filters, field-named refusals, the tree.

Members come from the real reconcile step fed a discovery (no cloud needed for the shape of
the tree); the AWS walk itself is tested on moto in tests/services/test_organizations_aws.py.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from cloudconnectors.providers.organizations import Member, MemberDiscovery
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.services.connectors import open_credentials
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.organizations import reconcile
from cloudconnectors.storage.tables import ConnectorRow
from cloudconnectors.storage.tables.base import utcnow
from tests.support.credentials import aws_credentials
from tests.support.people import Person, make_person, principal_of

API = "/api/v1"
ROOT = "r-ab12"
MEMBERS = (
    Member("111100001111", "payments", (ROOT, "ou-ab12-prod"), {"env": "prod"}),
    Member("111100002222", "web", (ROOT, "ou-ab12-prod"), {"env": "prod"}),
    Member("111100003333", "scratch", (ROOT,), {}),
)


def _create(client: TestClient, ctx: AppContext, admin: Person, **organization: Any) -> Any:
    external_id = issue_external_id(ctx, principal_of(ctx, admin))
    return client.post(f"{API}/connectors", headers=admin.headers, json={
        "name": "the org", "provider": "aws", "organization": organization,
        "credentials": aws_credentials(external_id, account="999900009999")})


def _walk(ctx: AppContext, connector_id: str, members: tuple[Member, ...]) -> None:
    with ctx.db.write() as session:
        parent = session.get_one(ConnectorRow, connector_id)
        reconcile(session, ctx.secrets, parent, get_provider("aws"), open_credentials(ctx, parent),
                  MemberDiscovery(members, complete=True), now=utcnow(), refresh=False)


def test_bad_organization_settings_name_the_field_and_the_rule(
        client: TestClient, ctx: AppContext, admin: Person) -> None:
    answer = _create(client, ctx, admin, include={"tags": [""], "ous": []},
                     member_role_name="no spaces allowed")
    assert answer.status_code == 422
    fields = {e["field"]: e["rule"] for e in answer.json()["errors"]}
    assert set(fields) == {"organization.include.tags.0", "organization.include.ous",
                           "organization.member_role_name"}
    assert "IAM role name" in fields["organization.member_role_name"]


def test_the_tree_lists_members_under_their_organization_with_roll_up_counts(
        client: TestClient, ctx: AppContext, admin: Person) -> None:
    created = _create(client, ctx, admin, exclude={"paths": []},
                      include={"paths": ["ou-ab12-prod"], "tags": []})
    assert created.status_code == 201, created.text
    org = created.json()
    assert org["kind"] == "organization" and org["parent_id"] is None
    assert org["organization"]["member_role_name"] == "CloudConnectorsMember"
    assert org["members"]["summary"] == "0 of 0 members online"
    _walk(ctx, org["id"], MEMBERS)

    shown = client.get(f"{API}/connectors/{org['id']}", headers=admin.headers).json()
    assert shown["members"] == {"total": 2, "online": 0, "offline": 0, "pending": 2,
                                "refreshing": 0, "gone": 0,
                                "summary": "0 of 2 members online (2 pending)"}
    children = client.get(f"{API}/connectors", headers=admin.headers,
                          params={"parent": org["id"]}).json()
    assert {c["member"]["account"] for c in children["items"]} == {"111100001111",
                                                                     "111100002222"}
    child = children["items"][0]
    assert child["parent_id"] == org["id"] and child["kind"] == "account"
    assert child["credentials"]["role_arn"].endswith(":role/CloudConnectorsMember")
    assert "secret" not in str(child["credentials"]).lower()

    top = client.get(f"{API}/connectors", headers=admin.headers, params={"parent": "none"})
    assert [c["id"] for c in top.json()["items"]] == [org["id"]]
    # A member's name matches: with tree the organization is listed, without it is not.
    hit = client.get(f"{API}/connectors", headers=admin.headers,
                     params={"parent": "none", "q": "payments", "tree": "true"}).json()
    assert [c["id"] for c in hit["items"]] == [org["id"]]
    miss = client.get(f"{API}/connectors", headers=admin.headers,
                      params={"parent": "none", "q": "payments"}).json()
    assert miss["items"] == []

    _walk(ctx, org["id"], MEMBERS[:1])  # "web" left the organization
    after = client.get(f"{API}/connectors/{org['id']}", headers=admin.headers).json()
    assert (after["members"]["total"], after["members"]["gone"]) == (1, 1)
    gone = [c for c in client.get(f"{API}/connectors", headers=admin.headers,
                                  params={"parent": org["id"]}).json()["items"]
            if c["gone_at"] is not None]
    assert [g["member"]["account"] for g in gone] == ["111100002222"]
    refused = client.post(f"{API}/connectors/{gone[0]['id']}/refresh", headers=admin.headers)
    assert refused.status_code == 409

    report = client.get(f"{API}/reports/organization", headers=admin.headers,
                        params={"connector": org["id"]}).json()
    assert [m["account"] for m in report["members"]] == ["111100001111", "111100002222"]
    assert report["members"][-1]["gone"] is True and report["score"] is None


def test_members_are_tenant_scoped_and_writes_need_an_admin(
        client: TestClient, ctx: AppContext, admin: Person, viewer: Person) -> None:
    org = _create(client, ctx, admin).json()
    _walk(ctx, org["id"], MEMBERS)
    outsider = make_person(ctx, tenant="other-co", role="admin")
    assert client.get(f"{API}/connectors", headers=outsider.headers,
                      params={"parent": org["id"]}).json()["items"] == []
    assert client.get(f"{API}/reports/organization", headers=outsider.headers,
                      params={"connector": org["id"]}).status_code == 404
    edit = client.patch(f"{API}/connectors/{org['id']}", headers=viewer.headers,
                        json={"organization": {"root": "ou-ab12-prod"}})
    assert edit.status_code == 403
    edited = client.patch(f"{API}/connectors/{org['id']}", headers=admin.headers,
                          json={"organization": {"root": "ou-ab12-prod"}})
    assert edited.status_code == 200 and edited.json()["organization"]["root"] == "ou-ab12-prod"
