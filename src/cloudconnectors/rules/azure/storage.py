"""CIS Azure 9.3: storage account settings read from the storage account's ARM record."""

from __future__ import annotations

from datetime import timedelta

from cloudconnectors.rules.azure.base import (
    approved_private_endpoint,
    dig,
    lower,
    parse_time,
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
)

STORAGE = "Microsoft.Storage/storageAccounts"
GEO_REDUNDANT = frozenset({"standard_grs", "standard_ragrs", "standard_gzrs", "standard_ragzrs"})
KEY_AGE = timedelta(days=90)


@resource_rule(
    id="azure.storage.secure_transfer_required", title="Storage accounts require secure "
    "transfer (HTTPS only)", severity=Severity.HIGH, resource_type=STORAGE, needs=("properties",),
    rationale="Without it the account accepts plain HTTP and unencrypted SMB, so keys, SAS "
    "tokens and data can cross the network in clear text.",
    remediation="Storage account > Configuration > Secure transfer required = Enabled "
    "(az storage account update --https-only true).")
def secure_transfer(data: Data, ctx: Context) -> Verdict:
    if props(data).get("supportsHttpsTrafficOnly") is True:
        return PASS
    return failed("supportsHttpsTrafficOnly is not true")


@resource_rule(
    id="azure.storage.minimum_tls_1_2", title="Storage accounts refuse TLS below 1.2",
    severity=Severity.MEDIUM, resource_type=STORAGE, needs=("properties",),
    rationale="TLS 1.0 and 1.1 have known weaknesses and are retired by Microsoft; a minimum "
    "of 1.2 stops clients from negotiating down.",
    remediation="Storage account > Configuration > Minimum TLS version = Version 1.2 "
    "(az storage account update --min-tls-version TLS1_2).")
def minimum_tls(data: Data, ctx: Context) -> Verdict:
    version = props(data).get("minimumTlsVersion")
    if version in ("TLS1_2", "TLS1_3"):
        return PASS
    return failed(f"minimumTlsVersion is {version or 'not set (TLS 1.0 accepted)'}")


@resource_rule(
    id="azure.storage.blob_anonymous_access_disabled", title="Anonymous blob access is "
    "disallowed on storage accounts", severity=Severity.HIGH, resource_type=STORAGE,
    needs=("properties",),
    rationale="While the account allows it, any container can be switched to public read "
    "with one setting, exposing its blobs to anyone with the URL.",
    remediation="Storage account > Configuration > Allow Blob anonymous access = Disabled "
    "(az storage account update --allow-blob-public-access false).")
def blob_anonymous_access(data: Data, ctx: Context) -> Verdict:
    if props(data).get("allowBlobPublicAccess") is False:
        return PASS
    return failed("allowBlobPublicAccess is not false")


@resource_rule(
    id="azure.storage.shared_key_access_disabled", title="Storage account key access is "
    "disabled", severity=Severity.MEDIUM, resource_type=STORAGE, needs=("properties",),
    rationale="Account keys grant full access and are hard to trace to a person; requiring "
    "Microsoft Entra authorization ties every request to an identity and to RBAC.",
    remediation="Move clients to Entra ID (RBAC data roles), then set Allow storage account "
    "key access = Disabled (az storage account update --allow-shared-key-access false).")
def shared_key_access(data: Data, ctx: Context) -> Verdict:
    if props(data).get("allowSharedKeyAccess") is False:
        return PASS
    return failed("allowSharedKeyAccess is not false (not set means allowed)")


@resource_rule(
    id="azure.storage.public_network_access_disabled", title="Public network access is "
    "disabled for storage accounts", severity=Severity.MEDIUM, resource_type=STORAGE,
    needs=("properties",),
    rationale="With public network access off, the account is reachable only through private "
    "endpoints, whatever its firewall rules say.",
    remediation="Create private endpoints for the services in use, then Networking > Public "
    "network access = Disabled (az storage account update --public-network-access Disabled).")
def public_network_access(data: Data, ctx: Context) -> Verdict:
    if props(data).get("publicNetworkAccess") == "Disabled":
        return PASS
    return failed(f"publicNetworkAccess is {props(data).get('publicNetworkAccess') or 'not set'}")


@resource_rule(
    id="azure.storage.default_network_action_deny", title="Storage account firewalls deny "
    "by default", severity=Severity.MEDIUM, resource_type=STORAGE, needs=("properties",),
    rationale="A default action of Allow accepts requests from any network; Deny limits "
    "access to the listed virtual networks and address ranges.",
    remediation="Networking > Firewalls and virtual networks: enable from selected networks "
    "(az storage account update --default-action Deny) after listing the allowed networks.")
def default_network_deny(data: Data, ctx: Context) -> Verdict:
    action = dig(props(data), "networkAcls", "defaultAction")
    return PASS if action == "Deny" else failed(f"networkAcls.defaultAction is {action}")


@resource_rule(
    id="azure.storage.trusted_services_bypass", title="Trusted Azure services may reach "
    "firewalled storage accounts", severity=Severity.LOW, resource_type=STORAGE,
    needs=("properties",),
    rationale="Backup, Monitor, Defender and other trusted services need the bypass to keep "
    "working once the firewall denies by default.",
    remediation="Networking > Exceptions > Allow Azure services on the trusted services list "
    "(az storage account update --bypass AzureServices).")
