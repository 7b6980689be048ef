"""Edge and networking services: load balancers, API Gateway, WAF."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudconnectors.providers.aws.declarations import Detail, Group, ResourceType

__all__ = ["RESOURCES"]


def _load_balancer(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"LoadBalancerArn": item["LoadBalancerArn"]}


def _rest_api(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"restApiId": item["id"]}


RESOURCES = (
    ResourceType(
        "AWS::ElasticLoadBalancingV2::LoadBalancer", "elbv2", "DescribeLoadBalancers",
        "LoadBalancers", "LoadBalancerArn", "LoadBalancerName",
        details=(
            Detail("Attributes", "DescribeLoadBalancerAttributes", _load_balancer,
                   "Attributes"),
            Detail("Listeners", "DescribeListeners", _load_balancer, "Listeners"),
        ),
    ),
    ResourceType("AWS::ElasticLoadBalancing::LoadBalancer", "elb", "DescribeLoadBalancers",
                 "LoadBalancerDescriptions", "LoadBalancerName", "LoadBalancerName"),
    ResourceType(
        "AWS::ApiGateway::RestApi", "apigateway", "GetRestApis", "items", "id", "name",
        group=Group.CUSTOM,
        details=(Detail("Stages", "GetStages", _rest_api, "item"),),
    ),
    ResourceType("AWS::WAFv2::WebACL", "wafv2", "ListWebACLs", "WebACLs", "ARN", "Name",
                 params={"Scope": "REGIONAL"}, group=Group.CUSTOM),
)
