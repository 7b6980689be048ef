"""Pure parts: the role check's wildcard logic and the sign-in error wording."""

from __future__ import annotations

from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.azure.faults import ApiError, classify, sign_in_problem
from cloudconnectors.providers.azure.permissions import (
    INVENTORY_ACTIONS,
    Mode,
    allowed,
    check_role,
)
from cloudconnectors.providers.azure.resources import RESOURCES
from cloudconnectors.providers.azure.setup import bicep_role_assignment, graph_commands

APP = "a9900000-0000-4000-8000-000000000001"
TENANT = "7e1a0000-0000-4000-8000-00000000d1e7"


def test_wildcards_and_not_actions() -> None:
    blocks = [{"actions": ["*"], "notActions": ["Microsoft.Authorization/*/Write"]},
              {"actions": ["*/read"], "notActions": []}]
    assert allowed("microsoft.compute/virtualmachines/read", blocks)
    assert not allowed("Microsoft.Authorization/roleAssignments/write", blocks)
    assert allowed("Microsoft.Storage/storageAccounts/write", blocks)
    only_vm = [{"actions": ["Microsoft.Compute/*/read"], "notActions": [
        "Microsoft.Compute/disks/read"]}]
    assert allowed("Microsoft.Compute/virtualMachines/read", only_vm)
    assert not allowed("Microsoft.Compute/disks/read", only_vm)
    assert not allowed("Microsoft.Network/virtualNetworks/read", only_vm)


def test_modes() -> None:
    assert check_role([{"actions": ["*/read"]}], RESOURCES).mode is Mode.FULL
    inventory = check_role([{"actions": list(INVENTORY_ACTIONS)}], RESOURCES)
    assert inventory.mode is Mode.INVENTORY_ONLY
    assert "Microsoft.Compute/disks/read" in inventory.missing_for_full
    assert inventory.code == "InventoryOnly"
    short = check_role([{"actions": list(INVENTORY_ACTIONS[:5])}], RESOURCES)
    assert short.mode is Mode.INSUFFICIENT
    assert short.missing_inventory == (INVENTORY_ACTIONS[5],)


def test_authorization_failed_names_the_action_from_the_message() -> None:
    error = ApiError(403, "AuthorizationFailed", "The client 'x' with object id 'x' does not "
                     "have authorization to perform action 'Microsoft.Web/sites/config/read' "
                     "over scope '/subscriptions/s' or the scope is invalid.", "https://h/x")
    fault = classify(error, "Microsoft.Web/sites/read")
    assert (fault.outcome, fault.permission) == (Outcome.DENIED, "Microsoft.Web/sites/config/read")
    graph = classify(ApiError(403, "Authorization_RequestDenied", "Insufficient privileges",
                              "https://g/v1.0/users"), "Directory.Read.All")
    assert graph.permission == "Directory.Read.All"
    unregistered = classify(ApiError(409, "MissingSubscriptionRegistration", "not registered",
                                     "https://h/x"), "Microsoft.Sql/servers/read")
    assert unregistered.outcome is Outcome.SKIPPED


def test_unknown_aadsts_codes_link_the_error_page() -> None:
    message = sign_in_problem("Authentication failed: AADSTS50034: no such user", APP, TENANT,
                              "https://login.microsoftonline.com")
    assert "error?code=50034" in message and APP in message


def test_setup_snippets_name_the_reader_role_and_graph_permissions() -> None:
    assert "acdd72a7-3385-48ef-bd42-f606fba81ae7" in bicep_role_assignment()
    assert "principalType: 'ServicePrincipal'" in bicep_role_assignment()
    add, consent = graph_commands(APP)
    assert "7ab1d382-f21e-4acd-a863-ba3e13f7da61=Role" in add
    assert consent == f"az ad app permission admin-consent --id {APP}"
