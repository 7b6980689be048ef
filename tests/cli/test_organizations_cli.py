"""Organization connectors from the CLI: add with filters, the tree, a member's details."""

from __future__ import annotations

import json

from cloudconnectors.providers.organizations import Member, MemberDiscovery
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.services.connectors import open_credentials
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.organizations import reconcile
from cloudconnectors.storage.tables import ConnectorRow
from cloudconnectors.storage.tables.base import utcnow
from tests.cli.conftest import Cli
from tests.support.people import make_person, principal_of

ROLE_ARN = "arn:aws:iam::999900009999:role/CloudConnectorsOrganization"


def test_add_an_organization_list_it_as_a_tree_and_show_a_member(
        run: Cli, ctx: AppContext) -> None:
    principal = principal_of(ctx, make_person(ctx, tenant="acme", role="admin"))
    added = run("connectors", "add", "--name", "org", "--provider", "aws",
                "--role-arn", ROLE_ARN, "--external-id", issue_external_id(ctx, principal),
                "--organization", "--member-role", "OrgReader",
                "--exclude-account", "111100003333", "--include-tag", "env")
    assert added.code == 0, added.stderr
    shown = json.loads(run("connectors", "show", "org", "--json").stdout)
    assert shown["kind"] == "organization"
    assert shown["organization"]["member_role_name"] == "OrgReader"
    assert shown["organization"]["exclude"]["accounts"] == ["111100003333"]
    with ctx.db.write() as session:
        parent = session.get_one(ConnectorRow, shown["id"])
        reconcile(session, ctx.secrets, parent, get_provider("aws"),
                  open_credentials(ctx, parent), MemberDiscovery((
                      Member("111100001111", "payments", ("r-1", "ou-1-a"), {"env": "prod"}),
                      Member("111100002222", "no tags", ("r-1",), {}),
                      Member("111100003333", "excluded", ("r-1",), {"env": "dev"}),
                  ), complete=True), now=utcnow(), refresh=False)

    tree = run("connectors", "list", "--tree")
    lines = tree.stdout.splitlines()
    [org_line] = [line for line in lines if " org " in f" {line} " and "└" not in line]
    assert "pending (0 of 1 members online (1 pending))" in org_line
    [member_line] = [line for line in lines if "└ org / payments (111100001111)" in line]
    assert lines.index(member_line) == lines.index(org_line) + 1
    member = run("connectors", "show", "org / payments (111100001111)")
    assert "ou-1-a" in member.stdout and "env=prod" in member.stdout
    assert "role/OrgReader" in member.stdout
    rolled = json.loads(run("report", "org").stdout)
    assert [m["account"] for m in rolled["members"]] == ["111100001111"]
    assert rolled["score"] is None  # nothing evaluated yet
    table = run("report", "org", "--format", "csv")
    assert "org: - over 1 member(s), worst first" in table.stdout
    misuse = run("connectors", "add", "--name", "x", "--provider", "aws", "--role-arn",
                 ROLE_ARN, "--include-tag", "env")
    assert misuse.code == 2 and "need --organization" in misuse.stderr
