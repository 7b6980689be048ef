"""End-to-end polls: real boto3 -> fault proxy -> moto server, one customer account each."""

from __future__ import annotations

import pytest

from cloudconnectors.domain.assets import CollectedAsset
from cloudconnectors.domain.errors import AuthenticationFailed
from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.aws.engine import ERRORS_KEY
from cloudconnectors.providers.aws.provider import AwsProvider
from cloudconnectors.providers.base import Access, PollContext
from tests.providers.aws.polling import (
    EMPTY_ACCOUNT,
    EXTERNAL_ID,
    PLATFORM_ACCOUNT,
    REGIONS,
    credentials,
    run_poll,
)
from tests.support.fault_proxy import DENIED, ERROR_500, THROTTLE, FaultProxy, Rule
from tests.support.sinks import MOTO_UNSUPPORTED, MemorySink

VM = "AWS::EC2::Instance"


def test_success_collects_instances_in_every_region(
    seeded_account: str, context: PollContext
) -> None:
    poll = run_poll(context, credentials(seeded_account))
    sink = poll.sink

    assert sink.regions == list(REGIONS)
    assert {a.region for a in sink.of_type(VM)} == set(REGIONS)
    assert len(sink.of_type(VM)) == 6
    assert sink.problems() == []
    # moto answers 500 for what it does not implement: recorded per region, the poll went on.
    assert {(r.resource_type, r.region) for r in sink.emulator_gaps()} == {
        (t, region) for t in MOTO_UNSUPPORTED for region in REGIONS}
    vm = sink.of_type(VM)[0]
    assert vm.native_id.startswith("i-") and vm.name == f"vm-{vm.region}"
    assert isinstance(vm.data["LaunchTime"], str)  # JSON-ready
    # Each (region, type) reported exactly once; global types once, as ``global``.
    keys = [(r.region, r.resource_type) for r in sink.results]
    assert len(keys) == len(set(keys))
    assert sink.result("AWS::IAM::User", "global").count == 3
    assert poll.session.meter.total_calls == sum(r.calls for r in sink.results) + 1


def test_success_reads_details_and_account_settings(
    seeded_account: str, context: PollContext
) -> None:
    sink = run_poll(context, credentials(seeded_account)).sink

    [trail_bucket] = [b for b in sink.of_type("AWS::S3::Bucket")
                      if b.native_id == f"trail-{seeded_account}"]
    assert trail_bucket.region == "global"
    assert trail_bucket.data["BucketRegion"] == "us-east-1"
    assert trail_bucket.data["Policy"]["Statement"][0]["Effect"] == "Deny"
    assert trail_bucket.data["Versioning"]["Status"] == "Enabled"
    assert {b.data["BucketRegion"] for b in sink.of_type("AWS::S3::Bucket")} == set(REGIONS)
    [account_block] = sink.of_type("AWS::S3::AccountPublicAccessBlock")
    assert account_block.native_id == seeded_account
    assert account_block.data["BlockPublicPolicy"] is True
    [key] = sink.of_type("AWS::KMS::Key")
    assert key.data["KeyRotationEnabled"] is True
    [trail] = sink.of_type("AWS::CloudTrail::Trail")
    assert trail.data["Status"]["IsLogging"] is True
    assert "EventSelectors" in trail.data
    # The trail bucket's access logging, read through S3 once for the trail; off here.
    assert trail.data["BucketLogging"] is not None
    assert "LoggingEnabled" not in trail.data["BucketLogging"]
    assert ERRORS_KEY not in trail.data
    # Principals with their policies from GetAccountAuthorizationDetails, keys per user.
    user = next(u for u in sink.of_type("AWS::IAM::User") if u.name == "user-000000")
    assert user.native_id.endswith(":user/user-000000")
    assert (user.data["AttachedPolicies"], user.data["Policies"]) == ([], [])
    assert isinstance(user.data["AccessKeys"], list)
    assert sink.of_type("AWS::IAM::Role") and all(
        isinstance(r.data["AttachedPolicies"], list) for r in sink.of_type("AWS::IAM::Role"))
    [recorder] = sink.of_type("AWS::Config::ConfigurationRecorder")
    assert "recording" in recorder.data["Status"]
    assert sink.of_type("AWS::EKS::FargateProfile")[0].name == "default"
    [policy] = sink.of_type("AWS::IAM::AccountPasswordPolicy")
    assert policy.data == {"Configured": False}
    users = {row.name for row in sink.of_type("AWS::IAM::CredentialReport")}
    assert "user-000000" in users  # (moto omits the <root_account> row AWS adds)
    assert sink.of_type("AWS::Logs::MetricFilter")[0].native_id == "trail-logs:root-usage"
    for type_ in ("AWS::Lambda::Function", "AWS::EFS::FileSystem", "AWS::SNS::Topic",
                  "AWS::StepFunctions::StateMachine", "AWS::GuardDuty::Detector",
                  "AWS::Glue::Database", "AWS::Backup::BackupVault", "AWS::ApiGateway::RestApi",
                  "AWS::CloudWatch::Alarm", "AWS::IAM::ManagedPolicy"):
        assert sink.of_type(type_), type_


