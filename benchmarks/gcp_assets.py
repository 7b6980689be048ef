"""Synthetic GCP inventory for ``benchmarks/evaluate.py --provider gcp``.

A pool of varied REST-shaped records per type (VMs, disks, firewall rules, subnets, buckets,
service account keys, Cloud SQL instances of the three engines, BigQuery tables, KMS keys,
log metrics and alert policies...) spread over many projects, cycled with fresh keys so the
timing is the engine's. Every project also gets its project-level records (Resource Manager
and Compute project, enabled services, contacts, Access Approval), because the project-level
rules answer once per project.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from cloudconnectors.rules.gcp import shapes as t
from cloudconnectors.rules.model import InventoryItem

NOW = datetime(2026, 11, 1, tzinfo=UTC)
REGIONS = ["us-central1", "us-east1", "europe-west1", "europe-west4", "asia-south1"]
PROJECTS = 500
POOL = 500
Data = dict[str, Any]

MIX: list[tuple[str, float]] = [
    (t.INSTANCE, 0.28), (t.DISK, 0.20), (t.FIREWALL, 0.08), (t.SUBNETWORK, 0.06),
    (t.BUCKET, 0.08), (t.SERVICE_ACCOUNT_KEY, 0.05), (t.SERVICE_ACCOUNT, 0.03),
    (t.SQL_INSTANCE, 0.04), (t.TABLE, 0.07), (t.DATASET, 0.01), (t.CRYPTO_KEY, 0.02),
    (t.DNS_ZONE, 0.01), (t.NETWORK, 0.01), (t.BACKEND_SERVICE, 0.01), (t.API_KEY, 0.01),
    (t.LOG_METRIC, 0.01), (t.ALERT_POLICY, 0.01), (t.LOG_SINK, 0.005),
    (t.HTTPS_PROXY, 0.005), (t.DATAPROC_CLUSTER, 0.005),
]


def _iso(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def _instance(r: random.Random, i: int) -> Data:
    data: Data = {
        "name": f"vm-{i}", "status": "RUNNING", "machineType": "n2-standard-4",
        "canIpForward": r.random() < .05,
        "serviceAccounts": [{"email": r.choice(["123-compute@developer.gserviceaccount.com",
                                                "app@p.iam.gserviceaccount.com"]),
                             "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}],
        "metadata": {"items": [{"key": "block-project-ssh-keys",
                                "value": r.choice(["true", "false"])},
                               {"key": "startup-script", "value": "#!/bin/sh\necho hi"}]},
        "networkInterfaces": [{"network": "projects/p/global/networks/n", "networkIP":
                               f"10.0.{i % 255}.{r.randint(1, 254)}",
                               "accessConfigs": [{"natIP": "203.0.113.9"}]
                               if r.random() < .3 else []}],
        "shieldedInstanceConfig": {"enableVtpm": True, "enableIntegrityMonitoring":
                                   r.random() < .8, "enableSecureBoot": False},
        "labels": {"env": "prod"} if r.random() < .9 else {"goog-gke-node": ""},
        "disks": [{"boot": True, "source": f"disks/vm-{i}"}],
    }
    if r.random() < .2:
        data["confidentialInstanceConfig"] = {"enableConfidentialCompute": True}
    return data


def _disk(r: random.Random, i: int) -> Data:
    data: Data = {"name": f"disk-{i}", "sizeGb": "100", "type": "pd-balanced",
                  "status": "READY"}
    if r.random() < .1:
        data["diskEncryptionKey"] = {"sha256": "abc="}
    return data


def _firewall(r: random.Random, i: int) -> Data:
    port = r.choice(["22", "80", "443", "3389", "8080", "1000-2000"])
    return {"name": f"fw-{i}", "direction": r.choice(["INGRESS"] * 4 + ["EGRESS"]),
            "sourceRanges": [r.choice(["0.0.0.0/0", "10.0.0.0/8", "35.235.240.0/20"])],
            "allowed": [{"IPProtocol": r.choice(["tcp", "tcp", "udp", "all"]),
                         "ports": [port]}], "priority": 1000}


def _subnet(r: random.Random, i: int) -> Data:
    return {"name": f"sub-{i}", "purpose": "PRIVATE", "ipCidrRange": "10.1.0.0/24",
            "logConfig": {"enable": r.random() < .6, "aggregationInterval": "INTERVAL_5_SEC",
                          "flowSampling": r.choice([1.0, 0.5]),
                          "metadata": "INCLUDE_ALL_METADATA"}}


def _bucket(r: random.Random, i: int) -> Data:
    members = ["group:team@example.com"] + (["allUsers"] if r.random() < .05 else [])
    return {"name": f"bucket-{i}", "location": "US", "iamConfiguration": {
        "uniformBucketLevelAccess": {"enabled": r.random() < .7}},
        "iamPolicy": {"bindings": [{"role": "roles/storage.objectViewer",
                                    "members": members}]}}


def _sa_key(r: random.Random, i: int) -> Data:
    return {"name": f"projects/p/serviceAccounts/sa/keys/{i}",
            "keyType": r.choice(["SYSTEM_MANAGED", "USER_MANAGED"]),
            "validAfterTime": _iso(r.randint(0, 400))}


def _sql(r: random.Random, i: int) -> Data:
    version = r.choice(["MYSQL_8_0", "POSTGRES_15", "SQLSERVER_2019_STANDARD"])
    flags = [{"name": "log_connections", "value": "on"}, {"name": "local_infile",
                                                          "value": "off"}]
    return {"name": f"db-{i}", "databaseVersion": version,
            "ipAddresses": [{"type": r.choice(["PRIMARY", "PRIVATE"]), "ipAddress": "1.2.3.4"}],
            "settings": {"databaseFlags": flags, "ipConfiguration": {
                "sslMode": r.choice(["ENCRYPTED_ONLY", "ALLOW_UNENCRYPTED_AND_ENCRYPTED"]),
                "authorizedNetworks": [{"value": r.choice(["0.0.0.0/0", "10.0.0.0/8"])}]},
                "backupConfiguration": {"enabled": r.random() < .8}}}


def _table(r: random.Random, i: int) -> Data:
    data: Data = {"tableReference": {"projectId": "p", "datasetId": "d", "tableId": f"t{i}"}}
    if r.random() < .2:
        data["encryptionConfiguration"] = {"kmsKeyName": "k"}
    return data


def _dataset(r: random.Random, i: int) -> Data:
    access = [{"role": "OWNER", "userByEmail": "a@example.com"}]
    if r.random() < .05:
        access.append({"role": "READER", "specialGroup": "allAuthenticatedUsers"})
    return {"datasetReference": {"datasetId": f"d{i}"}, "access": access}


def _crypto_key(r: random.Random, i: int) -> Data:
    return {"name": f"k{i}", "purpose": "ENCRYPT_DECRYPT",
            "rotationPeriod": r.choice(["7776000s", "31536000s"]),
            "nextRotationTime": _iso(-30), "iamPolicy": {"bindings": []}}


def _zone(r: random.Random, i: int) -> Data:
    return {"name": f"zone-{i}", "dnsName": f"z{i}.example.com.", "visibility":
            r.choice(["public", "private"]), "dnssecConfig": {
                "state": r.choice(["on", "off"]), "defaultKeySpecs": [
                    {"keyType": "keySigning", "algorithm": r.choice(["rsasha1", "rsasha256"])},
                    {"keyType": "zoneSigning", "algorithm": "rsasha256"}]}}


def _plain(**fields: Any) -> Any:
    def make(r: random.Random, i: int) -> Data:
        return {"name": f"x-{i}", **fields}
    return make


MAKERS: dict[str, Any] = {
    t.INSTANCE: _instance, t.DISK: _disk, t.FIREWALL: _firewall, t.SUBNETWORK: _subnet,
    t.BUCKET: _bucket, t.SERVICE_ACCOUNT_KEY: _sa_key, t.SQL_INSTANCE: _sql, t.TABLE: _table,
    t.DATASET: _dataset, t.CRYPTO_KEY: _crypto_key, t.DNS_ZONE: _zone,
    t.SERVICE_ACCOUNT: _plain(email="sa@p.iam.gserviceaccount.com"),
    t.NETWORK: _plain(autoCreateSubnetworks=False), t.LOG_SINK: _plain(filter=""),
    t.BACKEND_SERVICE: _plain(loadBalancingScheme="EXTERNAL", protocol="HTTP"),
    t.API_KEY: _plain(createTime=_iso(200), restrictions={}),
    t.LOG_METRIC: _plain(filter='resource.type="gce_route" AND protoPayload.methodName:'
                         '"compute.routes.insert" OR "compute.routes.delete"'),
    t.ALERT_POLICY: _plain(enabled=True, conditions=[{"conditionThreshold": {
        "filter": 'metric.type="logging.googleapis.com/user/x-1"'}}]),
    t.HTTPS_PROXY: _plain(sslPolicy="global/sslPolicies/none"),
    t.DATAPROC_CLUSTER: _plain(clusterName="c", config={}),
}


def _project_records(p: str) -> list[tuple[str, Data]]:
    return [
        (t.PROJECT, {"projectId": p, "name": "projects/1", "iamPolicy": {"bindings": [
            {"role": "roles/owner", "members": ["user:a@example.com"]},
            {"role": "roles/editor", "members": [f"serviceAccount:sa@{p}.iam.gserviceaccount"
                                                 ".com"]}],
            "auditConfigs": [{"service": "allServices", "auditLogConfigs": [
                {"logType": "DATA_READ"}, {"logType": "DATA_WRITE"}]}]}}),
        (t.COMPUTE_PROJECT, {"name": p, "commonInstanceMetadata": {"items": [
            {"key": "enable-oslogin", "value": "TRUE"}]}}),
        (t.SERVICE, {"name": "projects/1/services/cloudasset.googleapis.com",
                     "config": {"name": "cloudasset.googleapis.com"}, "state": "ENABLED"}),
        (t.CONTACT, {"name": "projects/1/contacts/1", "notificationCategorySubscriptions":
                     ["ALL"]}),
        (t.ACCESS_APPROVAL, {"name": f"projects/{p}/accessApprovalSettings"}),
        (t.SSL_POLICY, {"name": "none", "profile": "MODERN"}),
    ]


def generate(total: int, seed: int = 7) -> Iterator[InventoryItem]:
    r = random.Random(seed)
    pools = {type_: [MAKERS[type_](r, i) for i in range(POOL)] for type_, _ in MIX}
    projects = [f"bench-project-{n:04d}" for n in range(PROJECTS)]
    n = 0
    for p in projects:
        for type_, data in _project_records(p):
            if n < total:
                yield InventoryItem(f"{n:032x}", type_, "global", p, p, data, p)
                n += 1
    types = r.choices([type_ for type_, _ in MIX], weights=[w for _, w in MIX], k=10_000)
    while n < total:
        type_ = types[n % 10_000]
        yield InventoryItem(f"{n:032x}", type_, REGIONS[n % len(REGIONS)], f"id-{n}", None,
                            pools[type_][n % POOL], projects[n % PROJECTS])
        n += 1
