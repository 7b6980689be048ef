"""Logging, Monitoring, IAM, API Keys, Essential Contacts and Access Approval."""

from __future__ import annotations

from cloudconnectors.providers.gcp.declarations import ResourceType, Shape

_P = "v1/projects/{project}"

SERVICE_ACCOUNT = ResourceType("iam.googleapis.com/ServiceAccount", "iam",
                               f"{_P}/serviceAccounts", "iam.serviceAccounts.list",
                               items="accounts", id="uniqueId", name="email")

RESOURCES = (
    ResourceType("logging.googleapis.com/LogSink", "logging", "v2/projects/{project}/sinks",
                 "logging.sinks.list", items="sinks", id="name"),
    ResourceType("logging.googleapis.com/LogMetric", "logging", "v2/projects/{project}/metrics",
                 "logging.logMetrics.list", items="metrics", id="name"),
    ResourceType("logging.googleapis.com/LogBucket", "logging",
                 "v2/projects/{project}/locations/-/buckets", "logging.buckets.list",
                 items="buckets", id="name"),
    ResourceType("monitoring.googleapis.com/AlertPolicy", "monitoring",
                 "v3/projects/{project}/alertPolicies", "monitoring.alertPolicies.list",
                 items="alertPolicies", id="name", name="displayName"),
    SERVICE_ACCOUNT,
    ResourceType("iam.googleapis.com/ServiceAccountKey", "iam", "v1/{parent[name]}/keys",
                 "iam.serviceAccountKeys.list", items="keys", id="name",
                 page_size_param=None, parent=SERVICE_ACCOUNT),
    ResourceType("apikeys.googleapis.com/Key", "apikeys",
                 "v2/projects/{project}/locations/global/keys", "apikeys.keys.list",
                 items="keys", id="name", name="displayName"),
    ResourceType("essentialcontacts.googleapis.com/Contact", "essentialcontacts",
                 f"{_P}/contacts", "essentialcontacts.contacts.list", items="contacts",
                 id="name", name="email"),
    ResourceType("accessapproval.googleapis.com/Settings", "accessapproval",
                 f"{_P}/accessApprovalSettings", "accessapproval.settings.get",
                 shape=Shape.SINGLE, id="name", absent=frozenset({404})),
)
