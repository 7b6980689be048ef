"""Error classification is pure: exceptions in, outcomes with reasons out."""

from __future__ import annotations

from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.aws.faults import classify


def _error(code: str, status: int, operation: str = "DescribeInstances") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "nope"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, operation)


def test_denied_names_the_iam_action() -> None:
    fault = classify(_error("UnauthorizedOperation", 403), "ec2")
    assert fault.outcome is Outcome.DENIED
    assert fault.permission == "ec2:DescribeInstances"
    s3 = classify(_error("AccessDenied", 403, "ListBuckets"), "s3")
    assert s3.permission == "s3:ListAllMyBuckets"
    elb = classify(_error("AccessDenied", 403, "DescribeLoadBalancers"), "elbv2")
    assert elb.permission == "elasticloadbalancing:DescribeLoadBalancers"


def test_throttling_skipping_and_failures() -> None:
    assert classify(_error("ThrottlingException", 400), "kms").outcome is Outcome.THROTTLED
    assert classify(_error("Whatever", 429), "eks").outcome is Outcome.THROTTLED
    assert classify(_error("OptInRequired", 401), "ec2").outcome is Outcome.SKIPPED
    failed = classify(_error("InternalError", 500), "ec2")
    assert failed.outcome is Outcome.FAILED and "500" in failed.reason
    assert classify(_error("NotImplemented", 501), "ec2").outcome is Outcome.FAILED
    timeout = classify(ReadTimeoutError(endpoint_url="http://x"), "ec2")
    assert timeout.outcome is Outcome.FAILED
    unreachable = classify(EndpointConnectionError(endpoint_url="http://x"), "ec2")
    assert unreachable.outcome is Outcome.FAILED
