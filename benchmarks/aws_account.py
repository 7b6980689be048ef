"""A deterministic, deliberately misconfigured AWS account in moto, sized by a scale factor.

Used by ``benchmarks/aws_vs_peers.py`` so that our poll + CIS evaluation and a peer tool read
exactly the same account. Every kind comes in a good and a bad variant (users with and
without MFA and keys, security groups open and closed, IMDSv1 and IMDSv2 instances,
encrypted and plain volumes and snapshots, public and private buckets, KMS keys rotated or
not, RDS public or private, Lambda functions) so rules of both verdicts do real work. Names
are fixed by index: the same scale always builds the same account.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import boto3

from cloudconnectors.providers.aws.platform import keep_endpoint_host

__all__ = ["Counts", "seed_scaled_account"]

_LAMBDA_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"}]})
_ADMIN = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]})


@dataclass(frozen=True)
class Counts:
    """How many of each kind one scale builds (per region where it says so)."""

    users: int
    buckets: int
    security_groups: int  # per region
    instances: int  # per region
    volumes: int  # per region
    snapshots: int  # per region
    keys: int  # per region
    databases: int  # per region
    functions: int  # per region

    @classmethod
    def at(cls, scale: int) -> Counts:
        third = max(1, math.ceil(scale / 3))
        return cls(users=4 * scale, buckets=3 * scale, security_groups=2 * scale,
                   instances=2 * scale, volumes=2 * scale, snapshots=scale, keys=scale,
                   databases=third, functions=third)


def seed_scaled_account(session: boto3.Session, endpoint: str, account_id: str,
                        regions: Sequence[str], scale: int) -> Counts:
    """Build the account; global kinds live in ``regions[0]``. One job per region (moto's
    EC2 backend is not safe for concurrent writes in one region) plus one for IAM and S3."""
    counts = Counts.at(scale)

    def client(service: str, region: str) -> Any:
        made = session.client(service, region_name=region, endpoint_url=endpoint)
        if service == "s3control":
            keep_endpoint_host(made, endpoint)
        return made

    home = regions[0]
    iam = client("iam", home)
    role_arn = str(iam.create_role(RoleName="bench-lambda",
                                   AssumeRolePolicyDocument=_LAMBDA_TRUST)["Role"]["Arn"])
    jobs: list[Callable[[], None]] = [
        lambda: _iam(client("iam", home), counts),
        lambda: _s3_and_trail(client, home, account_id, counts),
    ]
    jobs += [(lambda r=region: _region(client, r, role_arn, counts)) for region in regions]
    with ThreadPoolExecutor(len(jobs)) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()
    return counts


def _iam(iam: Any, counts: Counts) -> None:
    iam.update_account_password_policy(MinimumPasswordLength=8)
    admin = iam.create_policy(PolicyName="admin-all", PolicyDocument=_ADMIN)["Policy"]["Arn"]
    for n in range(counts.users):
        name = f"user-{n:04d}"
        iam.create_user(UserName=name)
        iam.create_login_profile(UserName=name, Password="Correct-Horse-Battery-9")
        if n % 2 == 0:
            serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)[
                "VirtualMFADevice"]["SerialNumber"]
            iam.enable_mfa_device(UserName=name, SerialNumber=serial,
                                  AuthenticationCode1="123456", AuthenticationCode2="654321")
        for _ in range(n % 3):  # 0, 1 or 2 access keys
            iam.create_access_key(UserName=name)
        if n % 4 == 3:
            iam.attach_user_policy(UserName=name, PolicyArn=admin)


def _s3_and_trail(client: Callable[[str, str], Any], home: str, account_id: str,
                  counts: Counts) -> None:
    s3 = client("s3", home)
    for n in range(counts.buckets):
        name = f"bench-{account_id}-{n:04d}"
        s3.create_bucket(Bucket=name)
        if n % 2 == 0:  # public by ACL, no versioning
            s3.put_bucket_acl(Bucket=name, ACL="public-read")
            continue
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    trail_bucket = f"bench-trail-{account_id}"
    s3.create_bucket(Bucket=trail_bucket)
    cloudtrail = client("cloudtrail", home)
    cloudtrail.create_trail(Name="main", S3BucketName=trail_bucket, IsMultiRegionTrail=True)
    cloudtrail.start_logging(Name="main")


def _region(client: Callable[[str, str], Any], region: str, role_arn: str,
            counts: Counts) -> None:
    ec2 = client("ec2", region)
    [vpc] = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    groups = []
    for n in range(counts.security_groups):
        group = ec2.create_security_group(GroupName=f"sg-{n:04d}", Description="bench",
                                          VpcId=vpc["VpcId"])["GroupId"]
        cidr, port = ("0.0.0.0/0", 22) if n % 2 == 0 else ("10.0.0.0/8", 443)
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
            "IpRanges": [{"CidrIp": cidr}]}])
        groups.append(group)
    for n in range(counts.instances):
        ec2.run_instances(
            ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
            SecurityGroupIds=[groups[n % len(groups)]],
            MetadataOptions={"HttpTokens": "required" if n % 2 else "optional",
                             "HttpEndpoint": "enabled"},
            TagSpecifications=[{"ResourceType": "instance",
                                "Tags": [{"Key": "Name", "Value": f"vm-{n:04d}"}]}])
    zone = f"{region}a"
    volumes = [ec2.create_volume(AvailabilityZone=zone, Size=8, Encrypted=n % 2 == 1)["VolumeId"]
               for n in range(counts.volumes)]
    for n in range(counts.snapshots):
        ec2.create_snapshot(VolumeId=volumes[n % len(volumes)], Description=f"snap-{n:04d}")
    kms = client("kms", region)
    for n in range(counts.keys):
        key = kms.create_key(Description=f"key-{n:04d}")["KeyMetadata"]["KeyId"]
        if n % 2 == 0:
            kms.enable_key_rotation(KeyId=key)
    rds = client("rds", region)
    for n in range(counts.databases):
        rds.create_db_instance(
            DBInstanceIdentifier=f"db-{n:04d}", Engine="postgres", DBInstanceClass="db.t3.micro",
            AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="Sup3r-Secret-Pw",
            StorageEncrypted=n % 2 == 1, PubliclyAccessible=n % 2 == 0,
            AutoMinorVersionUpgrade=n % 2 == 1)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("handler.py", "def handler(event, context):\n    return event\n")
    functions = client("lambda", region)
    for n in range(counts.functions):
        functions.create_function(
            FunctionName=f"fn-{n:04d}", Runtime="python3.12", Role=role_arn,
            Handler="handler.handler", Code={"ZipFile": archive.getvalue()},
            Environment={"Variables": {"STAGE": "bench"}})
