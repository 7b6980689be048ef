"""The APIs a project needs enabled (DESIGN section 2), and the optional ones CIS reads.

Checked per project in one Service Usage ``services:batchGet`` call (at most 30 names).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ALL_APIS", "CHECKED_APIS", "OPTIONAL_APIS", "REQUIRED_APIS", "Api", "api_named",
           "console_url"]


@dataclass(frozen=True)
class Api:
    service: str  # compute.googleapis.com
    title: str
    required: bool = True


REQUIRED_APIS = (
    Api("compute.googleapis.com", "Compute Engine API"),
    Api("cloudresourcemanager.googleapis.com", "Cloud Resource Manager API"),
    Api("container.googleapis.com", "Kubernetes Engine API"),
    Api("sqladmin.googleapis.com", "Cloud SQL Admin API"),
    Api("bigquery.googleapis.com", "BigQuery API"),
    Api("cloudfunctions.googleapis.com", "Cloud Functions API"),
    Api("dns.googleapis.com", "Cloud DNS API"),
    Api("cloudkms.googleapis.com", "Cloud Key Management Service (KMS) API"),
    Api("logging.googleapis.com", "Cloud Logging API"),
    Api("monitoring.googleapis.com", "Cloud Monitoring API"),
)
OPTIONAL_APIS = (
    Api("iam.googleapis.com", "Identity and Access Management (IAM) API", False),
    Api("storage.googleapis.com", "Cloud Storage API", False),
    Api("apikeys.googleapis.com", "API Keys API", False),
    Api("essentialcontacts.googleapis.com", "Essential Contacts API", False),
    Api("accessapproval.googleapis.com", "Access Approval API", False),
    Api("dataproc.googleapis.com", "Cloud Dataproc API", False),
)
ALL_APIS = REQUIRED_APIS + OPTIONAL_APIS
#: What the preflight asks about: the APIs above plus ones the CIS rules only look at.
CHECKED_APIS = (*ALL_APIS, Api("cloudasset.googleapis.com", "Cloud Asset API", False))
_BY_SERVICE = {api.service: api for api in CHECKED_APIS}


def api_named(service: str) -> Api:
    return _BY_SERVICE.get(service) or Api(service, service, False)


def console_url(service: str, project: str) -> str:
    """Where a person enables the API in the console."""
    return f"https://console.cloud.google.com/apis/library/{service}?project={project}"
