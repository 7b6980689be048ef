"""CIS Azure 8.3 and 6.1.1.4: Key Vault settings, key and secret expiry, vault logging."""

from __future__ import annotations

from typing import Any

from cloudconnectors.rules.azure.base import (
    approved_private_endpoint,
    dig,
    lower,
    props,
    resource_rule,
)
from cloudconnectors.rules.model import (
    PASS,
    Context,
    Data,
    Rule,
    Severity,
    Verdict,
    failed,
    not_applicable,
)

VAULT = "Microsoft.KeyVault/vaults"
MAX_VALIDITY_MONTHS = 12


def _rbac(data: Data) -> bool:
    return props(data).get("enableRbacAuthorization") is True


def _enabled(records: object) -> list[dict[str, Any]]:
    """Enabled key or secret records (disabled ones cannot be used, so CIS skips them)."""
    found = records if isinstance(records, list) else []
    return [r for r in found if isinstance(r, dict)
            and dig(r, "properties", "attributes", "enabled") is not False]


def _without_expiry(records: object) -> list[str]:
    return [str(r.get("name")) for r in _enabled(records)
            if dig(r, "properties", "attributes", "exp") in (None, "")]


def _expiry(data: Data, key: str, rbac: bool) -> Verdict:
    if _rbac(data) is not rbac:
        return not_applicable("RBAC vault" if not rbac else "access-policy vault")
    missing = _without_expiry(data.get(key))
    if missing:
        return failed(f"{len(missing)} {key} without an expiration date: "
                      + ", ".join(sorted(missing)[:10]))
    return PASS


_KEY_WHY = ("A key without an expiration date can be used forever; an expiry forces rotation "
            "and bounds the damage of a leaked or misused key.")
_SECRET_WHY = ("A secret without an expiration date is never forced to rotate; an expiry "
               "makes stale passwords and connection strings visible.")


@resource_rule(
    id="azure.keyvault.rbac_key_expiry", title="Keys in RBAC key vaults have an expiration "
    "date", severity=Severity.MEDIUM, resource_type=VAULT, needs=("properties", "keys"),
    rationale=_KEY_WHY,
    remediation="Set an expiration date on every enabled key (az keyvault key set-attributes "
    "--expires), and a rotation policy so new versions get one too.")
def rbac_key_expiry(data: Data, ctx: Context) -> Verdict:
    return _expiry(data, "keys", rbac=True)


@resource_rule(
    id="azure.keyvault.access_policy_key_expiry", title="Keys in access-policy key vaults "
    "have an expiration date", severity=Severity.MEDIUM, resource_type=VAULT,
    needs=("properties", "keys"), rationale=_KEY_WHY,
    remediation="Set an expiration date on every enabled key (Keys > version > Set "
    "expiration date, or az keyvault key set-attributes --expires).")
def access_policy_key_expiry(data: Data, ctx: Context) -> Verdict:
    return _expiry(data, "keys", rbac=False)


@resource_rule(
    id="azure.keyvault.rbac_secret_expiry", title="Secrets in RBAC key vaults have an "
    "expiration date", severity=Severity.MEDIUM, resource_type=VAULT,
    needs=("properties", "secrets"), rationale=_SECRET_WHY,
    remediation="Set an expiration date on every enabled secret (az keyvault secret "
    "set-attributes --expires).")
def rbac_secret_expiry(data: Data, ctx: Context) -> Verdict:
    return _expiry(data, "secrets", rbac=True)


@resource_rule(
    id="azure.keyvault.access_policy_secret_expiry", title="Secrets in access-policy key "
    "vaults have an expiration date", severity=Severity.MEDIUM, resource_type=VAULT,
    needs=("properties", "secrets"), rationale=_SECRET_WHY,
    remediation="Set an expiration date on every enabled secret (Secrets > version > Set "
    "expiration date, or az keyvault secret set-attributes --expires).")
def access_policy_secret_expiry(data: Data, ctx: Context) -> Verdict:
    return _expiry(data, "secrets", rbac=False)


@resource_rule(
    id="azure.keyvault.purge_protection", title="Key vaults have purge protection",
    severity=Severity.HIGH, resource_type=VAULT, needs=("properties",),
    rationale="With soft delete alone, a deleted vault or key can still be purged at once; "
    "purge protection keeps it recoverable for the whole retention period, even from an "
    "administrator.",
    remediation="Key vault > Properties > Enable purge protection (az keyvault update "
    "--enable-purge-protection true). It cannot be turned off again.")
def purge_protection(data: Data, ctx: Context) -> Verdict:
    p = props(data)
    if p.get("enablePurgeProtection") is True and p.get("enableSoftDelete") is not False:
        return PASS
    return failed("purge protection is off")


@resource_rule(
    id="azure.keyvault.rbac_enabled", title="Key vaults use Azure RBAC for data access",
    severity=Severity.MEDIUM, resource_type=VAULT, needs=("properties",),
    rationale="Azure RBAC gives per-key, per-secret roles, PIM and one audit trail; vault "
    "access policies grant whole-vault rights outside the subscription's role model.",
    remediation="Grant the equivalent Key Vault data roles, then Access configuration > "
    "Permission model = Azure role-based access control (az keyvault update "
    "--enable-rbac-authorization true).")
