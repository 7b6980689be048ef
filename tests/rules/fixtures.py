"""A small, fully compliant AWS account as stored inventory, plus helpers to break it.

Every built-in rule passes on ``good_account()``; ``BREAKERS`` holds, per rule, a mutation
that makes that rule fail. Shapes follow ``cloudconnectors.rules.aws.shapes``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cloudconnectors.rules.model import InventoryItem

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
REGIONS = ("us-east-1", "eu-west-1")
ACCOUNT = "111122223333"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main"
LOG_GROUP = "cloudtrail-logs"
TOPIC_ARN = f"arn:aws:sns:us-east-1:{ACCOUNT}:security-alerts"


def ago(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def item(type_: str, native_id: str, data: dict[str, Any], region: str = "us-east-1",
         name: str | None = None) -> InventoryItem:
    return InventoryItem(f"{type_}|{region}|{native_id}", type_, region, native_id,
                         name or native_id, data)


def _cred_row(user: str, **overrides: str) -> dict[str, str]:
    row = {"user": user, "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}",
           "user_creation_time": ago(400), "password_enabled": "true",
           "password_last_used": ago(2), "password_last_changed": ago(60),
           "mfa_active": "true", "access_key_1_active": "true",
           "access_key_1_last_rotated": ago(30), "access_key_1_last_used_date": ago(1),
           "access_key_2_active": "false", "access_key_2_last_rotated": "N/A",
           "access_key_2_last_used_date": "N/A"}
    row.update(overrides)
    return row


def _report_row(row: dict[str, str]) -> InventoryItem:
    """One credential report row, stored as its own asset (native id: the arn column)."""
    return item("AWS::IAM::CredentialReport", row["arn"], row, region="global",
                name=row["user"])


def _user(name: str) -> InventoryItem:
    return item("AWS::IAM::User", name, {
        "UserName": name, "UserId": f"AID{name.upper()}", "CreateDate": ago(400),
        "AttachedPolicies": [], "Policies": [],
        "AccessKeys": [{"AccessKeyId": f"AKIA{name.upper()}1", "Status": "Active",
                        "CreateDate": ago(30)}]},
        region="global")


def _metric_filter(slug: str, pattern: str) -> InventoryItem:
    return item("AWS::Logs::MetricFilter", f"{LOG_GROUP}/{slug}", {
        "filterName": slug, "logGroupName": LOG_GROUP, "filterPattern": pattern,
        "metricTransformations": [{"metricName": slug, "metricNamespace": "CISBenchmark",
                                   "metricValue": "1"}]})


def _alarm(slug: str) -> InventoryItem:
    return item("AWS::CloudWatch::Alarm", f"{slug}-alarm", {
        "AlarmName": f"{slug}-alarm", "MetricName": slug, "Namespace": "CISBenchmark",
        "AlarmActions": [TOPIC_ARN], "Threshold": 1.0})


PATTERNS = {
    "unauthorized_api_calls": '{ ($.errorCode = "*UnauthorizedOperation") || '
    '($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") }',
    "console_signin_without_mfa": '{ ($.eventName = "ConsoleLogin") && '
    '($.additionalEventData.MFAUsed != "Yes") }',
    "root_usage": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
    '&& $.eventType != "AwsServiceEvent" }',
    "iam_policy_changes": "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||"
    "($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)"
    "||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||"
    "($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||"
    "($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||"
    "($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||"
    "($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
    "cloudtrail_changes": "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || "
    "($.eventName = DeleteTrail) || ($.eventName = StartLogging) || "
    "($.eventName = StopLogging) }",
    "console_auth_failures": '{ ($.eventName = ConsoleLogin) && '
    '($.errorMessage = "Failed authentication") }',
    "cmk_disable_or_deletion": "{($.eventSource = kms.amazonaws.com) && "
    "(($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
    "s3_bucket_policy_changes": "{ ($.eventSource = s3.amazonaws.com) && "
    "(($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || "
    "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || "
    "($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || "
    "($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || "
    "($.eventName = DeleteBucketReplication)) }",
    "config_changes": "{ ($.eventSource = config.amazonaws.com) && "
    "(($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||"
    "($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }",
    "security_group_changes": "{ ($.eventName = AuthorizeSecurityGroupIngress) || "
    "($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress)"
    " || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || "
    "($.eventName = DeleteSecurityGroup) }",
    "nacl_changes": "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry)"
    " || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || "
    "($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    "network_gateway_changes": "{ ($.eventName = CreateCustomerGateway) || "
    "($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || "
    "($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || "
    "($.eventName = DetachInternetGateway) }",
    "route_table_changes": "{($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute)"
    " || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || "
    "($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || "
    "($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
    "vpc_changes": "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || "
    "($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || "
    "($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) "
    "|| ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || "
    "($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || "
    "($.eventName = EnableVpcClassicLink) }",
    "organizations_changes": "{ ($.eventSource = organizations.amazonaws.com) && "
    "(($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || "
    "($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || "
    "($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || "
    "($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || "
    "($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || "
    "($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || "
    "($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || "
    "($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || "
    "($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }",
}

DENY_HTTP = {"Version": "2012-10-17", "Statement": [{
    "Sid": "DenyHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": ["arn:aws:s3:::trail-logs", "arn:aws:s3:::trail-logs/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
BLOCK_ALL = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
             "RestrictPublicBuckets": True}


def _bucket(name: str) -> InventoryItem:
    return item("AWS::S3::Bucket", name, {
        "Name": name, "CreationDate": ago(300), "BucketRegion": "us-east-1",
        "Policy": copy.deepcopy(DENY_HTTP), "Acl": {"Grants": []},
        "PublicAccessBlock": dict(BLOCK_ALL),
        "Encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault":
                                  {"SSEAlgorithm": "aws:kms"}}]},
        "Versioning": {"Status": "Enabled", "MFADelete": "Enabled"},
        "Logging": {"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": name}}},
        name=name)


def good_account() -> list[InventoryItem]:
    """Every built-in rule passes (or is not applicable) on this account."""
    items = [
        item("AWS::IAM::AccountSummary", "summary", {
            "AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0, "Users": 2},
            region="global"),
        item("AWS::IAM::AccountPasswordPolicy", "password-policy", {
            "MinimumPasswordLength": 14, "PasswordReusePrevention": 24,
            "RequireSymbols": True}, region="global"),
        _report_row(_cred_row("<root_account>", access_key_1_active="false",
                              password_last_used=ago(200))),
        _report_row(_cred_row("alice")), _report_row(_cred_row("bob")),
        _user("alice"), _user("bob"),
        item("AWS::IAM::Role", "incident-response", {
            "RoleName": "incident-response",
            "AttachedPolicies": [{"PolicyName": "AWSSupportAccess",
                                  "PolicyArn": "arn:aws:iam::aws:policy/AWSSupportAccess"}]},
            region="global"),
        item("AWS::IAM::Group", "admins", {"GroupName": "admins", "AttachedPolicies": [
            {"PolicyName": "AdministratorAccess"}]}, region="global"),
        item("AWS::IAM::ManagedPolicy", "readonly-extra", {
            "PolicyName": "readonly-extra", "AttachmentCount": 1,
            "Document": {"Statement": [{"Effect": "Allow", "Action": ["s3:Get*"],
                                        "Resource": "*"}]}}, region="global"),
        _bucket("trail-logs"), _bucket("data"),
        item("AWS::S3::AccountPublicAccessBlock", ACCOUNT, dict(BLOCK_ALL), region="global"),
        item("AWS::CloudTrail::Trail", TRAIL_ARN, {
            "Name": "main", "TrailARN": TRAIL_ARN, "HomeRegion": "us-east-1",
            "IsMultiRegionTrail": True, "S3BucketName": "trail-logs",
            "LogFileValidationEnabled": True,
            "KmsKeyId": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1",
            "CloudWatchLogsLogGroupArn":
                f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{LOG_GROUP}:*",
            "Status": {"IsLogging": True},
            "BucketLogging": {"LoggingEnabled": {"TargetBucket": "access-logs",
                                                 "TargetPrefix": "trail-logs"}},
            "EventSelectors": {"EventSelectors": [{
                "ReadWriteType": "All", "IncludeManagementEvents": True,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]}},
            name="main"),
        item("AWS::KMS::Key", "k1", {"KeyId": "k1", "KeyRotationEnabled": True,
                                     "KeyMetadata": {"KeyManager": "CUSTOMER",
                                                     "KeySpec": "SYMMETRIC_DEFAULT",
                                                     "KeyState": "Enabled",
                                                     "Origin": "AWS_KMS"}}),
        item("AWS::SNS::Topic", TOPIC_ARN, {"TopicArn": TOPIC_ARN, "Subscriptions": [{
            "SubscriptionArn": TOPIC_ARN + ":sub-1", "Protocol": "email"}]}),
        item("AWS::RDS::DBInstance", "db1", {"DBInstanceIdentifier": "db1",
                                             "StorageEncrypted": True,
                                             "AutoMinorVersionUpgrade": True,
                                             "PubliclyAccessible": False}),
        item("AWS::EFS::FileSystem", "fs-1", {"FileSystemId": "fs-1", "Encrypted": True}),
    ]
    items += [_metric_filter(slug, pattern) for slug, pattern in PATTERNS.items()]
    items += [_alarm(slug) for slug in PATTERNS]
    for region in REGIONS:
        items += [
            item("AWS::EC2::EBSEncryptionByDefault", region, {"EbsEncryptionByDefault": True},
                 region=region),
            item("AWS::AccessAnalyzer::Analyzer", f"analyzer-{region}", {
                "name": "account", "type": "ACCOUNT", "status": "ACTIVE"}, region=region),
            item("AWS::SecurityHub::Hub", f"hub-{region}", {
                "HubArn": f"arn:aws:securityhub:{region}:{ACCOUNT}:hub/default"},
                region=region),
            item("AWS::Config::ConfigurationRecorder", f"default-{region}", {
                "name": "default", "recordingGroup": {
                    "allSupported": True, "includeGlobalResourceTypes": region == REGIONS[0]},
                "Status": {"recording": True, "lastStatus": "SUCCESS"}}, region=region),
            item("AWS::EC2::VPC", f"vpc-{region}", {"VpcId": f"vpc-{region}", "FlowLogs": [
                {"FlowLogId": "fl-1", "FlowLogStatus": "ACTIVE", "TrafficType": "ALL"}]},
                region=region),
            item("AWS::EC2::SecurityGroup", f"sg-default-{region}", {
                "GroupId": f"sg-default-{region}", "GroupName": "default",
                "IpPermissions": [], "IpPermissionsEgress": []}, region=region),
            item("AWS::EC2::SecurityGroup", f"sg-web-{region}", {
                "GroupId": f"sg-web-{region}", "GroupName": "web", "IpPermissions": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                     "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                     "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                     "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
                "IpPermissionsEgress": [{"IpProtocol": "-1",
                                         "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
                region=region),
            item("AWS::EC2::NetworkAcl", f"acl-{region}", {"NetworkAclId": f"acl-{region}",
                                                           "Entries": [
                {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": False,
                 "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 22}},
                {"RuleNumber": 91, "Protocol": "6", "RuleAction": "deny", "Egress": False,
                 "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 3389, "To": 3389}},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False,
                 "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": True,
                 "CidrBlock": "0.0.0.0/0"}]}, region=region),
            item("AWS::EC2::Instance", f"i-{region}", {
                "InstanceId": f"i-{region}", "State": {"Name": "running"},
                "IamInstanceProfile": {"Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/app"},
                "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"}},
                region=region),
        ]
    return items


Mutator = Callable[[list[InventoryItem]], list[InventoryItem]]


def edit(type_: str, change: Callable[[dict[str, Any]], object],
         native_id: str | None = None) -> Mutator:
    """Apply ``change`` to the data of the first asset of a type (or a given one)."""
    def mutate(items: list[InventoryItem]) -> list[InventoryItem]:
        out = []
        done = False
        for it in items:
            if not done and it.type == type_ and native_id in (None, it.native_id):
                data = copy.deepcopy(it.data)
                change(data)
                it = it._replace(data=data)
                done = True
            out.append(it)
        assert done, f"no {type_} to edit"
        return out
    return mutate


def drop(type_: str, predicate: Callable[[InventoryItem], bool] = lambda i: True) -> Mutator:
    def mutate(items: list[InventoryItem]) -> list[InventoryItem]:
        return [i for i in items if not (i.type == type_ and predicate(i))]
    return mutate
