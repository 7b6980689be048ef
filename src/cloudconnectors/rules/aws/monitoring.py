"""CIS 4.x monitoring rules: a metric filter on the CloudTrail log group, an alarm on its
metric, and an SNS topic with a live subscriber, for each kind of event; plus Security Hub.

Each control is data: the terms its filter pattern must contain. Patterns are compared with
whitespace and quotes removed, so ``$.eventName = "CreateTrail"`` and ``$.eventName=CreateTrail``
are the same term, and a term must end at a word boundary (``CreateRoute`` does not match
``CreateRouteTable``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from cloudconnectors.rules.aws.base import account, account_rule, detail_missing, regions_lacking
from cloudconnectors.rules.aws.logging import TRAIL, active_multi_region_trails
from cloudconnectors.rules.model import AccountRule, AccountVerdict, Severity, Status
from cloudconnectors.rules.snapshot import SnapshotView

FILTER = "AWS::Logs::MetricFilter"
ALARM = "AWS::CloudWatch::Alarm"
TOPIC = "AWS::SNS::Topic"
HUB = "AWS::SecurityHub::Hub"
_NOISE = re.compile(r"[\s\"']")


@dataclass(frozen=True)
class MetricControl:
    slug: str
    title: str
    terms: tuple[str, ...]
    rationale: str


def _events(source: str | None, *names: str) -> tuple[str, ...]:
    head = (f"$.eventSource={source}",) if source else ()
    return head + tuple(f"$.eventName={n}" for n in names)


CONTROLS: tuple[MetricControl, ...] = (
    MetricControl("unauthorized_api_calls", "unauthorized API calls",
                  ("$.errorCode=*UnauthorizedOperation", "$.errorCode=AccessDenied*"),
                  "Repeated denials reveal probing or a misconfigured workload."),
    MetricControl("console_signin_without_mfa", "console sign-in without MFA",
                  ("$.eventName=ConsoleLogin", "$.additionalEventData.MFAUsed!=Yes"),
                  "A single-factor console login is the first thing to look at after a leak."),
    MetricControl("root_usage", "usage of the root user",
                  ("$.userIdentity.type=Root", "$.userIdentity.invokedByNOTEXISTS",
                   "$.eventType!=AwsServiceEvent"),
                  "The root user should almost never act; each use deserves a look."),
    MetricControl("iam_policy_changes", "IAM policy changes", _events(
        None, "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
        "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion",
        "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy",
        "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"),
        "Permission changes are how an intruder keeps or widens access."),
    MetricControl("cloudtrail_changes", "CloudTrail configuration changes", _events(
        None, "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"),
        "Turning the audit trail off is a classic first step of an attack."),
    MetricControl("console_auth_failures", "console authentication failures",
                  ("$.eventName=ConsoleLogin", "$.errorMessage=Failedauthentication"),
                  "Failed logins in bulk mean password guessing."),
    MetricControl("cmk_disable_or_deletion", "disabling or scheduled deletion of customer "
                  "keys", _events("kms.amazonaws.com", "DisableKey", "ScheduleKeyDeletion"),
                  "Data encrypted under a deleted key is gone for good."),
    MetricControl("s3_bucket_policy_changes", "S3 bucket policy changes", _events(
        "s3.amazonaws.com", "PutBucketAcl", "PutBucketPolicy", "PutBucketCors",
        "PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors",
        "DeleteBucketLifecycle", "DeleteBucketReplication"),
        "A policy change can make a bucket public in one call."),
    MetricControl("config_changes", "AWS Config configuration changes", _events(
        "config.amazonaws.com", "StopConfigurationRecorder", "DeleteDeliveryChannel",
        "PutDeliveryChannel", "PutConfigurationRecorder"),
        "Stopping Config hides later changes."),
    MetricControl("security_group_changes", "security group changes", _events(
        None, "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup",
        "DeleteSecurityGroup"), "Opened ports are the quickest way in."),
    MetricControl("nacl_changes", "network ACL changes", _events(
        None, "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
        "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"),
        "NACL changes can expose whole subnets."),
    MetricControl("network_gateway_changes", "network gateway changes", _events(
        None, "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
        "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"),
        "Gateways decide what can reach the internet."),
    MetricControl("route_table_changes", "route table changes", _events(
        "ec2.amazonaws.com", "CreateRoute", "CreateRouteTable", "ReplaceRoute",
        "ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute",
        "DisassociateRouteTable"), "Routes can send traffic around inspection points."),
    MetricControl("vpc_changes", "VPC changes", _events(
        None, "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
        "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection",
        "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
        "DisableVpcClassicLink", "EnableVpcClassicLink"),
        "Peering and VPC changes connect networks that were apart."),
    MetricControl("organizations_changes", "AWS Organizations changes", _events(
        "organizations.amazonaws.com", "AcceptHandshake", "AttachPolicy", "CreateAccount",
        "CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake", "DeleteOrganization",
        "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy", "DisablePolicyType",
        "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization",
        "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy",
        "UpdateOrganizationalUnit"), "Organization changes move accounts and guardrails."),
)


def pattern_has_terms(pattern: str, terms: tuple[str, ...]) -> bool:
    """True when every term appears in the pattern, ending at a word boundary."""
    flat = _NOISE.sub("", pattern)
    return all(re.search(re.escape(_NOISE.sub("", t)) + r"(?![A-Za-z0-9_])", flat)
               for t in terms)


def _log_group_name(arn: str) -> str:
    return arn.split(":log-group:", 1)[-1].split(":", 1)[0]


def _live_topics(view: SnapshotView) -> tuple[set[str], list[str]]:
    live: set[str] = set()
    unknown: list[str] = []
    for topic in view.of(TOPIC):
        missing = detail_missing(topic, "Subscriptions")
        if missing:
            unknown.append(missing)
        elif any(str(s.get("SubscriptionArn", "")).startswith("arn:")
                 for s in topic.data["Subscriptions"] or []):
            live.add(str(topic.data.get("TopicArn") or topic.native_id))
    return live, unknown


def check_metric_alarm(control: MetricControl, view: SnapshotView) -> Iterator[AccountVerdict]:
    trails = [t for t in active_multi_region_trails(view)
              if t.data.get("CloudWatchLogsLogGroupArn")]
    if not trails:
        yield account(Status.FAIL, "no logging multi-region trail sends to CloudWatch Logs")
        return
    groups = {_log_group_name(str(t.data["CloudWatchLogsLogGroupArn"])) for t in trails}
    filters = [f for f in view.of(FILTER) if f.data.get("logGroupName") in groups
               and pattern_has_terms(str(f.data.get("filterPattern", "")), control.terms)]
    if not filters:
        yield account(Status.FAIL, f"no metric filter for {control.title} on log group "
                      + ", ".join(sorted(groups)))
        return
    metrics = {(m.get("metricName"), m.get("metricNamespace")) for f in filters
               for m in f.data.get("metricTransformations") or []}
    alarms = [a for a in view.of(ALARM)
              if (a.data.get("MetricName"), a.data.get("Namespace")) in metrics]
    if not alarms:
        yield account(Status.FAIL, f"metric filter {filters[0].name or filters[0].native_id} "
                      "has no alarm")
        return
    live, unknown = _live_topics(view)
    for alarm in alarms:
        if live & set(alarm.data.get("AlarmActions") or []):
            yield account(Status.PASS, f"alarm {alarm.name or alarm.native_id} notifies a "
                          "subscribed SNS topic")
            return
    if unknown:
        yield account(Status.MANUAL, unknown[0])
    else:
        yield account(Status.FAIL, "the alarm has no SNS topic with a confirmed subscriber")


def _metric_rule(control: MetricControl) -> AccountRule:
    return account_rule(
        id=f"aws.cloudwatch.alarm_{control.slug}",
        title=f"A log metric filter and alarm exist for {control.title}",
        severity=Severity.MEDIUM, resource_types=(TRAIL, FILTER, ALARM, TOPIC),
        rationale=control.rationale + " CloudTrail logs in CloudWatch Logs plus a metric "
        "filter and an alarm turn that into a notification.",
        remediation="Send the multi-region trail to CloudWatch Logs, create a metric filter "
        f"matching {' && '.join(control.terms)} on its log group, an alarm on the metric "
        "(>= 1), and an SNS topic with a subscriber as the alarm action.",
    )(partial(check_metric_alarm, control))


@account_rule(
    id="aws.securityhub.enabled_all_regions", title="AWS Security Hub is enabled in every "
    "region", severity=Severity.MEDIUM, resource_types=(HUB,),
    rationale="Security Hub gathers findings from AWS services and partners in one place.",
    remediation="Enable Security Hub in each region (or through the delegated administrator "
    "for the organization).")
def security_hub_all_regions(view: SnapshotView) -> Iterator[AccountVerdict]:
    if not view.regions:
        yield account(Status.MANUAL, "no region was covered by the poll")
        return
    lacking = regions_lacking(view, HUB, lambda item: bool(item.data.get("HubArn")))
    if lacking:
        yield account(Status.FAIL, "Security Hub not enabled in " + ", ".join(lacking))
    else:
        yield account(Status.PASS)


RULES = (*(_metric_rule(c) for c in CONTROLS), security_hub_all_regions)
