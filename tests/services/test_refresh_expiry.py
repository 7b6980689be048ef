"""A Refresh reads refreshing at once, is told apart from a running poll by every poller, and
goes back to what it was, with a message, when no poller takes it within the lease time."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from datetime import timedelta

import pytest
from sqlalchemy import select

from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.domain.states import Stage, Status
from cloudconnectors.scheduler.leases import claim_due
from cloudconnectors.services import connectors as service
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.polling import run_poll
from cloudconnectors.services.queued_polls import RunOutcome, execute_run, tick
from cloudconnectors.services.refresh_expiry import expire_unclaimed
from cloudconnectors.storage.repositories import connectors as repo
from cloudconnectors.storage.repositories.queue import QueuedRun
from cloudconnectors.storage.tables import PollRunRow
from cloudconnectors.storage.tables.base import utcnow
from tests.fakes.connectors import connector_row, make_gcp_connector, set_columns
from tests.fakes.provider import FakeProvider, Plan, fake_provider
from tests.support.people import Person, principal_of


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as provider:
        yield provider


@pytest.fixture
def online(ctx: AppContext, admin: Person, fake: FakeProvider) -> str:
    """An online connector whose next scheduled poll is hours away."""
    connector_id = make_gcp_connector(ctx, admin)
    fake.plan = Plan(vms=1)
    assert service.request_refresh(ctx, principal_of(ctx, admin), connector_id).queued
    (claim,) = claim_due(ctx, "first-poller", 1)
    assert run_poll(ctx, connector_id, trigger=claim.trigger,
                    worker_id="first-poller").status is Status.ONLINE
    set_columns(ctx, connector_id, next_run_at=utcnow() + timedelta(hours=3))
    return connector_id


def stage_of(ctx: AppContext, connector_id: str) -> Stage:
    return repo.state_of(connector_row(ctx, connector_id)).stage


def runs_of(ctx: AppContext, connector_id: str) -> list[PollRunRow]:
    with ctx.db.read() as session:
        rows = list(session.scalars(select(PollRunRow).where(
            PollRunRow.connector_id == connector_id).order_by(PollRunRow.started_at)))
        session.expunge_all()
        return rows


def test_refresh_reads_refreshing_at_once_and_a_second_one_keeps_the_first(
        ctx: AppContext, admin: Person, online: str) -> None:
    principal = principal_of(ctx, admin)
    first = service.request_refresh(ctx, principal, online)
    assert first.queued and first.connector.status is Status.REFRESHING
    assert first.connector.refresh_queued and first.connector.refresh_requested_at is not None
    again = service.request_refresh(ctx, principal, online)
    assert again.queued and again.connector.refresh_requested_at == \
        first.connector.refresh_requested_at
    listed = service.list_connectors(ctx, principal, status="refreshing")
    assert [c.id for c in listed.items] == [online]
    assert stage_of(ctx, online) is Stage.QUEUED


def test_an_unclaimed_refresh_goes_back_after_the_lease_time_with_a_message(
        ctx: AppContext, admin: Person, online: str) -> None:
    lease = ctx.settings.poll_lease_seconds
    asked = service.request_refresh(ctx, principal_of(ctx, admin), online).connector
    assert asked.refresh_requested_at is not None
    assert expire_unclaimed(ctx, now=asked.refresh_requested_at + timedelta(seconds=lease - 1)) == 0
    assert stage_of(ctx, online) is Stage.QUEUED
    later = asked.refresh_requested_at + timedelta(seconds=lease + 1)
    assert expire_unclaimed(ctx, now=later) == 1
    assert expire_unclaimed(ctx, now=later) == 0  # twice changes nothing
    back = service.get_connector(ctx, principal_of(ctx, admin), online)
    assert back.status is Status.ONLINE and not back.refresh_queued
    assert back.refresh_requested_at is None
    assert back.warning is not None and "not taken by any poller within 300 s" in back.warning
    assert back.last_run_at == asked.last_run_at  # no poll happened, none is claimed


def test_a_refresh_a_poller_holds_is_never_reverted(
        ctx: AppContext, admin: Person, online: str) -> None:
    service.request_refresh(ctx, principal_of(ctx, admin), online)
    (claim,) = claim_due(ctx, "slow-poller", 1)
    assert claim.trigger is Trigger.REFRESH
    far = utcnow() + timedelta(seconds=ctx.settings.poll_lease_seconds / 2)
    assert expire_unclaimed(ctx, now=far) == 0  # the lease is held and not expired
    assert stage_of(ctx, online) is Stage.QUEUED


def test_the_embedded_poller_starts_a_queued_refresh_instead_of_reclaiming_it(
        ctx: AppContext, admin: Person, online: str, fake: FakeProvider) -> None:
    service.request_refresh(ctx, principal_of(ctx, admin), online)
    (claim,) = claim_due(ctx, "poller", 1)
    summary = run_poll(ctx, online, trigger=claim.trigger, worker_id="poller")
    assert summary.status is Status.ONLINE and summary.state is RunState.SUCCEEDED
    runs = runs_of(ctx, online)
    assert [(r.trigger, r.state, r.error) for r in runs] == [
        ("refresh", "succeeded", None), ("refresh", "succeeded", None)]
    row = connector_row(ctx, online)
    assert row.refresh_previous_status is None and row.refresh_requested_at is None


def test_a_dead_poll_is_still_reclaimed_and_its_run_closed(
        ctx: AppContext, admin: Person, online: str, fake: FakeProvider) -> None:
    # What a worker that died mid-poll leaves: polling (no previous status), lease expired.
    set_columns(ctx, online, status="refreshing", lease_owner="dead",
                lease_expires_at=utcnow() - timedelta(seconds=1))
    with ctx.db.write() as session:
        session.add(PollRunRow(tenant_id=connector_row(ctx, online).tenant_id,
                               connector_id=online, trigger="schedule", state="running",
                               worker="dead", regions=[]))
    assert expire_unclaimed(ctx, now=utcnow() + timedelta(days=1)) == 0  # not a queued one
    assert service.request_refresh(ctx, principal_of(ctx, admin), online).queued is False
    (claim,) = claim_due(ctx, "rescuer", 1)
    assert run_poll(ctx, online, trigger=claim.trigger, worker_id="rescuer").status is \
        Status.ONLINE
    died = [r for r in runs_of(ctx, online) if r.worker == "dead"]
    assert died and died[0].state == "failed" and "stopped before it finished" in died[0].error


class Broker:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def __call__(self, runs: Sequence[QueuedRun]) -> None:
        self.sent.extend(r.run_id for r in runs)


def test_the_celery_path_polls_a_queued_refresh_and_its_tick_reverts_an_untaken_one(
        ctx: AppContext, admin: Person, online: str, fake: FakeProvider) -> None:
    principal = principal_of(ctx, admin)
    service.request_refresh(ctx, principal, online)
    broker = Broker()
    assert tick(ctx, broker).claimed == 1
    (run_id,) = broker.sent
    assert stage_of(ctx, online) is Stage.QUEUED  # queued on the broker, no lease yet
    executed = execute_run(ctx, run_id, "celery@w1")
    assert executed.outcome is RunOutcome.POLLED
    assert executed.summary is not None and executed.summary.status is Status.ONLINE
    assert [(r.trigger, r.state) for r in runs_of(ctx, online)][-1] == ("refresh", "succeeded")

    # No worker takes the next one: a later tick reverts it once the lease time is over
    # (the run stays queued for a worker that comes up later; no second run is queued).
    service.request_refresh(ctx, principal, online)
    assert tick(ctx, Broker()).claimed == 1
    assert stage_of(ctx, online) is Stage.QUEUED
    ctx.settings = dataclasses.replace(ctx.settings, poll_lease_seconds=0.0)
    assert tick(ctx, Broker()).claimed == 0
    back = connector_row(ctx, online)
    assert (back.status, back.refresh_previous_status) == ("online", None)
    assert back.warning and "not taken by any poller" in back.warning


def test_new_credentials_keep_a_queued_refresh_which_then_goes_back_to_pending(
        ctx: AppContext, admin: Person, online: str) -> None:
    from tests.support.credentials import gcp_credentials

    principal = principal_of(ctx, admin)
    service.request_refresh(ctx, principal, online)
    service.update_connector(ctx, principal, online, credentials=gcp_credentials())
    assert stage_of(ctx, online) is Stage.QUEUED
    expire_unclaimed(ctx, now=utcnow() + timedelta(seconds=ctx.settings.poll_lease_seconds + 1))
    assert service.get_connector(ctx, principal, online).status is Status.PENDING
