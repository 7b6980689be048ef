"""GCP organization discovery and member polls: the real provider against the stand-in's
Resource Manager v3 tree (folders nested two deep, pages of two)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudconnectors.config import load_settings
from cloudconnectors.demo.gcp_sandbox import Fault
from cloudconnectors.demo.gcp_sandbox.seed import seed_project
from cloudconnectors.demo.gcp_sandbox.world import ORGANIZATION
from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.providers.base import PollContext
from cloudconnectors.providers.gcp.credentials import GcpCredentials
from cloudconnectors.providers.gcp.projects import PROJECT_LIST_TYPE
from cloudconnectors.providers.gcp.provider import GcpProvider
from cloudconnectors.providers.organizations import Member, MemberDiscovery
from tests.support.gcp_standin import EMAIL, HOME, GcpLab, ProjectSpec, gcp_org_lab
from tests.support.sinks import MemorySink

VM = "compute.googleapis.com/Instance"


def _context(lab: GcpLab, tmp_path: Path) -> PollContext:
    return PollContext(lab.settings(load_settings(data_dir=tmp_path)), tenant_id="t",
                       connector_id="org")


def _parent(lab: GcpLab, context: PollContext) -> GcpCredentials:
    return GcpCredentials.model_validate(lab.credentials,
                                         context={"settings": context.settings})


def discover(lab: GcpLab, tmp_path: Path, root: str = ORGANIZATION) -> MemberDiscovery:
    context = _context(lab, tmp_path)
    provider = GcpProvider()
    session = provider.authenticate(_parent(lab, context), context)
    try:
        return provider.discover_members(session, root)
    finally:
        session.close()


def by_account(found: MemberDiscovery) -> dict[str, Member]:
    return {m.account: m for m in found.members}


def test_the_whole_tree_is_walked_with_paths_labels_and_states(tmp_path: Path) -> None:
    with gcp_org_lab() as lab:
        found = discover(lab, tmp_path)
        calls = lab.server.by_label["cloudresourcemanager"]
    assert found.complete and found.problems == ()
    members = by_account(found)
    assert sorted(members) == [HOME, "prod-core-1", "prod-eu-app-1", "prod-eu-data-1",
                               "prod-eu-web-1", "sandbox-old-1"]
    assert members[HOME].path == (ORGANIZATION,)
    assert members["prod-core-1"].path == (ORGANIZATION, "folders/201")
    assert members["prod-eu-app-1"].path == (ORGANIZATION, "folders/201", "folders/202")
    assert members["prod-core-1"].tags == {"env": "prod", "team": "core"}
    assert members["prod-eu-web-1"].tags == {}
    # Pending deletion: still a member (its history is kept), but not one to poll.
    assert members["sandbox-old-1"].active is False
    assert all(m.active for a, m in members.items() if a != "sandbox-old-1")
    # 4 containers x (folders + projects); folders/202's three projects take two pages.
    assert calls == 9


def test_a_folder_root_walks_only_its_subtree(tmp_path: Path) -> None:
    with gcp_org_lab() as lab:
        found = discover(lab, tmp_path, "folders/201")
    assert found.complete
    assert sorted(by_account(found)) == ["prod-core-1", "prod-eu-app-1", "prod-eu-data-1",
                                         "prod-eu-web-1"]
    assert by_account(found)["prod-eu-data-1"].path == ("folders/201", "folders/202")


def test_a_folder_that_cannot_be_listed_makes_the_walk_incomplete_with_the_fix(
        tmp_path: Path) -> None:
    with gcp_org_lab() as lab:
        lab.world.deny_at(EMAIL, "folders/202", "resourcemanager.projects.list")
        found = discover(lab, tmp_path)
    assert not found.complete
    # Never a silent fallback: the three projects of folders/202 are missing, and it is said.
    assert "prod-eu-app-1" not in by_account(found)
    assert "prod-core-1" in by_account(found)
    [problem] = found.problems
    assert problem.startswith("folders/202: listing its projects was refused")
    assert "resourcemanager.projects.list is not granted to " + EMAIL in problem
    assert (f"gcloud resource-manager folders add-iam-policy-binding 202 "
            f"--member=serviceAccount:{EMAIL} --role=roles/browser") in problem


def test_a_root_the_account_cannot_list_takes_the_organization_offline(
        tmp_path: Path) -> None:
    with gcp_org_lab() as lab:
        lab.world.accounts[EMAIL].container_grants.clear()
        with pytest.raises(AuthenticationFailed) as refused:
            discover(lab, tmp_path)
    message = str(refused.value)
    assert "resourcemanager.folders.list and resourcemanager.projects.list" in message
    assert (f"gcloud organizations add-iam-policy-binding 100000000001 "
            f"--member=serviceAccount:{EMAIL} --role=roles/browser") in message


def test_a_root_that_is_not_an_organization_or_folder_is_named(tmp_path: Path) -> None:
    with gcp_org_lab() as lab, pytest.raises(CollectionFailed, match="organizations/<number>"):
        discover(lab, tmp_path, "my-org")


def test_members_added_and_removed_between_walks(tmp_path: Path) -> None:
    with gcp_org_lab() as lab:
        first = by_account(discover(lab, tmp_path))
        seed_project(lab.world, ProjectSpec("sandbox-new-1", vms=0, each=0,
                                            parent="folders/203"), "100000000099")
        del lab.world.projects["prod-eu-web-1"]
        second = by_account(discover(lab, tmp_path))
    assert set(second) - set(first) == {"sandbox-new-1"}
    assert set(first) - set(second) == {"prod-eu-web-1"}
    assert second["sandbox-new-1"].path == (ORGANIZATION, "folders/203")


def _member_poll(lab: GcpLab, tmp_path: Path, member: Member) -> MemorySink:
    context = _context(lab, tmp_path)
    provider = GcpProvider()
    credentials = provider.member_credentials(_parent(lab, context), member, {})
    # The derived credentials survive the round trip through storage.
    stored = GcpCredentials.model_validate(credentials.secret_material(),
                                           context={"settings": context.settings})
    session = provider.authenticate(stored, context)
    sink = MemorySink()
    try:
        session.collect(session.discover_regions(), sink)
    finally:
        session.close()
    return sink


def test_a_member_polls_its_own_project_only_with_the_organizations_key(
        tmp_path: Path) -> None:
    with gcp_org_lab() as lab:
        member = by_account(discover(lab, tmp_path))["prod-eu-app-1"]
        # A member never searches for projects: a search would fail, and be reported.
        lab.world.faults.append(Fault("projects:search", status=500, times=100))
        sink = _member_poll(lab, tmp_path, member)
    credentials = GcpProvider().member_credentials(
        GcpCredentials.model_validate(lab.credentials, context={
            "settings": lab.settings(load_settings(data_dir=tmp_path))}), member, {})
    assert credentials.public_view() == {
        "client_email": EMAIL, "project_id": "prod-eu-app-1", "key_project_id": HOME,
        "container": "folders/202"}
    assert {a.account for a in sink.assets} == {"prod-eu-app-1"}
    assert len(sink.of_type(VM)) == 2
    assert [r.outcome.value for r in sink.results if r.resource_type == PROJECT_LIST_TYPE
            ] == ["ok"]
    assert lab.world.faults[0].times == 100


def test_a_member_the_account_cannot_enter_fails_with_the_binding_at_its_folder(
        tmp_path: Path) -> None:
    with gcp_org_lab() as lab:
        member = by_account(discover(lab, tmp_path))["prod-eu-data-1"]
        lab.world.deny(EMAIL, "prod-eu-data-1", "resourcemanager.projects.get")
        with pytest.raises(AuthenticationFailed) as refused:
            _member_poll(lab, tmp_path, member)
    message = str(refused.value)
    assert f"{EMAIL} cannot enter project prod-eu-data-1" in message
    assert "resourcemanager.projects.get is not granted" in message
    assert (f"gcloud resource-manager folders add-iam-policy-binding 202 "
            f"--member=serviceAccount:{EMAIL} --role=roles/viewer") in message
    assert "--role=roles/iam.securityReviewer" in message
