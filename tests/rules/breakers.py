"""Per built-in rule, one mutation of the good account that must make the rule fail."""

from __future__ import annotations

from typing import Any

from tests.rules.fixtures import (
    ACCOUNT,
    LOG_GROUP,
    PATTERNS,
    TOPIC_ARN,
    Mutator,
    ago,
    drop,
    edit,
)

ALICE_ARN = f"arn:aws:iam::{ACCOUNT}:user/alice"


def _set(path: str, value: object) -> Any:
    keys = path.split(".")

    def change(data: dict[str, Any]) -> None:
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return change


def _chain(*mutators: Mutator) -> Mutator:
    def mutate(items: list[Any]) -> list[Any]:
        for m in mutators:
            items = m(items)
        return items
    return mutate


def _break_filter(slug: str) -> Mutator:
    return edit("AWS::Logs::MetricFilter", _set("filterPattern", "{ $.eventName = Nothing }"),
                native_id=f"{LOG_GROUP}/{slug}")


BREAKERS: dict[str, Mutator] = {
    "aws.iam.root_no_access_keys": edit("AWS::IAM::AccountSummary",
                                        _set("AccountAccessKeysPresent", 1)),
    "aws.iam.root_mfa_enabled": edit("AWS::IAM::AccountSummary", _set("AccountMFAEnabled", 0)),
    "aws.iam.password_policy_min_length_14": edit("AWS::IAM::AccountPasswordPolicy",
                                                  _set("MinimumPasswordLength", 8)),
    "aws.iam.password_policy_reuse_24": edit("AWS::IAM::AccountPasswordPolicy",
                                             lambda d: d.pop("PasswordReusePrevention")),
    "aws.iam.user_console_mfa": edit("AWS::IAM::CredentialReport", _set("mfa_active", "false"),
                                     native_id=f"arn:aws:iam::{ACCOUNT}:user/alice"),
    "aws.iam.user_unused_credentials_45d": edit(
        "AWS::IAM::CredentialReport", _set("password_last_used", ago(90)),
        native_id=f"arn:aws:iam::{ACCOUNT}:user/alice"),
    "aws.iam.user_single_active_key": edit("AWS::IAM::CredentialReport", lambda d: d.update(
        access_key_2_active="true", access_key_2_last_rotated=ago(3)), native_id=ALICE_ARN),
    "aws.iam.user_key_rotation_90d": edit("AWS::IAM::CredentialReport",
                                          _set("access_key_1_last_rotated", ago(120)),
                                          native_id=ALICE_ARN),
    "aws.iam.user_no_direct_policies": edit("AWS::IAM::User", _set("Policies", ["inline-x"])),
    "aws.iam.policy_no_full_admin": edit("AWS::IAM::ManagedPolicy", _set("Document", {"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}]})),
    "aws.iam.support_role_exists": edit("AWS::IAM::Role", _set("AttachedPolicies", [])),
    "aws.iam.cloudshell_full_access_restricted": edit(
        "AWS::IAM::Group", lambda d: d["AttachedPolicies"].append(
            {"PolicyName": "AWSCloudShellFullAccess"})),
    "aws.accessanalyzer.enabled_all_regions": drop(
        "AWS::AccessAnalyzer::Analyzer", lambda i: i.region == "eu-west-1"),
    "aws.s3.bucket_deny_http": edit("AWS::S3::Bucket", _set("Policy", None)),
    "aws.s3.bucket_mfa_delete": edit("AWS::S3::Bucket", _set("Versioning.MFADelete",
                                                             "Disabled")),
    "aws.s3.bucket_public_access_block": _chain(
        edit("AWS::S3::AccountPublicAccessBlock", _set("BlockPublicPolicy", False)),
        edit("AWS::S3::Bucket", _set("PublicAccessBlock.RestrictPublicBuckets", False))),
    "aws.ec2.ebs_encryption_by_default": edit("AWS::EC2::EBSEncryptionByDefault",
                                              _set("EbsEncryptionByDefault", False)),
    "aws.rds.instance_storage_encrypted": edit("AWS::RDS::DBInstance",
                                               _set("StorageEncrypted", False)),
    "aws.rds.instance_auto_minor_upgrade": edit("AWS::RDS::DBInstance",
                                                _set("AutoMinorVersionUpgrade", False)),
    "aws.rds.instance_not_public": edit("AWS::RDS::DBInstance", _set("PubliclyAccessible",
                                                                     True)),
    "aws.efs.file_system_encrypted": edit("AWS::EFS::FileSystem", _set("Encrypted", False)),
    "aws.cloudtrail.multi_region_management_events": edit(
        "AWS::CloudTrail::Trail", _set("IsMultiRegionTrail", False)),
    "aws.cloudtrail.log_file_validation": edit("AWS::CloudTrail::Trail",
                                               _set("LogFileValidationEnabled", False)),
    "aws.cloudtrail.bucket_access_logging": edit("AWS::CloudTrail::Trail",
                                                 _set("BucketLogging", {})),
    "aws.cloudtrail.kms_encrypted": edit("AWS::CloudTrail::Trail",
                                         lambda d: d.pop("KmsKeyId")),
    "aws.cloudtrail.s3_object_write_logging": edit(
        "AWS::CloudTrail::Trail", lambda d: d["EventSelectors"]["EventSelectors"][0].update(
            ReadWriteType="ReadOnly")),
    "aws.cloudtrail.s3_object_read_logging": edit(
        "AWS::CloudTrail::Trail", lambda d: d["EventSelectors"]["EventSelectors"][0].update(
            ReadWriteType="WriteOnly")),
    "aws.kms.customer_key_rotation": edit("AWS::KMS::Key", _set("KeyRotationEnabled", False)),
    "aws.config.enabled_all_regions": edit("AWS::Config::ConfigurationRecorder",
                                           _set("Status.recording", False)),
    "aws.ec2.vpc_flow_logs_enabled": edit("AWS::EC2::VPC", _set("FlowLogs", [])),
    "aws.ec2.sg_no_admin_ingress_ipv4": edit("AWS::EC2::SecurityGroup", lambda d: d[
        "IpPermissions"].append({"IpProtocol": "tcp", "FromPort": 3300, "ToPort": 3400,
                                 "IpRanges": [{"CidrIp": "0.0.0.0/0"}]})),
    "aws.ec2.sg_no_admin_ingress_ipv6": edit("AWS::EC2::SecurityGroup", lambda d: d[
        "IpPermissions"].append({"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]})),
    "aws.ec2.default_sg_restricts_all": edit("AWS::EC2::SecurityGroup", lambda d: d[
        "IpPermissionsEgress"].append({"IpProtocol": "-1",
                                       "IpRanges": [{"CidrIp": "0.0.0.0/0"}]})),
    "aws.ec2.nacl_no_admin_ingress": edit("AWS::EC2::NetworkAcl", lambda d: d["Entries"].pop(0)),
    "aws.ec2.instance_imdsv2_required": edit("AWS::EC2::Instance",
                                             _set("MetadataOptions.HttpTokens", "optional")),
    "aws.ec2.instance_profile_attached": edit("AWS::EC2::Instance",
                                              lambda d: d.pop("IamInstanceProfile")),
    "aws.securityhub.enabled_all_regions": drop("AWS::SecurityHub::Hub",
                                                lambda i: i.region == "us-east-1"),
}
BREAKERS.update({f"aws.cloudwatch.alarm_{slug}": _break_filter(slug) for slug in PATTERNS})

#: Extra failing variants for the metric-alarm chain (same rule, other link broken).
ALARM_CHAIN_BREAKS: dict[str, Mutator] = {
    "no alarm": drop("AWS::CloudWatch::Alarm"),
    "no subscriber": edit("AWS::SNS::Topic", _set("Subscriptions", [
        {"SubscriptionArn": "PendingConfirmation"}]), native_id=TOPIC_ARN),
    "trail not to logs": edit("AWS::CloudTrail::Trail",
                              lambda d: d.pop("CloudWatchLogsLogGroupArn")),
}
