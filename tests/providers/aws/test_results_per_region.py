"""The number of results a poll reports per region is what progress displays are told."""

from __future__ import annotations

from collections import Counter

from cloudconnectors.domain.assets import GLOBAL_REGION
from cloudconnectors.providers.aws.provider import AwsProvider
from cloudconnectors.providers.base import PollContext
from tests.providers.aws.polling import REGIONS, credentials, run_poll


def test_each_region_reports_the_announced_number_of_results(
    seeded_account: str, context: PollContext
) -> None:
    sink = run_poll(context, credentials(seeded_account)).sink
    per_region = Counter(r.region for r in sink.results)
    provider = AwsProvider()
    assert per_region[GLOBAL_REGION] == provider.results_per_region("global")
    for region in REGIONS:
        assert per_region[region] == provider.results_per_region("regional")
