"""``python -m tests.support.celery_worker [worker options]``: the real ``cloudconnectors
worker`` with the fake GCP provider in place of Google, for the scale-out tests.

The fake answers from memory; every collect is logged to ``CC_TEST_POLL_LOG`` as
``start <connector> <pid>`` and ``end <connector> <pid>`` lines (appends of one short line
are atomic), so a test can see across processes which polls ran and that none overlapped.
``CC_TEST_ASSET_DELAY`` slows each asset down (seconds); connectors listed in the file
``CC_TEST_SLOW_FILE`` (one ID a line, read at each poll) take ``CC_TEST_SLOW_DELAY`` per asset.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from cloudconnectors.cli.main import cli
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.providers import registry
from cloudconnectors.providers.base import (
    CloudSession,
    CollectionSink,
    PollContext,
    ProviderCredentials,
)
from tests.fakes.provider import FakeProvider, FakeSession, Plan

LOG_ENV = "CC_TEST_POLL_LOG"
DELAY_ENV = "CC_TEST_ASSET_DELAY"
SLOW_FILE_ENV = "CC_TEST_SLOW_FILE"
SLOW_DELAY_ENV = "CC_TEST_SLOW_DELAY"


def _slow(connector_id: str) -> bool:
    path = os.environ.get(SLOW_FILE_ENV)
    if not path or not os.path.exists(path):
        return False
    with open(path) as listed:
        return connector_id in listed.read().split()


def _log(line: str) -> None:
    fd = os.open(os.environ[LOG_ENV], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{line}\n".encode())
    finally:
        os.close(fd)


class _LoggedSession(CloudSession):
    def __init__(self, inner: CloudSession, connector_id: str) -> None:
        self.inner = inner
        self.connector_id = connector_id

    def discover_regions(self) -> list[str]:
        return self.inner.discover_regions()

    def collect(self, regions: Sequence[str], sink: CollectionSink) -> None:
        _log(f"start {self.connector_id} {os.getpid()}")
        self.inner.collect(regions, sink)
        _log(f"end {self.connector_id} {os.getpid()}")


class LoggedFakeProvider(FakeProvider):
    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        plan = self.plan
        if _slow(context.connector_id):
            plan = replace(plan, asset_delay=float(os.environ.get(SLOW_DELAY_ENV, "1")))
        return _LoggedSession(FakeSession(self, context.connector_id, plan), context.connector_id)


def main(argv: Sequence[str]) -> None:
    plan = Plan(vms=1, others=1, regions=("region-a",),
                asset_delay=float(os.environ.get(DELAY_ENV, "0")))
    with registry.override(ProviderName.GCP, LoggedFakeProvider(ProviderName.GCP, plan)):
        cli.main(["worker", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
