"""CIS Azure 8.1: Microsoft Defender for Cloud plans, their components, notifications and the
Microsoft cloud security benchmark assignment."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from cloudconnectors.rules.azure.base import (
    account,
    account_rule,
    dig,
    lower,
    not_collected,
    on,
    props,
)
from cloudconnectors.rules.model import (
    AccountRule,
    AccountVerdict,
    InventoryItem,
    Rule,
    Severity,
    Status,
)
from cloudconnectors.rules.snapshot import SnapshotView

PRICING = "Microsoft.Security/pricings"
CONTACT = "Microsoft.Security/securityContacts"
SETTING = "Microsoft.Security/settings"
VA_SETTING = "Microsoft.Security/serverVulnerabilityAssessmentsSettings"
POLICY_ASSIGNMENT = "Microsoft.Authorization/policyAssignments"
MCSB_ASSIGNMENT = "securitycenterbuiltin"


def _plan(view: SnapshotView, plan: str) -> InventoryItem | AccountVerdict:
    if not view.of(PRICING):
        return not_collected(PRICING)
    for item in view.of(PRICING):
        if lower(item.data.get("name")) == plan.lower():
            return item
    return account(Status.FAIL, f"plan {plan} is not in the subscription's pricings")


def plan_rule(rule_id: str, plan: str, title: str, why: str) -> AccountRule:
    """One rule per Defender plan: the plan's pricing tier must be Standard."""
    @account_rule(
        id=rule_id, title=title, severity=Severity.HIGH, resource_types=(PRICING,),
        rationale=why,
        remediation=f"Defender for Cloud > Environment settings > subscription > Defender plans: "
        f"turn the plan on (az security pricing create -n {plan} --tier Standard).")
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        found = _plan(view, plan)
        if isinstance(found, AccountVerdict):
            yield found
        elif lower(props(found.data).get("pricingTier")) == "standard":
            yield on(found, Status.PASS)
        else:
            yield on(found, Status.FAIL, f"Defender plan {plan} is "
                     f"{props(found.data).get('pricingTier') or 'not set'}")
    return check


PLANS = tuple(plan_rule(*spec) for spec in (
    ("azure.defender.cspm_on", "CloudPosture", "Defender CSPM is on",
     "Defender CSPM adds attack path analysis, agentless discovery and the cloud security "
     "explorer on top of the free posture score."),
    ("azure.defender.apis_on", "Api", "Defender for APIs is on",
     "Defender for APIs inventories API Management endpoints and flags exposed, unused or "
     "abused APIs."),
    ("azure.defender.servers_on", "VirtualMachines", "Defender for Servers is on",
     "Defender for Servers brings endpoint detection, vulnerability assessment and "
     "just-in-time access to virtual machines and Arc machines."),
    ("azure.defender.containers_on", "Containers", "Defender for Containers is on",
     "Defender for Containers scans registry images and detects threats in Kubernetes "
     "clusters and nodes."),
    ("azure.defender.storage_on", "StorageAccounts", "Defender for Storage is on",
     "Defender for Storage detects unusual access, data exfiltration and malware uploads in "
     "storage accounts."),
    ("azure.defender.app_services_on", "AppServices", "Defender for App Service is on",
     "Defender for App Service detects attacks against web apps and the App Service "
     "platform, such as dangling DNS and web shells."),
    ("azure.defender.cosmosdb_on", "CosmosDbs", "Defender for Azure Cosmos DB is on",
     "Defender for Azure Cosmos DB detects injection attempts, unusual access and key "
     "misuse against Cosmos DB accounts."),
    ("azure.defender.open_source_databases_on", "OpenSourceRelationalDatabases",
     "Defender for open-source relational databases is on",
     "The plan detects brute force, unusual access and injection on PostgreSQL, MySQL and "
     "MariaDB servers."),
    ("azure.defender.sql_databases_on", "SqlServers", "Defender for Azure SQL databases is on",
     "Defender for SQL runs vulnerability assessment and threat detection (SQL injection, "
     "anomalous logins) for Azure SQL and managed instances."),
    ("azure.defender.sql_on_machines_on", "SqlServerVirtualMachines",
     "Defender for SQL servers on machines is on",
     "The plan extends SQL vulnerability assessment and threat detection to SQL Server on "
     "virtual machines and Arc machines."),
    ("azure.defender.key_vault_on", "KeyVaults", "Defender for Key Vault is on",
     "Defender for Key Vault detects unusual access to keys and secrets, such as access from "
     "Tor or from an unfamiliar application."),
    ("azure.defender.resource_manager_on", "Arm", "Defender for Resource Manager is on",
     "Defender for Resource Manager watches management operations for signs of compromise, "
     "such as suspicious deployments or privilege changes."),
))


