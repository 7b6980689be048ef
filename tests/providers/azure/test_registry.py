"""Contract tests over the Azure declarations (STYLE habit 6)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cloudconnectors.providers.azure.declarations import Api, ResourceType, Scope
from cloudconnectors.providers.azure.permissions import INVENTORY_ACTIONS
from cloudconnectors.providers.azure.provider import AzureProvider
from cloudconnectors.providers.azure.resources import RESOURCES

ARM_TYPE = re.compile(r"^[Mm]icrosoft\.[A-Za-z]+/[A-Za-z]+(/[A-Za-z]+)?$")
ACTION = re.compile(r"^[Mm]icrosoft\.[A-Za-z]+(/[A-Za-z]+)+/read$")
API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")
ROOT = Path(__file__).resolve().parents[3]


def test_type_names_are_unique_arm_types() -> None:
    names = [r.type for r in RESOURCES]
    assert len(names) == len(set(names))
    assert all(ARM_TYPE.match(n) for n in names), names


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.type)
def test_declaration_is_complete(resource: ResourceType) -> None:
    if resource.api is Api.GRAPH:
        assert resource.path.startswith("/v1.0/") and resource.api_version is None
        assert re.match(r"^[A-Za-z]+\.Read\.[A-Za-z]+$", resource.permission)
        assert resource.scope is Scope.GLOBAL
        return
    assert resource.api_version and API_VERSION.match(resource.api_version)
    for permission in resource.permissions():
        assert ACTION.match(permission), permission
    if resource.parent is None:
        assert resource.path.startswith(("/subscriptions/{subscription}/", "/providers/"))
    else:
        assert resource.parent.startswith("/subscriptions/{subscription}/")
        assert resource.parent_permission and "/" not in resource.path.strip("/")[:1]
    # An ARM action names the type: the list's action is the type plus /read.
    expected = ("Microsoft.Resources/subscriptions/resourceGroups/read"
                if resource.type == "Microsoft.Resources/resourceGroups"
                else f"{resource.type}/read")
    assert resource.permission == expected


def test_the_six_inventory_types_are_marked() -> None:
    marked = {r.permission for r in RESOURCES if r.inventory}
    assert marked == set(INVENTORY_ACTIONS)


def test_virtual_machines_come_first() -> None:
    assert RESOURCES[0].type == "Microsoft.Compute/virtualMachines"


def test_provider_lists_every_type_and_the_asset_contract_names_them() -> None:
    listed = {info.type for info in AzureProvider().resource_types()}
    assert {r.type for r in RESOURCES} < listed
    docs = (ROOT / "docs" / "azure.md").read_text()
    missing = [t for t in listed if f"`{t}`" not in docs]
    assert missing == []
