"""CIS Azure 5.1, 5.4-5.22 and 5.26: Microsoft Entra ID tenant settings read through
Microsoft Graph (authorization policy, security defaults, directory settings, roles).

Graph records need application permissions the ARM Reader role does not give; a connector
without them reports the types as DENIED, and the engine answers MANUAL naming the permission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cloudconnectors.rules.azure.base import (
    account,
    account_rule,
    detail_missing,
    lower,
    on,
    resource_rule,
    singleton,
)
from cloudconnectors.rules.azure.conditional_access import CA_POLICY, requires_mfa
from cloudconnectors.rules.model import (
    PASS,
    AccountRule,
    AccountVerdict,
    Context,
    Data,
    Rule,
    Severity,
    Status,
    Verdict,
    failed,
)
from cloudconnectors.rules.snapshot import SnapshotView

AUTH_POLICY = "Microsoft.Graph/authorizationPolicy"
SECURITY_DEFAULTS = "Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy"
GROUP_SETTINGS = "Microsoft.Graph/groupSettings"
DEVICE_REGISTRATION = "Microsoft.Graph/deviceRegistrationPolicy"
DIRECTORY_ROLE = "Microsoft.Graph/directoryRoles"
REGISTRATION = "Microsoft.Graph/userRegistrationDetails"
RESTRICTED_GUEST_ROLE = "2af84b1e-32c8-42b7-82bc-daa82404023b"
GLOBAL_ADMIN_TEMPLATE = "62e90394-69f5-4237-9190-012177145e10"
PASSWORD_TEMPLATE = "5cf42378-d67d-4f36-ba46-e8b86229381d"
GROUP_UNIFIED_TEMPLATE = "62375ab9-6b52-47ed-826b-58e47e0e304b"
SELF_CONSENT = "managepermissiongrantsforself."
LOW_RISK_CONSENT = SELF_CONSENT + "microsoft-user-default-low"
MAX_GLOBAL_ADMINS = 4
#: Entra's values when no directory setting object overrides them.
DEFAULTS = {"lockoutthreshold": "10", "lockoutdurationinseconds": "60",
            "enablebannedpasswordcheck": "false", "enablegroupcreation": "true"}


def _user_permission(policy: Data, key: str) -> Any:
    permissions = policy.get("defaultUserRolePermissions") or {}
    return permissions.get(key) if isinstance(permissions, dict) else None


def policy_rule(rule_id: str, title: str, severity: Severity, why: str, fix: str,
                good: Callable[[Data], str | None]) -> AccountRule:
    """A setting of the tenant's authorization policy; ``good`` returns None or why not."""
    @account_rule(id=rule_id, title=title, severity=severity, resource_types=(AUTH_POLICY,),
                  rationale=why, remediation=fix)
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        found = singleton(view, AUTH_POLICY)
        if isinstance(found, AccountVerdict):
            yield found
            return
        problem = good(found.data)
        yield on(found, Status.PASS) if problem is None else on(found, Status.FAIL, problem)
    return check


def _false(key: str, what: str) -> Callable[[Data], str | None]:
    return lambda p: None if _user_permission(p, key) is False else f"{what} ({key} is not false)"


def _self_consent(policy: Data) -> list[str]:
    return [lower(g) for g in _user_permission(policy, "permissionGrantPoliciesAssigned") or []
            if lower(g).startswith(SELF_CONSENT)]


def _no_consent(policy: Data) -> str | None:
    found = _self_consent(policy)
    return None if not found else "users may consent to apps: " + ", ".join(found)


def _verified_low_consent(policy: Data) -> str | None:
    broad = [g for g in _self_consent(policy) if g != LOW_RISK_CONSENT]
    return None if not broad else "users may consent beyond verified publishers' low-risk " \
        "permissions: " + ", ".join(broad)


def _guest_access(policy: Data) -> str | None:
    if lower(policy.get("guestUserRoleId")) == RESTRICTED_GUEST_ROLE:
        return None
    return "guests can read more than their own directory objects"


def _guest_invites(policy: Data) -> str | None:
    value = policy.get("allowInvitesFrom")
    return None if value in ("adminsAndGuestInviters", "none") else f"allowInvitesFrom is {value}"


