"""The contract between the AWS collector and these rules: which types are stored, and which
detail keys each stored record carries beside the raw list/describe item.

Type names are CloudFormation types. ``data`` is the boto3 list/describe record; detail calls
are merged under the keys below. When a detail call was refused, the collector leaves the key
out and records ``data["_cc_errors"] = {"<key>": "<error code>"}``; rules then answer MANUAL
naming the permission from ``DETAIL_PERMISSIONS``. The collector is expected to assert its own
output against ``COLLECTED_AWS_TYPES`` (a meta test on each side keeps the two honest).
"""

from __future__ import annotations

from typing import Final

ERRORS_KEY: Final = "_cc_errors"

#: Every AWS resource type a rule may read, with the permission that lists it.
LIST_PERMISSIONS: Final[dict[str, str]] = {
    "AWS::IAM::User": "iam:GetAccountAuthorizationDetails",
    "AWS::IAM::AccountPasswordPolicy": "iam:GetAccountPasswordPolicy",
    "AWS::IAM::AccountSummary": "iam:GetAccountSummary",
    "AWS::IAM::CredentialReport": "iam:GetCredentialReport",
    "AWS::IAM::ManagedPolicy": "iam:ListPolicies",
    "AWS::IAM::Role": "iam:GetAccountAuthorizationDetails",
    "AWS::IAM::Group": "iam:GetAccountAuthorizationDetails",
    "AWS::S3::Bucket": "s3:ListAllMyBuckets",
    "AWS::S3::AccountPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
    "AWS::EC2::Instance": "ec2:DescribeInstances",
    "AWS::EC2::SecurityGroup": "ec2:DescribeSecurityGroups",
    "AWS::EC2::VPC": "ec2:DescribeVpcs",
    "AWS::EC2::Subnet": "ec2:DescribeSubnets",
    "AWS::EC2::NetworkInterface": "ec2:DescribeNetworkInterfaces",
    "AWS::EC2::Volume": "ec2:DescribeVolumes",
    "AWS::EC2::Snapshot": "ec2:DescribeSnapshots",
    "AWS::EC2::Image": "ec2:DescribeImages",
    "AWS::EC2::NetworkAcl": "ec2:DescribeNetworkAcls",
    "AWS::EC2::EBSEncryptionByDefault": "ec2:GetEbsEncryptionByDefault",
    "AWS::KMS::Key": "kms:ListKeys",
    "AWS::CloudTrail::Trail": "cloudtrail:DescribeTrails",
    "AWS::Config::ConfigurationRecorder": "config:DescribeConfigurationRecorders",
    "AWS::RDS::DBInstance": "rds:DescribeDBInstances",
    "AWS::RDS::DBSnapshot": "rds:DescribeDBSnapshots",
    "AWS::EFS::FileSystem": "elasticfilesystem:DescribeFileSystems",
    "AWS::Logs::LogGroup": "logs:DescribeLogGroups",
    "AWS::Logs::MetricFilter": "logs:DescribeMetricFilters",
    "AWS::CloudWatch::Alarm": "cloudwatch:DescribeAlarms",
    "AWS::SNS::Topic": "sns:ListTopics",
    "AWS::Lambda::Function": "lambda:ListFunctions",
    "AWS::EKS::Cluster": "eks:ListClusters",
    "AWS::GuardDuty::Detector": "guardduty:ListDetectors",
    "AWS::AccessAnalyzer::Analyzer": "access-analyzer:ListAnalyzers",
    "AWS::SecurityHub::Hub": "securityhub:DescribeHub",
}

#: The AWS types the collector stores and rules may rely on.
COLLECTED_AWS_TYPES: Final[frozenset[str]] = frozenset(LIST_PERMISSIONS)

