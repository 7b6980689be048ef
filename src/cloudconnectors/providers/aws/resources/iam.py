"""IAM: principals, managed policies (customer ones, and AWS ones in use), and account-wide
settings and reports."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from cloudconnectors.providers.aws.declarations import Detail, Reader, ResourceType, Scope

__all__ = ["RESOURCES", "credential_report_rows"]

_REPORT_WAIT_SECONDS = 1.0
_REPORT_ATTEMPTS = 20


def _user(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"UserName": item["UserName"]}


def _default_version(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"PolicyArn": item["Arn"], "VersionId": item["DefaultVersionId"]}


def credential_report_rows(content: bytes | str) -> list[dict[str, Any]]:
    """The credential report CSV as one dict per user (``<root_account>`` included)."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]


def _credential_report(reader: Reader) -> Iterator[dict[str, Any]]:
    """Ask AWS to build the report, then read it. AWS builds it in seconds and keeps it for
    four hours, so the short wait only happens on the first poll of a while."""
    for _ in range(_REPORT_ATTEMPTS):
        if reader.call("GenerateCredentialReport").get("State") == "COMPLETE":
            break
        time.sleep(_REPORT_WAIT_SECONDS)
    answer = reader.call("GetCredentialReport")
    yield from credential_report_rows(answer["Content"])


def _authorization_details(kind: str) -> Callable[[Reader], Iterator[dict[str, Any]]]:
    """A ``fetch`` reading one kind of principal (``User``, ``Role``, ``Group``) with its
    attached and inline policies from GetAccountAuthorizationDetails: one paginated call
    instead of a listing plus two per-principal reads (ListAttached*Policies, List*Policies),
    which in an account of 120 users was 240 of a poll's 1,000 calls. Records keep the
    names the rules read: ``AttachedPolicies`` as ListAttached*Policies gives them, and
    ``Policies`` as the inline policies' names."""
    list_key, inline_key = f"{kind}DetailList", f"{kind}PolicyList"

    def fetch(reader: Reader) -> Iterator[dict[str, Any]]:
        for page in reader.pages("GetAccountAuthorizationDetails", Filter=[kind]):
            for principal in page.get(list_key, []):
                item = dict(principal)
                item["AttachedPolicies"] = item.pop("AttachedManagedPolicies", [])
                inline = item.pop(inline_key, [])
                item["Policies"] = [p.get("PolicyName") for p in inline]
                yield item

    return fetch


def _policies(reader: Reader) -> Iterator[dict[str, Any]]:
    """Every customer-managed policy, and the AWS-managed ones attached to someone: CIS 1.16
    audits every attached policy (an attached AdministratorAccess fails it), while the ~1,200
    AWS-managed policies nobody uses would only cost a detail call each."""
    for page in reader.pages("ListPolicies", Scope="Local"):
        yield from page.get("Policies", [])
    for page in reader.pages("ListPolicies", Scope="AWS", OnlyAttached=True):
        yield from page.get("Policies", [])


RESOURCES = (
    ResourceType(
        "AWS::IAM::User", "iam", "GetAccountAuthorizationDetails", "", "Arn", "UserName",
        scope=Scope.GLOBAL, fetch=_authorization_details("User"),
        # Key age and state come from the credential report for the rules; the key list
        # itself is read for the full inventory or a custom rule that names it.
        details=(Detail("AccessKeys", "ListAccessKeys", _user, "AccessKeyMetadata"),),
    ),
    ResourceType(
        "AWS::IAM::Group", "iam", "GetAccountAuthorizationDetails", "", "Arn", "GroupName",
        scope=Scope.GLOBAL, fetch=_authorization_details("Group"),
    ),
    ResourceType(
        "AWS::IAM::Role", "iam", "GetAccountAuthorizationDetails", "", "Arn", "RoleName",
        scope=Scope.GLOBAL, fetch=_authorization_details("Role"),
    ),
    ResourceType(
        "AWS::IAM::ManagedPolicy", "iam", "ListPolicies", "Policies", "Arn", "PolicyName",
        scope=Scope.GLOBAL, fetch=_policies,
        details=(Detail("Document", "GetPolicyVersion", _default_version,
                        "PolicyVersion.Document"),),
    ),
    # Account-level records without a CloudFormation type.
    ResourceType(
        "AWS::IAM::AccountPasswordPolicy", "iam", "GetAccountPasswordPolicy",
        "[PasswordPolicy]", None, scope=Scope.GLOBAL, absent=frozenset({"NoSuchEntity"}),
        absent_item={"Configured": False}, pseudo=True,
    ),
    ResourceType("AWS::IAM::AccountSummary", "iam", "GetAccountSummary", "[SummaryMap]", None,
                 scope=Scope.GLOBAL, pseudo=True),
    ResourceType(
        "AWS::IAM::CredentialReport", "iam", "GenerateCredentialReport", "", "arn", "user",
        scope=Scope.GLOBAL, fetch=_credential_report, calls=("GetCredentialReport",),
        pseudo=True,
    ),
)
