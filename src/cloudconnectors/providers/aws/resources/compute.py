"""Compute and orchestration: Lambda, EKS (+ Fargate profiles), EMR, CodeBuild, Step
Functions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cloudconnectors.providers.aws.declarations import Detail, Group, Reader, ResourceType
from cloudconnectors.providers.aws.resources.s3 import policy_document

__all__ = ["RESOURCES"]


def _function(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"FunctionName": item["FunctionArn"]}


def _cluster(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": item["name"]}


def _state_machine(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"stateMachineArn": item["stateMachineArn"]}


def _fargate_profiles(reader: Reader) -> Iterator[dict[str, Any]]:
    for clusters in reader.pages("ListClusters"):
        for cluster in clusters.get("clusters", []):
            for page in reader.pages("ListFargateProfiles", clusterName=cluster):
                for name in page.get("fargateProfileNames", []):
                    answer = reader.call("DescribeFargateProfile", clusterName=cluster,
                                         fargateProfileName=name)
                    yield answer["fargateProfile"]


def _codebuild_projects(reader: Reader) -> Iterator[dict[str, Any]]:
    """List names, then read them 100 at a time: one call per page, not one per project."""
    for page in reader.pages("ListProjects"):
        names = page.get("projects", [])
        for start in range(0, len(names), 100):
            answer = reader.call("BatchGetProjects", names=names[start:start + 100])
            yield from answer.get("projects", [])


RESOURCES = (
    ResourceType(
        "AWS::Lambda::Function", "lambda", "ListFunctions", "Functions", "FunctionArn",
        "FunctionName", group=Group.CUSTOM,
        details=(Detail("Policy", "GetPolicy", _function, "Policy", transform=policy_document,
                        absent=frozenset({"ResourceNotFoundException"})),),
    ),
    ResourceType(
        "AWS::EKS::Cluster", "eks", "ListClusters", "clusters", "name", "name", wrap="name",
        details=(Detail("Cluster", "DescribeCluster", _cluster, "cluster"),),
    ),
    ResourceType(
        "AWS::EKS::FargateProfile", "eks", "ListClusters", "", "fargateProfileArn",
        "fargateProfileName", fetch=_fargate_profiles,
        calls=("ListFargateProfiles", "DescribeFargateProfile"), group=Group.EKS_FARGATE,
    ),
    ResourceType(
        "AWS::EMR::Cluster", "emr", "ListClusters", "Clusters", "Id", "Name", group=Group.CUSTOM,
        params={"ClusterStates": ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]},
    ),
    ResourceType(
        "AWS::CodeBuild::Project", "codebuild", "ListProjects", "", "arn", "name",
        fetch=_codebuild_projects, calls=("BatchGetProjects",), group=Group.CUSTOM,
    ),
    ResourceType(
        "AWS::StepFunctions::StateMachine", "stepfunctions", "ListStateMachines",
        "stateMachines", "stateMachineArn", "name", group=Group.CUSTOM,
        details=(Detail("Configuration", "DescribeStateMachine", _state_machine,
                        "{type: type, loggingConfiguration: loggingConfiguration, "
                        "tracingConfiguration: tracingConfiguration, roleArn: roleArn}"),),
    ),
)
