"""CIS GCP 5.x: Cloud Storage buckets are not public and use uniform bucket-level access."""

from __future__ import annotations

from cloudconnectors.rules.gcp.base import public_members, resource_rule
from cloudconnectors.rules.gcp.shapes import BUCKET, IAM_POLICY
from cloudconnectors.rules.model import PASS, Context, Data, Severity, Verdict, failed


@resource_rule(
    id="gcp.storage.bucket_not_public", title="Cloud Storage buckets are not anonymously or "
    "publicly accessible", severity=Severity.CRITICAL, resource_type=BUCKET,
    needs=(IAM_POLICY,),
    rationale="allUsers or allAuthenticatedUsers on a bucket lets anyone on the internet "
    "list or read its objects.",
    remediation="Remove allUsers and allAuthenticatedUsers from the bucket's IAM policy and "
    "enforce public access prevention (gcloud storage buckets update gs://BUCKET "
    "--public-access-prevention).")
def bucket_not_public(data: Data, ctx: Context) -> Verdict:
    public = public_members(data[IAM_POLICY])
    return failed("public bindings: " + ", ".join(public)) if public else PASS


@resource_rule(
    id="gcp.storage.bucket_uniform_access", title="Cloud Storage buckets use uniform "
    "bucket-level access", severity=Severity.MEDIUM, resource_type=BUCKET,
    rationale="With object ACLs turned off, access is decided by IAM alone, in one place "
    "that can be reviewed; per-object ACLs hide exceptions.",
    remediation="gcloud storage buckets update gs://BUCKET --uniform-bucket-level-access "
    "(and the storage.uniformBucketLevelAccess organization policy).")
def bucket_uniform_access(data: Data, ctx: Context) -> Verdict:
    uniform = ((data.get("iamConfiguration") or {}).get("uniformBucketLevelAccess") or {})
    return PASS if uniform.get("enabled") else failed("object ACLs are in use")


RULES = (bucket_not_public, bucket_uniform_access)
