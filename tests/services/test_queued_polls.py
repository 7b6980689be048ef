"""The scale-out use cases without a broker: publishing is a list the test reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select

from cloudconnectors.domain.runs import RunState
from cloudconnectors.domain.states import Status
from cloudconnectors.services.connectors import request_refresh
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.queued_polls import RunOutcome, execute_run, reap, tick
from cloudconnectors.storage.repositories.queue import QueuedRun
from cloudconnectors.storage.tables import PollRunRow
from cloudconnectors.storage.tables.base import utcnow
from tests.fakes.connectors import connector_row, make_gcp_connector, set_columns
from tests.fakes.provider import fake_provider
from tests.support.people import Person, principal_of


class Broker:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.down = False

    def __call__(self, runs: Sequence[QueuedRun]) -> None:
        if self.down:
            raise ConnectionError("broker away")
        self.sent.extend(r.run_id for r in runs)


def _runs(ctx: AppContext, connector_id: str) -> list[PollRunRow]:
    with ctx.db.read() as session:
        rows = list(session.scalars(select(PollRunRow).where(
            PollRunRow.connector_id == connector_id)))
        session.expunge_all()
        return rows


def test_a_tick_queues_each_due_connector_once_and_a_second_tick_nothing(
        ctx: AppContext, admin: Person) -> None:
    ids = [make_gcp_connector(ctx, admin) for _ in range(7)]
    broker = Broker()
    first = tick(ctx, broker)
    assert (first.claimed, first.published) == (7, 7)
    assert tick(ctx, broker).claimed == 0
    assert sorted(broker.sent) == sorted(r.id for i in ids for r in _runs(ctx, i))
    for connector_id in ids:
        (run,) = _runs(ctx, connector_id)
        assert run.state == RunState.QUEUED.value and run.published_at is not None
        assert run.scheduled_for is not None
        assert connector_row(ctx, connector_id).next_run_at > utcnow()


def test_a_queued_run_is_polled_once_and_a_redelivery_changes_nothing(
        ctx: AppContext, admin: Person) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    broker = Broker()
    tick(ctx, broker)
    (run_id,) = broker.sent
    with fake_provider() as provider:
        first = execute_run(ctx, run_id, "worker-a")
        again = execute_run(ctx, run_id, "worker-b")
    assert first.outcome is RunOutcome.POLLED and first.attempt == 1
    assert first.summary is not None and first.summary.status is Status.ONLINE
    assert again.outcome is RunOutcome.FINISHED
    assert provider.polls_of(connector_id) == 1
    (run,) = _runs(ctx, connector_id)
    assert run.state == RunState.SUCCEEDED.value and run.attempts == 1


def test_a_run_whose_connector_is_busy_waits_and_the_reaper_finds_it_orphaned(
        ctx: AppContext, admin: Person) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    broker = Broker()
    tick(ctx, broker)
    (run_id,) = broker.sent
    set_columns(ctx, connector_id, lease_owner="someone-else",
                lease_expires_at=utcnow() + timedelta(minutes=5))
    assert execute_run(ctx, run_id, "worker-a").outcome is RunOutcome.BUSY
    # A worker took it, then died mid-poll: the run is running, the lease runs out.
    with ctx.db.write() as session:
        row = session.get_one(PollRunRow, run_id)
        row.state = RunState.RUNNING.value
    set_columns(ctx, connector_id, lease_expires_at=utcnow() - timedelta(seconds=1))
    assert reap(ctx, broker) == 1 and broker.sent[-1] == run_id
    with fake_provider():
        redone = execute_run(ctx, run_id, "worker-b")
    assert redone.outcome is RunOutcome.POLLED and redone.attempt == 1
    assert connector_row(ctx, connector_id).status == Status.ONLINE.value


def test_runs_the_broker_never_got_are_published_again_by_the_reaper(
        ctx: AppContext, admin: Person) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    broker = Broker()
    broker.down = True
    assert tick(ctx, broker).published == 0
    (run,) = _runs(ctx, connector_id)
    assert run.published_at is None
    with ctx.db.write() as session:  # older than the grace for an unpublished run
        session.get_one(PollRunRow, run.id).started_at = utcnow() - timedelta(minutes=1)
    broker.down = False
    assert reap(ctx, broker) == 1 and broker.sent == [run.id]
    assert reap(ctx, broker) == 0  # published now, and not yet overdue


def test_refresh_queues_a_refresh_run_at_once(ctx: AppContext, admin: Person) -> None:
    connector_id = make_gcp_connector(ctx, admin)
    broker = Broker()
    tick(ctx, broker)
    with fake_provider():
        execute_run(ctx, broker.sent[0], "worker-a")
    request_refresh(ctx, principal_of(ctx, admin), connector_id)
    assert tick(ctx, broker).claimed == 1
    with ctx.db.read() as session:
        triggers = session.execute(select(PollRunRow.trigger, func.count()).where(
            PollRunRow.connector_id == connector_id).group_by(PollRunRow.trigger)).all()
    assert dict(triggers) == {"schedule": 1, "refresh": 1}
