"""CIS 1.x rules that judge one IAM user at a time: its credential report row (one
``AWS::IAM::CredentialReport`` asset per user: password, MFA, the state and age of its two
access keys) and its ``AWS::IAM::User`` record (policies). Keys are judged from the report
because it holds every user's keys in one call, where ListAccessKeys costs one per user."""

from __future__ import annotations

from datetime import timedelta

from cloudconnectors.rules.aws.base import parse_time, resource_rule
from cloudconnectors.rules.model import (
    NOT_APPLICABLE,
    PASS,
    Context,
    Data,
    Severity,
    Verdict,
    failed,
    manual,
    not_applicable,
)

USER = "AWS::IAM::User"
REPORT_ROW = "AWS::IAM::CredentialReport"
ROOT_ROW = "<root_account>"
UNUSED_DAYS = 45
ROTATION_DAYS = 90


def _true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


@resource_rule(
    id="aws.iam.user_console_mfa", title="MFA is enabled for every IAM user with a console "
    "password", severity=Severity.HIGH, resource_type=REPORT_ROW,
    needs=("user", "password_enabled", "mfa_active"),
    rationale="A password alone is phished or guessed; MFA stops a stolen password from "
    "opening the console.",
    remediation="Assign a virtual or hardware MFA device to the user (IAM > Users > Security "
    "credentials > Assign MFA device), or remove the console password.")
def user_console_mfa(row: Data, ctx: Context) -> Verdict:
    if row["user"] == ROOT_ROW:
        return not_applicable("the root user (CIS 1.5 covers its MFA)")
    if not _true(row.get("password_enabled")):
        return not_applicable("no console password")
    if _true(row.get("mfa_active")):
        return PASS
    return failed("console password enabled without MFA")


@resource_rule(
    id="aws.iam.user_unused_credentials_45d", title="Credentials unused for 45 days or more "
    "are disabled", severity=Severity.MEDIUM, resource_type=REPORT_ROW,
    needs=("user", "password_enabled"),
    rationale="Dormant passwords and keys are unwatched ways in; disabling them shrinks the "
    "attack surface.",
    remediation="Remove the console password or deactivate the access keys not used for 45 "
    "days (IAM > Users > Security credentials).")
def user_unused_credentials(row: Data, ctx: Context) -> Verdict:
    if row["user"] == ROOT_ROW:
        return not_applicable("the root user (CIS 1.4 and 1.7 cover it)")
    cutoff = ctx.now - timedelta(days=UNUSED_DAYS)
    stale: list[str] = []
    if _true(row.get("password_enabled")):
        used = parse_time(row.get("password_last_used")) or parse_time(
            row.get("password_last_changed")) or parse_time(row.get("user_creation_time"))
        if used is not None and used < cutoff:
            stale.append("console password")
    for n in ("1", "2"):
        if _true(row.get(f"access_key_{n}_active")):
            used = parse_time(row.get(f"access_key_{n}_last_used_date")) or parse_time(
                row.get(f"access_key_{n}_last_rotated"))
            if used is not None and used < cutoff:
                stale.append(f"access key {n}")
    if stale:
        return failed(f"unused for {UNUSED_DAYS}+ days but enabled: {', '.join(stale)}")
    return PASS


def _active_keys(row: Data) -> list[str]:
    """The report's key slots (``1``, ``2``: AWS allows two keys per user) that are active."""
    return [n for n in ("1", "2") if _true(row.get(f"access_key_{n}_active"))]


@resource_rule(
    id="aws.iam.user_single_active_key", title="At most one active access key per IAM user",
    severity=Severity.MEDIUM, resource_type=REPORT_ROW, needs=("user",),
    rationale="Two active keys are usually a rotation left half done; each extra key is "
    "another long-lived secret to leak.",
    remediation="Deactivate and delete the access key that is no longer used.")
def user_single_active_key(row: Data, ctx: Context) -> Verdict:
    if row["user"] == ROOT_ROW:
        return not_applicable("the root user (CIS 1.4 covers its keys)")
    active = _active_keys(row)
    if len(active) > 1:
        flags = " and ".join(f"access_key_{n}_active" for n in active)
        return failed(f"{len(active)} active access keys (credential report: {flags})")
    return PASS


@resource_rule(
    id="aws.iam.user_key_rotation_90d", title="Access keys are rotated every 90 days or less",
    severity=Severity.MEDIUM, resource_type=REPORT_ROW, needs=("user",),
    rationale="Old keys have had more time to be copied into scripts, laptops and logs.",
    remediation="Create a new key, move its users to it, then deactivate and delete the old "
    "one.")
def user_key_rotation(row: Data, ctx: Context) -> Verdict:
    if row["user"] == ROOT_ROW:
        return not_applicable("the root user (CIS 1.4 covers its keys)")
    active = _active_keys(row)
    if not active:
        return NOT_APPLICABLE
    cutoff = ctx.now - timedelta(days=ROTATION_DAYS)
    old: list[str] = []
    for n in active:
        rotated = parse_time(row.get(f"access_key_{n}_last_rotated"))
        if rotated is None:
            return manual(f"the credential report gives no rotation date for access key {n}")
        if rotated < cutoff:
            old.append(f"key {n} (rotated {rotated.date().isoformat()})")
    if old:
        return failed(f"active keys older than {ROTATION_DAYS} days: {', '.join(old)}")
    return PASS


@resource_rule(
    id="aws.iam.user_no_direct_policies", title="IAM users receive permissions only through "
    "groups", severity=Severity.LOW, resource_type=USER, needs=("AttachedPolicies", "Policies"),
    rationale="Permissions granted per user drift apart and are hard to review; groups keep "
    "them in a few places.",
    remediation="Move the user's attached and inline policies to a group and add the user to "
    "it.")
def user_no_direct_policies(data: Data, ctx: Context) -> Verdict:
    attached = [str(p.get("PolicyName")) for p in data["AttachedPolicies"]]
    inline = [str(p) for p in data["Policies"]]
    if attached or inline:
        return failed("policies on the user: " + ", ".join(attached + inline))
    return PASS


RULES = (
    user_console_mfa,
    user_unused_credentials,
    user_single_active_key,
    user_key_rotation,
    user_no_direct_policies,
)
