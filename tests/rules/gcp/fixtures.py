"""A small, fully compliant GCP organization (two projects) as stored inventory, plus a
breaker per rule that makes that rule fail in project ``alpha`` only.

Shapes follow ``cloudconnectors.rules.gcp.shapes`` (the REST APIs' own records). API keys
are absent: CIS 1.12 asks for none, so the key rules (1.13-1.15) are tested on their own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cloudconnectors.rules.gcp import shapes as t
from cloudconnectors.rules.gcp.logging import CONTROLS
from cloudconnectors.rules.model import InventoryItem

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ALPHA, BETA = "alpha-prod-1", "beta-prod-2"
NUMBERS = {ALPHA: "1001", BETA: "1002"}
COMPUTE = "https://www.googleapis.com/compute/v1/projects"
Data = dict[str, Any]
World = list[InventoryItem]

#: The log filters CIS GCP 2.4-2.11 recommend, as people write them.
FILTERS = {
    "project_ownership_changes": '(protoPayload.serviceName="cloudresourcemanager.googleapis.com")'
    ' AND (ProjectOwnership OR projectOwnerInvitee) OR '
    '(protoPayload.serviceData.policyDelta.bindingDeltas.action="REMOVE" AND '
    'protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner") OR '
    '(protoPayload.serviceData.policyDelta.bindingDeltas.action="ADD" AND '
    'protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner")',
    "audit_config_changes": 'protoPayload.methodName="SetIamPolicy" AND '
    "protoPayload.serviceData.policyDelta.auditConfigDeltas:*",
    "custom_role_changes": 'resource.type="iam_role" AND (protoPayload.methodName = '
    '"google.iam.admin.v1.CreateRole" OR protoPayload.methodName="google.iam.admin.v1.'
    'DeleteRole" OR protoPayload.methodName="google.iam.admin.v1.UpdateRole" OR '
    'protoPayload.methodName="google.iam.admin.v1.UndeleteRole")',
    "firewall_rule_changes": 'resource.type="gce_firewall_rule" AND (protoPayload.methodName:'
    '"compute.firewalls.patch" OR protoPayload.methodName:"compute.firewalls.insert" OR '
    'protoPayload.methodName:"compute.firewalls.delete")',
    "route_changes": 'resource.type="gce_route" AND (protoPayload.methodName:'
    '"compute.routes.delete" OR protoPayload.methodName:"compute.routes.insert")',
    "network_changes": 'resource.type="gce_network" AND (protoPayload.methodName:'
    '"compute.networks.insert" OR protoPayload.methodName:"compute.networks.patch" OR '
    'protoPayload.methodName:"compute.networks.delete" OR protoPayload.methodName:'
    '"compute.networks.removePeering" OR protoPayload.methodName:"compute.networks.addPeering")',
    "bucket_iam_changes": 'resource.type="gcs_bucket" AND '
    'protoPayload.methodName="storage.setIamPermissions"',
    "sql_instance_changes": 'protoPayload.methodName="cloudsql.instances.update"',
}


def ago(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def item(type_: str, native_id: str, data: Data, project: str | None,
         region: str = "global", name: str | None = None) -> InventoryItem:
    return InventoryItem(f"{project}|{type_}|{native_id}", type_, region, native_id,
                         name or native_id, data, project)


def _kms_key(p: str) -> str:
    return f"projects/{p}/locations/global/keyRings/main/cryptoKeys/data"


def _sql(p: str, name: str, version: str, flags: dict[str, str]) -> InventoryItem:
    return item(t.SQL_INSTANCE, name, {
        "name": name, "project": p, "databaseVersion": version, "instanceType":
        "CLOUD_SQL_INSTANCE", "region": "us-central1",
        "ipAddresses": [{"type": "PRIVATE", "ipAddress": "10.10.0.3"}],
        "settings": {
            "databaseFlags": [{"name": k, "value": v} for k, v in flags.items()],
            "ipConfiguration": {"ipv4Enabled": False, "sslMode": "ENCRYPTED_ONLY",
                                "privateNetwork": f"projects/{p}/global/networks/prod-net",
                                "authorizedNetworks": []},
            "backupConfiguration": {"enabled": True, "startTime": "02:00"}}},
        p, region="us-central1")


def project_items(p: str) -> World:
    n = NUMBERS[p]
    app_sa = f"app@{p}.iam.gserviceaccount.com"
    net = f"{COMPUTE}/{p}/global/networks/prod-net"
    policy = f"{COMPUTE}/{p}/global/sslPolicies/modern-tls12"
    world = [
        item(t.PROJECT, p, {
            "name": f"projects/{n}", "projectId": p, "state": "ACTIVE",
            "parent": "organizations/42", "displayName": p,
            "iamPolicy": {"version": 3, "etag": "BwX1", "bindings": [
                {"role": "roles/owner", "members": ["user:alice@example.com"]},
                {"role": "roles/cloudkms.admin", "members": ["group:kms-admins@example.com"]},
                {"role": "roles/iam.serviceAccountAdmin",
                 "members": ["group:iam-admins@example.com"]},
                {"role": "roles/viewer", "members": [f"serviceAccount:{app_sa}"]}],
                "auditConfigs": [{"service": "allServices", "auditLogConfigs": [
                    {"logType": "ADMIN_READ"}, {"logType": "DATA_READ"},
                    {"logType": "DATA_WRITE"}]}]}}, p),
        item(t.SERVICE, f"projects/{n}/services/cloudasset.googleapis.com", {
            "name": f"projects/{n}/services/cloudasset.googleapis.com", "state": "ENABLED",
            "config": {"name": "cloudasset.googleapis.com"}, "parent": f"projects/{n}"}, p),
        item(t.COMPUTE_PROJECT, p, {
            "name": p, "selfLink": f"{COMPUTE}/{p}",
            "defaultServiceAccount": f"{n}-compute@developer.gserviceaccount.com",
            "commonInstanceMetadata": {"items": [{"key": "enable-oslogin", "value": "TRUE"}]}},
            p),
        item(t.INSTANCE, "vm-1", {
            "name": "vm-1", "status": "RUNNING", "selfLink": f"{COMPUTE}/{p}/zones/"
            "us-central1-a/instances/vm-1", "zone": f"{COMPUTE}/{p}/zones/us-central1-a",
            "machineType": "n2d-standard-2", "canIpForward": False,
            "serviceAccounts": [{"email": app_sa,
                                 "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}],
            "metadata": {"items": [{"key": "block-project-ssh-keys", "value": "true"}]},
            "networkInterfaces": [{"network": net, "networkIP": "10.0.0.2"}],
            "shieldedInstanceConfig": {"enableSecureBoot": True, "enableVtpm": True,
                                       "enableIntegrityMonitoring": True},
            "confidentialInstanceConfig": {"enableConfidentialCompute": True}},
            p, region="us-central1"),
        item(t.DISK, "vm-1", {"name": "vm-1", "sizeGb": "10",
                              "zone": f"{COMPUTE}/{p}/zones/us-central1-a",
                              "diskEncryptionKey": {"sha256": "pTgv2E2Y4rjO8gEnQRL6SuqTcIo="}},
             p, region="us-central1"),
        item(t.NETWORK, "prod-net", {"name": "prod-net", "selfLink": net,
                                     "autoCreateSubnetworks": False}, p),
        item(t.SUBNETWORK, "prod-sub", {
            "name": "prod-sub", "network": net, "ipCidrRange": "10.0.0.0/24",
            "region": f"{COMPUTE}/{p}/regions/us-central1",
            "purpose": "PRIVATE", "logConfig": {
                "enable": True, "aggregationInterval": "INTERVAL_5_SEC", "flowSampling": 1.0,
                "metadata": "INCLUDE_ALL_METADATA"}}, p, region="us-central1"),
        item(t.FIREWALL, "allow-google-proxies", {
            "name": "allow-google-proxies", "network": net, "direction": "INGRESS",
            "sourceRanges": ["35.235.240.0/20", "130.211.0.0/22", "35.191.0.0/16"],
            "allowed": [{"IPProtocol": "tcp", "ports": ["22", "443"]}]}, p),
        item(t.SSL_POLICY, "modern-tls12", {"name": "modern-tls12", "selfLink": policy,
                                            "profile": "MODERN", "minTlsVersion": "TLS_1_2"}, p),
        item(t.HTTPS_PROXY, "web-proxy", {"name": "web-proxy", "sslPolicy": policy}, p),
        item(t.SSL_PROXY, "tcp-proxy", {"name": "tcp-proxy", "sslPolicy": policy}, p),
        item(t.BACKEND_SERVICE, "web-backend", {
            "name": "web-backend", "loadBalancingScheme": "EXTERNAL_MANAGED",
            "protocol": "HTTPS", "logConfig": {"enable": True, "sampleRate": 1.0}}, p),
        _sql(p, "orders-mysql", "MYSQL_8_0", {"skip_show_database": "on",
                                              "local_infile": "off"}),
        _sql(p, "ledger-pg", "POSTGRES_15", {
            "log_connections": "on", "log_disconnections": "on", "log_statement": "ddl",
            "cloudsql.enable_pgaudit": "on", "log_min_messages": "warning"}),
        _sql(p, "crm-mssql", "SQLSERVER_2019_STANDARD", {"remote access": "off",
                                                        "3625": "on"}),
        item(t.DATASET, f"{p}:analytics", {
            "datasetReference": {"datasetId": "analytics", "projectId": p},
            "access": [{"role": "OWNER", "userByEmail": "alice@example.com"},
                       {"role": "READER", "groupByEmail": "analysts@example.com"}],
            "defaultEncryptionConfiguration": {"kmsKeyName": _kms_key(p)}}, p, region="us"),
        item(t.TABLE, f"{p}:analytics.events", {
            "tableReference": {"projectId": p, "datasetId": "analytics", "tableId": "events"},
            "encryptionConfiguration": {"kmsKeyName": _kms_key(p)}}, p, region="us"),
        item(t.DNS_ZONE, "public-zone", {
            "name": "public-zone", "dnsName": f"{p}.example.com.", "visibility": "public",
            "dnssecConfig": {"state": "on", "defaultKeySpecs": [
                {"keyType": "keySigning", "algorithm": "rsasha256", "keyLength": 2048},
                {"keyType": "zoneSigning", "algorithm": "rsasha256", "keyLength": 1024}]}}, p),
        item(t.DNS_ZONE, "internal-zone", {"name": "internal-zone", "dnsName": "corp.internal.",
                                           "visibility": "private"}, p),
        item(t.DNS_POLICY, "dns-logging", {"name": "dns-logging", "enableLogging": True,
                                           "networks": [{"networkUrl": net}]}, p),
        item(t.CRYPTO_KEY, _kms_key(p), {
            "name": _kms_key(p), "purpose": "ENCRYPT_DECRYPT", "rotationPeriod": "7776000s",
            "nextRotationTime": (NOW + timedelta(days=30)).isoformat().replace("+00:00", "Z"),
            "iamPolicy": {"bindings": [{"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                                        "members": [f"serviceAccount:{app_sa}"]}]}},
            p, region="us"),
        item(t.LOG_SINK, f"projects/{p}/sinks/archive", {
            "name": "archive", "destination": f"storage.googleapis.com/{p}-log-archive",
            "filter": "", "writerIdentity": "serviceAccount:service-1@gcp-sa-logging.iam."
            "gserviceaccount.com"}, p),
        item(t.BUCKET, f"{p}-log-archive", {
            "name": f"{p}-log-archive", "location": "US",
            "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": True}},
            "retentionPolicy": {"retentionPeriod": "31536000", "isLocked": True},
            "iamPolicy": {"bindings": [{"role": "roles/storage.objectViewer",
                                        "members": ["group:auditors@example.com"]}]}},
            p, region="us"),
        item(t.SERVICE_ACCOUNT, app_sa, {"name": f"projects/{p}/serviceAccounts/{app_sa}",
                                         "email": app_sa, "uniqueId": f"{n}01"}, p),
        item(t.SERVICE_ACCOUNT_KEY, f"projects/{p}/serviceAccounts/{app_sa}/keys/k1", {
            "name": f"projects/{p}/serviceAccounts/{app_sa}/keys/k1",
            "keyType": "SYSTEM_MANAGED", "validAfterTime": ago(10),
            "validBeforeTime": ago(-20)}, p),
        item(t.CONTACT, f"projects/{n}/contacts/1", {
            "name": f"projects/{n}/contacts/1", "email": "security@example.com",
            "notificationCategorySubscriptions": ["LEGAL", "SECURITY", "SUSPENSION",
                                                  "TECHNICAL", "TECHNICAL_INCIDENTS"]}, p),
        item(t.ACCESS_APPROVAL, f"projects/{p}/accessApprovalSettings", {
            "name": f"projects/{p}/accessApprovalSettings",
            "enrolledServices": [{"cloudProduct": "all", "enrollmentLevel": "BLOCK_ALL"}]}, p),
        item(t.DATAPROC_CLUSTER, "etl", {
            "clusterName": "etl", "projectId": p,
            "config": {"encryptionConfig": {"gcePdKmsKeyName": _kms_key(p)}}},
            p, region="us-central1"),
    ]
    for index, control in enumerate(CONTROLS):
        metric = f"cis-{control.slug}"
        world.append(item(t.LOG_METRIC, f"projects/{p}/metrics/{metric}", {
            "name": metric, "filter": FILTERS[control.slug]}, p))
        world.append(item(t.ALERT_POLICY, f"projects/{p}/alertPolicies/{index}", {
            "name": f"projects/{p}/alertPolicies/{index}", "displayName": f"CIS {control.slug}",
            "enabled": True, "notificationChannels": [f"projects/{p}/notificationChannels/1"],
            "conditions": [{"displayName": "any", "conditionThreshold": {
                "filter": f'metric.type="logging.googleapis.com/user/{metric}" AND '
                'resource.type="global"', "comparison": "COMPARISON_GT",
                "thresholdValue": 0, "duration": "0s"}}]}, p))
    return world


def good_org() -> World:
    org = item(t.ORGANIZATION, "organizations/42", {
        "name": "organizations/42", "displayName": "example.com", "state": "ACTIVE"}, None)
    return [org, *project_items(ALPHA), *project_items(BETA)]


# --- breakers ------------------------------------------------------------------------------------

Mutation = Callable[[Data], None]
Breaker = Callable[[World], World]


def mutate(type_: str, change: Mutation, native_id: str | None = None) -> Breaker:
    """Change the first asset of ``type_`` (or the one named) in project alpha."""
    def apply(world: World) -> World:
        out, done = [], False
        for i in world:
            if (not done and i.type == type_ and i.account == ALPHA
                    and native_id in (None, i.native_id)):
                data = copy.deepcopy(i.data)
                change(data)
                i = i._replace(data=data)
                done = True
            out.append(i)
        assert done, f"no {type_} {native_id or ''} in {ALPHA}"
        return out
    return apply


def add(type_: str, native_id: str, data: Data, region: str = "global") -> Breaker:
    return lambda world: [*world, item(type_, native_id, data, ALPHA, region)]


def drop(type_: str) -> Breaker:
    return lambda world: [i for i in world if not (i.type == type_ and i.account == ALPHA)]


def _bind(role: str, member: str) -> Mutation:
    def change(data: Data) -> None:
        data["iamPolicy"]["bindings"].append({"role": role, "members": [member]})
    return change


def _meta(key: str, value: str) -> Mutation:
    def change(data: Data) -> None:
        items = [i for i in data["metadata"]["items"] if i["key"] != key]
        data["metadata"]["items"] = [*items, {"key": key, "value": value}]
    return change


def _flag(name: str, value: str, instance: str) -> Breaker:
    def change(data: Data) -> None:
        flags = [f for f in data["settings"]["databaseFlags"] if f["name"] != name]
        data["settings"]["databaseFlags"] = [*flags, {"name": name, "value": value}]
    return mutate(t.SQL_INSTANCE, change, instance)


def _set(path: str, value: object) -> Mutation:
    def change(data: Data) -> None:
        *head, last = path.split(".")
        target = data
        for part in head:
            target = target.setdefault(part, {})
        target[last] = value
    return change


def _disable_alert(slug: str) -> Breaker:
    def change(data: Data) -> None:
        data["enabled"] = False
    index = [c.slug for c in CONTROLS].index(slug)
    return mutate(t.ALERT_POLICY, change, f"projects/{ALPHA}/alertPolicies/{index}")


_OLD_OPEN_KEY: Data = {"name": f"projects/{ALPHA}/locations/global/keys/k9",
                       "displayName": "old", "createTime": ago(400), "restrictions": {}}
_SA = f"serviceAccount:app@{ALPHA}.iam.gserviceaccount.com"
_KEY_NAME = f"projects/{ALPHA}/serviceAccounts/app@{ALPHA}.iam.gserviceaccount.com/keys/k1"
MY, PG, MS = "orders-mysql", "ledger-pg", "crm-mssql"

BREAKERS: dict[str, Breaker] = {
    "gcp.iam.corporate_login_credentials": mutate(t.PROJECT, _bind("roles/viewer",
                                                                   "user:bob@gmail.com")),
    "gcp.iam.sa_no_user_managed_keys": mutate(t.SERVICE_ACCOUNT_KEY,
                                              _set("keyType", "USER_MANAGED")),
    "gcp.iam.sa_no_admin_privileges": mutate(t.PROJECT, _bind("roles/editor", _SA)),
    "gcp.iam.no_sa_user_roles_at_project_level": mutate(t.PROJECT, _bind(
        "roles/iam.serviceAccountTokenCreator", "user:alice@example.com")),
    "gcp.iam.sa_key_rotated_90_days": lambda w: mutate(t.SERVICE_ACCOUNT_KEY, _set(
        "validAfterTime", ago(120)))(mutate(t.SERVICE_ACCOUNT_KEY,
                                            _set("keyType", "USER_MANAGED"))(w)),
    "gcp.iam.sa_separation_of_duties": mutate(t.PROJECT, _bind(
        "roles/iam.serviceAccountUser", "group:iam-admins@example.com")),
    "gcp.kms.key_not_public": mutate(t.CRYPTO_KEY, _bind(
        "roles/cloudkms.cryptoKeyDecrypter", "allUsers")),
    "gcp.kms.key_rotation_90_days": mutate(t.CRYPTO_KEY, _set("rotationPeriod",
                                                              "31536000s")),
    "gcp.iam.kms_separation_of_duties": mutate(t.PROJECT, _bind(
        "roles/cloudkms.cryptoKeyEncrypterDecrypter", "group:kms-admins@example.com")),
    "gcp.apikeys.none_in_project": add(t.API_KEY, "k9", _OLD_OPEN_KEY),
    "gcp.apikeys.restricted_to_hosts_and_apps": add(t.API_KEY, "k9", _OLD_OPEN_KEY),
    "gcp.apikeys.restricted_to_apis": add(t.API_KEY, "k9", _OLD_OPEN_KEY),
    "gcp.apikeys.rotated_90_days": add(t.API_KEY, "k9", _OLD_OPEN_KEY),
    "gcp.essentialcontacts.configured": mutate(t.CONTACT, _set(
        "notificationCategorySubscriptions", ["TECHNICAL"])),
    "gcp.logging.audit_logs_all_services": mutate(t.PROJECT, lambda d: d["iamPolicy"][
        "auditConfigs"][0]["auditLogConfigs"].pop(1)),
    "gcp.logging.sink_all_entries": mutate(t.LOG_SINK, _set("filter", "severity>=ERROR")),
    "gcp.logging.sink_bucket_retention_locked": mutate(t.BUCKET, _set(
        "retentionPolicy.isLocked", False)),
    **{f"gcp.logging.metric_alert_{c.slug}": _disable_alert(c.slug) for c in CONTROLS},
    "gcp.dns.logging_all_networks": mutate(t.DNS_POLICY, _set("enableLogging", False)),
    "gcp.serviceusage.cloud_asset_inventory_enabled": mutate(t.SERVICE, _set(
        "state", "DISABLED")),
    "gcp.accessapproval.enabled": mutate(t.ACCESS_APPROVAL, _set("enrolledServices", [])),
    "gcp.compute.https_load_balancer_logging": mutate(t.BACKEND_SERVICE, _set(
        "logConfig.enable", False)),
    "gcp.compute.no_default_network": add(t.NETWORK, "default", {
        "name": "default", "autoCreateSubnetworks": True,
        "selfLink": f"{COMPUTE}/{ALPHA}/global/networks/default"}),
    "gcp.compute.no_legacy_network": add(t.NETWORK, "legacy", {
        "name": "legacy", "IPv4Range": "10.240.0.0/16", "gatewayIPv4": "10.240.0.1",
        "selfLink": f"{COMPUTE}/{ALPHA}/global/networks/legacy"}),
    "gcp.dns.dnssec_enabled": add(t.DNS_ZONE, "unsigned-zone", {
        "name": "unsigned-zone", "dnsName": "unsigned.example.com.", "visibility": "public",
        "dnssecConfig": {"state": "off"}}),
    "gcp.dns.no_rsasha1_keysigning": mutate(t.DNS_ZONE, lambda d: d["dnssecConfig"][
        "defaultKeySpecs"][0].update(algorithm="rsasha1")),
    "gcp.dns.no_rsasha1_zonesigning": mutate(t.DNS_ZONE, lambda d: d["dnssecConfig"][
        "defaultKeySpecs"][1].update(algorithm="rsasha1")),
    "gcp.compute.firewall_no_ssh_from_internet": add(t.FIREWALL, "open-ssh", {
        "name": "open-ssh", "direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"],
        "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}),
    "gcp.compute.firewall_no_rdp_from_internet": add(t.FIREWALL, "open-rdp", {
        "name": "open-rdp", "direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"],
        "allowed": [{"IPProtocol": "tcp", "ports": ["3000-4000"]}]}),
    "gcp.compute.subnet_flow_logs": mutate(t.SUBNETWORK, _set("logConfig.flowSampling", 0.5)),
    "gcp.compute.ssl_policy_no_weak_ciphers": mutate(t.SSL_POLICY, _set("profile",
                                                                        "COMPATIBLE")),
    "gcp.compute.firewall_web_only_from_google": add(t.FIREWALL, "open-web", {
        "name": "open-web", "direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"],
        "allowed": [{"IPProtocol": "tcp", "ports": ["443"]}]}),
    "gcp.compute.instance_no_default_service_account": mutate(t.INSTANCE, _set(
        "serviceAccounts", [{"email": "1001-compute@developer.gserviceaccount.com",
                             "scopes": ["https://www.googleapis.com/auth/devstorage.read_only"]}])),
    "gcp.compute.instance_default_sa_no_full_access": mutate(t.INSTANCE, _set(
        "serviceAccounts", [{"email": "1001-compute@developer.gserviceaccount.com",
                             "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}])),
    "gcp.compute.instance_block_project_ssh_keys": mutate(t.INSTANCE, _meta(
        "block-project-ssh-keys", "false")),
    "gcp.compute.project_os_login_enabled": mutate(t.INSTANCE, _meta("enable-oslogin",
                                                                     "FALSE")),
    "gcp.compute.instance_serial_port_disabled": mutate(t.INSTANCE, _meta(
        "serial-port-enable", "1")),
    "gcp.compute.instance_no_ip_forwarding": mutate(t.INSTANCE, _set("canIpForward", True)),
    "gcp.compute.disk_csek_encryption": mutate(t.DISK, lambda d: d.pop("diskEncryptionKey")),
    "gcp.compute.instance_shielded_vm": mutate(t.INSTANCE, _set(
        "shieldedInstanceConfig.enableVtpm", False)),
    "gcp.compute.instance_no_public_ip": mutate(t.INSTANCE, lambda d: d[
        "networkInterfaces"][0].update(accessConfigs=[{"type": "ONE_TO_ONE_NAT",
                                                       "natIP": "203.0.113.5"}])),
    "gcp.compute.instance_confidential_computing": mutate(t.INSTANCE, lambda d: d.pop(
        "confidentialInstanceConfig")),
    "gcp.storage.bucket_not_public": mutate(t.BUCKET, _bind("roles/storage.objectViewer",
                                                            "allUsers")),
    "gcp.storage.bucket_uniform_access": mutate(t.BUCKET, _set(
        "iamConfiguration.uniformBucketLevelAccess.enabled", False)),
    "gcp.cloudsql.mysql_skip_show_database": _flag("skip_show_database", "off", MY),
    "gcp.cloudsql.mysql_local_infile": _flag("local_infile", "on", MY),
    "gcp.cloudsql.postgres_log_error_verbosity": _flag("log_error_verbosity", "verbose", PG),
    "gcp.cloudsql.postgres_log_connections": _flag("log_connections", "off", PG),
    "gcp.cloudsql.postgres_log_disconnections": _flag("log_disconnections", "off", PG),
    "gcp.cloudsql.postgres_log_statement": _flag("log_statement", "none", PG),
    "gcp.cloudsql.postgres_log_min_messages": _flag("log_min_messages", "debug1", PG),
    "gcp.cloudsql.postgres_log_min_error_statement": _flag("log_min_error_statement",
                                                           "info", PG),
    "gcp.cloudsql.postgres_log_min_duration_statement": _flag("log_min_duration_statement",
                                                              "100", PG),
    "gcp.cloudsql.postgres_enable_pgaudit": _flag("cloudsql.enable_pgaudit", "off", PG),
    "gcp.cloudsql.sqlserver_external_scripts_enabled": _flag("external scripts enabled",
                                                             "on", MS),
    "gcp.cloudsql.sqlserver_cross_db_ownership_chaining": _flag(
        "cross db ownership chaining", "on", MS),
    "gcp.cloudsql.sqlserver_user_connections": _flag("user connections", "10", MS),
    "gcp.cloudsql.sqlserver_user_options": _flag("user options", "16", MS),
    "gcp.cloudsql.sqlserver_remote_access": _flag("remote access", "on", MS),
    "gcp.cloudsql.sqlserver_3625": _flag("3625", "off", MS),
    "gcp.cloudsql.sqlserver_contained_database_authentication": _flag(
        "contained database authentication", "on", MS),
    "gcp.cloudsql.require_ssl": mutate(t.SQL_INSTANCE, _set(
        "settings.ipConfiguration.sslMode", "ALLOW_UNENCRYPTED_AND_ENCRYPTED")),
    "gcp.cloudsql.no_open_authorized_networks": mutate(t.SQL_INSTANCE, _set(
        "settings.ipConfiguration.authorizedNetworks", [{"value": "0.0.0.0/0",
                                                         "name": "anyone"}])),
    "gcp.cloudsql.no_public_ip": mutate(t.SQL_INSTANCE, _set(
        "ipAddresses", [{"type": "PRIMARY", "ipAddress": "34.1.2.3"}])),
    "gcp.cloudsql.automated_backups": mutate(t.SQL_INSTANCE, _set(
        "settings.backupConfiguration.enabled", False)),
    "gcp.bigquery.dataset_not_public": mutate(t.DATASET, lambda d: d["access"].append(
        {"role": "READER", "specialGroup": "allAuthenticatedUsers"})),
    "gcp.bigquery.table_cmek": mutate(t.TABLE, lambda d: d.pop("encryptionConfiguration")),
    "gcp.bigquery.dataset_default_cmek": mutate(t.DATASET, lambda d: d.pop(
        "defaultEncryptionConfiguration")),
    "gcp.dataproc.cluster_cmek": mutate(t.DATAPROC_CLUSTER, _set("config.encryptionConfig",
                                                                 {})),
}
