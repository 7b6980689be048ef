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
                   absent=frozenset({"UnsupportedOperationException"})),
        ),
    ),
    ResourceType(
        "AWS::CloudTrail::Trail", "cloudtrail", "DescribeTrails", "trailList", "TrailARN",
        "Name", params={"includeShadowTrails": False},
        details=(
            Detail("Status", "GetTrailStatus", _trail),
            Detail("EventSelectors", "GetEventSelectors", _trail_name),
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
