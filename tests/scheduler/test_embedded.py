"""The embedded scheduler on a real database: due polls, claims, wake-ups, dead workers."""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloudconnectors.scheduler.embedded import EmbeddedScheduler
from cloudconnectors.scheduler.leases import claim_due
from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.poll_lease import claim_lease
from cloudconnectors.storage.db import Database
from cloudconnectors.storage.tables import ConnectorRow, PollRunRow
from cloudconnectors.storage.tables.base import utcnow
from tests.fakes.connectors import connector_row, make_gcp_connector, set_columns
from tests.fakes.provider import FakeProvider, Plan, fake_provider
from tests.support.people import Person


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


@pytest.fixture
def fast(ctx: AppContext) -> AppContext:
    ctx.settings = dataclasses.replace(ctx.settings, scheduler_tick_seconds=0.05)
    return ctx


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as provider:
        yield provider


@pytest.fixture
def scheduler(fast: AppContext) -> Iterator[EmbeddedScheduler]:
    sched = EmbeddedScheduler(fast, worker_id="sched-1")
    yield sched
    sched.stop(10)


def runs_of(ctx: AppContext, connector_id: str) -> list[PollRunRow]:
    with ctx.db.read() as session:
        runs = list(session.scalars(select(PollRunRow).where(
            PollRunRow.connector_id == connector_id).order_by(PollRunRow.started_at)))
        session.expunge_all()
        return runs


def test_due_connectors_are_polled_and_rescheduled(
        fast: AppContext, fake: FakeProvider, admin: Person,
        scheduler: EmbeddedScheduler) -> None:
    ids = [make_gcp_connector(fast, admin) for _ in range(3)]
    later = make_gcp_connector(fast, admin)
    set_columns(fast, later, next_run_at=utcnow() + timedelta(hours=1))
    scheduler.start()
    assert fast.wake_scheduler == scheduler.wake
    wait_until(lambda: all(connector_row(fast, i).status == "online" for i in ids))
    assert connector_row(fast, later).status == "pending"
    for connector_id in ids:
        row = connector_row(fast, connector_id)
        assert row.next_run_at is not None and row.next_run_at > utcnow() + timedelta(hours=3)
        assert row.lease_owner is None
        (run,) = runs_of(fast, connector_id)
        assert run.trigger == "schedule" and run.worker == "sched-1"
    assert scheduler.stop(5)
    assert fast.wake_scheduler is None


def test_refresh_wakes_the_scheduler_and_a_second_refresh_starts_nothing(
        ctx: AppContext, fake: FakeProvider, admin: Person, client: TestClient) -> None:
    ctx.settings = dataclasses.replace(ctx.settings, scheduler_tick_seconds=60)
    connector_id = make_gcp_connector(ctx, admin)
    set_columns(ctx, connector_id, next_run_at=utcnow() + timedelta(hours=2))
    gate = threading.Event()
    fake.plan = Plan(gate=gate)
    scheduler = EmbeddedScheduler(ctx)
    scheduler.start()
    try:
        time.sleep(0.2)  # the first tick finds nothing due, then sleeps for a minute
        assert fake.polls == []
        first = client.post(f"/api/v1/connectors/{connector_id}/refresh", headers=admin.headers)
        assert first.status_code == 202 and first.json()["queued"] is True
        assert first.json()["connector"]["status"] == "refreshing"  # at once, before any poll
        wait_until(lambda: fake.polls == [connector_id], timeout=5)  # woken, not a minute
        wait_until(lambda: connector_row(ctx, connector_id).status == "refreshing")
        again = client.post(f"/api/v1/connectors/{connector_id}/refresh", headers=admin.headers)
        assert again.status_code == 202 and again.json()["queued"] is False
        assert again.json()["connector"]["status"] == "refreshing"
        assert again.json()["connector"]["refresh_queued"] is False  # the poll runs now
        gate.set()
        wait_until(lambda: connector_row(ctx, connector_id).status == "online")
        time.sleep(0.3)
        assert fake.polls == [connector_id]
        (run,) = runs_of(ctx, connector_id)
        assert run.trigger == "refresh"
        assert connector_row(ctx, connector_id).refresh_requested_at is None
    finally:
        gate.set()
        scheduler.stop(10)


