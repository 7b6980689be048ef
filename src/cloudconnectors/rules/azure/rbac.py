"""CIS Azure 5.3.3, 5.3.5, 5.23-5.25 and 5.27: Azure RBAC role assignments and definitions,
and the tenant's subscription move policy."""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.azure.base import (
    account,
    account_rule,
    guid_of,
    label,
    lower,
    on,
    props,
    singleton,
)
from cloudconnectors.rules.model import AccountVerdict, InventoryItem, Rule, Severity, Status
from cloudconnectors.rules.snapshot import SnapshotView

ASSIGNMENT = "Microsoft.Authorization/roleAssignments"
DEFINITION = "Microsoft.Authorization/roleDefinitions"
SUBSCRIPTION_POLICY = "Microsoft.Subscription/policies"
USERS = "Microsoft.Graph/users"
OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
USER_ACCESS_ADMIN_ROLE = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
LOCK_ACTIONS = ("microsoft.authorization/locks/*", "microsoft.authorization/*", "*")


def _role(item: InventoryItem) -> str:
    return guid_of(props(item.data).get("roleDefinitionId"))


def _scope(item: InventoryItem) -> str:
    return lower(props(item.data).get("scope"))


def _is_subscription(scope: str) -> bool:
    return scope.startswith("/subscriptions/") and scope.count("/") == 2


@account_rule(
    id="azure.iam.user_access_administrator_restricted", title="User Access Administrator "
    "is not assigned at subscription scope or above", severity=Severity.HIGH,
    resource_types=(ASSIGNMENT,),
    rationale="User Access Administrator can grant any role, Owner included; a standing "
    "assignment over the subscription (or the elevated root assignment) is full control.",
    remediation="Remove the assignment (az role assignment delete --role 'User Access "
    "Administrator' --scope <scope>); for root scope, turn off Access management for Azure "
    "resources in Entra ID properties.")
def user_access_admin(view: SnapshotView) -> Iterator[AccountVerdict]:
    broad = [a for a in view.of(ASSIGNMENT) if _role(a) == USER_ACCESS_ADMIN_ROLE
             and (_scope(a) in ("", "/") or _is_subscription(_scope(a))
                  or _scope(a).startswith("/providers/microsoft.management/"))]
    if not broad:
        yield account(Status.PASS, "")
    for item in broad:
        yield on(item, Status.FAIL, f"User Access Administrator for principal "
                 f"{props(item.data).get('principalId')} at {_scope(item) or '/'}")


@account_rule(
    id="azure.iam.disabled_users_without_roles", title="Disabled user accounts hold no role "
    "assignments", severity=Severity.MEDIUM, resource_types=(ASSIGNMENT, USERS),
    rationale="A disabled account with roles keeps its access the moment someone re-enables "
    "it; removing the assignments closes that path.",
    remediation="Remove the role assignments of disabled users (Access control (IAM) > Role "
    "assignments), or delete the accounts.")
def disabled_users(view: SnapshotView) -> Iterator[AccountVerdict]:
    disabled = {lower(u.data.get("id")): u for u in view.of(USERS)
                if u.data.get("accountEnabled") is False}
    hits = [a for a in view.of(ASSIGNMENT)
            if lower(props(a.data).get("principalId")) in disabled]
    if not hits:
        yield account(Status.PASS, "")
    for item in hits:
        user = disabled[lower(props(item.data).get("principalId"))]
        name = user.data.get("userPrincipalName") or label(user)
        yield on(item, Status.FAIL, f"disabled user {name} holds a role at {_scope(item)}")


def _actions(item: InventoryItem) -> set[str]:
    return {lower(a) for p in props(item.data).get("permissions") or []
            for a in p.get("actions") or []}


def _custom(item: InventoryItem) -> bool:
    return props(item.data).get("type") == "CustomRole"


