"""Azure management-group discovery and member polls: the real provider (azure-identity,
azure-core) against the HTTPS stand-in's management-group tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudconnectors.demo.azure_sandbox import Fault
from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.providers.azure.credentials import AzureCredentials
from cloudconnectors.providers.azure.provider import AzureProvider
from cloudconnectors.providers.base import PollContext
from cloudconnectors.providers.organizations import Member, MemberDiscovery
from tests.providers.azure.polling import run_poll
from tests.support.azure import (
    NO_GRAPH_APP,
    READER_APP,
    SUBSCRIPTION,
    TENANT,
    VMS,
    AzureWorld,
    azure_org,
    credentials,
    settings_for,
)

APP_SUB = "5ab50000-0000-4000-8000-0000000000a1"
DATA_SUB = "5ab50000-0000-4000-8000-0000000000a2"
CORE_SUB = "5ab50000-0000-4000-8000-0000000000a3"
OLD_SUB = "5ab50000-0000-4000-8000-0000000000a4"


def _context(org: AzureWorld, tmp_path: Path) -> PollContext:
    return PollContext(settings_for(org, tmp_path), tenant_id="t", connector_id="org")


def discover(org: AzureWorld, tmp_path: Path, root: str = TENANT,
             app: str = READER_APP) -> MemberDiscovery:
    provider = AzureProvider()
    session = provider.authenticate(credentials(app), _context(org, tmp_path))
    try:
        return provider.discover_members(session, root)
    finally:
        session.close()


def by_account(found: MemberDiscovery) -> dict[str, Member]:
    return {m.account: m for m in found.members}


def test_the_tenant_root_group_lists_every_subscription_with_path_tags_and_state(
        tmp_path: Path) -> None:
    with azure_org(tmp_path) as org:
        found = discover(org, tmp_path)
    assert found.complete and found.problems == ()
    members = by_account(found)
    assert sorted(members) == sorted([SUBSCRIPTION, APP_SUB, DATA_SUB, CORE_SUB, OLD_SUB])
    assert members[SUBSCRIPTION].path == (TENANT,)
    assert members[SUBSCRIPTION].tags == {"costcenter": "42"}
    assert members[APP_SUB].path == (TENANT, "mg-prod", "mg-prod-eu")
    assert members[APP_SUB].name == "prod-eu-app"
    assert members[CORE_SUB].path == (TENANT, "mg-prod")
    assert members[CORE_SUB].tags == {"env": "prod", "team": "core"}
    assert members[OLD_SUB].active is False  # Disabled: kept, not polled
    assert all(m.active for a, m in members.items() if a != OLD_SUB)
    # Pages of two: the 8 descendants come over 4 pages, all of them followed.
    assert org.world.page_size == 2


def test_a_child_group_root_lists_only_its_subtree(tmp_path: Path) -> None:
    with azure_org(tmp_path) as org:
        found = discover(org, tmp_path, "mg-prod")
    assert sorted(by_account(found)) == sorted([APP_SUB, DATA_SUB, CORE_SUB])
    assert by_account(found)[DATA_SUB].path == ("mg-prod", "mg-prod-eu")


def test_missing_reader_at_the_group_names_the_role_assignment(tmp_path: Path) -> None:
    with azure_org(tmp_path) as org, pytest.raises(AuthenticationFailed) as refused:
        discover(org, tmp_path, "mg-prod", app=NO_GRAPH_APP)
    message = str(refused.value)
    assert "Microsoft.Management/managementGroups/descendants/read is not granted" in message
    assert (f"az role assignment create --assignee {NO_GRAPH_APP} --role Reader --scope "
            "/providers/Microsoft.Management/managementGroups/mg-prod") in message


def test_a_root_that_is_not_a_group_id_is_refused_by_name(tmp_path: Path) -> None:
    with azure_org(tmp_path) as org, pytest.raises(CollectionFailed, match="management group"):
        discover(org, tmp_path, "../subscriptions")


def test_subscriptions_added_and_removed_between_walks(tmp_path: Path) -> None:
    new = "5ab50000-0000-4000-8000-0000000000b1"
    with azure_org(tmp_path) as org:
        first = by_account(discover(org, tmp_path))
        org.world.add_subscription(TENANT, new, "sandbox-new", ["eastus"])
        org.world.place(new, "mg-sandbox", env="dev")
        del org.world.subscriptions[DATA_SUB]
        second = by_account(discover(org, tmp_path))
    assert set(second) - set(first) == {new}
    assert set(first) - set(second) == {DATA_SUB}
    assert second[new].path == (TENANT, "mg-sandbox") and second[new].tags == {"env": "dev"}


def test_tags_that_cannot_be_read_make_the_walk_incomplete(tmp_path: Path) -> None:
    with azure_org(tmp_path) as org:
        org.world.faults.append(Fault("/subscriptions?", status=500, times=-1))
        found = discover(org, tmp_path, "mg-prod")
    assert not found.complete
    assert len(found.members) == 3
    [problem] = found.problems
    assert "tags and states could not be read" in problem


def _member(org: AzureWorld, tmp_path: Path, account: str) -> AzureCredentials:
    member = by_account(discover(org, tmp_path))[account]
    derived = AzureProvider().member_credentials(credentials(), member, {})
    assert isinstance(derived, AzureCredentials)
    # What storage keeps and gives back.
    return AzureCredentials.model_validate(derived.secret_material())


def test_a_member_polls_its_subscription_with_the_organizations_app(tmp_path: Path) -> None:
    with azure_org(tmp_path) as org:
        member = _member(org, tmp_path, SUBSCRIPTION)
        poll = run_poll(_context(org, tmp_path), member)
    assert member.public_view() == {"application_id": READER_APP, "directory_id": TENANT,
                                    "subscription_id": SUBSCRIPTION,
                                    "management_group": TENANT}
    vms = poll.sink.of_type("Microsoft.Compute/virtualMachines")
    assert len(vms) == VMS and {a.account for a in poll.sink.assets} == {SUBSCRIPTION}


def test_a_member_the_app_cannot_read_fails_with_the_assignment_at_its_group(
        tmp_path: Path) -> None:
    with azure_org(tmp_path) as org:
        member = _member(org, tmp_path, DATA_SUB)
        org.world.tenants[TENANT][READER_APP].blocked.add(DATA_SUB)
        with pytest.raises(AuthenticationFailed) as refused:
            run_poll(_context(org, tmp_path), member)
    message = str(refused.value)
    assert f"cannot read subscription {DATA_SUB} of management group mg-prod-eu" in message
    assert (f"az role assignment create --assignee {READER_APP} --role Reader --scope "
            "/providers/Microsoft.Management/managementGroups/mg-prod-eu") in message
