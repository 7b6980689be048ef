"""Logging, alarms and notifications: CloudWatch Logs, CloudWatch alarms, SNS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudconnectors.providers.aws.declarations import Detail, ResourceType

__all__ = ["RESOURCES"]


def _topic(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"TopicArn": item["TopicArn"]}


RESOURCES = (
    ResourceType("AWS::Logs::LogGroup", "logs", "DescribeLogGroups", "logGroups", "arn",
                 "logGroupName"),
    ResourceType("AWS::Logs::MetricFilter", "logs", "DescribeMetricFilters", "metricFilters",
                 "join(':', [logGroupName, filterName])", "filterName"),
    ResourceType("AWS::CloudWatch::Alarm", "cloudwatch", "DescribeAlarms", "MetricAlarms",
                 "AlarmArn", "AlarmName"),
    ResourceType(
        "AWS::SNS::Topic", "sns", "ListTopics", "Topics", "TopicArn", "TopicArn",
        details=(
            Detail("Attributes", "GetTopicAttributes", _topic, "Attributes"),
            Detail("Subscriptions", "ListSubscriptionsByTopic", _topic, "Subscriptions"),
        ),
    ),
    ResourceType("AWS::SNS::Subscription", "sns", "ListSubscriptions", "Subscriptions",
                 "SubscriptionArn", "Endpoint"),
)
