"""The contract between the GCP collector and these rules (``/work/notes/gcp-assets.md``):
which types are stored and which sub-records they carry.

Type names are Cloud Asset Inventory names; ``data`` is the REST API's own record (documented
camelCase fields); the project ID is the asset's ``account``. Google's JSON omits false,
zero and empty fields, so for a base-record field absence *is* the default (``canIpForward``
missing = not forwarding). Sub-records filled by a second call (``iamPolicy``) are different:
when that call was refused the collector leaves the key out and records
``data["_cc_errors"] = {"iamPolicy": "<reason>"}``, and the rules answer MANUAL naming the
permission below.
"""

from __future__ import annotations

from typing import Final

PROJECT: Final = "cloudresourcemanager.googleapis.com/Project"
ORGANIZATION: Final = "cloudresourcemanager.googleapis.com/Organization"
COMPUTE_PROJECT: Final = "compute.googleapis.com/Project"
INSTANCE: Final = "compute.googleapis.com/Instance"
DISK: Final = "compute.googleapis.com/Disk"
NETWORK: Final = "compute.googleapis.com/Network"
SUBNETWORK: Final = "compute.googleapis.com/Subnetwork"
FIREWALL: Final = "compute.googleapis.com/Firewall"
SSL_POLICY: Final = "compute.googleapis.com/SslPolicy"
HTTPS_PROXY: Final = "compute.googleapis.com/TargetHttpsProxy"
SSL_PROXY: Final = "compute.googleapis.com/TargetSslProxy"
BACKEND_SERVICE: Final = "compute.googleapis.com/BackendService"
SQL_INSTANCE: Final = "sqladmin.googleapis.com/Instance"
DATASET: Final = "bigquery.googleapis.com/Dataset"
TABLE: Final = "bigquery.googleapis.com/Table"
DNS_ZONE: Final = "dns.googleapis.com/ManagedZone"
DNS_POLICY: Final = "dns.googleapis.com/Policy"
CRYPTO_KEY: Final = "cloudkms.googleapis.com/CryptoKey"
LOG_SINK: Final = "logging.googleapis.com/LogSink"
LOG_METRIC: Final = "logging.googleapis.com/LogMetric"
ALERT_POLICY: Final = "monitoring.googleapis.com/AlertPolicy"
SERVICE_ACCOUNT: Final = "iam.googleapis.com/ServiceAccount"
SERVICE_ACCOUNT_KEY: Final = "iam.googleapis.com/ServiceAccountKey"
BUCKET: Final = "storage.googleapis.com/Bucket"
API_KEY: Final = "apikeys.googleapis.com/Key"
CONTACT: Final = "essentialcontacts.googleapis.com/Contact"
ACCESS_APPROVAL: Final = "accessapproval.googleapis.com/Settings"
DATAPROC_CLUSTER: Final = "dataproc.googleapis.com/Cluster"
SERVICE: Final = "serviceusage.googleapis.com/Service"

#: Every GCP type a rule reads, with the IAM permission of the call that lists it (named in
#: MANUAL answers when the inventory lacks it).
LIST_PERMISSIONS: Final[dict[str, str]] = {
    PROJECT: "resourcemanager.projects.get",
    ORGANIZATION: "resourcemanager.organizations.get",
    COMPUTE_PROJECT: "compute.projects.get",
    INSTANCE: "compute.instances.list",
    DISK: "compute.disks.list",
    NETWORK: "compute.networks.list",
    SUBNETWORK: "compute.subnetworks.list",
    FIREWALL: "compute.firewalls.list",
    SSL_POLICY: "compute.sslPolicies.list",
    HTTPS_PROXY: "compute.targetHttpsProxies.list",
    SSL_PROXY: "compute.targetSslProxies.list",
    BACKEND_SERVICE: "compute.backendServices.list",
    SQL_INSTANCE: "cloudsql.instances.list",
    DATASET: "bigquery.datasets.get",
    TABLE: "bigquery.tables.list",
    DNS_ZONE: "dns.managedZones.list",
    DNS_POLICY: "dns.policies.list",
    CRYPTO_KEY: "cloudkms.cryptoKeys.list",
    LOG_SINK: "logging.sinks.list",
    LOG_METRIC: "logging.logMetrics.list",
    ALERT_POLICY: "monitoring.alertPolicies.list",
    SERVICE_ACCOUNT: "iam.serviceAccounts.list",
    SERVICE_ACCOUNT_KEY: "iam.serviceAccountKeys.list",
    BUCKET: "storage.buckets.list",
    API_KEY: "apikeys.keys.list",
    CONTACT: "essentialcontacts.contacts.list",
    ACCESS_APPROVAL: "accessapproval.settings.get",
    DATAPROC_CLUSTER: "dataproc.clusters.list",
    SERVICE: "serviceusage.services.get",
}

#: The GCP types these rules rely on (the collector's meta test checks it stores them).
COLLECTED_GCP_TYPES: Final[frozenset[str]] = frozenset(LIST_PERMISSIONS)

IAM_POLICY: Final = "iamPolicy"

#: (type, sub-record key) -> the permission of the call that fills it.
DETAIL_PERMISSIONS: Final[dict[tuple[str, str], str]] = {
    (PROJECT, IAM_POLICY): "resourcemanager.projects.getIamPolicy",
    (BUCKET, IAM_POLICY): "storage.buckets.getIamPolicy",
    (CRYPTO_KEY, IAM_POLICY): "cloudkms.cryptoKeys.getIamPolicy",
}
