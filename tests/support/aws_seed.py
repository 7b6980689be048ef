"""Seed a customer account in moto through real boto3 calls, for tests and benchmarks.

moto keys its state by account, and assumed-role credentials act in the role's account,
so every test can own a separate customer account and none needs a reset.
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import boto3

from cloudconnectors.providers.aws.platform import keep_endpoint_host

__all__ = ["PLATFORM_ENV", "account_session", "seed_account", "seed_extras"]

# The platform's own credentials for moto (account 123456789012).
PLATFORM_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}
_ROLE_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"}]})


def account_session(endpoint: str, account_id: str) -> boto3.Session:
    """Credentials that act inside ``account_id`` (moto honours the role's account)."""
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/seeder",
                            RoleSessionName="seed")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                         aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"], region_name="us-east-1")


def seed_account(
    session: boto3.Session, endpoint: str, regions: Sequence[str], *, instances: int = 0,
    buckets: int = 0, users: int = 0, security_groups: int = 0, workers: int = 8,
) -> None:
    """Spread instances and security groups evenly over ``regions``; buckets and users are
    global. Calls run on a few threads: seeding is I/O on one emulator."""
    lock = threading.Lock()

    def client(service: str, region: str = "us-east-1") -> Any:
        with lock:  # boto3 sessions are not thread-safe; clients are
            return session.client(service, region_name=region, endpoint_url=endpoint)

    # Bucket names are global across accounts, in moto as in AWS.
    account = client("sts").get_caller_identity()["Account"]

    def share(total: int, index: int) -> int:
        return total // len(regions) + (1 if index < total % len(regions) else 0)

    def ec2_region(index: int) -> None:
        """One job per region: moto's EC2 backend is not safe for concurrent writes to a
        single region (parallel CreateSecurityGroup answers 500)."""
        region = regions[index]
        ec2 = client("ec2", region)
        remaining = share(instances, index)
        while remaining:
            count = min(250, remaining)
            ec2.run_instances(
                ImageId="ami-12c6146b", MinCount=count, MaxCount=count, InstanceType="t3.micro",
                TagSpecifications=[{"ResourceType": "instance",
                                    "Tags": [{"Key": "Name", "Value": f"vm-{region}"}]}])
            remaining -= count
        for n in range(share(security_groups, index)):
            ec2.create_security_group(GroupName=f"sg-{n}", Description="seeded")

    def buckets_from(start: int) -> None:
        s3 = client("s3")
        for n in range(start, min(start + 50, buckets)):
            region = regions[n % len(regions)]
            extra = ({} if region == "us-east-1" else
                     {"CreateBucketConfiguration": {"LocationConstraint": region}})
            s3.create_bucket(Bucket=f"b{account}-{n:06d}", **extra)

    def users_from(start: int) -> None:
        iam = client("iam")
        for n in range(start, min(start + 50, users)):
            iam.create_user(UserName=f"user-{n:06d}")

    jobs: list[Callable[[], None]] = [partial(ec2_region, i) for i in range(len(regions))]
    jobs += [partial(buckets_from, n) for n in range(0, buckets, 50)]
    jobs += [partial(users_from, n) for n in range(0, users, 50)]
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def seed_extras(session: boto3.Session, endpoint: str, region: str, account_id: str) -> None:
    """One of most other collected types, so each declaration reads a real record."""
    def client(service: str, where: str = region) -> Any:
        made = session.client(service, region_name=where, endpoint_url=endpoint)
        if service == "s3control":
            keep_endpoint_host(made, endpoint)
        return made

    kms = client("kms")
    key_id = kms.create_key(Description="seeded")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id)
    s3 = client("s3", "us-east-1")
    trail_bucket = f"trail-{account_id}"
    s3.create_bucket(Bucket=trail_bucket)
    s3.put_bucket_policy(Bucket=trail_bucket, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",
        "Action": "s3:*", "Resource": f"arn:aws:s3:::{trail_bucket}/*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    s3.put_bucket_versioning(Bucket=trail_bucket, VersioningConfiguration={"Status": "Enabled"})
    client("s3control", "us-east-1").put_public_access_block(
        AccountId=account_id, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
    cloudtrail = client("cloudtrail")
    cloudtrail.create_trail(Name="main", S3BucketName=trail_bucket, IsMultiRegionTrail=True)
    cloudtrail.start_logging(Name="main")
    topic = client("sns").create_topic(Name="alerts")["TopicArn"]
    logs = client("logs")
    logs.create_log_group(logGroupName="trail-logs")
    logs.put_metric_filter(
        logGroupName="trail-logs", filterName="root-usage",
        filterPattern='{ $.userIdentity.type = "Root" }',
        metricTransformations=[{"metricName": "RootUsage", "metricNamespace": "CIS",
                                "metricValue": "1"}])
    client("cloudwatch").put_metric_alarm(
        AlarmName="root-usage", MetricName="RootUsage", Namespace="CIS", Statistic="Sum",
        Period=300, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[topic])
    iam = client("iam", "us-east-1")
    role = iam.create_role(RoleName=f"app-{region}", AssumeRolePolicyDocument=_ROLE_TRUST)
    client("config").put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": role["Role"]["Arn"],
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
    client("guardduty").create_detector(Enable=True)
    client("efs").create_file_system(CreationToken=f"fs-{region}")
    client("stepfunctions").create_state_machine(
        name="flow", roleArn=role["Role"]["Arn"],
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))
    client("glue").create_database(DatabaseInput={"Name": "analytics"})
    client("backup").create_backup_vault(BackupVaultName="vault")
    client("apigateway").create_rest_api(name="api")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("handler.py", "def handler(event, context):\n    return event\n")
    client("lambda").create_function(
        FunctionName="fn", Runtime="python3.11", Role=role["Role"]["Arn"],
        Handler="handler.handler", Code={"ZipFile": archive.getvalue()})
    eks = client("eks")
    eks.create_cluster(name="cluster", roleArn=role["Role"]["Arn"],
                       resourcesVpcConfig={"subnetIds": []})
    eks.create_fargate_profile(fargateProfileName="default", clusterName="cluster",
                               podExecutionRoleArn=role["Role"]["Arn"],
                               selectors=[{"namespace": "default"}])
    iam.create_policy(PolicyName=f"custom-{region}", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
