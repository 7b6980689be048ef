"""An interrupted ``scan`` never leaves its connector stuck ``refreshing``.

Ctrl-C (SIGINT) or SIGTERM: the scan closes its run, releases its lease and exits 130 (143).
SIGKILL cannot be handled: the lease then expires and the next scheduler tick reclaims it,
whether or not the connector is due, closing the dead scan's run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from cloudconnectors.scheduler.leases import claim_due
from cloudconnectors.services.connectors import create_connector, request_refresh
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.polling import DIED_MESSAGE, INTERRUPTED_MESSAGE, run_poll
from cloudconnectors.storage.tables import ConnectorRow, PollRunRow
from cloudconnectors.storage.tables.base import utcnow
from tests.cli.conftest import SRC
from tests.support.aws_seed import PLATFORM_ENV, account_session, seed_account
from tests.support.credentials import aws_credentials
from tests.support.fault_proxy import FaultProxy, Request, Rule
from tests.support.moto_server import MotoServer
from tests.support.people import make_person, principal_of

CUSTOMER = "555566668888"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def customer(moto_server: MotoServer) -> str:
    with pytest.MonkeyPatch.context() as mp:
        for name, value in PLATFORM_ENV.items():
            mp.setenv(name, value)
        seed_account(account_session(moto_server.url, CUSTOMER), moto_server.url, [REGION],
                     instances=1, buckets=1, users=1)
    return CUSTOMER


class Gate:
    """Holds the first DescribeInstances call at the proxy, so the scan is mid-poll."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, request: Request) -> bool:
        if not self.entered.is_set():
            self.entered.set()
            self.release.wait(60)
        return False  # then forward it as usual


@pytest.fixture
def gate(fault_proxy: FaultProxy) -> Iterator[Gate]:
    held = Gate()
    fault_proxy.add(Rule(action="DescribeInstances", match=held))
    yield held
    held.release.set()


def _connector(ctx: AppContext, account: str) -> tuple[str, object]:
    """A connector that is *not* due (next run in a day), as after any finished poll."""
    principal = principal_of(ctx, make_person(ctx, tenant="acme", role="admin"))
    created = create_connector(ctx, principal, name="prod", provider="aws",
                               credentials=aws_credentials(issue_external_id(ctx, principal),
                                                           account))
    with ctx.db.write() as session:
        session.get_one(ConnectorRow, created.id).next_run_at = utcnow() + timedelta(days=1)
    return created.id, principal


def _start_scan(cli_env: dict[str, str], fault_proxy: FaultProxy,
                **extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, **cli_env, **PLATFORM_ENV, "PYTHONPATH": str(SRC),
           "AWS_ENDPOINT_URL": fault_proxy.url, "CLOUDCONNECTORS_AWS_REGIONS": REGION,
           **extra}
    return subprocess.Popen([sys.executable, "-m", "cloudconnectors", "scan", "prod"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _row(ctx: AppContext, connector_id: str) -> ConnectorRow:
    with ctx.db.read() as session:
        row = session.get_one(ConnectorRow, connector_id)
        session.expunge(row)
        return row


def _runs(ctx: AppContext, connector_id: str) -> list[PollRunRow]:
    with ctx.db.read() as session:
        rows = list(session.scalars(select(PollRunRow).where(
            PollRunRow.connector_id == connector_id).order_by(PollRunRow.started_at)))
        for row in rows:
            session.expunge(row)
        return rows


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_scan_closes_its_run_and_releases_its_lease(
    ctx: AppContext, cli_env: dict[str, str], customer: str, fault_proxy: FaultProxy,
    gate: Gate, sig: signal.Signals, code: int,
) -> None:
    connector_id, principal = _connector(ctx, customer)
    scan = _start_scan(cli_env, fault_proxy)
    try:
        assert gate.entered.wait(60), scan.stderr.read() if scan.poll() is not None else ""
        assert _row(ctx, connector_id).status == "refreshing"
        scan.send_signal(sig)
        gate.release.set()  # the collector threads finish their call, then the scan ends
        _, stderr = scan.communicate(timeout=60)
    finally:
        if scan.poll() is None:
            scan.kill()
    assert scan.returncode == code, stderr
    assert "interrupted" in stderr
    row = _row(ctx, connector_id)
    assert row.lease_owner is None and row.status != "refreshing"
    [closed] = _runs(ctx, connector_id)
    assert closed.state == "failed" and closed.finished_at is not None
    assert closed.error == INTERRUPTED_MESSAGE
    assert request_refresh(ctx, principal, connector_id).queued  # type: ignore[arg-type]


def test_a_killed_scans_lease_is_reclaimed_though_the_connector_is_not_due(
    ctx: AppContext, cli_env: dict[str, str], customer: str, fault_proxy: FaultProxy,
    gate: Gate, monkeypatch: pytest.MonkeyPatch,
) -> None:
    connector_id, _ = _connector(ctx, customer)
    scan = _start_scan(cli_env, fault_proxy, CLOUDCONNECTORS_POLL_LEASE_SECONDS="1")
    try:
        assert gate.entered.wait(60)
        scan.kill()
        scan.wait(30)
    finally:
        gate.release.set()
    held = _row(ctx, connector_id)
    assert held.status == "refreshing" and held.lease_owner is not None
    assert held.next_run_at is not None and held.next_run_at > utcnow()  # not due
    deadline = time.monotonic() + 30
    while _row(ctx, connector_id).lease_expires_at > utcnow():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the lease did not expire"
        time.sleep(0.2)

    [claim] = claim_due(ctx, "scheduler-test", 4)
    assert claim.connector_id == connector_id
    for name, value in {**PLATFORM_ENV, "AWS_ENDPOINT_URL": fault_proxy.url,
                        "CLOUDCONNECTORS_AWS_REGIONS": REGION}.items():
        monkeypatch.setenv(name, value)
    summary = run_poll(ctx, connector_id, trigger=claim.trigger, worker_id="scheduler-test")
    assert summary.status.value == "online", summary.error
    died, retried = _runs(ctx, connector_id)
    assert died.state == "failed" and died.error == DIED_MESSAGE
    assert retried.state in ("succeeded", "partial") and retried.worker == "scheduler-test"
    assert _row(ctx, connector_id).lease_owner is None