def extension_rule(rule_id: str, extension: str, title: str, why: str,
                   fix: str) -> AccountRule:
    """A Defender for Servers component, switched on through the plan's extensions."""
    @account_rule(id=rule_id, title=title, severity=Severity.MEDIUM,
                  resource_types=(PRICING,), rationale=why, remediation=fix)
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        found = _plan(view, "VirtualMachines")
        if isinstance(found, AccountVerdict):
            yield found
            return
        if lower(props(found.data).get("pricingTier")) != "standard":
            yield on(found, Status.FAIL, "Defender for Servers is off")
            return
        extensions = props(found.data).get("extensions")
        if extensions is None:
            yield on(found, Status.MANUAL, "the pricing record has no extensions (read with "
                     "api-version 2024-01-01 or later)")
            return
        on_ = any(e.get("name") == extension and lower(e.get("isEnabled")) == "true"
                  for e in extensions if isinstance(e, dict))
        yield on(found, Status.PASS) if on_ else on(found, Status.FAIL,
                                                    f"{extension} is not enabled")
    return check


COMPONENTS = (
    extension_rule(
        "azure.defender.agentless_scanning_on", "AgentlessVmScanning",
        "Agentless scanning for machines is on",
        "Agentless scanning reads disk snapshots for vulnerabilities, secrets and malware "
        "without installing anything on the machines.",
        "Defender plans > Servers > Settings: Agentless scanning for machines = On."),
    extension_rule(
        "azure.defender.file_integrity_monitoring_on", "FileIntegrityMonitoring",
        "File Integrity Monitoring is on",
        "File Integrity Monitoring records changes to system files and registry keys that "
        "often mark an intrusion.",
        "Defender plans > Servers (Plan 2) > Settings: File Integrity Monitoring = On, with a "
        "Log Analytics workspace."),
)


def _singleton_rule(rule_id: str, title: str, type_: str, why: str, fix: str,
                    good: Callable[[InventoryItem], bool], bad: str) -> AccountRule:
    @account_rule(id=rule_id, title=title, severity=Severity.MEDIUM, resource_types=(type_,),
                  rationale=why, remediation=fix)
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        hits = [i for i in view.of(type_) if good(i)]
        if hits:
            yield on(hits[0], Status.PASS)
        else:
            yield account(Status.FAIL, bad)
    return check


def _wdatp(item: InventoryItem) -> bool:
    return lower(item.data.get("name")) == "wdatp" and props(item.data).get("enabled") is True


def _mde_va(item: InventoryItem) -> bool:
    return (lower(item.data.get("kind")) == "azureserverssetting"
            and lower(props(item.data).get("selectedProvider")) == "mdetvm")


SERVER_SETTINGS = (
    _singleton_rule(
        "azure.defender.vulnerability_assessment_on", "Vulnerability assessment for machines "
        "is on", VA_SETTING,
        "Vulnerability assessment lists missing patches and vulnerable software on every "
        "machine, so exposure is found before an attacker finds it.",
        "Defender plans > Servers > Settings: Vulnerability assessment for machines = On "
        "(Microsoft Defender Vulnerability Management).", _mde_va,
        "no server vulnerability assessment setting selects Microsoft Defender Vulnerability "
        "Management"),
    _singleton_rule(
        "azure.defender.endpoint_protection_on", "Endpoint protection (Defender for Endpoint "
        "integration) is on", SETTING,
        "The integration deploys Defender for Endpoint to the machines, which gives EDR "
        "alerts and response inside Defender for Cloud.",
        "Defender plans > Servers > Settings: Endpoint protection = On (settings/WDATP "
        "enabled).", _wdatp, "the WDATP setting is not enabled"),
)


def _contact(view: SnapshotView) -> InventoryItem | AccountVerdict:
    contacts = view.of(CONTACT)
    if not contacts:
        return account(Status.FAIL, "no security contact is configured")
    return next((c for c in contacts if lower(c.data.get("name")) == "default"), contacts[0])


def contact_rule(rule_id: str, title: str, why: str, fix: str,
                 good: Callable[[dict[str, object]], str | None]) -> AccountRule:
    """A security-contact setting; ``good`` returns None when it holds, else why not."""
    @account_rule(id=rule_id, title=title, severity=Severity.MEDIUM,
                  resource_types=(CONTACT,), rationale=why, remediation=fix)
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        found = _contact(view)
        if isinstance(found, AccountVerdict):
            yield found
            return
        problem = good(props(found.data))
        yield on(found, Status.PASS) if problem is None else on(found, Status.FAIL, problem)
    return check


def _sources(p: dict[str, object], kind: str) -> list[dict[str, object]]:
    found = p.get("notificationsSources") or []
    return [s for s in found if isinstance(s, dict)
            and lower(s.get("sourceType")) == kind] if isinstance(found, list) else []


def _owners(p: dict[str, object]) -> str | None:
    by_role = p.get("notificationsByRole") or {}
    if (isinstance(by_role, dict) and lower(by_role.get("state")) == "on"
            and "owner" in [lower(r) for r in by_role.get("roles") or []]):
        return None
    return "notifications to the Owner role are off"


