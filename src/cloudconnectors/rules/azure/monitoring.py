"""CIS Azure 6.1: subscription and Entra diagnostic settings, activity log alerts, App
Service HTTP logs and Application Insights."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudconnectors.rules.azure.base import (
    account,
    account_rule,
    by_id,
    dig,
    label,
    lower,
    on,
    props,
    resource_rule,
)
from cloudconnectors.rules.azure.keyvault import audit_logged
from cloudconnectors.rules.azure.storage import STORAGE
from cloudconnectors.rules.model import (
    PASS,
    AccountRule,
    AccountVerdict,
    Context,
    Data,
    InventoryItem,
    Rule,
    Severity,
    Status,
    Verdict,
    failed,
    not_applicable,
)
from cloudconnectors.rules.snapshot import SnapshotView

DIAGNOSTIC = "Microsoft.Insights/diagnosticSettings"
ENTRA_DIAGNOSTIC = "microsoft.aadiam/diagnosticSettings"
ALERT = "Microsoft.Insights/activityLogAlerts"
COMPONENT = "Microsoft.Insights/components"
SITE = "Microsoft.Web/sites"
#: Activity log categories CIS asks the subscription's diagnostic setting to export.
CATEGORIES = ("Administrative", "Alert", "Policy", "Security")


def _destination(p: dict[str, Any]) -> bool:
    return any(p.get(k) for k in ("workspaceId", "storageAccountId",
                                  "eventHubAuthorizationRuleId", "marketplacePartnerId"))


def _exported(p: dict[str, Any]) -> set[str]:
    return {lower(log.get("category")) for log in p.get("logs") or []
            if isinstance(log, dict) and log.get("enabled") is True}


@account_rule(
    id="azure.monitor.subscription_diagnostic_setting", title="A diagnostic setting exports "
    "the subscription's activity log", severity=Severity.MEDIUM, resource_types=(DIAGNOSTIC,),
    rationale="The activity log keeps 90 days in the portal only; exporting it keeps control "
    "plane history for investigations and lets it be queried and alerted on.",
    remediation="Monitor > Activity log > Export Activity Logs > Add diagnostic setting, to a "
    "Log Analytics workspace or storage account.")
def diagnostic_setting_exists(view: SnapshotView) -> Iterator[AccountVerdict]:
    found = [i for i in view.of(DIAGNOSTIC) if _destination(props(i.data))]
    if found:
        yield on(found[0], Status.PASS)
    else:
        yield account(Status.FAIL, "no diagnostic setting exports the activity log")


@account_rule(
    id="azure.monitor.diagnostic_setting_categories", title="The activity log export captures "
    "Administrative, Alert, Policy and Security events", severity=Severity.MEDIUM,
    resource_types=(DIAGNOSTIC,),
    rationale="These categories hold resource changes, fired alerts, policy decisions and "
    "Defender events: the trail an investigation needs first.",
    remediation="Edit the subscription's diagnostic setting and tick Administrative, Alert, "
    "Policy and Security (or allLogs).")
def diagnostic_categories(view: SnapshotView) -> Iterator[AccountVerdict]:
    settings = [i for i in view.of(DIAGNOSTIC) if _destination(props(i.data))]
    if not settings:
        yield account(Status.FAIL, "no diagnostic setting exports the activity log")
        return
    wanted = {c.lower() for c in CATEGORIES}
    best = max(settings, key=lambda i: len(_exported(props(i.data)) & wanted))
    missing = sorted(c for c in CATEGORIES if c.lower() not in _exported(props(best.data)))
    if missing:
        yield on(best, Status.FAIL, "not exported: " + ", ".join(missing))
    else:
        yield on(best, Status.PASS)


@account_rule(
    id="azure.monitor.activity_log_storage_cmk", title="The storage account holding activity "
    "logs is encrypted with a customer-managed key", severity=Severity.LOW,
    resource_types=(DIAGNOSTIC, STORAGE),
    rationale="A customer-managed key puts access to the audit trail under the organization's "
    "own key, which it can rotate or revoke.",
    remediation="Storage account > Encryption > Customer-managed keys, with a key in Key Vault "
    "(az storage account update --encryption-key-source Microsoft.Keyvault).")
def activity_log_storage_cmk(view: SnapshotView) -> Iterator[AccountVerdict]:
    accounts = by_id(view.of(STORAGE))
    targets = {lower(props(i.data).get("storageAccountId")) for i in view.of(DIAGNOSTIC)}
    targets.discard("")
    if not targets:
        yield account(Status.NOT_APPLICABLE, "the activity log is not exported to a storage "
                      "account")
        return
    for target in sorted(targets):
        item = accounts.get(target)
        if item is None:
            yield account(Status.MANUAL, f"storage account {target.rsplit('/', 1)[-1]} is not "
                          "in this subscription's inventory")
        elif lower(dig(props(item.data), "encryption", "keySource")) == "microsoft.keyvault":
            yield on(item, Status.PASS)
        else:
            yield on(item, Status.FAIL, f"{label(item)} uses Microsoft-managed keys")


def _entra_rule(rule_id: str, title: str, categories: tuple[str, ...], why: str) -> AccountRule:
    @account_rule(
        id=rule_id, title=title, severity=Severity.MEDIUM, resource_types=(ENTRA_DIAGNOSTIC,),
        rationale=why,
        remediation="Microsoft Entra admin center > Monitoring & health > Diagnostic "
        "settings > Add: " + ", ".join(categories) + " to a Log Analytics workspace.")
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        wanted = {c.lower() for c in categories}
        settings = [i for i in view.of(ENTRA_DIAGNOSTIC) if _destination(props(i.data))]
        for item in settings:
            if wanted <= _exported(props(item.data)):
                yield on(item, Status.PASS)
                return
        yield account(Status.FAIL, "no Entra diagnostic setting exports "
                      + ", ".join(categories))
    return check


ENTRA_LOGS = (
    _entra_rule("azure.monitor.entra_graph_activity_logs", "Microsoft Graph activity logs are "
                "exported", ("MicrosoftGraphActivityLogs",),
                "Graph activity logs show every API call against the directory, which is how "
                "token theft and mass enumeration are spotted."),
    _entra_rule("azure.monitor.entra_activity_logs", "Microsoft Entra audit and sign-in logs "
                "are exported", ("AuditLogs", "SignInLogs"),
                "Entra keeps audit and sign-in logs for 30 days at most; exporting them keeps "
                "the identity trail for investigations."),
)


def _matches(data: Data, operation: str | None, category: str | None) -> bool:
    p = props(data)
    if p.get("enabled") is False:
        return False
    if not any(lower(s).count("/") == 2 for s in p.get("scopes") or []):
        return False  # scoped to a resource group or a resource, not the subscription
    conditions = dig(p, "condition", "allOf") or []
    fields = {lower(c.get("field")): lower(c.get("equals")) for c in conditions
              if isinstance(c, dict)}
    if operation is not None:
        return fields.get("operationname") == operation.lower()
    return fields.get("category") == lower(category)


def alert_rule(rule_id: str, title: str, operation: str | None,
               category: str | None = None) -> AccountRule:
    """An activity log alert must exist, enabled, on the subscription, for the operation."""
    what = operation or f"category {category}"

    @account_rule(
        id=rule_id, title=title, severity=Severity.MEDIUM, resource_types=(ALERT,),
        rationale="An alert on this operation tells the team at once when it happens, instead "
        "of leaving the change to be found in the activity log later.",
        remediation=f"Monitor > Alerts > Create > Alert rule: scope the subscription, signal "
        f"{what}, with an action group that reaches the team.")
    def check(view: SnapshotView) -> Iterator[AccountVerdict]:
        found = [i for i in view.of(ALERT) if _matches(i.data, operation, category)]
        if found:
            yield on(found[0], Status.PASS)
        else:
            yield account(Status.FAIL, f"no enabled subscription-wide activity log alert for "
                          f"{what}")
    return check


ALERTS = tuple(alert_rule(*spec) for spec in (
    ("azure.monitor.alert_policy_assignment_write", "An activity log alert exists for creating "
     "policy assignments", "Microsoft.Authorization/policyAssignments/write"),
    ("azure.monitor.alert_policy_assignment_delete", "An activity log alert exists for "
     "deleting policy assignments", "Microsoft.Authorization/policyAssignments/delete"),
    ("azure.monitor.alert_nsg_write", "An activity log alert exists for creating or updating "
     "network security groups", "Microsoft.Network/networkSecurityGroups/write"),
    ("azure.monitor.alert_nsg_delete", "An activity log alert exists for deleting network "
     "security groups", "Microsoft.Network/networkSecurityGroups/delete"),
    ("azure.monitor.alert_security_solution_write", "An activity log alert exists for "
     "creating or updating security solutions", "Microsoft.Security/securitySolutions/write"),
    ("azure.monitor.alert_security_solution_delete", "An activity log alert exists for "
     "deleting security solutions", "Microsoft.Security/securitySolutions/delete"),
    ("azure.monitor.alert_sql_firewall_write", "An activity log alert exists for creating or "
     "updating SQL server firewall rules", "Microsoft.Sql/servers/firewallRules/write"),
    ("azure.monitor.alert_sql_firewall_delete", "An activity log alert exists for deleting "
     "SQL server firewall rules", "Microsoft.Sql/servers/firewallRules/delete"),
    ("azure.monitor.alert_public_ip_write", "An activity log alert exists for creating or "
     "updating public IP addresses", "Microsoft.Network/publicIPAddresses/write"),
    ("azure.monitor.alert_public_ip_delete", "An activity log alert exists for deleting "
     "public IP addresses", "Microsoft.Network/publicIPAddresses/delete"),
    ("azure.monitor.alert_service_health", "An activity log alert exists for Service Health",
     None, "ServiceHealth"),
))


@resource_rule(
    id="azure.appservice.http_logs_enabled", title="App Service HTTP logs are exported",
    severity=Severity.LOW, resource_type=SITE, needs=("diagnosticSettings",),
    rationale="HTTP logs record every request to the app, which is what shows probing, "
    "exploitation and data theft after the fact.",
    remediation="App Service > Monitoring > Diagnostic settings > Add: AppServiceHTTPLogs to a "
    "Log Analytics workspace or storage account.")
def http_logs(data: Data, ctx: Context) -> Verdict:
    if "functionapp" in lower(data.get("kind")):
        return not_applicable("function apps have no HTTP log category")
    if audit_logged(data.get("diagnosticSettings"), frozenset({"appservicehttplogs"}),
                    frozenset({"alllogs"})):
        return PASS
    return failed("no diagnostic setting exports AppServiceHTTPLogs")


@account_rule(
    id="azure.monitor.application_insights_configured", title="Application Insights is "
    "configured", severity=Severity.LOW, resource_types=(COMPONENT,),
    rationale="Application Insights records requests, failures and dependencies of the "
    "applications, which shows anomalies that infrastructure logs miss.",
    remediation="Create an Application Insights resource (workspace-based) and connect the "
    "applications to it (az monitor app-insights component create).")
def application_insights(view: SnapshotView) -> Iterator[AccountVerdict]:
    components: list[InventoryItem] = list(view.of(COMPONENT))
    if components:
        yield on(components[0], Status.PASS)
    else:
        yield account(Status.FAIL, "no Application Insights component in the subscription")


RULES: tuple[Rule, ...] = (
    diagnostic_setting_exists, diagnostic_categories, activity_log_storage_cmk, *ENTRA_LOGS,
    *ALERTS, http_logs, application_insights,
)
