"""Constants and the poll sequence shared by the AWS provider tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cloudconnectors.config import Settings, load_settings
from cloudconnectors.providers.aws.credentials import AwsCredentials
from cloudconnectors.providers.aws.provider import AwsProvider
from cloudconnectors.providers.aws.session import AwsSession
from cloudconnectors.providers.base import PollContext
from tests.support.sinks import MemorySink

REGIONS = ("eu-west-1", "us-east-1")
PLATFORM_ACCOUNT = "123456789012"  # moto's account for the "testing" keys
SEEDED_ACCOUNT = "111111111111"
EMPTY_ACCOUNT = "222222222222"
EXTERNAL_ID = "cc-ext-3f9a2b7c5d1e"


def make_settings(tmp_path: Path, endpoint: str, **extra: str) -> Settings:
    options = {"aws_regions": ",".join(REGIONS), "aws_max_attempts": "3", **extra}
    return load_settings(data_dir=tmp_path, aws_endpoint_url=endpoint, extra=options)


def credentials(account: str, role: str = "CloudConnectors") -> AwsCredentials:
    return AwsCredentials(role_arn=f"arn:aws:iam::{account}:role/{role}",
                          external_id=EXTERNAL_ID)


@dataclass
class Poll:
    sink: MemorySink
    session: AwsSession


def run_poll(context: PollContext, creds: AwsCredentials) -> Poll:
    """What the poll service does with a provider: authenticate, discover, collect."""
    session = AwsProvider().authenticate(creds, context)
    assert isinstance(session, AwsSession)
    sink = MemorySink()
    try:
        regions = session.discover_regions()
        sink.regions_discovered(regions)
        session.collect(regions, sink)
    finally:
        session.close()
    return Poll(sink, session)
