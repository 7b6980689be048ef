"""A GCP organization end to end: the real provider (google-auth over REST) against the
stand-in's folder tree, real storage, the embedded scheduler's pool polling the members."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudconnectors.demo.gcp_sandbox.seed import ProjectSpec, seed_project
from cloudconnectors.demo.gcp_sandbox.world import ORGANIZATION
from cloudconnectors.domain.connector import Connector
from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.domain.states import Status
from cloudconnectors.services import connectors, polling
from cloudconnectors.services.context import AppContext, Principal
from tests.services.organization_world import members, poll_members
from tests.support.gcp_standin import EMAIL, HOME, GcpLab, gcp_org_lab
from tests.support.people import make_person, principal_of


@pytest.fixture
def principal(ctx: AppContext) -> Iterator[Principal]:
    yield principal_of(ctx, make_person(ctx, tenant="gcp-org", role="admin"))


@pytest.fixture
def lab(ctx: AppContext) -> Iterator[GcpLab]:
    with gcp_org_lab() as started:
        ctx.settings = started.settings(ctx.settings)
        yield started


def create(ctx: AppContext, principal: Principal, lab: GcpLab, **organization: object
           ) -> Connector:
    return connectors.create_connector(
        ctx, principal, name="acme gcp", provider="gcp", credentials=lab.credentials,
        organization={"root": ORGANIZATION, **organization})


def test_projects_are_discovered_and_polled_and_one_without_access_names_its_binding(
        ctx: AppContext, principal: Principal, lab: GcpLab) -> None:
    lab.world.deny(EMAIL, "prod-eu-data-1", "resourcemanager.projects.get")
    parent = create(ctx, principal, lab)
    summary = polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert summary.status is Status.ONLINE and summary.state is RunState.SUCCEEDED
    poll_members(ctx, parent.id)

    found = members(ctx, principal, parent.id)
    assert set(found) == {HOME, "prod-core-1", "prod-eu-app-1", "prod-eu-data-1",
                          "prod-eu-web-1", "sandbox-old-1"}
    app = found["prod-eu-app-1"]
    assert app.status is Status.ONLINE and app.vm_count == 2
    assert app.member is not None
    assert app.member["path"] == [ORGANIZATION, "folders/201", "folders/202"]
    assert app.member["tags"] == {"env": "prod"}
    assert app.public_credentials["project_id"] == "prod-eu-app-1"
    denied = found["prod-eu-data-1"]
    assert denied.status is Status.OFFLINE and denied.last_error is not None
    assert (f"gcloud resource-manager folders add-iam-policy-binding 202 "
            f"--member=serviceAccount:{EMAIL} --role=roles/viewer") in denied.last_error
    # Pending deletion: a member, kept, never polled.
    assert found["sandbox-old-1"].status is Status.PENDING
    rollup = connectors.get_connector(ctx, principal, parent.id).members
    assert rollup is not None and (rollup.total, rollup.online) == (6, 4)


def test_include_by_folder_and_label_and_exclude_by_project(
        ctx: AppContext, principal: Principal, lab: GcpLab) -> None:
    parent = create(ctx, principal, lab,
                    include={"paths": ["folders/202"], "tags": ["team=core"]},
                    exclude={"accounts": ["prod-eu-web-1"]})
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert set(members(ctx, principal, parent.id)) == {"prod-core-1", "prod-eu-app-1",
                                                        "prod-eu-data-1"}


def test_a_project_added_is_onboarded_and_one_removed_is_marked_gone(
        ctx: AppContext, principal: Principal, lab: GcpLab) -> None:
    parent = create(ctx, principal, lab, include={"paths": ["folders/201", "folders/203"]})
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    seed_project(lab.world, ProjectSpec("sandbox-new-1", vms=1, each=0, parent="folders/203"),
                 "100000000099")
    lab.world.accounts[EMAIL].projects.add("sandbox-new-1")
    del lab.world.projects["prod-eu-web-1"]
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    poll_members(ctx, parent.id)

    found = members(ctx, principal, parent.id)
    assert found["sandbox-new-1"].status is Status.ONLINE
    gone = found["prod-eu-web-1"]
    assert gone.gone_at is not None and gone.member is not None
    assert gone.member["gone_reason"] == "no longer in the organization"


def test_a_folder_that_cannot_be_listed_is_a_partial_walk_that_marks_nobody_gone(
        ctx: AppContext, principal: Principal, lab: GcpLab) -> None:
    parent = create(ctx, principal, lab)
    polling.poll_now(ctx, parent.id, Trigger.CLI)
    lab.world.deny_at(EMAIL, "folders/202", "resourcemanager.projects.list")
    partial = polling.poll_now(ctx, parent.id, Trigger.CLI)
    assert partial.state is RunState.PARTIAL and partial.warning is not None
    assert "folders/202: listing its projects was refused" in partial.warning
    assert "--role=roles/browser" in partial.warning
    assert all(c.gone_at is None for c in members(ctx, principal, parent.id).values())


@pytest.mark.parametrize("root", ["", "my-org", "organizations/", "projects/123",
                                  "folders/12 3"])
def test_a_root_that_is_not_an_organization_or_folder_is_refused_naming_the_field(
        ctx: AppContext, principal: Principal, lab: GcpLab, root: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create(ctx, principal, lab, root=root)
    [problem] = refused.value.problems
    assert problem.field == "organization.root"
    assert "organizations/<number> or folders/<number>" in problem.rule
