"""The Azure setup checklist, judged from what the last poll read and was refused.

Four items: sign-in (app registration and secret), the role mode (Reader = full posture,
from the role check's answer), the six inventory actions, and the optional Microsoft Graph
permissions. Each MISSING item names what was refused and gives the exact command.
"""

from __future__ import annotations

from collections.abc import Sequence

from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.azure.declarations import Api
from cloudconnectors.providers.azure.permissions import INVENTORY_ACTIONS
from cloudconnectors.providers.azure.resources import RESOURCES
from cloudconnectors.providers.azure.resources.graph import GRAPH_PERMISSIONS
from cloudconnectors.providers.azure.session import PERMISSIONS_TYPE
from cloudconnectors.providers.azure.setup import (
    custom_role_definition,
    graph_commands,
    inventory_role_commands,
    reader_command,
)
from cloudconnectors.providers.base import Access, DiagnosticItem

__all__ = ["diagnose"]

_READ = frozenset({Outcome.OK, Outcome.PARTIAL})
_GRAPH_TYPES = frozenset(r.type for r in RESOURCES if r.api is Api.GRAPH)
_INVENTORY_TYPES = frozenset(r.type for r in RESOURCES if r.inventory)


def diagnose(results: Sequence[CollectorResult], application_id: str,
             subscription_id: str) -> list[DiagnosticItem]:
    return [
        _sign_in(results, application_id),
        _role(results, application_id, subscription_id),
        _inventory(results, application_id, subscription_id),
        _graph(results, application_id),
    ]


def _denied(results: Sequence[CollectorResult], types: frozenset[str] | None = None,
            graph: bool = False) -> tuple[str, ...]:
    found = set()
    for result in results:
        if result.outcome not in (Outcome.DENIED, Outcome.PARTIAL) or not result.permission:
            continue
        if types is not None and result.resource_type not in types:
            continue
        if (result.resource_type in _GRAPH_TYPES) == graph:
            found.add(result.permission)
    return tuple(sorted(found))


def _sign_in(results: Sequence[CollectorResult], app: str) -> DiagnosticItem:
    title = "App registration and client secret (sign-in to Microsoft Entra ID)"
    if results:
        return DiagnosticItem("azure.sign_in", title, Access.GRANTED,
                              f"the app {app} signed in and read the subscription")
    return DiagnosticItem("azure.sign_in", title, Access.UNKNOWN,
                          "no poll has signed in yet (or the last one could not: see the "
                          "connector's last error)",
                          fix="Check the Application (client) ID, the Directory (tenant) ID "
                              "and the client secret's Value, then press Refresh.")


def _role(results: Sequence[CollectorResult], app: str, subscription: str) -> DiagnosticItem:
    title = f"Reader on subscription {subscription} (full posture)"
    command = reader_command(app, subscription)
    check = next((r for r in results if r.resource_type == PERMISSIONS_TYPE), None)
    denied = _denied(results)
    if check is not None and check.outcome is Outcome.OK and check.error_code is None \
            and not denied:
        return DiagnosticItem("azure.role", title, Access.GRANTED,
                              f"full posture: {check.reason}" if check.reason and
                              not check.reason.startswith("full posture") else
                              check.reason or "full posture")
    if check is not None and check.outcome is Outcome.OK and check.error_code:
        refused = f"; the last poll was refused {len(denied)} read(s)" if denied else ""
        return DiagnosticItem("azure.role", title, Access.MISSING,
                              f"{check.reason}{refused}", fix=f"Run `{command}`, then press "
                              "Refresh.", denied=denied)
    if denied:
        return DiagnosticItem("azure.role", title, Access.MISSING,
                              f"the last poll was refused {len(denied)} read(s): "
                              f"{', '.join(denied[:8])}", fix=f"Run `{command}`, then press "
                              "Refresh.", denied=denied)
    return DiagnosticItem("azure.role", title, Access.UNKNOWN,
                          "no poll has checked the role yet",
                          fix=f"Run `{command}`, then press Refresh.")


def _inventory(results: Sequence[CollectorResult], app: str, subscription: str
               ) -> DiagnosticItem:
    title = "Inventory actions: " + ", ".join(INVENTORY_ACTIONS)
    denied = tuple(p for p in _denied(results, _INVENTORY_TYPES) if p in INVENTORY_ACTIONS)
    commands = " ; ".join(f"`{c}`" for c in inventory_role_commands(app, subscription))
    if denied:
        return DiagnosticItem(
            "azure.inventory", title, Access.MISSING,
            f"the last poll was refused {len(denied)} inventory action(s): {', '.join(denied)}",
            fix=f"Assign Reader (`{reader_command(app, subscription)}`), or create and assign "
                f"the custom role shown: {commands}; then press Refresh.",
            policy=custom_role_definition(subscription), denied=denied)
    read = {r.resource_type for r in results if r.outcome in _READ}
    if read >= _INVENTORY_TYPES:
        return DiagnosticItem("azure.inventory", title, Access.GRANTED,
                              "the last poll read virtual machines, resource groups and their "
                              "network")
    return DiagnosticItem("azure.inventory", title, Access.UNKNOWN,
                          "not exercised by a poll yet",
                          fix=f"Reader includes them; or create the custom role: {commands}.",
                          policy=custom_role_definition(subscription))


def _graph(results: Sequence[CollectorResult], app: str) -> DiagnosticItem:
    title = ("Microsoft Graph application permissions " + ", ".join(GRAPH_PERMISSIONS) +
             " (optional: identity controls)")
    denied = _denied(results, _GRAPH_TYPES, graph=True)
    commands = " ; ".join(f"`{c}`" for c in graph_commands(
        app, tuple(p for p in GRAPH_PERMISSIONS if p in denied) or GRAPH_PERMISSIONS))
    if denied:
        return DiagnosticItem(
            "azure.graph", title, Access.MISSING,
            f"Microsoft Graph refused {', '.join(denied)}: the identity controls answer "
            "manual", fix=f"Add the permissions and grant admin consent: {commands}; then "
                          "press Refresh.", denied=denied)
    if any(r.resource_type in _GRAPH_TYPES and r.outcome in _READ for r in results):
        return DiagnosticItem("azure.graph", title, Access.GRANTED,
                              "the last poll read the directory's users and policies")
    return DiagnosticItem("azure.graph", title, Access.UNKNOWN, "not exercised by a poll yet",
                          fix=f"Add the permissions and grant admin consent: {commands}.")
