"""Meta tests over the GCP declarations: complete, unique, and covered by the setup help."""

from __future__ import annotations

import re

from cloudconnectors.providers.gcp.apis import ALL_APIS
from cloudconnectors.providers.gcp.declarations import Role
from cloudconnectors.providers.gcp.resources import RESOURCES
from cloudconnectors.providers.gcp.roles import permissions_by_role
from cloudconnectors.providers.gcp.setup import gcloud_commands, setup_guide

_CAI = re.compile(r"^[a-z]+\.googleapis\.com/[A-Z][A-Za-z]+$")
_PERMISSION = re.compile(r"^[a-z]+\.[a-zA-Z]+\.[a-zA-Z]+$")


def test_every_declaration_is_complete_and_unique() -> None:
    emitted = [r.type for r in RESOURCES if r.emit]
    assert len(emitted) == len(set(emitted))
    services = {api.service for api in ALL_APIS}
    for resource in RESOURCES:
        assert _CAI.match(resource.type), resource.type
        assert resource.service in services, resource.type
        assert "{project}" in resource.path or "{parent" in resource.path or resource.params
        for permission, _ in resource.permissions():
            assert _PERMISSION.match(permission), permission


def test_the_two_roles_cover_every_permission_and_the_guide_names_them() -> None:
    by_role = permissions_by_role(RESOURCES)
    assert "storage.buckets.getIamPolicy" in by_role[Role.SECURITY_REVIEWER]
    assert "compute.instances.list" in by_role[Role.VIEWER]
    guide = setup_guide()
    assert [r["role"] for r in guide["roles"]] == ["roles/viewer", "roles/iam.securityReviewer"]
    assert len(guide["apis"]) == 10 and len(guide["optional_apis"]) == 6
    commands = gcloud_commands("prod-123")
    assert commands[0].startswith("gcloud services enable compute.googleapis.com ")
    assert commands[0].endswith(" --project prod-123")
    assert ("gcloud projects add-iam-policy-binding prod-123 --member=serviceAccount:"
            "cloudconnectors-reader@prod-123.iam.gserviceaccount.com "
            "--role=roles/iam.securityReviewer") in commands
    assert 'role    = each.value' in guide["terraform"]
    assert '"sqladmin.googleapis.com",' in guide["terraform"]


def test_the_provider_lists_every_collected_type() -> None:
    from cloudconnectors.providers.gcp.provider import GcpProvider

    listed = {info.type for info in GcpProvider().resource_types()}
    assert listed == {r.type for r in RESOURCES if r.emit} | {
        "serviceusage.googleapis.com/Service"}