def rbac_enabled(data: Data, ctx: Context) -> Verdict:
    return PASS if _rbac(data) else failed("the vault uses access policies")


@resource_rule(
    id="azure.keyvault.public_network_access_disabled", title="Public network access is "
    "disabled for key vaults", severity=Severity.MEDIUM, resource_type=VAULT,
    needs=("properties",),
    rationale="A vault reachable from the internet depends on its credentials alone; with "
    "public access off, only private endpoints reach it.",
    remediation="Create a private endpoint, then Networking > Public access = Disable (az "
    "keyvault update --public-network-access Disabled).")
def vault_public_access(data: Data, ctx: Context) -> Verdict:
    value = props(data).get("publicNetworkAccess")
    return PASS if value == "Disabled" else failed(f"publicNetworkAccess is {value or 'not set'}")


@resource_rule(
    id="azure.keyvault.private_endpoint_used", title="Key vaults are reached through private "
    "endpoints", severity=Severity.MEDIUM, resource_type=VAULT, needs=("properties",),
    rationale="A private endpoint keeps key and secret traffic on the virtual network.",
    remediation="Networking > Private endpoint connections > + Create (az network "
    "private-endpoint create --group-id vault).")
def vault_private_endpoint(data: Data, ctx: Context) -> Verdict:
    return approved_private_endpoint(props(data))


def _rotates(key: dict[str, Any]) -> bool:
    actions = dig(key, "properties", "rotationPolicy", "lifetimeActions") or []
    return any(lower(dig(a, "action", "type")) == "rotate" for a in actions
               if isinstance(a, dict))


@resource_rule(
    id="azure.keyvault.key_auto_rotation", title="Key vault keys rotate automatically",
    severity=Severity.MEDIUM, resource_type=VAULT, needs=("keys",),
    rationale="A rotation policy makes Key Vault create new key versions on schedule, so "
    "rotation does not depend on someone remembering it.",
    remediation="Keys > key > Rotation policy: enable auto-rotation with a rotation time "
    "(az keyvault key rotation-policy update).")
def key_auto_rotation(data: Data, ctx: Context) -> Verdict:
    missing = [str(k.get("name")) for k in _enabled(data.get("keys")) if not _rotates(k)]
    if missing:
        return failed(f"{len(missing)} keys without automatic rotation: "
                      + ", ".join(sorted(missing)[:10]))
    return PASS


@resource_rule(
    id="azure.keyvault.certificate_validity_12_months", title="Key vault certificates are "
    "valid for at most 12 months", severity=Severity.LOW, resource_type=VAULT,
    needs=("certificates",),
    rationale="Short-lived certificates limit how long a stolen private key is useful and keep "
    "renewal routine.",
    remediation="Certificates > certificate > Issuance Policy > Validity Period (in months) = "
    "12 or less.")
def certificate_validity(data: Data, ctx: Context) -> Verdict:
    long_lived = []
    for cert in data.get("certificates") or []:
        months = dig(cert, "policy", "x509_props", "validity_months")
        if not isinstance(months, int) or months > MAX_VALIDITY_MONTHS:
            long_lived.append(f"{cert.get('name')} ({months or 'unknown'} months)")
    return failed("; ".join(long_lived)) if long_lived else PASS


def audit_logged(settings: object, categories: frozenset[str],
                 groups: frozenset[str] = frozenset({"audit", "alllogs"})) -> bool:
    """Whether one diagnostic setting sends an enabled log of ``categories`` somewhere."""
    for setting in settings if isinstance(settings, list) else []:
        p = props(setting)
        if not any(p.get(k) for k in ("workspaceId", "storageAccountId",
                                      "eventHubAuthorizationRuleId", "marketplacePartnerId")):
            continue
        for log in p.get("logs") or []:
            if log.get("enabled") is True and (lower(log.get("category")) in categories
                                               or lower(log.get("categoryGroup")) in groups):
                return True
    return False


@resource_rule(
    id="azure.keyvault.logging_enabled", title="Key vault audit events are logged",
    severity=Severity.MEDIUM, resource_type=VAULT, needs=("diagnosticSettings",),
    rationale="AuditEvent logs record who read or changed which key or secret, from where; "
    "without them a misuse of the vault leaves no trace.",
    remediation="Key vault > Monitoring > Diagnostic settings > Add: category audit (or "
    "AuditEvent) to a Log Analytics workspace or storage account.")
def vault_logging(data: Data, ctx: Context) -> Verdict:
    if audit_logged(data.get("diagnosticSettings"), frozenset({"auditevent"})):
        return PASS
    return failed("no diagnostic setting sends AuditEvent logs")


RULES: tuple[Rule, ...] = (
    rbac_key_expiry, access_policy_key_expiry, rbac_secret_expiry, access_policy_secret_expiry,
    purge_protection, rbac_enabled, vault_public_access, vault_private_endpoint,
    key_auto_rotation, certificate_validity, vault_logging,
)