def trusted_services(data: Data, ctx: Context) -> Verdict:
    bypass = lower(dig(props(data), "networkAcls", "bypass"))
    if "azureservices" in bypass.replace(" ", "").split(","):
        return PASS
    return failed(f"networkAcls.bypass is {bypass or 'None'}")


@resource_rule(
    id="azure.storage.private_endpoint_used", title="Storage accounts are reached through "
    "private endpoints", severity=Severity.MEDIUM, resource_type=STORAGE, needs=("properties",),
    rationale="A private endpoint gives the account an address inside the virtual network, so "
    "traffic never crosses the public internet.",
    remediation="Networking > Private endpoint connections > + Private endpoint, one per "
    "sub-resource in use (blob, file, queue, table).")
def private_endpoint(data: Data, ctx: Context) -> Verdict:
    return approved_private_endpoint(props(data))


@resource_rule(
    id="azure.storage.default_to_entra_authorization", title="The portal defaults to "
    "Microsoft Entra authorization for storage accounts", severity=Severity.LOW,
    resource_type=STORAGE, needs=("properties",),
    rationale="Portal users then read data with their own identity and RBAC rather than the "
    "account key, so access is logged per person.",
    remediation="Configuration > Default to Microsoft Entra authorization in the Azure portal "
    "= Enabled (az storage account update --default-to-oauth-authentication true).")
def default_to_entra(data: Data, ctx: Context) -> Verdict:
    if props(data).get("defaultToOAuthAuthentication") is True:
        return PASS
    return failed("defaultToOAuthAuthentication is not true")


@resource_rule(
    id="azure.storage.cross_tenant_replication_disabled", title="Cross-tenant object "
    "replication is disabled", severity=Severity.MEDIUM, resource_type=STORAGE,
    needs=("properties",),
    rationale="Object replication to another tenant copies data out of the organization's "
    "control; few accounts need it.",
    remediation="Data management > Object replication > Advanced settings: clear Allow "
    "cross-tenant replication (az storage account update --allow-cross-tenant-replication "
    "false).")
def cross_tenant_replication(data: Data, ctx: Context) -> Verdict:
    if props(data).get("allowCrossTenantReplication") is False:
        return PASS
    return failed("allowCrossTenantReplication is not false (accounts created before "
                  "December 2023 allow it when not set)")


@resource_rule(
    id="azure.storage.key_rotation_reminder", title="Key rotation reminders are set on "
    "storage accounts", severity=Severity.LOW, resource_type=STORAGE, needs=("properties",),
    rationale="A key expiration policy makes Azure flag access keys older than the period, so "
    "rotation does not depend on memory.",
    remediation="Security + networking > Access keys > Set rotation reminder (az storage "
    "account update --key-exp-days 90).")
def key_rotation_reminder(data: Data, ctx: Context) -> Verdict:
    days = dig(props(data), "keyPolicy", "keyExpirationPeriodInDays")
    if isinstance(days, int) and not isinstance(days, bool) and days > 0:
        return PASS
    return failed("no key expiration policy (keyPolicy.keyExpirationPeriodInDays)")


@resource_rule(
    id="azure.storage.access_keys_regenerated_90d", title="Storage account access keys were "
    "regenerated within 90 days", severity=Severity.MEDIUM, resource_type=STORAGE,
    needs=("properties",),
    rationale="An account key never expires on its own; regenerating both keys regularly "
    "limits how long a leaked key stays useful.",
    remediation="Access keys > Rotate key for key1 and key2 after moving clients to the "
    "other key (az storage account keys renew --key primary|secondary).")
def access_keys_regenerated(data: Data, ctx: Context) -> Verdict:
    created = dig(props(data), "keyCreationTime") or {}
    stale = []
    for key in ("key1", "key2"):
        when = parse_time(created.get(key) if isinstance(created, dict) else None)
        if when is None or ctx.now - when > KEY_AGE:
            stale.append(f"{key} created {when.date().isoformat()}" if when
                         else f"{key} never rotated")
    return failed("; ".join(stale)) if stale else PASS


@resource_rule(
    id="azure.storage.geo_redundant", title="Storage accounts use geo-redundant replication",
    severity=Severity.LOW, resource_type=STORAGE, needs=("sku",),
    rationale="Geo-redundant storage keeps a copy in the paired region, so a regional outage "
    "or disaster does not lose the data.",
    remediation="Configuration > Replication = GRS or RA-GRS (GZRS where zones are needed) "
    "(az storage account update --sku Standard_GRS). Premium accounts cannot be geo-redundant.")
def geo_redundant(data: Data, ctx: Context) -> Verdict:
    sku = lower(dig(data, "sku", "name"))
    return PASS if sku in GEO_REDUNDANT else failed(f"replication is {sku or 'unknown'}")


RULES: tuple[Rule, ...] = (
    secure_transfer, minimum_tls, blob_anonymous_access, shared_key_access,
    public_network_access, default_network_deny, trusted_services, private_endpoint,
    default_to_entra, cross_tenant_replication, key_rotation_reminder, access_keys_regenerated,
    geo_redundant,
)