def test_regions_discovered_without_instances(context: PollContext) -> None:
    sink = run_poll(context, credentials(EMPTY_ACCOUNT)).sink

    assert sink.regions == list(REGIONS)
    assert sink.of_type(VM) == []
    assert not (AwsProvider.vm_types & {a.type for a in sink.assets})
    assert sink.problems() == []
    assert all(r.outcome is Outcome.OK for r in sink.results if r.resource_type == VM)


def test_offline_when_assume_role_is_refused(
    fault_proxy: FaultProxy, context: PollContext
) -> None:
    creds = credentials(EMPTY_ACCOUNT, role="Wrong")
    fault_proxy.add(Rule(action="AssumeRole", fields={"RoleArn": creds.role_arn}, fault=DENIED))

    with pytest.raises(AuthenticationFailed) as refused:
        AwsProvider().authenticate(creds, context)

    message = str(refused.value)
    assert creds.role_arn in message
    assert f"platform account {PLATFORM_ACCOUNT}" in message
    assert f"sts:ExternalId = {EXTERNAL_ID}" in message
    assert "trust policy" in message and "Refresh" in message


def test_offline_when_region_discovery_is_refused(
    fault_proxy: FaultProxy, context: PollContext
) -> None:
    fault_proxy.add(Rule(action="DescribeRegions", fault=DENIED))
    session = AwsProvider().authenticate(credentials(EMPTY_ACCOUNT), context)

    with pytest.raises(AuthenticationFailed, match="SecurityAudit"):
        session.discover_regions()


def test_partial_when_one_service_and_one_detail_are_denied(
    seeded_account: str, fault_proxy: FaultProxy, context: PollContext
) -> None:
    fault_proxy.add(Rule(service="elasticfilesystem", path=r"/file-systems", fault=DENIED))
    fault_proxy.add(Rule(action="GetKeyRotationStatus", fault=DENIED))
    fault_proxy.add(Rule(service="s3", method="GET", query="policy", fault=DENIED))

    sink = run_poll(context, credentials(seeded_account)).sink

    efs = sink.result("AWS::EFS::FileSystem", "us-east-1")
    assert efs.outcome is Outcome.DENIED
    assert efs.permission == "elasticfilesystem:DescribeFileSystems"
    kms = sink.result("AWS::KMS::Key", "us-east-1")
    assert kms.outcome is Outcome.PARTIAL
    assert kms.permission == "kms:GetKeyRotationStatus"
    [key] = sink.of_type("AWS::KMS::Key")  # still stored, with what was read
    assert key.data["KeyMetadata"]["Enabled"] is True
    assert key.data[ERRORS_KEY]["KeyRotationEnabled"]["permission"] == "kms:GetKeyRotationStatus"
    buckets = sink.result("AWS::S3::Bucket", "global")
    assert buckets.outcome is Outcome.PARTIAL and buckets.permission == "s3:GetBucketPolicy"
    assert all(ERRORS_KEY in b.data for b in sink.of_type("AWS::S3::Bucket"))
    assert len(sink.of_type(VM)) == 6
    others = [r for r in sink.problems()
              if r.resource_type not in {"AWS::EFS::FileSystem", "AWS::KMS::Key",
                                         "AWS::S3::Bucket"}]
    assert others == []

    items = {i.key: i for i in AwsProvider().diagnose(
        sink.results, context, credentials(seeded_account).public_view())}
    assert items["aws.custom"].access is Access.MISSING
    assert "elasticfilesystem:DescribeFileSystems" in items["aws.custom"].denied
    assert items["aws.custom"].policy is not None
    assert items["aws.security_audit"].access is Access.MISSING
    assert set(items["aws.security_audit"].denied) == {"kms:GetKeyRotationStatus",
                                                       "s3:GetBucketPolicy"}
    assert items["aws.eks_fargate"].access is Access.GRANTED
    assert items["aws.trust"].access is Access.GRANTED