@account_rule(
    id="azure.iam.no_custom_owner_roles", title="No custom role grants subscription owner "
    "rights", severity=Severity.HIGH, resource_types=(DEFINITION,),
    rationale="A custom role with all actions over a subscription is an Owner in disguise, "
    "missed by reviews that look for the Owner role.",
    remediation="Narrow the role's actions to what it needs, or delete it and use built-in "
    "roles (az role definition update / delete).")
def custom_owner_roles(view: SnapshotView) -> Iterator[AccountVerdict]:
    hits = []
    for item in view.of(DEFINITION):
        scopes = [lower(s) for s in props(item.data).get("assignableScopes") or []]
        if _custom(item) and "*" in _actions(item) and any(
                s == "/" or _is_subscription(s) for s in scopes):
            hits.append(item)
    if not hits:
        yield account(Status.PASS, "")
    for item in hits:
        yield on(item, Status.FAIL, f"custom role {props(item.data).get('roleName')} allows "
                 "'*' at subscription scope")


@account_rule(
    id="azure.iam.resource_lock_role_exists", title="A custom role for administering resource "
    "locks exists", severity=Severity.LOW, resource_types=(DEFINITION,),
    rationale="A dedicated lock administrator role lets locks be managed without Owner or "
    "User Access Administrator rights.",
    remediation="Create a custom role with Microsoft.Authorization/locks/* (read, write, "
    "delete) and assign it to the people who manage locks.")
def lock_role(view: SnapshotView) -> Iterator[AccountVerdict]:
    found = [i for i in view.of(DEFINITION) if _custom(i) and "*" not in _actions(i)
             and any(a in LOCK_ACTIONS[:2] for a in _actions(i))]
    if found:
        yield on(found[0], Status.PASS)
    else:
        yield account(Status.FAIL, "no custom role grants Microsoft.Authorization/locks/*")


@account_rule(
    id="azure.iam.subscription_transfer_blocked", title="Subscriptions cannot leave or enter "
    "the tenant", severity=Severity.MEDIUM, resource_types=(SUBSCRIPTION_POLICY,),
    rationale="Moving a subscription to another tenant takes its resources out of the "
    "organization's identity, policies and monitoring.",
    remediation="Azure portal > Subscriptions > Manage policies: Subscription leaving "
    "Microsoft Entra tenant and Subscription entering Microsoft Entra tenant = Permit no one.")
def subscription_transfer(view: SnapshotView) -> Iterator[AccountVerdict]:
    found = singleton(view, SUBSCRIPTION_POLICY)
    if isinstance(found, AccountVerdict):
        yield found
        return
    p = props(found.data)
    open_ = [what for key, what in (("blockSubscriptionsLeavingTenant", "leaving"),
                                    ("blockSubscriptionsIntoTenant", "entering"))
             if p.get(key) is not True]
    if open_:
        yield on(found, Status.FAIL, "subscriptions may be " + " and ".join(open_)
                 + " the tenant")
    else:
        yield on(found, Status.PASS)


@account_rule(
    id="azure.iam.subscription_owners_2_to_3", title="The subscription has 2 or 3 owners",
    severity=Severity.MEDIUM, resource_types=(ASSIGNMENT,),
    rationale="One owner is a single point of failure; more than three widens the set of "
    "accounts with full control beyond what reviews can follow.",
    remediation="Access control (IAM) > Role assignments: keep two or three Owner "
    "assignments on the subscription; use narrower roles for everyone else.")
def subscription_owners(view: SnapshotView) -> Iterator[AccountVerdict]:
    owners = sorted({lower(props(a.data).get("principalId")) for a in view.of(ASSIGNMENT)
                     if _role(a) == OWNER_ROLE and _is_subscription(_scope(a))})
    if 2 <= len(owners) <= 3:
        yield account(Status.PASS, f"{len(owners)} owners")
    else:
        yield account(Status.FAIL, f"{len(owners)} subscription owners")


RULES: tuple[Rule, ...] = (
    user_access_admin, disabled_users, custom_owner_roles, lock_role, subscription_transfer,
    subscription_owners,
)
