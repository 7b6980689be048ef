"""Region discovery keeps to the role's partition: moto, like some SDK data, lists China and
GovCloud regions beside the commercial ones; a commercial role must never poll or report them."""

from __future__ import annotations

from pathlib import Path

from cloudconnectors.providers.aws.provider import AwsProvider
from cloudconnectors.providers.aws.session import partition_of
from cloudconnectors.providers.base import PollContext
from tests.providers.aws.polling import EMPTY_ACCOUNT, credentials, make_settings
from tests.support.fault_proxy import FaultProxy


def test_partition_of_a_region() -> None:
    assert [partition_of(r) for r in ("eu-west-1", "cn-north-1", "us-gov-west-1",
                                      "us-iso-east-1", "us-isob-east-1", "us-east-1")] == [
        "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws"]


def test_discovery_drops_regions_of_other_partitions(
    tmp_path: Path, fault_proxy: FaultProxy
) -> None:
    settings = make_settings(tmp_path, fault_proxy.url, aws_regions="")
    context = PollContext(settings, tenant_id="tenant-1", connector_id="conn-1")
    session = AwsProvider().authenticate(credentials(EMPTY_ACCOUNT), context)
    try:
        regions = session.discover_regions()
    finally:
        session.close()
    assert "us-east-1" in regions and "eu-west-1" in regions
    assert [r for r in regions if partition_of(r) != "aws"] == []
    # moto answers DescribeRegions with cn-* and us-gov-* regions too: the filter keeps them out.
    assert ("ec2", "DescribeRegions") in fault_proxy.seen
