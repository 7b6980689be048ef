"""The fault proxy's request description and matching, without a server."""

from __future__ import annotations

from tests.support.fault_proxy import DENIED, Rule, _describe

AUTH = ("AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/{service}/aws4_request, "
        "SignedHeaders=host, Signature=x")


def test_query_json_rest_and_rpc_v2_requests_are_described() -> None:
    query = _describe("POST", "/", {"Authorization": AUTH.format(service="sts"),
                                    "Content-Type": "application/x-www-form-urlencoded"},
                      b"Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx")
    assert (query.protocol, query.action, query.service) == ("query", "AssumeRole", "sts")
    assert query.fields["RoleArn"] == "arn:aws:iam::1:role/x"
    target = _describe("POST", "/", {"Authorization": AUTH.format(service="kms"),
                                     "X-Amz-Target": "TrentService.ListKeys"}, b"{}")
    assert (target.protocol, target.action) == ("json", "ListKeys")
    rest = _describe("GET", "/bucket?policy", {"Authorization": AUTH.format(service="s3")}, b"")
    assert rest.protocol == "rest-xml" and "policy" in rest.query
    cbor = _describe("POST", "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
                     {"Authorization": AUTH.format(service="monitoring")}, b"")
    assert (cbor.protocol, cbor.action) == ("cbor", "DescribeAlarms")


def test_rules_match_generically_and_count_hits() -> None:
    request = _describe("POST", "/", {"Authorization": AUTH.format(service="ec2"),
                                      "Content-Type": "application/x-www-form-urlencoded"},
                        b"Action=DescribeVpcs")
    assert request.protocol == "ec2" and request.region == "eu-west-1"
    assert Rule(fault=DENIED, action="DescribeVpcs", region="eu-west-1").matches(request)
    assert not Rule(fault=DENIED, action="DescribeVpcs", region="us-east-1").matches(request)
    assert Rule(fault=DENIED, match=lambda r: r.service == "ec2").matches(request)
