"""CIS GCP 7.x and 8.1: BigQuery datasets not public, tables and datasets under
customer-managed keys, and Dataproc clusters under customer-managed keys."""

from __future__ import annotations

from cloudconnectors.rules.gcp.base import PUBLIC_MEMBERS, resource_rule
from cloudconnectors.rules.gcp.shapes import DATAPROC_CLUSTER, DATASET, TABLE
from cloudconnectors.rules.model import PASS, Context, Data, Severity, Verdict, failed

PUBLIC_GROUPS = frozenset({"allAuthenticatedUsers", "allUsers"})


@resource_rule(
    id="gcp.bigquery.dataset_not_public", title="BigQuery datasets are not anonymously or "
    "publicly accessible", severity=Severity.CRITICAL, resource_type=DATASET,
    needs=("access",),
    rationale="A dataset shared with allUsers or allAuthenticatedUsers can be queried by "
    "anyone with a Google account, at the owner's expense.",
    remediation="Remove the allUsers / allAuthenticatedUsers entries from the dataset's "
    "sharing (bq update --source with the edited access list).")
def dataset_not_public(data: Data, ctx: Context) -> Verdict:
    public = sorted({str(e.get("specialGroup") or e.get("iamMember"))
                     for e in data["access"] or []
                     if e.get("specialGroup") in PUBLIC_GROUPS
                     or e.get("iamMember") in PUBLIC_MEMBERS})
    return failed("shared with " + ", ".join(public)) if public else PASS


@resource_rule(
    id="gcp.bigquery.table_cmek", title="BigQuery tables are encrypted with a "
    "customer-managed key", severity=Severity.LOW, resource_type=TABLE,
    needs=("tableReference",),
    rationale="A customer-managed key puts the customer in control of access to the data: "
    "disabling the key makes the table unreadable, and key use is logged.",
    remediation="Copy the table with --destination_kms_key (or set the dataset default key "
    "and recreate it).")
def table_cmek(data: Data, ctx: Context) -> Verdict:
    if (data.get("encryptionConfiguration") or {}).get("kmsKeyName"):
        return PASS
    return failed("encrypted with a Google-managed key")


@resource_rule(
    id="gcp.bigquery.dataset_default_cmek", title="BigQuery datasets have a default "
    "customer-managed key", severity=Severity.LOW, resource_type=DATASET,
    needs=("datasetReference",),
    rationale="A default key makes every new table in the dataset use the customer-managed "
    "key without each writer remembering to ask for it.",
    remediation="bq update --default_kms_key=projects/P/locations/L/keyRings/R/cryptoKeys/K "
    "DATASET")
def dataset_cmek(data: Data, ctx: Context) -> Verdict:
    if (data.get("defaultEncryptionConfiguration") or {}).get("kmsKeyName"):
        return PASS
    return failed("no default customer-managed key")


@resource_rule(
    id="gcp.dataproc.cluster_cmek", title="Dataproc clusters are encrypted with a "
    "customer-managed key", severity=Severity.LOW, resource_type=DATAPROC_CLUSTER,
    needs=("clusterName",),
    rationale="Cluster disks hold the data being processed; a customer-managed key keeps "
    "control of it with the customer.",
    remediation="Recreate the cluster with --gce-pd-kms-key (the key cannot be added to a "
    "running cluster).")
def dataproc_cmek(data: Data, ctx: Context) -> Verdict:
    config = (data.get("config") or {}).get("encryptionConfig") or {}
    if config.get("gcePdKmsKeyName") or config.get("kmsKey"):
        return PASS
    return failed("disks use a Google-managed key")


RULES = (dataset_not_public, table_cmek, dataset_cmek, dataproc_cmek)
