"""CIS 1.x rules about the account as a whole: root user, password policy, support role,
admin policies and IAM Access Analyzer."""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.aws.base import (
    account,
    account_rule,
    as_document,
    as_list,
    detail_missing,
    not_collected,
    regions_lacking,
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
    passed,
)
from cloudconnectors.rules.snapshot import SnapshotView

SUMMARY = "AWS::IAM::AccountSummary"
PASSWORD_POLICY = "AWS::IAM::AccountPasswordPolicy"
CREDENTIAL_REPORT = "AWS::IAM::CredentialReport"
PRINCIPALS = ("AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::Role")
ANALYZER = "AWS::AccessAnalyzer::Analyzer"
ROOT_ROW = "<root_account>"


def _summary_flag(view: SnapshotView, key: str) -> int | None:
    item = view.one(SUMMARY)
    if item is None or key not in item.data:
        return None
    return int(item.data[key])


@account_rule(
    id="aws.iam.root_no_access_keys", title="No access key exists for the root user",
    severity=Severity.CRITICAL, resource_types=(SUMMARY, CREDENTIAL_REPORT),
    rationale="Root keys cannot be limited by any policy; a leaked one is the whole account.",
    remediation="Sign in as root, open Security credentials and delete the access keys.")
def root_no_access_keys(view: SnapshotView) -> Iterator[AccountVerdict]:
    present = _summary_flag(view, "AccountAccessKeysPresent")
    if present is None:
        root = next((r.data for r in view.of(CREDENTIAL_REPORT)
                     if r.data.get("user") == ROOT_ROW), None)
        if root is None:
            yield not_collected(SUMMARY)
            return
        present = int(any(str(root.get(f"access_key_{n}_active")).lower() == "true"
                          for n in ("1", "2")))
    yield account(Status.FAIL, "the root user has an access key") if present else account(
        Status.PASS)


@account_rule(
    id="aws.iam.root_mfa_enabled", title="MFA is enabled for the root user",
    severity=Severity.CRITICAL, resource_types=(SUMMARY,),
    rationale="The root user can do anything, including close the account; a password alone "
    "is not enough.",
    remediation="Sign in as root, open Security credentials and assign an MFA device.")
def root_mfa_enabled(view: SnapshotView) -> Iterator[AccountVerdict]:
    enabled = _summary_flag(view, "AccountMFAEnabled")
    if enabled is None:
        yield not_collected(SUMMARY)
    elif enabled:
        yield account(Status.PASS)
    else:
        yield account(Status.FAIL, "the root user has no MFA device")


def _password_policy_rule(view: SnapshotView, key: str, minimum: int,
                          what: str) -> Iterator[AccountVerdict]:
    item = view.one(PASSWORD_POLICY)
    if item is None:
        yield not_collected(PASSWORD_POLICY)
        return
    value = item.data.get(key)
    if not item.data or item.data.get("Configured") is False:
        yield account(Status.FAIL, "the account has no password policy")
    elif value is None or int(value) < minimum:
        yield account(Status.FAIL, f"{what} is {value or 'not set'}, needs {minimum} or more")
    else:
        yield account(Status.PASS, f"{what} is {value}")


@account_rule(
    id="aws.iam.password_policy_min_length_14", title="The password policy requires 14 "
    "characters or more", severity=Severity.MEDIUM, resource_types=(PASSWORD_POLICY,),
    rationale="Long passwords resist guessing and cracking.",
    remediation="IAM > Account settings > Password policy: minimum length 14.")
def password_min_length(view: SnapshotView) -> Iterator[AccountVerdict]:
    return _password_policy_rule(view, "MinimumPasswordLength", 14, "minimum length")


@account_rule(
    id="aws.iam.password_policy_reuse_24", title="The password policy prevents reuse of the "
    "last 24 passwords", severity=Severity.MEDIUM, resource_types=(PASSWORD_POLICY,),
    rationale="Reuse lets a password known to an attacker come back.",
    remediation="IAM > Account settings > Password policy: prevent reuse of 24 passwords.")
def password_reuse(view: SnapshotView) -> Iterator[AccountVerdict]:
    return _password_policy_rule(view, "PasswordReusePrevention", 24, "reuse prevention")


def _grants_full_admin(document: Data) -> bool:
    for statement in as_list(document.get("Statement")):
        if (statement.get("Effect") == "Allow" and "*" in as_list(statement.get("Action"))
                and "*" in as_list(statement.get("Resource"))):
            return True
    return False


