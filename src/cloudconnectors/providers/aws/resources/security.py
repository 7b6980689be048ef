"""Security services: KMS keys, CloudTrail trails, Config recorders, GuardDuty detectors,
IAM Access Analyzer analyzers, Security Hub."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudconnectors.providers.aws.declarations import Detail, Group, ResourceType

__all__ = ["RESOURCES"]


def _key(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"KeyId": item["KeyId"]}


def _trail(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"Name": item["TrailARN"]}


def _trail_name(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"TrailName": item["TrailARN"]}


def _trail_bucket(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"Bucket": item["S3BucketName"]}


def _has_bucket(item: Mapping[str, Any]) -> bool:
    return bool(item.get("S3BucketName"))


def _can_rotate(item: Mapping[str, Any]) -> bool:
    """Only enabled, customer-managed, symmetric AWS_KMS keys have a rotation setting worth
    a call; AWS-managed keys rotate yearly by themselves and the rest cannot rotate."""
    meta = item.get("KeyMetadata")
    if not isinstance(meta, Mapping):
        return True  # DescribeKey failed: ask anyway, the answer is still evidence
    spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec")
    return (meta.get("KeyManager") == "CUSTOMER" and spec == "SYMMETRIC_DEFAULT"
            and meta.get("Origin", "AWS_KMS") == "AWS_KMS" and meta.get("KeyState") == "Enabled")


def _recorder(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"ConfigurationRecorderNames": [item["name"]]}


def _detector(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"DetectorId": item["DetectorId"]}


RESOURCES = (
    ResourceType(
        "AWS::KMS::Key", "kms", "ListKeys", "Keys", "KeyArn", "KeyId",
        details=(
            Detail("KeyMetadata", "DescribeKey", _key, "KeyMetadata"),
            # Asymmetric and imported keys cannot rotate: not a finding, not an error.
            Detail("KeyRotationEnabled", "GetKeyRotationStatus", _key, "KeyRotationEnabled",
                   absent=frozenset({"UnsupportedOperationException"}), when=_can_rotate),
        ),
    ),
    ResourceType(
        "AWS::CloudTrail::Trail", "cloudtrail", "DescribeTrails", "trailList", "TrailARN",
        "Name", params={"includeShadowTrails": False},
        details=(
            Detail("Status", "GetTrailStatus", _trail),
            Detail("EventSelectors", "GetEventSelectors", _trail_name),
            # CIS asks for access logging on the trail's bucket only: one S3 call per trail
            # rather than GetBucketLogging on every bucket of the account.
            Detail("BucketLogging", "GetBucketLogging", _trail_bucket, service="s3",
                   when=_has_bucket),
        ),
    ),
    ResourceType(
        "AWS::Config::ConfigurationRecorder", "config", "DescribeConfigurationRecorders",
        "ConfigurationRecorders", "name", "name",
        details=(Detail("Status", "DescribeConfigurationRecorderStatus", _recorder,
                        "ConfigurationRecordersStatus[0]"),),
    ),
    ResourceType(
        "AWS::GuardDuty::Detector", "guardduty", "ListDetectors", "DetectorIds", "DetectorId",
        wrap="DetectorId", group=Group.CUSTOM,
        details=(Detail("Detector", "GetDetector", _detector),),
    ),
    ResourceType("AWS::AccessAnalyzer::Analyzer", "accessanalyzer", "ListAnalyzers",
                 "analyzers", "arn", "name"),
    # One hub per region where Security Hub is enabled; "not subscribed" means none.
    ResourceType("AWS::SecurityHub::Hub", "securityhub", "DescribeHub", "[@]", "HubArn",
                 absent=frozenset({"InvalidAccessException"})),
)
