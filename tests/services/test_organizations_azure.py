"""An Azure management group end to end: the real provider (azure-identity, azure-core)
against the HTTPS stand-in's group tree, real storage, the embedded scheduler's pool."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudconnectors.domain.connector import Connector
from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.domain.states import Status
from cloudconnectors.services import connectors, polling
from cloudconnectors.services.context import AppContext, Principal
from tests.services.organization_world import members, poll_members
from tests.support.azure import (
    READER_APP,
    SECRET,
    SUBSCRIPTION,
    TENANT,
    VMS,
    AzureWorld,
    azure_org,
    settings_for,
)
from tests.support.people import make_person, principal_of

APP_SUB = "5ab50000-0000-4000-8000-0000000000a1"
DATA_SUB = "5ab50000-0000-4000-8000-0000000000a2"
CORE_SUB = "5ab50000-0000-4000-8000-0000000000a3"
OLD_SUB = "5ab50000-0000-4000-8000-0000000000a4"


@pytest.fixture
def principal(ctx: AppContext) -> Iterator[Principal]:
    yield principal_of(ctx, make_person(ctx, tenant="azure-org", role="admin"))


@pytest.fixture
def org(ctx: AppContext, tmp_path: Path) -> Iterator[AzureWorld]:
    with azure_org(tmp_path) as started:
        wanted = settings_for(started, tmp_path)
        ctx.settings = dataclasses.replace(
            ctx.settings, azure_authority_host=wanted.azure_authority_host,
            azure_management_endpoint=wanted.azure_management_endpoint,
            azure_graph_endpoint=wanted.azure_graph_endpoint, ca_bundle=wanted.ca_bundle,
            extra={**ctx.settings.extra, **wanted.extra})
        yield started


def create(ctx: AppContext, principal: Principal, root: str = TENANT,
           **organization: object) -> Connector:
    return connectors.create_connector(
        ctx, principal, name="acme azure", provider="azure",
        credentials={"application_id": READER_APP, "directory_id": TENANT,
                     "authentication_key": SECRET, "subscription_id": SUBSCRIPTION},
        organization={"root": root, **organization})


def test_subscriptions_are_discovered_and_polled_and_one_without_access_names_its_fix(
        ctx: AppContext, principal: Principal, org: AzureWorld) -> None:
    org.world.tenants[TENANT][READER_APP].blocked.add(DATA_SUB)
    parent = create(ctx, principal)
    summary = polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert summary.status is Status.ONLINE and summary.state is RunState.SUCCEEDED
    poll_members(ctx, parent.id)

    found = members(ctx, principal, parent.id)
    assert set(found) == {SUBSCRIPTION, APP_SUB, DATA_SUB, CORE_SUB, OLD_SUB}
    home = found[SUBSCRIPTION]
    assert home.status is Status.ONLINE and home.vm_count == VMS
    assert home.member is not None and home.member["tags"] == {"costcenter": "42"}
    app = found[APP_SUB]
    assert app.member is not None and app.member["path"] == [TENANT, "mg-prod", "mg-prod-eu"]
    denied = found[DATA_SUB]
    assert denied.status is Status.OFFLINE and denied.last_error is not None
    assert (f"az role assignment create --assignee {READER_APP} --role Reader --scope "
            "/providers/Microsoft.Management/managementGroups/mg-prod-eu") in denied.last_error
    assert found[OLD_SUB].status is Status.PENDING  # Disabled: kept, not polled
    rollup = connectors.get_connector(ctx, principal, parent.id).members
    assert rollup is not None and rollup.total == 5 and rollup.online == 3


def test_include_by_group_and_tag_exclude_by_subscription(
        ctx: AppContext, principal: Principal, org: AzureWorld) -> None:
    parent = create(ctx, principal, include={"paths": ["mg-prod"]},
                    exclude={"accounts": [DATA_SUB], "tags": ["team=core"]})
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert set(members(ctx, principal, parent.id)) == {APP_SUB}


def test_a_subscription_added_is_onboarded_and_one_removed_is_marked_gone(
        ctx: AppContext, principal: Principal, org: AzureWorld) -> None:
    new = "5ab50000-0000-4000-8000-0000000000b1"
    parent = create(ctx, principal, "mg-prod")
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    org.world.add_subscription(TENANT, new, "prod-new", ["eastus"])
    org.world.place(new, "mg-prod-eu", env="prod")
    del org.world.subscriptions[CORE_SUB]
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    poll_members(ctx, parent.id)

    found = members(ctx, principal, parent.id)
    assert found[new].status is Status.ONLINE
    gone = found[CORE_SUB]
    assert gone.gone_at is not None and gone.member is not None
    assert gone.member["gone_reason"] == "no longer in the organization"


def test_reader_missing_at_the_group_takes_the_organization_offline_with_the_fix(
        ctx: AppContext, principal: Principal, org: AzureWorld) -> None:
    org.world.tenants[TENANT][READER_APP].reader_at.clear()
    parent = create(ctx, principal, "mg-prod")
    summary = polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert summary.status is Status.OFFLINE
    shown = connectors.get_connector(ctx, principal, parent.id)
    assert shown.last_error is not None
    assert ("--role Reader --scope /providers/Microsoft.Management/managementGroups/mg-prod"
            in shown.last_error)
    assert members(ctx, principal, parent.id) == {}


@pytest.mark.parametrize("root", ["", "../subscriptions", "mg prod", "x" * 91])
def test_a_root_that_is_not_a_group_id_is_refused_naming_the_field(
        ctx: AppContext, principal: Principal, org: AzureWorld, root: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create(ctx, principal, root)
    [problem] = refused.value.problems
    assert problem.field == "organization.root"
    assert "management group ID" in problem.rule