def test_two_schedulers_never_poll_one_connector_at_once(
        fast: AppContext, fake: FakeProvider, admin: Person) -> None:
    ids = [make_gcp_connector(fast, admin) for _ in range(6)]
    fake.plan = Plan(vms=3, others=0, regions=("a",), asset_delay=0.01)
    other = AppContext(settings=fast.settings, db=Database(fast.settings.database_url),
                       secrets=fast.secrets)

    def due_again(hook_ctx: AppContext, tenant_id: str, connector_id: str) -> None:
        set_columns(hook_ctx, connector_id, next_run_at=utcnow())  # keep them contended

    polling.POST_POLL_HOOKS.append(due_again)
    first = EmbeddedScheduler(fast, worker_id="one", max_concurrent=3)
    second = EmbeddedScheduler(other, worker_id="two", max_concurrent=3)
    try:
        first.start()
        second.start()
        wait_until(lambda: all(fake.polls_of(i) >= 3 for i in ids), timeout=30)
    finally:
        polling.POST_POLL_HOOKS.remove(due_again)
        first.stop(10)
        second.stop(10)
        other.close()
    assert max(fake.max_concurrent.values()) == 1
    workers = {run.worker for i in ids for run in runs_of(fast, i)}
    assert workers == {"one", "two"}
    for connector_id in ids:
        runs = runs_of(fast, connector_id)
        assert all(run.state == "succeeded" for run in runs)
        for earlier, later in itertools.pairwise(runs):
            assert earlier.finished_at is not None and earlier.finished_at <= later.started_at


def test_concurrency_is_bounded(
        fast: AppContext, fake: FakeProvider, admin: Person) -> None:
    ids = [make_gcp_connector(fast, admin) for _ in range(5)]
    fake.plan = Plan(vms=5, others=0, regions=("a",), asset_delay=0.02)
    scheduler = EmbeddedScheduler(fast, max_concurrent=2)
    scheduler.start()
    try:
        wait_until(lambda: all(connector_row(fast, i).status == "online" for i in ids))
    finally:
        scheduler.stop(10)
    assert fake.max_total == 2


def test_a_dead_workers_poll_is_picked_up_again(
        fast: AppContext, fake: FakeProvider, admin: Person,
        scheduler: EmbeddedScheduler) -> None:
    connector_id = make_gcp_connector(fast, admin)
    alive = make_gcp_connector(fast, admin)
    # What a worker that died mid-poll leaves behind: refreshing, lease held but expired.
    set_columns(fast, connector_id, status="refreshing", lease_owner="dead-worker",
                lease_expires_at=utcnow() - timedelta(seconds=5), next_run_at=utcnow())
    # A live worker's poll is left alone.
    set_columns(fast, alive, status="refreshing", lease_owner="live-worker",
                lease_expires_at=utcnow() + timedelta(minutes=5), next_run_at=utcnow())
    scheduler.start()
    wait_until(lambda: connector_row(fast, connector_id).status == "online")
    time.sleep(0.3)
    assert fake.polls == [connector_id]
    row = connector_row(fast, alive)
    assert row.status == "refreshing" and row.lease_owner == "live-worker"


def test_restart_picks_up_where_the_database_says(
        fast: AppContext, fake: FakeProvider, admin: Person) -> None:
    connector_id = make_gcp_connector(fast, admin)
    first = EmbeddedScheduler(fast)
    first.start()
    wait_until(lambda: connector_row(fast, connector_id).status == "online")
    assert first.stop(5)
    set_columns(fast, connector_id, next_run_at=utcnow())
    second = EmbeddedScheduler(fast)
    second.start()
    try:
        wait_until(lambda: fake.polls_of(connector_id) == 2)
    finally:
        assert second.stop(5)


def test_claim_due_is_exclusive_and_skips_what_it_runs(
        ctx: AppContext, fake: FakeProvider, admin: Person) -> None:
    ids = {make_gcp_connector(ctx, admin) for _ in range(4)}
    mine = claim_due(ctx, "a", 10)
    assert {c.connector_id for c in mine} == ids
    assert claim_due(ctx, "b", 10) == []
    assert not claim_lease(ctx, next(iter(ids)), "b")
    with ctx.db.read() as session:
        owners = set(session.scalars(select(ConnectorRow.lease_owner)))
    assert owners == {"a"}


def test_stop_before_start_and_double_start(fast: AppContext) -> None:
    scheduler = EmbeddedScheduler(fast)
    assert scheduler.stop(1)
    scheduler.start()
    with pytest.raises(RuntimeError):
        scheduler.start()
    assert scheduler.stop(1)