def test_throttling_is_retried_then_reported(
    seeded_account: str, fault_proxy: FaultProxy, context: PollContext
) -> None:
    recovered = fault_proxy.add(Rule(action="DescribeInstances", fault=THROTTLE, times=2))
    fault_proxy.add(Rule(action="DescribeVpcs", region="eu-west-1", fault=THROTTLE))

    poll = run_poll(context, credentials(seeded_account))
    sink = poll.sink

    assert recovered.hits == 2
    assert len(sink.of_type(VM)) == 6  # retries got through
    assert any("throttled" in (r.reason or "") for r in sink.results
               if r.resource_type == VM and r.outcome is Outcome.OK)
    vpcs = sink.result("AWS::EC2::VPC", "eu-west-1")
    assert vpcs.outcome is Outcome.THROTTLED
    assert vpcs.error_code == "RequestLimitExceeded"
    assert vpcs.calls == 3  # max_attempts in the test settings
    assert sink.result("AWS::EC2::VPC", "us-east-1").outcome is Outcome.OK
    assert poll.session.meter.total_throttled == 2 + 3
    assert {r.resource_type for r in sink.problems()} == {"AWS::EC2::VPC"}


def test_server_errors_fail_one_collector_and_the_poll_goes_on(
    seeded_account: str, fault_proxy: FaultProxy, context: PollContext
) -> None:
    fault_proxy.add(Rule(action="ListTopics", fault=ERROR_500))

    sink = run_poll(context, credentials(seeded_account)).sink

    topics = sink.result("AWS::SNS::Topic", "us-east-1")
    assert topics.outcome is Outcome.FAILED
    assert "500" in (topics.reason or "")
    assert len(sink.of_type(VM)) == 6
    assert {r.resource_type for r in sink.problems()} == {"AWS::SNS::Topic"}


def test_platform_identity_refused_on_assume_role(
    fault_proxy: FaultProxy, context: PollContext
) -> None:
    fault_proxy.add(Rule(action="AssumeRole", fault=DENIED, code="InvalidClientTokenId"))

    with pytest.raises(AuthenticationFailed, match="the platform's AWS credentials are invalid"):
        AwsProvider().authenticate(credentials(EMPTY_ACCOUNT), context)


def test_several_refused_details_are_all_diagnosed(
    seeded_account: str, fault_proxy: FaultProxy, context: PollContext
) -> None:
    fault_proxy.add(Rule(service="s3", method="GET", query="acl", fault=DENIED))
    fault_proxy.add(Rule(service="s3", method="GET", query="logging", fault=DENIED))

    sink = run_poll(context, credentials(seeded_account)).sink

    buckets = sink.result("AWS::S3::Bucket", "global")
    assert buckets.outcome is Outcome.PARTIAL, buckets.reason
    items = {i.key: i for i in AwsProvider().diagnose(
        sink.results, context, credentials(seeded_account).public_view())}
    assert set(items["aws.security_audit"].denied) == {"s3:GetBucketAcl", "s3:GetBucketLogging"}


def test_a_failing_sink_stops_the_poll(context: PollContext) -> None:
    class Broken(MemorySink):
        def add(self, asset: CollectedAsset) -> None:
            raise OSError("disk full")

    session = AwsProvider().authenticate(credentials(EMPTY_ACCOUNT), context)
    with pytest.raises(OSError, match="disk full"):
        session.collect(["us-east-1"], Broken())
    session.close()
