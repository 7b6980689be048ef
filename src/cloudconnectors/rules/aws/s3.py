"""CIS 2.1.x rules on S3 buckets: HTTPS only, MFA delete, public access blocks."""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.aws.base import (
    account_rule,
    as_document,
    as_list,
    detail_missing,
    on,
    resource_rule,
)
from cloudconnectors.rules.model import (
    PASS,
    AccountVerdict,
    Context,
    Data,
    Severity,
    Status,
    Verdict,
    failed,
)
from cloudconnectors.rules.snapshot import SnapshotView

BUCKET = "AWS::S3::Bucket"
ACCOUNT_BLOCK = "AWS::S3::AccountPublicAccessBlock"
BLOCK_FIELDS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                "RestrictPublicBuckets")


def _everyone(principal: object) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in as_list(principal.get("AWS"))


def _denies_insecure_transport(statement: Data) -> bool:
    if statement.get("Effect") != "Deny" or not _everyone(statement.get("Principal")):
        return False
    if not {"s3:*", "*"} & set(as_list(statement.get("Action"))):
        return False
    condition = statement.get("Condition") or {}
    bool_test = condition.get("Bool") or {}
    value = bool_test.get("aws:SecureTransport")
    return str(as_list(value)[0] if as_list(value) else "").lower() == "false"


@resource_rule(
    id="aws.s3.bucket_deny_http", title="The bucket policy denies HTTP requests",
    severity=Severity.MEDIUM, resource_type=BUCKET, needs=("Policy",),
    rationale="Without an explicit deny on aws:SecureTransport=false, objects can be read or "
    "written over plain HTTP.",
    remediation="Add a Deny statement for Principal \"*\", Action \"s3:*\" on the bucket and "
    "its objects with Condition Bool aws:SecureTransport \"false\".")
def bucket_deny_http(data: Data, ctx: Context) -> Verdict:
    policy = as_document(data["Policy"])
    if not policy:
        return failed("the bucket has no policy")
    if any(_denies_insecure_transport(s) for s in as_list(policy.get("Statement"))):
        return PASS
    return failed("no Deny statement on aws:SecureTransport=false")


@resource_rule(
    id="aws.s3.bucket_mfa_delete", title="MFA delete is enabled on the bucket",
    severity=Severity.LOW, resource_type=BUCKET, needs=("Versioning",),
    rationale="MFA delete stops a stolen credential from deleting object versions or turning "
    "versioning off.",
    remediation="As root, enable versioning with MFA delete: aws s3api "
    "put-bucket-versioning --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "
    "...")
def bucket_mfa_delete(data: Data, ctx: Context) -> Verdict:
    versioning = data["Versioning"] or {}
    if versioning.get("MFADelete") == "Enabled":
        return PASS
    return failed(f"versioning {versioning.get('Status', 'off')}, MFA delete "
                  f"{versioning.get('MFADelete', 'off')}")


def _fully_blocked(config: object) -> bool:
    return isinstance(config, dict) and all(config.get(f) is True for f in BLOCK_FIELDS)


@account_rule(
    id="aws.s3.bucket_public_access_block", title="Block Public Access is on for the bucket "
    "(bucket or account settings)", severity=Severity.HIGH,
    resource_types=(BUCKET, ACCOUNT_BLOCK),
    rationale="The four Block Public Access settings stop ACLs and policies from ever making "
    "the bucket public.",
    remediation="Turn on all four Block Public Access settings for the account (S3 > Block "
    "Public Access settings for this account) or for each bucket.")
def bucket_public_access_block(view: SnapshotView) -> Iterator[AccountVerdict]:
    account_block = view.one(ACCOUNT_BLOCK)
    account_on = account_block is not None and _fully_blocked(account_block.data)
    for item in view.of(BUCKET):
        if account_on:
            yield on(item, Status.PASS, "blocked by the account-level settings")
            continue
        missing = detail_missing(item, "PublicAccessBlock")
        if missing:
            yield on(item, Status.MANUAL, missing)
        elif _fully_blocked(item.data["PublicAccessBlock"]):
            yield on(item, Status.PASS)
        else:
            off = [f for f in BLOCK_FIELDS
                   if not (item.data["PublicAccessBlock"] or {}).get(f)]
            yield on(item, Status.FAIL, "not blocked at account or bucket level: "
                     + ", ".join(off))


RULES = (bucket_deny_http, bucket_mfa_delete, bucket_public_access_block)
