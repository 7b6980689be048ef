"""What collector results mean: failed, partial with a warning, or clean."""

from __future__ import annotations

from cloudconnectors.domain.runs import CollectorResult, Outcome, RunState
from cloudconnectors.domain.states import Discovery
from cloudconnectors.inventory.outcome import describe, judge


def result(outcome: Outcome, service: str = "ec2", region: str = "us-east-1",
           permission: str | None = None) -> CollectorResult:
    return CollectorResult(region, service, "AWS::EC2::Instance", outcome, permission=permission)


def test_all_ok() -> None:
    verdict = judge([result(Outcome.OK)], asset_count=3, found_vm=True)
    assert verdict.run_state is RunState.SUCCEEDED and verdict.discovery is Discovery.SUCCESS
    assert verdict.warning is None and verdict.error is None and not verdict.failed


def test_no_vm_means_regions_discovered() -> None:
    assert judge([], 0, False).discovery is Discovery.REGIONS_DISCOVERED
    assert judge([result(Outcome.OK)], 0, False).run_state is RunState.SUCCEEDED


def test_some_problems_give_a_warning_naming_them() -> None:
    verdict = judge([
        result(Outcome.OK),
        result(Outcome.DENIED, "s3", permission="s3:GetBucketPolicy"),
        result(Outcome.DENIED, "s3", "eu-west-1", permission="s3:GetBucketPolicy"),
        result(Outcome.THROTTLED, "lambda"),
        result(Outcome.SKIPPED, "qldb", "ap-south-1"),
    ], asset_count=5, found_vm=True)
    assert verdict.run_state is RunState.PARTIAL and verdict.discovery is Discovery.SUCCESS
    assert verdict.warning == (
        "some inventory was not read: 2 denied: s3:GetBucketPolicy (s3 in us-east-1), "
        "s3:GetBucketPolicy (s3 in eu-west-1); 1 throttled: lambda in us-east-1; "
        "1 skipped: qldb in ap-south-1"
    )


def test_nothing_read_is_a_failure_listing_what_was_denied() -> None:
    verdict = judge([
        result(Outcome.DENIED, "ec2", permission="ec2:DescribeInstances"),
        result(Outcome.FAILED, "s3"),
    ], asset_count=0, found_vm=False)
    assert verdict.failed and verdict.discovery is None
    assert verdict.error is not None
    assert "ec2:DescribeInstances (ec2 in us-east-1)" in verdict.error
    assert "1 failed: s3 in us-east-1" in verdict.error
    assert verdict.error.endswith("then press Refresh.")


def test_long_lists_are_cut() -> None:
    text = describe([result(Outcome.DENIED, f"svc{i}") for i in range(8)])
    assert text is not None and text.endswith("and 3 more") and text.startswith("8 denied")


def test_a_result_of_one_project_names_the_project() -> None:
    skipped = CollectorResult("global", "sqladmin", "sqladmin.googleapis.com/Instance",
                              Outcome.SKIPPED, permission="sqladmin.googleapis.com",
                              account="data-lake-22")
    assert describe([skipped]) == (
        "1 skipped: sqladmin.googleapis.com (sqladmin in data-lake-22)")
