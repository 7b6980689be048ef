"""Diagnostics judged from fixture results, no cloud needed."""

from __future__ import annotations

from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.aws.artifacts import custom_policy
from cloudconnectors.providers.aws.diagnostics import diagnose
from cloudconnectors.providers.base import Access


def _ok(type_: str, service: str) -> CollectorResult:
    return CollectorResult("us-east-1", service, type_, Outcome.OK, count=1, calls=1)


def test_unknown_before_any_poll() -> None:
    items = {i.key: i for i in diagnose([], "123456789012", "ext")}
    assert {i.access for i in items.values()} == {Access.UNKNOWN}
    assert items["aws.trust"].policy is not None
    assert items["aws.custom"].policy == custom_policy()


def test_granted_and_missing() -> None:
    results = [
        _ok("AWS::EC2::Instance", "ec2"),
        CollectorResult("us-east-1", "eks", "AWS::EKS::FargateProfile", Outcome.DENIED,
                        reason="refused", error_code="AccessDeniedException",
                        permission="eks:ListFargateProfiles"),
        CollectorResult("us-east-1", "lambda", "AWS::Lambda::Function", Outcome.THROTTLED),
    ]
    items = {i.key: i for i in diagnose(results, "123456789012", "ext")}
    assert items["aws.security_audit"].access is Access.GRANTED
    eks = items["aws.eks_fargate"]
    assert eks.access is Access.MISSING and eks.denied == ("eks:ListFargateProfiles",)
    assert eks.policy is not None and eks.fix
    assert items["aws.custom"].access is Access.UNKNOWN  # throttled proves nothing
    assert items["aws.trust"].access is Access.GRANTED
