"""Seed a small, realistic customer AWS account in the emulator.

The platform (moto's default account) assumes a role in the customer's account; moto's
assumed-role credentials act in that account, so the customer's resources live apart from
the platform's, as they would in real AWS. Some resources are deliberately imperfect (an SSH
port open to the world, a public bucket, a user without MFA) so reports have findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3

from cloudconnectors.demo.sandbox import EMULATOR_KEY_ID, EMULATOR_SECRET, PLATFORM_ACCOUNT_ID

CUSTOMER_ACCOUNT_ID = "111122223333"
ROLE_NAME = "CloudConnectorsAudit"
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
DEMO_AMI = "ami-0demo0000000001"
DEMO_CONSOLE_PASSWORD = "Demo-only-passw0rd!"  # a password inside the emulator only


@dataclass
class SeededAccount:
    account_id: str
    role_arn: str
    instances: dict[str, list[str]] = field(default_factory=dict)
    buckets: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)


def trust_policy(external_id: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{PLATFORM_ACCOUNT_ID}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
            }
        ],
    }


def _customer_session(endpoint: str, account_id: str) -> boto3.Session:
    sts = boto3.client(
        "sts",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=EMULATOR_KEY_ID,
        aws_secret_access_key=EMULATOR_SECRET,
    )
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
        RoleSessionName="cloudconnectors-demo-seed",
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def _seed_role(session: boto3.Session, endpoint: str, external_id: str) -> str:
    iam = session.client("iam", endpoint_url=endpoint)
    role = iam.create_role(
        RoleName=ROLE_NAME,
        AssumeRolePolicyDocument=json.dumps(trust_policy(external_id)),
        Description="Read-only access for Cloud Connectors (demo)",
    )["Role"]
    iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn="arn:aws:iam::aws:policy/SecurityAudit")
    fargate = iam.create_policy(
        PolicyName="CloudConnectorsEksFargateRead",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["eks:ListFargateProfiles", "eks:DescribeFargateProfile"],
                        "Resource": "*",
                    }
                ],
            }
        ),
    )["Policy"]
    iam.attach_role_policy(RoleName=ROLE_NAME, PolicyArn=fargate["Arn"])
    return str(role["Arn"])


def _seed_region(session: boto3.Session, endpoint: str, region: str, index: int) -> list[str]:
    ec2 = session.client("ec2", endpoint_url=endpoint, region_name=region)
    cidr = f"10.{10 + index}.0.0/16"
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": f"acme-{region}"}])
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.{10 + index}.1.0/24")["Subnet"][
        "SubnetId"
    ]
    web_sg = ec2.create_security_group(
        GroupName="web", Description="HTTPS from anywhere", VpcId=vpc_id
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=web_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
             "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    groups = [web_sg]
    if index == 0:  # the classic finding: SSH open to the whole internet
        ssh_sg = ec2.create_security_group(
            GroupName="legacy-admin", Description="SSH for the old bastion", VpcId=vpc_id
        )["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=ssh_sg,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                 "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "temporary"}]}
            ],
        )
        groups.append(ssh_sg)
    count = 2 if index == 0 else 1
    reservation = ec2.run_instances(
        ImageId=DEMO_AMI,
        MinCount=count,
        MaxCount=count,
        InstanceType="t3.small" if index == 0 else "t3.micro",
        SubnetId=subnet_id,
        SecurityGroupIds=groups,
        TagSpecifications=[
            {"ResourceType": "instance",
             "Tags": [{"Key": "Name", "Value": f"app-{region}"}, {"Key": "team", "Value": "web"}]}
        ],
    )
    return [i["InstanceId"] for i in reservation["Instances"]]


def _seed_storage(session: boto3.Session, endpoint: str, seeded: SeededAccount) -> None:
    kms = session.client("kms", endpoint_url=endpoint)
    key_id = kms.create_key(Description="acme audit logs")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id)
    kms.create_alias(AliasName="alias/acme-audit", TargetKeyId=key_id)

    s3 = session.client("s3", endpoint_url=endpoint)
    logs = f"acme-audit-logs-{seeded.account_id}"
    s3.create_bucket(Bucket=logs)
    s3.put_bucket_encryption(
        Bucket=logs,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id}}]
        },
    )
    s3.put_public_access_block(
        Bucket=logs,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True,
            "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
        },
    )
    public = f"acme-marketing-assets-{seeded.account_id}"
    s3.create_bucket(Bucket=public)
    s3.put_bucket_policy(
        Bucket=public,
        Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                           "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{public}/*"}],
        }),
    )
    seeded.buckets += [logs, public]

    trail = session.client("cloudtrail", endpoint_url=endpoint)
    trail.create_trail(Name="acme-org-trail", S3BucketName=logs, IsMultiRegionTrail=True)
    trail.start_logging(Name="acme-org-trail")


def _seed_users(session: boto3.Session, endpoint: str, seeded: SeededAccount) -> None:
    iam = session.client("iam", endpoint_url=endpoint)
    iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True)
    for name in ("alice", "build-bot"):
        iam.create_user(UserName=name)
        seeded.users.append(name)
    iam.create_login_profile(UserName="alice", Password=DEMO_CONSOLE_PASSWORD)
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    iam.enable_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"],
                          AuthenticationCode1="123456", AuthenticationCode2="654321")
    # build-bot: console password, old-style access key, and no MFA: a finding.
    iam.create_login_profile(UserName="build-bot", Password=DEMO_CONSOLE_PASSWORD)
    iam.create_access_key(UserName="build-bot")
    iam.attach_user_policy(UserName="build-bot",
                           PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")


def seed_customer_account(
    endpoint: str, external_id: str, account_id: str = CUSTOMER_ACCOUNT_ID
) -> SeededAccount:
    """Create the customer's audit role (trusting the platform with ``external_id``) and a
    handful of resources in three regions."""
    session = _customer_session(endpoint, account_id)
    seeded = SeededAccount(account_id, _seed_role(session, endpoint, external_id))
    for index, region in enumerate(REGIONS):
        seeded.instances[region] = _seed_region(session, endpoint, region, index)
    _seed_storage(session, endpoint, seeded)
    _seed_users(session, endpoint, seeded)
    return seeded
