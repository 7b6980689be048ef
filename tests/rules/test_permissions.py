"""Data the poll could not read answers MANUAL naming the permission: never pass, never fail."""

from __future__ import annotations

from cloudconnectors.rules.engine import UNREAD_PREFIX
from cloudconnectors.rules.model import ACCOUNT_KEY, Status
from tests.rules.fixtures import ACCOUNT, drop, edit, good_account
from tests.rules.helpers import of_rule, run, statuses


def test_refused_detail_on_asset_is_manual_with_permission() -> None:
    def refuse(d: dict) -> None:
        d.pop("Policy")
        d["_cc_errors"] = {"Policy": "AccessDenied"}

    results = of_rule(run(edit("AWS::S3::Bucket", refuse, native_id="data")(good_account())),
                      "aws.s3.bucket_deny_http")
    by_bucket = {r.resource_id: r for r in results}
    assert by_bucket["data"].status is Status.MANUAL
    assert "s3:GetBucketPolicy" in by_bucket["data"].reason
    assert "AccessDenied" in by_bucket["data"].reason
    assert by_bucket["trail-logs"].status is Status.PASS


def test_missing_detail_key_is_manual_not_collected() -> None:
    results = of_rule(run(edit("AWS::IAM::CredentialReport", lambda d: d.pop("mfa_active"),
                               native_id=f"arn:aws:iam::{ACCOUNT}:user/alice")(
        good_account())), "aws.iam.user_console_mfa")
    manual = [r for r in results if r.status is Status.MANUAL]
    assert len(manual) == 1
    assert "not collected" in manual[0].reason and "iam:GetCredentialReport" in manual[0].reason


def test_denied_detail_pair_explains_missing_key() -> None:
    items = edit("AWS::EC2::VPC", lambda d: d.pop("FlowLogs"))(good_account())
    results = of_rule(run(items, denied={("AWS::EC2::VPC", "ec2:DescribeFlowLogs")}),
                      "aws.ec2.vpc_flow_logs_enabled")
    manual = [r for r in results if r.status is Status.MANUAL]
    assert manual and "denied ec2:DescribeFlowLogs" in manual[0].reason
    # a detail denial is not a listing denial: no synthetic resource
    assert not [r for r in results if r.resource_key.startswith(UNREAD_PREFIX)]


def test_listing_denial_adds_manual_per_rule_of_that_type() -> None:
    denied = {("AWS::RDS::DBInstance", "rds:DescribeDBInstances")}
    results = run(drop("AWS::RDS::DBInstance")(good_account()), denied=denied)
    for rule_id in ("aws.rds.instance_storage_encrypted", "aws.rds.instance_not_public"):
        rows = of_rule(results, rule_id)
        assert [(r.resource_key, r.region, r.status) for r in rows] == [
            (UNREAD_PREFIX + ":*:AWS::RDS::DBInstance", "*", Status.MANUAL)]
        assert "rds:DescribeDBInstances" in rows[0].reason


def test_listing_denial_makes_account_rule_manual_even_if_it_would_fail() -> None:
    items = drop("AWS::CloudTrail::Trail")(good_account())  # would fail: no trail at all
    results = run(items, denied={("AWS::CloudTrail::Trail", "cloudtrail:DescribeTrails")})
    rows = of_rule(results, "aws.cloudtrail.multi_region_management_events")
    assert [(r.resource_key, r.status) for r in rows] == [(ACCOUNT_KEY, Status.MANUAL)]
    assert "cloudtrail:DescribeTrails" in rows[0].reason
    assert statuses(results, "aws.cloudwatch.alarm_root_usage") == {Status.MANUAL}


def test_failed_listing_is_manual_not_a_fail() -> None:
    """A list call that failed (a pair without permission, as for moto's 500 on Access
    Analyzer) must not read as "nothing configured"."""
    items = drop("AWS::AccessAnalyzer::Analyzer")(good_account())
    results = run(items, denied={("AWS::AccessAnalyzer::Analyzer", None)})
    rows = of_rule(results, "aws.accessanalyzer.enabled_all_regions")
    assert [(r.resource_key, r.status) for r in rows] == [(ACCOUNT_KEY, Status.MANUAL)]
    assert rows[0].reason == ("not evaluated: AWS::AccessAnalyzer::Analyzer in every region "
                              "could not be read in this poll (the list call failed)")
    both = run(drop("AWS::RDS::DBInstance")(good_account()), denied={
        ("AWS::RDS::DBInstance", None), ("AWS::RDS::DBInstance", "rds:DescribeDBInstances")})
    [row] = of_rule(both, "aws.rds.instance_not_public")
    assert row.status is Status.MANUAL and "denied rds:DescribeDBInstances" in row.reason


def test_refused_status_on_trail_makes_account_rule_manual() -> None:
    def refuse(d: dict) -> None:
        d.pop("Status")
        d["_cc_errors"] = {"Status": "AccessDeniedException"}

    results = run(edit("AWS::CloudTrail::Trail", refuse)(good_account()))
    rows = of_rule(results, "aws.cloudtrail.multi_region_management_events")
    assert rows[0].status is Status.MANUAL and "cloudtrail:GetTrailStatus" in rows[0].reason


def test_singleton_not_collected_is_manual() -> None:
    results = run(drop("AWS::IAM::AccountSummary")(good_account()))
    assert statuses(results, "aws.iam.root_mfa_enabled") == {Status.MANUAL}


def test_malformed_data_is_manual_not_a_crash() -> None:
    results = run(edit("AWS::EC2::SecurityGroup", lambda d: d.update(
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": "x", "ToPort": 5,
                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]))(good_account()))
    rows = [r for r in of_rule(results, "aws.ec2.sg_no_admin_ingress_ipv4")
            if r.status is Status.MANUAL]
    assert rows and "unexpected data shape" in rows[0].reason