@resource_rule(
    id="aws.iam.policy_no_full_admin", title="No attached IAM policy allows \"*:*\" full "
    "administrative privileges", severity=Severity.HIGH, resource_type="AWS::IAM::ManagedPolicy",
    needs=("Document",),
    rationale="Least privilege: no attached policy, customer- or AWS-managed (an attached "
    "AdministratorAccess included, as the benchmark's audit lists every attached policy), "
    "should grant every action on every resource.",
    remediation="Detach the policy from every user, group and role; grant narrower policies "
    "(for a customer policy, narrow its actions and resources).")
def policy_no_full_admin(data: Data, ctx: Context) -> Verdict:
    if not _grants_full_admin(as_document(data["Document"]) or {}):
        return PASS
    if int(data.get("AttachmentCount", 1)) == 0:
        return passed("allows *:* but is attached to nothing")
    return failed("allows Action * on Resource * and is attached")


def _attached_anywhere(view: SnapshotView, policy_name: str
                       ) -> tuple[list[str], list[str]]:
    """(principals with the policy attached, reasons some principals could not be read)."""
    holders: list[str] = []
    unknown: list[str] = []
    for type_ in PRINCIPALS:
        for item in view.of(type_):
            missing = detail_missing(item, "AttachedPolicies")
            if missing:
                unknown.append(missing)
                continue
            if any(p.get("PolicyName") == policy_name for p in item.data["AttachedPolicies"]):
                holders.append(f"{type_.rsplit('::', 1)[1].lower()} {item.name or item.native_id}")
    return holders, unknown


@account_rule(
    id="aws.iam.support_role_exists", title="A support role exists to manage incidents with "
    "AWS Support", severity=Severity.LOW, resource_types=PRINCIPALS,
    rationale="Someone must be able to open support cases during an incident without using "
    "root.",
    remediation="Attach the AWS managed policy AWSSupportAccess to a role (or group) for "
    "your incident responders.")
def support_role_exists(view: SnapshotView) -> Iterator[AccountVerdict]:
    holders, unknown = _attached_anywhere(view, "AWSSupportAccess")
    if holders:
        yield account(Status.PASS, "AWSSupportAccess attached to " + ", ".join(holders[:5]))
    elif unknown:
        yield account(Status.MANUAL, unknown[0])
    else:
        yield account(Status.FAIL, "AWSSupportAccess is attached to no user, group or role")


@account_rule(
    id="aws.iam.cloudshell_full_access_restricted", title="Access to AWSCloudShellFullAccess "
    "is restricted", severity=Severity.MEDIUM, resource_types=PRINCIPALS,
    rationale="CloudShell full access allows uploading and downloading files and running "
    "commands with the caller's credentials, an easy exfiltration path.",
    remediation="Detach AWSCloudShellFullAccess from every user, group and role; grant a "
    "narrower policy where CloudShell is needed.")
def cloudshell_restricted(view: SnapshotView) -> Iterator[AccountVerdict]:
    holders, unknown = _attached_anywhere(view, "AWSCloudShellFullAccess")
    if holders:
        yield account(Status.FAIL, "AWSCloudShellFullAccess attached to " + ", ".join(holders))
    elif unknown:
        yield account(Status.MANUAL, unknown[0])
    else:
        yield account(Status.PASS)


@account_rule(
    id="aws.accessanalyzer.enabled_all_regions", title="IAM Access Analyzer is enabled in "
    "every region", severity=Severity.LOW, resource_types=(ANALYZER,),
    rationale="Access Analyzer reports resources shared outside the account or organization.",
    remediation="Create an analyzer (account or organization zone of trust) in each region.")
def access_analyzer_all_regions(view: SnapshotView) -> Iterator[AccountVerdict]:
    if not view.regions:
        yield account(Status.MANUAL, "no region was covered by the poll")
        return
    lacking = regions_lacking(view, ANALYZER, lambda i: i.data.get("status") == "ACTIVE")
    if lacking:
        yield account(Status.FAIL, "no active analyzer in " + ", ".join(lacking))
    else:
        yield account(Status.PASS, f"active analyzer in all {len(view.regions)} regions")


RULES = (
    root_no_access_keys,
    root_mfa_enabled,
    password_min_length,
    password_reuse,
    policy_no_full_admin,
    support_role_exists,
    cloudshell_restricted,
    access_analyzer_all_regions,
)
