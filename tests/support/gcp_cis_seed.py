"""Load CIS GCP fixture records (``tests/rules/gcp/fixtures.py``) into the GCP stand-in, each
at the documented path the connector lists it from, so a real poll reads them back.

The stand-in's own seeding (``seed_organization`` with zero items) creates every collection
first, so each type answers an empty list rather than a 404; this module then fills them.
Sub-records go where their own call reads them: a project's IAM policy under
``:getIamPolicy``, a bucket's under ``b/<bucket>/iam``, a key's under ``:getIamPolicy``, a
BigQuery dataset's or table's full record under its ``get`` path.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from cloudconnectors.demo.gcp_sandbox.seed import ProjectSpec, seed_organization
from cloudconnectors.demo.gcp_sandbox.world import World
from cloudconnectors.rules.gcp import shapes as t
from cloudconnectors.rules.model import InventoryItem

_C = "compute/compute/v1/projects/{p}"
#: type -> (path, kind, list key, service, permission) of the collection it is listed from.
_LISTS: dict[str, tuple[str, str, str, str, str]] = {
    t.INSTANCE: (_C + "/aggregated/instances", "aggregated", "instances", "compute",
                 "compute.instances.list"),
    t.DISK: (_C + "/aggregated/disks", "aggregated", "disks", "compute", "compute.disks.list"),
    t.SUBNETWORK: (_C + "/aggregated/subnetworks", "aggregated", "subnetworks", "compute",
                   "compute.subnetworks.list"),
    t.HTTPS_PROXY: (_C + "/aggregated/targetHttpsProxies", "aggregated", "targetHttpsProxies",
                    "compute", "compute.targetHttpsProxies.list"),
    t.BACKEND_SERVICE: (_C + "/aggregated/backendServices", "aggregated", "backendServices",
                        "compute", "compute.backendServices.list"),
    t.NETWORK: (_C + "/global/networks", "list", "items", "compute", "compute.networks.list"),
    t.FIREWALL: (_C + "/global/firewalls", "list", "items", "compute",
                 "compute.firewalls.list"),
    t.SSL_POLICY: (_C + "/global/sslPolicies", "list", "items", "compute",
                   "compute.sslPolicies.list"),
    t.SSL_PROXY: (_C + "/global/targetSslProxies", "list", "items", "compute",
                  "compute.targetSslProxies.list"),
    t.SQL_INSTANCE: ("sqladmin/v1/projects/{p}/instances", "list", "items", "sqladmin",
                     "cloudsql.instances.list"),
    t.DNS_ZONE: ("dns/dns/v1/projects/{p}/managedZones", "list", "managedZones", "dns",
                 "dns.managedZones.list"),
    t.DNS_POLICY: ("dns/dns/v1/projects/{p}/policies", "list", "policies", "dns",
                   "dns.policies.list"),
    t.LOG_SINK: ("logging/v2/projects/{p}/sinks", "list", "sinks", "logging",
                 "logging.sinks.list"),
    t.LOG_METRIC: ("logging/v2/projects/{p}/metrics", "list", "metrics", "logging",
                   "logging.logMetrics.list"),
    t.ALERT_POLICY: ("monitoring/v3/projects/{p}/alertPolicies", "list", "alertPolicies",
                     "monitoring", "monitoring.alertPolicies.list"),
    t.SERVICE_ACCOUNT: ("iam/v1/projects/{p}/serviceAccounts", "list", "accounts", "iam",
                        "iam.serviceAccounts.list"),
    t.API_KEY: ("apikeys/v2/projects/{p}/locations/global/keys", "list", "keys", "apikeys",
                "apikeys.keys.list"),
    t.CONTACT: ("essentialcontacts/v1/projects/{p}/contacts", "list", "contacts",
                "essentialcontacts", "essentialcontacts.contacts.list"),
}


def _service(label: str) -> str:
    return f"{label}.googleapis.com"


def _list(world: World, path: str, p: str, label: str, permission: str, kind: str = "list",
          key: str = "items") -> list[dict[str, Any]]:
    return world.collection(path, p, _service(label), permission, kind, key)  # type: ignore[arg-type]


def load(world: World, items: Iterable[InventoryItem], services: dict[str, set[str]]) -> None:
    """Seed empty projects for every ``account`` in ``items``, then put each record where
    its call reads it. ``services``: extra enabled APIs per project (Cloud Asset)."""
    items = [i._replace(data=copy.deepcopy(i.data)) for i in items]
    projects = sorted({i.account for i in items if i.account})
    seed_organization(world, [ProjectSpec(p, vms=0, each=0) for p in projects])
    for p, extra in services.items():
        world.projects[p].enabled |= extra
    for item in items:
        if item.account:
            _put(world, item.account, item)


def _put(world: World, p: str, item: InventoryItem) -> None:
    data = dict(item.data)
    type_ = item.type
    if type_ in _LISTS:
        path, kind, key, label, permission = _LISTS[type_]
        _list(world, path.format(p=p), p, label, permission, kind, key).append(data)
    elif type_ == t.PROJECT:
        policy = data.pop("iamPolicy")
        world.collections[f"cloudresourcemanager/v3/projects/{p}"].record = data
        world.collections[f"cloudresourcemanager/v3/projects/{p}:getIamPolicy"].record = policy
    elif type_ == t.COMPUTE_PROJECT:
        world.collections[_C.format(p=p)].record = data
    elif type_ == t.ACCESS_APPROVAL:
        world.collections[f"accessapproval/v1/projects/{p}/accessApprovalSettings"].record = data
    elif type_ == t.BUCKET:
        policy = data.pop("iamPolicy")
        _list(world, f"storage/storage/v1/b?project={p}", p, "storage",
              "storage.buckets.list").append(data)
        world.record(f"storage/storage/v1/b/{data['name']}/iam", p, _service("storage"),
                     "storage.buckets.getIamPolicy", policy)
    elif type_ == t.CRYPTO_KEY:
        policy = data.pop("iamPolicy")
        ring = data["name"].split("/cryptoKeys/", 1)[0]
        rings = world.collections[f"cloudkms/v1/{ring.rsplit('/keyRings/', 1)[0]}/keyRings"]
        if not any(r["name"] == ring for r in rings.items):
            rings.items.append({"name": ring, "createTime": "2026-01-01T00:00:00Z"})
        _list(world, f"cloudkms/v1/{ring}/cryptoKeys", p, "cloudkms",
              "cloudkms.cryptoKeys.list", key="cryptoKeys").append(data)
        world.record(f"cloudkms/v1/{data['name']}:getIamPolicy", p, _service("cloudkms"),
                     "cloudkms.cryptoKeys.getIamPolicy", policy)
    elif type_ == t.SERVICE_ACCOUNT_KEY:
        account = data["name"].split("/keys/", 1)[0]
        _list(world, f"iam/v1/{account}/keys", p, "iam", "iam.serviceAccountKeys.list",
              key="keys").append(data)
    elif type_ == t.DATASET:
        bq = f"bigquery/bigquery/v2/projects/{p}/datasets"
        ref = data["datasetReference"]
        _list(world, bq, p, "bigquery", "bigquery.datasets.get", key="datasets").append(
            {"kind": "bigquery#dataset", "id": f"{p}:{ref['datasetId']}",
             "datasetReference": ref})
        world.record(f"{bq}/{ref['datasetId']}", p, _service("bigquery"),
                     "bigquery.datasets.get", data)
        _list(world, f"{bq}/{ref['datasetId']}/tables", p, "bigquery",
              "bigquery.tables.list", key="tables")
    elif type_ == t.TABLE:
        ref = data["tableReference"]
        base = f"bigquery/bigquery/v2/projects/{p}/datasets/{ref['datasetId']}/tables"
        _list(world, base, p, "bigquery", "bigquery.tables.list", key="tables").append(
            {"kind": "bigquery#table", "tableReference": ref, "type": "TABLE"})
        world.record(f"{base}/{ref['tableId']}", p, _service("bigquery"),
                     "bigquery.tables.get", data)
    elif type_ == t.DATAPROC_CLUSTER:
        _list(world, f"dataproc/v1/projects/{p}/regions/{item.region}/clusters", p,
              "dataproc", "dataproc.clusters.list", key="clusters").append(
            {"clusterUuid": f"{p}-{data['clusterName']}", **data})
    elif type_ == t.SERVICE:
        pass  # answered by services:batchGet from the project's enabled APIs
    else:
        raise ValueError(f"the stand-in has no place for {type_}")
