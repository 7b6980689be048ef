"""An AWS Organization end to end: real boto3 -> fault proxy -> moto, real storage, the
embedded scheduler's pool polling the members.

The organization connector walks the organization from the management account, keeps one
member connector per selected account, and each member polls with the member role.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.domain.states import Discovery, Status
from cloudconnectors.services import connectors, polling, reports
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.organization_reports import organization_report
from cloudconnectors.storage.tables import PollRunRow
from tests.services.organization_world import (
    REGIONS,
    create_org_connector,
    members,
    poll_members,
    use_proxy,
)
from tests.support.aws_org import (
    MEMBER_ROLE,
    Org,
    OrgMember,
    build_organization,
    deny_missing_roles,
)
from tests.support.fault_proxy import DENIED, FaultProxy, Rule
from tests.support.moto_server import MotoServer
from tests.support.people import make_person, principal_of

MEMBERS = (
    OrgMember("prod-a", ou="prod", tags={"env": "prod"}, instances=1),
    OrgMember("prod-b", ou="prod", tags={"env": "prod"}),
    OrgMember("dev-a", ou="dev", tags={"env": "dev", "team": "web"}),
    OrgMember("sandbox", tags={"team": "web"}, role=False),
)


@pytest.fixture
def aws(ctx: AppContext, fault_proxy: FaultProxy, moto_server: MotoServer,
        monkeypatch: pytest.MonkeyPatch) -> FaultProxy:
    use_proxy(ctx, fault_proxy, monkeypatch)
    deny_missing_roles(fault_proxy, moto_server.url)
    return fault_proxy


@pytest.fixture(scope="module")
def org(moto_server: MotoServer) -> Org:
    """Built once: a new account in moto loads IAM's managed policies, which takes a while.
    Tests only read it; the one that adds and removes members builds its own."""
    return build_organization(moto_server.url, ("prod", "dev"), MEMBERS, REGIONS)


@pytest.fixture
def principal(ctx: AppContext) -> Iterator[Principal]:
    yield principal_of(ctx, make_person(ctx, tenant="org", role="admin"))


def test_members_are_discovered_and_polled_and_the_missing_role_names_its_fix(
        ctx: AppContext, aws: FaultProxy, org: Org, principal: Principal) -> None:
    parent = create_org_connector(ctx, principal, org)
    summary = polling.poll_now(ctx, parent.id, Trigger.CLI)

    assert summary.status is Status.ONLINE and summary.state is RunState.SUCCEEDED
    assert summary.discovery is Discovery.SUCCESS
    poll_members(ctx, parent.id)

    found = members(ctx, principal, parent.id)
    assert set(found) == set(org.accounts.values())  # the management account is excluded
    by_name = {c.member["name"]: c for c in found.values() if c.member}
    prod_a = by_name["prod-a"]
    assert prod_a.status is Status.ONLINE and prod_a.parent_id == parent.id
    assert prod_a.member is not None
    assert prod_a.member["path"] == [org.root, org.ous["prod"]]
    assert prod_a.member["tags"] == {"env": "prod"}
    assert prod_a.public_credentials["role_arn"] == (
        f"arn:aws:iam::{org.accounts['prod-a']}:role/{MEMBER_ROLE}")
    assert prod_a.public_credentials["external_id"] == parent.public_credentials["external_id"]
    assert prod_a.vm_count == 1 and prod_a.discovery is Discovery.SUCCESS
    assert by_name["dev-a"].status is Status.ONLINE
    sandbox = by_name["sandbox"]
    assert sandbox.status is Status.OFFLINE
    assert sandbox.last_error is not None
    assert f"arn:aws:iam::{org.accounts['sandbox']}:role/{MEMBER_ROLE}" in sandbox.last_error
    assert "StackSet" in sandbox.last_error and "'acme org'" in sandbox.last_error

    shown = connectors.get_connector(ctx, principal, parent.id)
    assert shown.members is not None
    assert shown.members.summary == "3 of 4 members online (1 offline)"
    assert shown.kind == "organization" and shown.status is Status.ONLINE

    for member in found.values():
        if member.status is Status.ONLINE:
            reports.evaluate_connector(ctx.db, principal.tenant_id, member.id)
    rolled = organization_report(ctx, principal, parent.id)
    scored = [m.summary.score for m in rolled.members if m.summary.score is not None]
    assert len(scored) == 3 and scored == sorted(scored)  # worst first
    assert rolled.members[-1].account == org.accounts["sandbox"]  # never evaluated: last
    assert rolled.passed == sum(m.summary.passed for m in rolled.members)
    assert rolled.score == rolled.passed / (rolled.passed + rolled.failed)


def test_include_and_exclude_by_ou_tag_and_account(
        ctx: AppContext, aws: FaultProxy, org: Org, principal: Principal) -> None:
    parent = create_org_connector(
        ctx, principal, org,
        include={"paths": [org.ous["prod"]], "tags": ["team=web"]},
        exclude={"accounts": [org.management, org.accounts["prod-b"]], "tags": ["env=dev"]})
    polling.poll_now(ctx, parent.id, Trigger.CLI)

    found = members(ctx, principal, parent.id)
    # prod-a by its OU; sandbox by its tag; prod-b by account and dev-a by tag excluded.
    assert set(found) == {org.accounts["prod-a"], org.accounts["sandbox"]}
    run = polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert run.warning is None


def test_a_member_added_is_onboarded_and_one_removed_is_marked_gone_with_its_history(
        ctx: AppContext, aws: FaultProxy, principal: Principal, moto_server: MotoServer) -> None:
    org = build_organization(moto_server.url, ("dev",), (
        OrgMember("stays", ou="dev"), OrgMember("dev-a", ou="dev")), REGIONS)
    parent = create_org_connector(ctx, principal, org)
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    poll_members(ctx, parent.id)
    leaving = org.accounts["dev-a"]

    org.remove("dev-a")
    joined = org.add(OrgMember("new-a", ou="dev"), REGIONS)
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    poll_members(ctx, parent.id)

    found = members(ctx, principal, parent.id)
    assert found[joined].status is Status.ONLINE
    gone = found[leaving]
    assert gone.gone_at is not None and gone.member is not None
    assert gone.member["gone_reason"] == "no longer in the organization"
    assert gone.next_run_at is None
    with ctx.db.read() as session:
        kept = session.scalar(select(func.count()).select_from(PollRunRow).where(
            PollRunRow.connector_id == gone.id))
    assert kept == 1  # its one run stays readable
    rollup = connectors.get_connector(ctx, principal, parent.id).members
    assert rollup is not None and (rollup.total, rollup.online, rollup.gone) == (2, 2, 1)
    with pytest.raises(Exception, match="left its organization"):
        connectors.request_refresh(ctx, principal, gone.id)


def test_a_refused_walk_is_offline_with_the_fix_and_a_partial_one_marks_nobody_gone(
        ctx: AppContext, org: Org, principal: Principal, aws: FaultProxy) -> None:
    parent = create_org_connector(ctx, principal, org)
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    before = members(ctx, principal, parent.id)

    blocked = aws.add(Rule(action="ListChildren", fault=DENIED,
                           fields={"ParentId": org.ous["dev"]}))
    partial = polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert partial.status is Status.ONLINE and partial.state is RunState.PARTIAL
    assert partial.warning is not None and org.ous["dev"] in partial.warning
    assert "organizations:ListChildren" in partial.warning
    after = members(ctx, principal, parent.id)
    assert set(after) == set(before) and all(c.gone_at is None for c in after.values())

    aws.rules.remove(blocked)
    aws.add(Rule(action="ListRoots", fault=DENIED))
    refused = polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert refused.status is Status.OFFLINE
    assert refused.error is not None and "management account" in refused.error
    assert "organizations:ListAccounts" in refused.error and "Refresh" in refused.error