#: (type, detail key) -> the permission of the detail call that fills it.
DETAIL_PERMISSIONS: Final[dict[tuple[str, str], str]] = {
    ("AWS::IAM::User", "AccessKeys"): "iam:ListAccessKeys",
    ("AWS::IAM::ManagedPolicy", "Document"): "iam:GetPolicyVersion",
    ("AWS::S3::Bucket", "BucketRegion"): "s3:GetBucketLocation",
    ("AWS::S3::Bucket", "Policy"): "s3:GetBucketPolicy",
    ("AWS::S3::Bucket", "Acl"): "s3:GetBucketAcl",
    ("AWS::S3::Bucket", "PublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("AWS::S3::Bucket", "Encryption"): "s3:GetEncryptionConfiguration",
    ("AWS::S3::Bucket", "Versioning"): "s3:GetBucketVersioning",
    ("AWS::S3::Bucket", "Logging"): "s3:GetBucketLogging",
    ("AWS::EC2::VPC", "FlowLogs"): "ec2:DescribeFlowLogs",
    ("AWS::KMS::Key", "KeyMetadata"): "kms:DescribeKey",
    ("AWS::KMS::Key", "KeyRotationEnabled"): "kms:GetKeyRotationStatus",
    ("AWS::CloudTrail::Trail", "Status"): "cloudtrail:GetTrailStatus",
    ("AWS::CloudTrail::Trail", "EventSelectors"): "cloudtrail:GetEventSelectors",
    ("AWS::CloudTrail::Trail", "BucketLogging"): "s3:GetBucketLogging",
    ("AWS::Config::ConfigurationRecorder", "Status"):
        "config:DescribeConfigurationRecorderStatus",
    ("AWS::SNS::Topic", "Subscriptions"): "sns:ListSubscriptionsByTopic",
}

#: Detail keys of ``DETAIL_PERMISSIONS`` that no built-in rule reads: a poll fetches them only
#: for a tenant whose custom rules name them (three S3 calls per bucket otherwise spent).
CUSTOM_ONLY_DETAILS: Final[frozenset[tuple[str, str]]] = frozenset({
    ("AWS::IAM::User", "AccessKeys"),  # the credential report answers the key rules
    ("AWS::S3::Bucket", "BucketRegion"),
    ("AWS::S3::Bucket", "Acl"),
    ("AWS::S3::Bucket", "Encryption"),
    ("AWS::S3::Bucket", "Logging"),  # the trail's BucketLogging answers CIS
})

#: Keys documented per type, for people and for the collector's meta test.
SHAPES: Final[dict[str, str]] = {
    "AWS::IAM::User": "GetAccountAuthorizationDetails UserDetailList item (GroupList, Tags, "
    "PermissionsBoundary) with AttachedPolicies (its AttachedManagedPolicies) and Policies "
    "(inline policy names), + AccessKeys (ListAccessKeys items; full inventory or custom "
    "rules); MFA and key state come from the credential report",
    "AWS::IAM::AccountPasswordPolicy": "GetAccountPasswordPolicy PasswordPolicy, or "
    "{'Configured': False} when the account has none; region global",
    "AWS::IAM::AccountSummary": "GetAccountSummary SummaryMap",
    "AWS::IAM::CredentialReport": "one asset per report row (per user, and <root_account> "
    "where AWS lists it): the CSV columns as strings; native id = the arn column",
    "AWS::IAM::ManagedPolicy": "ListPolicies item (Scope=Local, plus Scope=AWS OnlyAttached) "
    "+ Document (default version "
    "document)",
    "AWS::IAM::Role": "GetAccountAuthorizationDetails RoleDetailList item with "
    "AttachedPolicies and Policies (inline names), as for users",
    "AWS::IAM::Group": "GetAccountAuthorizationDetails GroupDetailList item with "
    "AttachedPolicies and Policies (inline names), as for users",
    "AWS::S3::Bucket": "ListBuckets item + BucketRegion, Policy (parsed JSON or None), Acl, "
    "PublicAccessBlock (configuration dict), Encryption, Versioning (incl. MFADelete), Logging "
    "(GetBucketLogging response: LoggingEnabled when on)",
    "AWS::S3::AccountPublicAccessBlock": "one asset: the PublicAccessBlockConfiguration dict, "
    "or {'Configured': False}",
    "AWS::EC2::Instance": "DescribeInstances instance item",
    "AWS::EC2::SecurityGroup": "DescribeSecurityGroups item",
    "AWS::EC2::VPC": "DescribeVpcs item + FlowLogs (DescribeFlowLogs items for this VPC)",
    "AWS::EC2::NetworkAcl": "DescribeNetworkAcls item",
    "AWS::EC2::EBSEncryptionByDefault": "per region: {'EbsEncryptionByDefault': bool}",
    "AWS::KMS::Key": "ListKeys item + KeyMetadata (DescribeKey) + KeyRotationEnabled "
    "(GetKeyRotationStatus; None without a call for keys that cannot rotate: AWS-managed, "
    "asymmetric, imported, disabled)",
    "AWS::CloudTrail::Trail": "DescribeTrails item + Status (GetTrailStatus) + EventSelectors "
    "(GetEventSelectors response: EventSelectors and/or AdvancedEventSelectors) + "
    "BucketLogging (GetBucketLogging on S3BucketName: LoggingEnabled when on; None when the "
    "trail names no bucket)",
    "AWS::Config::ConfigurationRecorder": "DescribeConfigurationRecorders item + Status "
    "(its DescribeConfigurationRecorderStatus item)",
    "AWS::RDS::DBInstance": "DescribeDBInstances item",
    "AWS::EFS::FileSystem": "DescribeFileSystems item",
    "AWS::Logs::MetricFilter": "DescribeMetricFilters item (logGroupName, filterPattern, "
    "metricTransformations)",
    "AWS::CloudWatch::Alarm": "DescribeAlarms MetricAlarms item",
    "AWS::SNS::Topic": "ListTopics item + Subscriptions (ListSubscriptionsByTopic items)",
    "AWS::AccessAnalyzer::Analyzer": "ListAnalyzers item",
    "AWS::SecurityHub::Hub": "DescribeHub response, one per enabled region",
}
