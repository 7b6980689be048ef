"""Judge each required permission group from what the last poll read and was refused.

GRANTED: a collector of the group read something. MISSING: the cloud refused one of its
actions; the item names the actions and carries the policy to attach. UNKNOWN: no poll has
exercised the group yet (or its calls failed for other reasons).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.aws.artifacts import (
    SECURITY_AUDIT_ARN,
    custom_policy,
    eks_fargate_policy,
    group_policy,
    trust_policy,
)
from cloudconnectors.providers.aws.declarations import Group
from cloudconnectors.providers.aws.resources import RESOURCES
from cloudconnectors.providers.base import Access, DiagnosticItem

__all__ = ["diagnose"]

_TITLES = {
    Group.SECURITY_AUDIT: "AWS-managed SecurityAudit policy",
    Group.EKS_FARGATE: "EKS Fargate: eks:ListFargateProfiles, eks:DescribeFargateProfile",
    Group.CUSTOM: ("Read-only policy for EFS, Step Functions, QLDB, Lambda, MSK, API Gateway, "
                   "AWS Backup, WAF, EBS, EMR, Glue, GuardDuty, CodeBuild, Directory Service"),
}
_REFUSED = re.compile(r"([a-z0-9-]+:[A-Za-z0-9]+) refused")
_READ = frozenset({Outcome.OK, Outcome.PARTIAL})
_GROUP_OF = {type_: r.group for r in RESOURCES for type_ in r.types()}


def diagnose(
    results: Sequence[CollectorResult], platform_account_id: str, external_id: str
) -> list[DiagnosticItem]:
    items = [_trust_item(results, platform_account_id, external_id)]
    for group in Group:
        mine = [r for r in results if _GROUP_OF.get(r.resource_type) is group]
        items.append(_group_item(group, mine))
    return items


def _trust_item(results: Sequence[CollectorResult], platform: str, external_id: str
                ) -> DiagnosticItem:
    policy = trust_policy(platform, external_id)
    title = "Role trust policy (sts:AssumeRole with the External ID)"
    if results:
        return DiagnosticItem("aws.trust", title, Access.GRANTED,
                              "the platform assumed the role", policy=policy)
    return DiagnosticItem(
        "aws.trust", title, Access.UNKNOWN, "no poll has assumed the role yet",
        fix="Set this as the role's trust policy, then press Refresh.", policy=policy,
    )


def _group_item(group: Group, results: Sequence[CollectorResult]) -> DiagnosticItem:
    key = f"aws.{group.value}"
    denied = tuple(sorted({p for r in results for p in _refused(r)}))
    if denied:
        return DiagnosticItem(
            key, _TITLES[group], Access.MISSING,
            f"the last poll was refused {len(denied)} action(s): {', '.join(denied)}",
            fix=_fix(group), policy=_policy(group, denied), denied=denied,
        )
    if any(r.outcome in _READ for r in results):
        read = sorted({r.resource_type for r in results if r.outcome in _READ})
        return DiagnosticItem(key, _TITLES[group], Access.GRANTED,
                              f"the last poll read {len(read)} resource type(s)")
    return DiagnosticItem(key, _TITLES[group], Access.UNKNOWN,
                          "not exercised by a poll yet", fix=_fix(group), policy=_policy(group))


def _refused(result: CollectorResult) -> set[str]:
    """Refused actions: ``permission`` holds the first; a PARTIAL reason lists them all."""
    if result.outcome not in (Outcome.DENIED, Outcome.PARTIAL) or not result.permission:
        return set()
    return {result.permission, *_REFUSED.findall(result.reason or "")}


def _fix(group: Group) -> str:
    if group is Group.SECURITY_AUDIT:
        return (f"Attach the AWS-managed policy {SECURITY_AUDIT_ARN} to the role (or, as a "
                "stopgap, the inline policy shown), then press Refresh.")
    return "Add the policy shown to the role as an inline policy, then press Refresh."


def _policy(group: Group, denied: tuple[str, ...] = ()) -> dict[str, object]:
    if group is Group.SECURITY_AUDIT:
        return group_policy(group, list(denied) if denied else None)
    return eks_fargate_policy() if group is Group.EKS_FARGATE else custom_policy()