def _emails(p: dict[str, object]) -> str | None:
    emails = [e for e in str(p.get("emails") or p.get("email") or "").split(";") if "@" in e]
    return None if emails else "no additional email address"


def _alerts(p: dict[str, object]) -> str | None:
    if p.get("isEnabled") is False:
        return "the security contact is disabled"
    if _sources(p, "alert") or lower(dig(p, "alertNotifications", "state")) == "on":
        return None
    return "alert notifications are off"


def _attack_paths(p: dict[str, object]) -> str | None:
    if p.get("isEnabled") is not False and any(s.get("minimalRiskLevel")
                                               for s in _sources(p, "attackpath")):
        return None
    return "attack path notifications are off"


_CONTACT_FIX = ("Defender for Cloud > Environment settings > subscription > Email "
                "notifications: ")
CONTACTS = (
    contact_rule("azure.defender.notify_owners", "Security alerts are emailed to "
                 "subscription owners",
                 "Owners can act on an alert at once; without them in the loop, alerts wait "
                 "for someone to open the portal.",
                 _CONTACT_FIX + "All users with the following roles = Owner.", _owners),
    contact_rule("azure.defender.additional_email", "A security contact email is configured",
                 "A monitored team address receives alerts even when owners change or are "
                 "away.", _CONTACT_FIX + "Additional email addresses = the security team's "
                 "mailbox.", _emails),
    contact_rule("azure.defender.alert_notifications", "Alert email notifications are on",
                 "Email notification of high-severity alerts shortens the time between "
                 "detection and response.",
                 _CONTACT_FIX + "Notify about alerts with the following severity (or higher) "
                 "= High.", _alerts),
    contact_rule("azure.defender.attack_path_notifications", "Attack path email "
                 "notifications are on",
                 "Attack paths show exploitable chains to critical assets; email brings new "
                 "ones to the team's attention.",
                 _CONTACT_FIX + "Notify about attack paths with the following risk level (or "
                 "higher) = Critical (or lower).", _attack_paths),
)


def _mcsb(view: SnapshotView) -> InventoryItem | AccountVerdict:
    found = [i for i in view.of(POLICY_ASSIGNMENT)
             if lower(i.data.get("name")) == MCSB_ASSIGNMENT]
    if not found:
        return account(Status.FAIL, "the Microsoft cloud security benchmark "
                       "(SecurityCenterBuiltIn) is not assigned")
    return found[0]


def _disabled(item: InventoryItem, within: str = "") -> list[str]:
    """Parameters of the assignment set to Disabled (whose name contains ``within``)."""
    parameters = props(item.data).get("parameters") or {}
    return sorted(k for k, v in parameters.items() if within in k.lower()
                  and isinstance(v, dict) and lower(v.get("value")) == "disabled")


@account_rule(
    id="azure.defender.mcsb_policies_enabled", title="Microsoft cloud security benchmark "
    "policies are not disabled", severity=Severity.MEDIUM, resource_types=(POLICY_ASSIGNMENT,),
    rationale="Defender for Cloud's recommendations come from the benchmark's policy "
    "assignment; a disabled assignment or policy effect silently removes whole checks.",
    remediation="Defender for Cloud > Environment settings > Security policies: set the "
    "Microsoft cloud security benchmark assignment to enforce and no policy to Disabled.")
def mcsb_enabled(view: SnapshotView) -> Iterator[AccountVerdict]:
    found = _mcsb(view)
    if isinstance(found, AccountVerdict):
        yield found
        return
    disabled = _disabled(found)
    if lower(props(found.data).get("enforcementMode") or "default") != "default":
        yield on(found, Status.FAIL, "enforcement mode is DoNotEnforce")
    elif disabled:
        yield on(found, Status.FAIL, f"{len(disabled)} policies set to Disabled: "
                 + ", ".join(disabled[:10]))
    else:
        yield on(found, Status.PASS)


@account_rule(
    id="azure.defender.system_updates_checked", title="Defender for Cloud checks machines for "
    "missing OS updates", severity=Severity.MEDIUM, resource_types=(POLICY_ASSIGNMENT,),
    rationale="Missing OS updates are the most common way into a machine; the benchmark's "
    "system update policies make Defender report them per machine.",
    remediation="Security policies > Microsoft cloud security benchmark: keep the system "
    "update policies (periodic assessment, missing updates) at their default effect, not "
    "Disabled.")
def system_updates(view: SnapshotView) -> Iterator[AccountVerdict]:
    found = _mcsb(view)
    if isinstance(found, AccountVerdict):
        yield found
        return
    disabled = _disabled(found, "systemupdate")
    if disabled:
        names = ", ".join(disabled)
        yield on(found, Status.FAIL, f"system update policies turned off: {names}")
    else:
        yield on(found, Status.PASS)


RULES: tuple[Rule, ...] = (
    *PLANS, *COMPONENTS, *SERVER_SETTINGS, *CONTACTS, mcsb_enabled, system_updates,
)
