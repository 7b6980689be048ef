"""Seed two customer accounts in moto for the CIS AWS golden test, through real boto3 calls.

``seed_good`` builds an account where every CIS control moto can represent passes;
``seed_bad`` one where each of them fails, and where every resource-level control also has a
passing resource (so both verdicts of each predicate run on emulator data). What moto cannot
represent is listed, with the reason, in ``tests/rules/golden/cis_aws_*.json``.

Names are fixed (tags, group names) so results can be compared with a golden file; bucket
names carry the account ID because they are global across accounts, in moto as in AWS.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import boto3

from cloudconnectors.providers.aws.platform import keep_endpoint_host
from tests.rules.fixtures import PATTERNS

__all__ = ["REGIONS", "seed_bad", "seed_good"]

REGIONS = ("us-east-1", "eu-west-1")
HOME = REGIONS[0]
_EC2_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "cloudtrail.amazonaws.com",
                                                 "vpc-flow-logs.amazonaws.com"]},
    "Action": "sts:AssumeRole"}]})
_BLOCK_ALL = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
              "RestrictPublicBuckets": True}
_NARROW = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]})
_ADMIN = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]})
_SUPPORT = "arn:aws:iam::aws:policy/AWSSupportAccess"
_CLOUDSHELL = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"


class _Account:
    """Clients of one seeded account, made on demand."""

    def __init__(self, session: boto3.Session, endpoint: str, account_id: str) -> None:
        self.session = session
        self.endpoint = endpoint
        self.id = account_id

    def client(self, service: str, region: str = HOME) -> Any:
        made = self.session.client(service, region_name=region, endpoint_url=self.endpoint)
        if service == "s3control":
            keep_endpoint_host(made, self.endpoint)
        return made


# --- IAM ------------------------------------------------------------------------------------

def _user(acct: _Account, name: str, *, mfa: bool, keys: int,
          policies: Sequence[str] = (), group: str | None = None) -> None:
    iam = acct.client("iam")
    iam.create_user(UserName=name)
    iam.create_login_profile(UserName=name, Password="Correct-Horse-Battery-9")
    if mfa:
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)[
            "VirtualMFADevice"]["SerialNumber"]
        iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1="123456",
                              AuthenticationCode2="654321")
    for _ in range(keys):
        iam.create_access_key(UserName=name)
    for arn in policies:
        iam.attach_user_policy(UserName=name, PolicyArn=arn)
    if group:
        iam.add_user_to_group(UserName=name, GroupName=group)


def _service_role(acct: _Account) -> str:
    """A role for instances, CloudTrail, Config and flow logs, and the ``app`` profile."""
    iam = acct.client("iam")
    arn = str(iam.create_role(RoleName="app", AssumeRolePolicyDocument=_EC2_TRUST)["Role"]["Arn"])
    iam.create_instance_profile(InstanceProfileName="app")
    iam.add_role_to_instance_profile(InstanceProfileName="app", RoleName="app")
    return arn


def _iam_good(acct: _Account) -> None:
    iam = acct.client("iam")
    iam.update_account_password_policy(MinimumPasswordLength=14, PasswordReusePrevention=24,
                                       RequireSymbols=True, RequireNumbers=True)
    narrow = iam.create_policy(PolicyName="ops-read", PolicyDocument=_NARROW)["Policy"]["Arn"]
    iam.create_group(GroupName="ops")
    iam.attach_group_policy(GroupName="ops", PolicyArn=narrow)
    _user(acct, "alice", mfa=True, keys=1, group="ops")
    iam.create_role(RoleName="incident-response", AssumeRolePolicyDocument=_EC2_TRUST)
    iam.attach_role_policy(RoleName="incident-response", PolicyArn=_SUPPORT)


def _iam_bad(acct: _Account) -> None:
    iam = acct.client("iam")
    iam.update_account_password_policy(MinimumPasswordLength=8)
    narrow = iam.create_policy(PolicyName="ops-read", PolicyDocument=_NARROW)["Policy"]["Arn"]
    admin = iam.create_policy(PolicyName="admin-all", PolicyDocument=_ADMIN)["Policy"]["Arn"]
    iam.create_group(GroupName="ops")
    iam.attach_group_policy(GroupName="ops", PolicyArn=narrow)
    _user(acct, "carol", mfa=True, keys=1, group="ops")
    _user(acct, "mallory", mfa=False, keys=2, policies=(admin, _CLOUDSHELL))


# --- S3, KMS, CloudTrail, CloudWatch --------------------------------------------------------

def _deny_http(bucket: str) -> str:
    # Principal {"AWS": "*"}, not "*": moto's PutBucketLogging answers 500 when the target
    # bucket's policy has a string principal.
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyHttp", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


def _bucket(acct: _Account, name: str, *, secure: bool, block: bool = False,
            log_to: str | None = None) -> str:
    s3 = acct.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    if secure:
        s3.put_bucket_policy(Bucket=name, Policy=_deny_http(name))
    if block:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=_BLOCK_ALL)
    if log_to:
        s3.put_bucket_logging(Bucket=name, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": log_to, "TargetPrefix": f"{name}/"}})
    return name


def _log_bucket(acct: _Account, name: str) -> str:
    s3 = acct.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_acl(Bucket=name, ACL="log-delivery-write")
    s3.put_bucket_policy(Bucket=name, Policy=_deny_http(name))
    return name


def _key(acct: _Account, region: str, description: str, *, rotate: bool) -> str:
    kms = acct.client("kms", region)
    key = kms.create_key(Description=description)["KeyMetadata"]
    if rotate:
        kms.enable_key_rotation(KeyId=key["KeyId"])
    return str(key["Arn"])


def _alarms(acct: _Account, log_group: str, topic: str) -> None:
    logs = acct.client("logs")
    cloudwatch = acct.client("cloudwatch")
    for slug, pattern in PATTERNS.items():
        logs.put_metric_filter(
            logGroupName=log_group, filterName=slug, filterPattern=pattern,
            metricTransformations=[{"metricName": slug, "metricNamespace": "CISBenchmark",
                                    "metricValue": "1"}])
        cloudwatch.put_metric_alarm(
            AlarmName=f"{slug}-alarm", MetricName=slug, Namespace="CISBenchmark",
            Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold", AlarmActions=[topic])


def _logging_good(acct: _Account, role: str) -> None:
    logs_bucket = _log_bucket(acct, f"cis-logs-{acct.id}")
    trail_bucket = _bucket(acct, f"cis-trail-{acct.id}", secure=True, log_to=logs_bucket)
    _bucket(acct, f"cis-data-{acct.id}", secure=True)
    acct.client("s3control").put_public_access_block(
        AccountId=acct.id, PublicAccessBlockConfiguration=_BLOCK_ALL)
    key = _key(acct, HOME, "trail", rotate=True)
    _key(acct, REGIONS[1], "data", rotate=True)
    logs = acct.client("logs")
    logs.create_log_group(logGroupName="cloudtrail-logs")
    group_arn = logs.describe_log_groups(logGroupNamePrefix="cloudtrail-logs")[
        "logGroups"][0]["arn"]
    cloudtrail = acct.client("cloudtrail")
    cloudtrail.create_trail(
        Name="main", S3BucketName=trail_bucket, IsMultiRegionTrail=True,
        EnableLogFileValidation=True, KmsKeyId=key, CloudWatchLogsLogGroupArn=group_arn,
        CloudWatchLogsRoleArn=role)
    cloudtrail.put_event_selectors(TrailName="main", EventSelectors=[{
        "ReadWriteType": "All", "IncludeManagementEvents": True,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}])
    cloudtrail.start_logging(Name="main")
    sns = acct.client("sns")
    topic = sns.create_topic(Name="security-alerts")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="secops@example.com")
    _alarms(acct, "cloudtrail-logs", topic)


def _logging_bad(acct: _Account) -> None:
    logs_bucket = _log_bucket(acct, f"cis-logs-{acct.id}")
    open_bucket = _bucket(acct, f"cis-open-{acct.id}", secure=False)
    safe_bucket = _bucket(acct, f"cis-safe-{acct.id}", secure=True, block=True,
                          log_to=logs_bucket)
    key = _key(acct, HOME, "trail", rotate=True)
    _key(acct, HOME, "data", rotate=False)
    cloudtrail = acct.client("cloudtrail")
    # Single-region trails only: one careless, one careful (KMS, validation, data events).
    cloudtrail.create_trail(Name="careless", S3BucketName=open_bucket)
    cloudtrail.start_logging(Name="careless")
    cloudtrail.create_trail(Name="careful", S3BucketName=safe_bucket,
                            EnableLogFileValidation=True, KmsKeyId=key)
    cloudtrail.put_event_selectors(TrailName="careful", EventSelectors=[{
        "ReadWriteType": "All", "IncludeManagementEvents": True,
        "DataResources": [{"Type": "AWS::S3::Object",
                           "Values": [f"arn:aws:s3:::{safe_bucket}/"]}]}])
    cloudtrail.start_logging(Name="careful")
    sns = acct.client("sns")
    topic = sns.create_topic(Name="security-alerts")["TopicArn"]
    acct.client("logs").create_log_group(logGroupName="cloudtrail-logs")
    _alarms(acct, "cloudtrail-logs", topic)  # alarms exist, but no trail feeds the group


# --- regional services ----------------------------------------------------------------------

def _config(acct: _Account, region: str, role: str, bucket: str) -> None:
    config = acct.client("config", region)
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": role,
        "recordingGroup": {"allSupported": True,
                           "includeGlobalResourceTypes": region == HOME}})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": bucket})
    config.start_configuration_recorder(ConfigurationRecorderName="default")


def _name(ec2: Any, resource_id: str, name: str) -> None:
    ec2.create_tags(Resources=[resource_id], Tags=[{"Key": "Name", "Value": name}])


def _lock_down_vpc(ec2: Any, vpc_id: str, label: str, role: str) -> None:
    """Default SG without rules, default NACL denying 22/3389 from anywhere, a flow log."""
    [group] = ec2.describe_security_groups(Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}])[
        "SecurityGroups"]
    if group["IpPermissions"]:
        ec2.revoke_security_group_ingress(GroupId=group["GroupId"],
                                          IpPermissions=group["IpPermissions"])
    if group["IpPermissionsEgress"]:
        ec2.revoke_security_group_egress(GroupId=group["GroupId"],
                                         IpPermissions=group["IpPermissionsEgress"])
    [acl] = ec2.describe_network_acls(Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "default", "Values": ["true"]}])[
        "NetworkAcls"]
    _name(ec2, acl["NetworkAclId"], f"{label}-acl")
    for number, port in ((90, 22), (91, 3389)):
        ec2.create_network_acl_entry(
            NetworkAclId=acl["NetworkAclId"], RuleNumber=number, Protocol="6",
            RuleAction="deny", Egress=False, CidrBlock="0.0.0.0/0",
            PortRange={"From": port, "To": port})
    ec2.create_flow_logs(ResourceIds=[vpc_id], ResourceType="VPC", TrafficType="ALL",
                         LogDestinationType="cloud-watch-logs", LogGroupName="flow-logs",
                         DeliverLogsPermissionArn=role)


def _default_vpc(ec2: Any, label: str) -> str:
    [vpc] = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    _name(ec2, vpc["VpcId"], label)
    [acl] = ec2.describe_network_acls(Filters=[
        {"Name": "vpc-id", "Values": [vpc["VpcId"]]}, {"Name": "default", "Values": ["true"]}])[
        "NetworkAcls"]
    _name(ec2, acl["NetworkAclId"], f"{label}-acl")
    return str(vpc["VpcId"])


def _group(ec2: Any, vpc_id: str, name: str, port: int, cidr: str | None = None,
           cidr6: str | None = None) -> str:
    group_id = str(ec2.create_security_group(GroupName=name, Description=name,
                                             VpcId=vpc_id)["GroupId"])
    permission: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    if cidr:
        permission["IpRanges"] = [{"CidrIp": cidr}]
    if cidr6:
        permission["Ipv6Ranges"] = [{"CidrIpv6": cidr6}]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[permission])
    return group_id


def _instance(ec2: Any, name: str, group_id: str, *, imdsv2: bool, profile: bool) -> None:
    extra: dict[str, Any] = {"IamInstanceProfile": {"Name": "app"}} if profile else {}
    ec2.run_instances(
        ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
        SecurityGroupIds=[group_id],
        MetadataOptions={"HttpTokens": "required" if imdsv2 else "optional",
                         "HttpEndpoint": "enabled"},
        TagSpecifications=[{"ResourceType": "instance",
                            "Tags": [{"Key": "Name", "Value": name}]}], **extra)


def _ec2_good(acct: _Account, region: str, role: str) -> None:
    ec2 = acct.client("ec2", region)
    acct.client("logs", region).create_log_group(logGroupName="flow-logs")
    vpc = _default_vpc(ec2, f"default-{region}")
    _lock_down_vpc(ec2, vpc, f"default-{region}", role)
    ec2.enable_ebs_encryption_by_default()
    web = _group(ec2, vpc, "web", 443, "0.0.0.0/0", "::/0")
    _group(ec2, vpc, "ssh-internal", 22, "10.0.0.0/8")
    _instance(ec2, f"app-{region}", web, imdsv2=True, profile=True)
    acct.client("securityhub", region).enable_security_hub()


def _ec2_bad(acct: _Account, region: str, role: str) -> None:
    ec2 = acct.client("ec2", region)
    vpc = _default_vpc(ec2, f"default-{region}")  # left as AWS makes it: open
    ssh = _group(ec2, vpc, "ssh-open", 22, "0.0.0.0/0")
    _group(ec2, vpc, "rdp-open-v6", 3389, None, "::/0")
    web = _group(ec2, vpc, "web", 443, "0.0.0.0/0", "::/0")
    _instance(ec2, f"v1-{region}", ssh, imdsv2=False, profile=False)
    _instance(ec2, f"v2-{region}", web, imdsv2=True, profile=True)
    if region == HOME:
        acct.client("logs", region).create_log_group(logGroupName="flow-logs")
        tidy = str(ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"])
        _name(ec2, tidy, f"tidy-{region}")
        _lock_down_vpc(ec2, tidy, f"tidy-{region}", role)
        ec2.enable_ebs_encryption_by_default()
        acct.client("securityhub", region).enable_security_hub()


def _data(acct: _Account, *, good: bool) -> None:
    rds = acct.client("rds")
    efs = acct.client("efs")
    rds.create_db_instance(
        DBInstanceIdentifier="db-private", Engine="postgres", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="Sup3r-Secret-Pw",
        StorageEncrypted=True, AutoMinorVersionUpgrade=True, PubliclyAccessible=False)
    efs.create_file_system(CreationToken="fs-encrypted", Encrypted=True,
                           Tags=[{"Key": "Name", "Value": "encrypted"}])
    if good:
        return
    rds.create_db_instance(
        DBInstanceIdentifier="db-public", Engine="postgres", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="Sup3r-Secret-Pw",
        StorageEncrypted=False, AutoMinorVersionUpgrade=False, PubliclyAccessible=True)
    efs.create_file_system(CreationToken="fs-plain", Encrypted=False,
                           Tags=[{"Key": "Name", "Value": "plain"}])


# --- the two accounts -----------------------------------------------------------------------

def seed_good(session: boto3.Session, endpoint: str, account_id: str) -> None:
    acct = _Account(session, endpoint, account_id)
    role = _service_role(acct)
    _iam_good(acct)
    _logging_good(acct, role)
    for region in REGIONS:
        _config(acct, region, role, f"cis-logs-{acct.id}")
        _ec2_good(acct, region, role)
    _data(acct, good=True)


def seed_bad(session: boto3.Session, endpoint: str, account_id: str) -> None:
    acct = _Account(session, endpoint, account_id)
    role = _service_role(acct)
    _iam_bad(acct)
    _logging_bad(acct)
    _config(acct, HOME, role, f"cis-logs-{acct.id}")
    for region in REGIONS:
        _ec2_bad(acct, region, role)
    _data(acct, good=False)