_ENTRA = "Microsoft Entra admin center > "
POLICY_RULES = (
    policy_rule("azure.entra.users_cannot_create_tenants", "Non-admin users cannot create "
                "tenants", Severity.MEDIUM,
                "A tenant created by a user sits outside the organization's policies and "
                "monitoring, yet the user is its Global Administrator.",
                _ENTRA + "Identity > Users > User settings: Restrict non-admin users from "
                "creating tenants = Yes.", _false("allowedToCreateTenants",
                                                  "users may create tenants")),
    policy_rule("azure.entra.user_consent_disallowed", "Users cannot consent to applications",
                Severity.HIGH,
                "Consent phishing tricks users into granting a malicious app access to their "
                "mail and files; with user consent off, an admin reviews every grant.",
                _ENTRA + "Enterprise apps > Consent and permissions > User consent settings: "
                "Do not allow user consent.", _no_consent),
    policy_rule("azure.entra.user_consent_verified_low_risk", "User consent is limited to "
                "verified publishers and low-risk permissions", Severity.MEDIUM,
                "If users may consent at all, limiting them to verified publishers and "
                "admin-classified low-risk permissions keeps risky grants with admins.",
                _ENTRA + "Enterprise apps > Consent and permissions: Allow user consent for "
                "apps from verified publishers, for selected permissions.",
                _verified_low_consent),
    policy_rule("azure.entra.users_cannot_register_apps", "Users cannot register "
                "applications", Severity.MEDIUM,
                "An app registered by any user can hold credentials and request permissions "
                "outside review; registration should go through admins or a process.",
                _ENTRA + "Identity > Users > User settings: Users can register applications "
                "= No.", _false("allowedToCreateApps", "users may register apps")),
    policy_rule("azure.entra.guest_access_restricted", "Guest access is restricted to their "
                "own directory objects", Severity.MEDIUM,
                "With member-like access a guest can enumerate users, groups and apps of the "
                "whole directory, which helps an attacker map targets.",
                _ENTRA + "External Identities > External collaboration settings: Guest user "
                "access is restricted to properties and memberships of their own directory "
                "objects.", _guest_access),
    policy_rule("azure.entra.guest_invites_restricted", "Only admins (or no one) can invite "
                "guests", Severity.MEDIUM,
                "When anyone can invite guests, outside accounts join without review and keep "
                "access after the collaboration ends.",
                _ENTRA + "External Identities > External collaboration settings: Guest invite "
                "restrictions = Only users assigned to specific admin roles (or No one).",
                _guest_invites),
    policy_rule("azure.entra.users_cannot_create_security_groups", "Users cannot create "
                "security groups", Severity.LOW,
                "Security groups grant access; letting every user create them spreads access "
                "control outside the administrators' view.",
                _ENTRA + "Groups > General: Users can create security groups in Azure "
                "portals, API or PowerShell = No.",
                _false("allowedToCreateSecurityGroups", "users may create security groups")),
)


@account_rule(
    id="azure.entra.security_defaults_enabled", title="Security defaults are on (tenants "
    "without Conditional Access)", severity=Severity.HIGH,
    resource_types=(SECURITY_DEFAULTS, CA_POLICY),
    rationale="Security defaults require MFA registration, block legacy authentication and "
    "protect admin actions at no cost; tenants that use Conditional Access instead do that "
    "with their own policies.",
    remediation=_ENTRA + "Identity > Overview > Properties > Manage security defaults = "
    "Enabled, unless Conditional Access policies require MFA.")
def security_defaults(view: SnapshotView) -> Iterator[AccountVerdict]:
    found = singleton(view, SECURITY_DEFAULTS)
    if isinstance(found, AccountVerdict):
        yield found
    elif found.data.get("isEnabled") is True:
        yield on(found, Status.PASS)
    elif any(requires_mfa(p.data) for p in view.of(CA_POLICY)):
        yield on(found, Status.NOT_APPLICABLE, "Conditional Access policies require MFA "
                 "instead (see 5.2)")
    else:
        yield on(found, Status.FAIL, "security defaults are off and no Conditional Access "
                 "policy requires MFA")


@resource_rule(
    id="azure.entra.user_mfa_registered", title="Every user is registered for multifactor "
    "authentication", severity=Severity.HIGH, resource_type=REGISTRATION,
    needs=("isMfaRegistered",),
    rationale="A password alone is phished, sprayed and reused; an account without a second "
    "factor is one leaked password away from takeover.",
    remediation="Require MFA registration (security defaults, or a Conditional Access "
    "registration policy) and follow up the users listed until registered.")
def user_mfa_registered(data: Data, ctx: Context) -> Verdict:
    return PASS if data.get("isMfaRegistered") is True else failed("not registered for MFA")


def _setting(view: SnapshotView, template: str, name: str) -> str:
    for item in view.of(GROUP_SETTINGS):
        if lower(item.data.get("templateId")) != template:
            continue
        for value in item.data.get("values") or []:
            if lower(value.get("name")) == name:
                return lower(value.get("value"))
    return DEFAULTS.get(name, "")


def setting_rule(rule_id: str, title: str, template: str, why: str, fix: str,
                 good: Callable[[SnapshotView], str | None]) -> AccountRule:
    """A directory setting (groupSettings); an absent object means Entra's default."""
    @account_rule(id=rule_id, title=title, severity=Severity.MEDIUM,
                  resource_types=(GROUP_SETTINGS,), rationale=why, remediation=fix)
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        problem = good(view)
        yield account(Status.PASS, "") if problem is None else account(Status.FAIL, problem)
    return check


def _number(view: SnapshotView, name: str) -> int | None:
    value = _setting(view, PASSWORD_TEMPLATE, name)
    return int(value) if value.isdigit() else None


def _lockout_threshold(view: SnapshotView) -> str | None:
    value = _number(view, "lockoutthreshold")
    return None if value is not None and 0 < value <= 10 else f"lockout threshold is {value}"


