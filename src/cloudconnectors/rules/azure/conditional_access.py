"""CIS Azure 5.2: Conditional Access policies and named locations (Microsoft Graph).

Only policies in state ``enabled`` count: report-only policies enforce nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from cloudconnectors.rules.azure.base import account, account_rule, dig, lower, on
from cloudconnectors.rules.model import AccountRule, AccountVerdict, Data, Rule, Severity, Status
from cloudconnectors.rules.snapshot import SnapshotView

CA_POLICY = "Microsoft.Graph/conditionalAccessPolicies"
NAMED_LOCATION = "Microsoft.Graph/namedLocations"
#: The application ID of Windows Azure Service Management API (ARM, CLI, PowerShell).
AZURE_MANAGEMENT_APP = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
ADMIN_PORTALS_APP = "microsoftadminportals"


def _list(value: object) -> list[str]:
    return [lower(v) for v in value] if isinstance(value, list) else []


def _enabled(policy: Data) -> bool:
    return policy.get("state") == "enabled"


def requires_mfa(policy: Data) -> bool:
    """An enabled policy whose grant asks for MFA (or an authentication strength)."""
    grant = policy.get("grantControls") or {}
    return _enabled(policy) and isinstance(grant, dict) and (
        "mfa" in _list(grant.get("builtInControls")) or bool(grant.get("authenticationStrength")))


def _blocks(policy: Data) -> bool:
    return _enabled(policy) and "block" in _list(dig(policy, "grantControls", "builtInControls"))


def _all_users(policy: Data) -> bool:
    return "all" in _list(dig(policy, "conditions", "users", "includeUsers"))


def _unconditional(policy: Data) -> bool:
    """No risk, platform or location condition narrows when the policy applies."""
    conditions = policy.get("conditions") or {}
    return not any(conditions.get(k) for k in ("signInRiskLevels", "userRiskLevels",
                                               "platforms", "locations", "devices"))


def _apps(policy: Data) -> list[str]:
    return _list(dig(policy, "conditions", "applications", "includeApplications"))


def ca_rule(rule_id: str, title: str, severity: Severity, why: str, fix: str,
            good: Callable[[Data], bool], missing: str) -> AccountRule:
    """At least one enabled Conditional Access policy must satisfy ``good``."""
    @account_rule(id=rule_id, title=title, severity=severity, resource_types=(CA_POLICY,),
                  rationale=why, remediation=fix)
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        found = [p for p in view.of(CA_POLICY) if good(p.data)]
        if found:
            yield on(found[0], Status.PASS)
        else:
            yield account(Status.FAIL, missing)
    return check


_CA = "Microsoft Entra admin center > Protection > Conditional Access > Create new policy: "
RULES_CA = (
    ca_rule("azure.entra.ca_mfa_all_users", "A Conditional Access policy requires MFA for all "
            "users", Severity.HIGH,
            "A tenant-wide MFA policy makes a stolen password insufficient for any sign-in.",
            _CA + "Users = All users (exclude break-glass accounts), Target resources = All "
            "resources, Grant = Require multifactor authentication, state On.",
            lambda p: requires_mfa(p) and _unconditional(p) and _all_users(p)
            and "all" in _apps(p),
            "no enabled policy requires MFA for all users and all resources"),
    ca_rule("azure.entra.ca_mfa_risky_sign_ins", "A Conditional Access policy requires MFA "
            "for risky sign-ins", Severity.MEDIUM,
            "Identity Protection scores each sign-in; asking for MFA when the risk is medium "
            "or high stops most token replay and password spray successes.",
            _CA + "Users = All users, Conditions > Sign-in risk = High and Medium, Grant = "
            "Require multifactor authentication, state On (needs Entra ID P2).",
            lambda p: requires_mfa(p) and bool(_list(dig(p, "conditions", "signInRiskLevels"))),
            "no enabled policy requires MFA on sign-in risk"),
    ca_rule("azure.entra.ca_mfa_azure_management", "A Conditional Access policy requires MFA "
            "for Windows Azure Service Management API", Severity.HIGH,
            "The portal, CLI, PowerShell and ARM all sign in through this app; MFA there "
            "protects every management path to the subscriptions.",
            _CA + "Target resources = Windows Azure Service Management API, Grant = Require "
            "multifactor authentication, state On.",
            lambda p: requires_mfa(p) and _unconditional(p)
            and bool({AZURE_MANAGEMENT_APP, "all"} & set(_apps(p))),
            "no enabled policy requires MFA for Windows Azure Service Management API"),
    ca_rule("azure.entra.ca_mfa_admin_portals", "A Conditional Access policy requires MFA for "
            "Microsoft Admin Portals", Severity.HIGH,
            "Admin portals change tenant-wide settings; MFA on them protects against a "
            "phished administrator password.",
            _CA + "Target resources = Microsoft Admin Portals, Grant = Require multifactor "
            "authentication, state On.",
            lambda p: requires_mfa(p) and _unconditional(p)
            and bool({ADMIN_PORTALS_APP, "all"} & set(_apps(p))),
            "no enabled policy requires MFA for Microsoft Admin Portals"),
    ca_rule("azure.entra.ca_block_device_code_flow", "A Conditional Access policy blocks the "
            "device code flow", Severity.MEDIUM,
            "Device code phishing lets an attacker obtain tokens for a user who types a code "
            "on a genuine Microsoft page; few organizations need the flow at all.",
            _CA + "Conditions > Authentication flows = Device code flow, Grant = Block "
            "access, state On (exclude the few devices that need it).",
            lambda p: _blocks(p) and "devicecodeflow" in lower(
                dig(p, "conditions", "authenticationFlows", "transferMethods")),
            "no enabled policy blocks the device code flow"),
)


@account_rule(
    id="azure.entra.trusted_locations_defined", title="Trusted named locations are defined",
    severity=Severity.LOW, resource_types=(NAMED_LOCATION,),
    rationale="Trusted locations (office egress ranges) let Conditional Access and Identity "
    "Protection tell expected sign-ins from unusual ones.",
    remediation="Microsoft Entra admin center > Protection > Conditional Access > Named "
    "locations > + IP ranges location, marked as trusted.")
def trusted_locations(view: SnapshotView) -> Iterator[AccountVerdict]:
    found = [i for i in view.of(NAMED_LOCATION) if i.data.get("isTrusted") is True]
    if found:
        yield on(found[0], Status.PASS)
    else:
        yield account(Status.FAIL, "no trusted named location")


RULES: tuple[Rule, ...] = (
    *RULES_CA, trusted_locations,
)