def _lockout_duration(view: SnapshotView) -> str | None:
    value = _number(view, "lockoutdurationinseconds")
    return None if value is not None and value >= 60 else f"lockout duration is {value}s"


def _banned_list(view: SnapshotView) -> str | None:
    enforced = _setting(view, PASSWORD_TEMPLATE, "enablebannedpasswordcheck") == "true"
    words = _setting(view, PASSWORD_TEMPLATE, "bannedpasswordlist").strip()
    return None if enforced and words else "the custom banned password list is not enforced"


def _m365_groups(view: SnapshotView) -> str | None:
    allowed = _setting(view, GROUP_UNIFIED_TEMPLATE, "enablegroupcreation") != "false"
    return "users may create Microsoft 365 groups" if allowed else None


_PROTECTION = _ENTRA + "Protection > Authentication methods > Password protection: "
SETTING_RULES = (
    setting_rule("azure.entra.lockout_threshold_10", "Smart lockout triggers after at most "
                 "10 failed sign-ins", PASSWORD_TEMPLATE,
                 "A low lockout threshold slows password guessing against each account.",
                 _PROTECTION + "Lockout threshold = 10 or less.", _lockout_threshold),
    setting_rule("azure.entra.lockout_duration_60s", "Smart lockout lasts at least 60 "
                 "seconds", PASSWORD_TEMPLATE,
                 "A lockout shorter than a minute lets guessing resume almost at once.",
                 _PROTECTION + "Lockout duration in seconds = 60 or more.", _lockout_duration),
    setting_rule("azure.entra.custom_banned_passwords", "A custom banned password list is "
                 "enforced", PASSWORD_TEMPLATE,
                 "The organization's own names, products and places are the first words a "
                 "targeted attacker tries; banning them stops weak variants.",
                 _PROTECTION + "Enforce custom list = Yes, with the organization's terms.",
                 _banned_list),
    setting_rule("azure.entra.users_cannot_create_m365_groups", "Users cannot create "
                 "Microsoft 365 groups", GROUP_UNIFIED_TEMPLATE,
                 "Every Microsoft 365 group brings a mailbox, a SharePoint site and a Team; "
                 "uncontrolled creation spreads data and access.",
                 _ENTRA + "Groups > General: Users can create Microsoft 365 groups in Azure "
                 "portals, API or PowerShell = No.", _m365_groups),
)


@account_rule(
    id="azure.entra.device_join_requires_mfa", title="Joining or registering devices "
    "requires MFA", severity=Severity.MEDIUM, resource_types=(DEVICE_REGISTRATION,),
    rationale="A device joined with a stolen password gets a trusted identity in the "
    "directory; asking for MFA at join stops that.",
    remediation=_ENTRA + "Devices > Device settings: Require Multifactor Authentication to "
    "register or join devices with Microsoft Entra = Yes.")
def device_join_mfa(view: SnapshotView) -> Iterator[AccountVerdict]:
    found = singleton(view, DEVICE_REGISTRATION)
    if isinstance(found, AccountVerdict):
        yield found
    elif lower(found.data.get("multiFactorAuthConfiguration")) == "required":
        yield on(found, Status.PASS)
    else:
        yield on(found, Status.FAIL, "multiFactorAuthConfiguration is "
                 f"{found.data.get('multiFactorAuthConfiguration') or 'not set'}")


@account_rule(
    id="azure.entra.global_admins_fewer_than_5", title="Fewer than 5 users hold Global "
    "Administrator", severity=Severity.HIGH, resource_types=(DIRECTORY_ROLE,),
    rationale="Each Global Administrator can change anything in the tenant; fewer of them "
    "means fewer accounts whose compromise is total.",
    remediation=_ENTRA + "Roles and administrators > Global Administrator: remove standing "
    "assignments beyond 2-4 break-glass and admin accounts; use PIM for the rest.")
def global_admins(view: SnapshotView) -> Iterator[AccountVerdict]:
    roles = [r for r in view.of(DIRECTORY_ROLE)
             if lower(r.data.get("roleTemplateId")) == GLOBAL_ADMIN_TEMPLATE]
    if not roles:
        yield account(Status.MANUAL, "the Global Administrator role is not in the inventory "
                      "(needs RoleManagement.Read.Directory)")
        return
    role = roles[0]
    missing = detail_missing(role, "members")
    if missing:
        yield on(role, Status.MANUAL, missing)
        return
    members = [m for m in role.data["members"] if isinstance(m, dict)]
    if len(members) <= MAX_GLOBAL_ADMINS:
        yield on(role, Status.PASS, f"{len(members)} Global Administrators")
    else:
        yield on(role, Status.FAIL, f"{len(members)} Global Administrators: " + ", ".join(
            sorted(str(m.get("userPrincipalName") or m.get("id")) for m in members)[:10]))


RULES: tuple[Rule, ...] = (
    *POLICY_RULES, security_defaults, user_mfa_registered, *SETTING_RULES, device_join_mfa,
    global_admins,
)

