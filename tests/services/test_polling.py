"""run_poll / poll_now end to end on the real database with a fake provider."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cloudconnectors.domain.errors import Conflict, NotFound
from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.domain.states import Discovery, Status
from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.poll_lease import claim_lease
from cloudconnectors.storage.tables import AssetRow, PollRunRow, RunResultRow, SnapshotRow
from cloudconnectors.storage.tables.base import utcnow
from tests.fakes.connectors import connector_row, make_gcp_connector, set_columns
from tests.fakes.provider import SECRET_IN_ERROR, FakeProvider, Plan, fake_provider
from tests.support.people import Person, principal_of


@pytest.fixture
def fake() -> FakeProvider:
    with fake_provider() as provider:
        yield provider


@pytest.fixture
def connector_id(ctx: AppContext, admin: Person) -> str:
    return make_gcp_connector(ctx, admin)


def count(ctx: AppContext, model: type, **where: object) -> int:
    with ctx.db.read() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(session.scalar(query) or 0)


def test_successful_poll_with_vms(ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    fake.plan = Plan(vms=3, others=2, regions=("eu-1", "us-1", "ap-1"))
    before = utcnow()
    summary = polling.poll_now(ctx, connector_id, Trigger.CLI)
    assert summary.state is RunState.SUCCEEDED
    assert (summary.status, summary.discovery) == (Status.ONLINE, Discovery.SUCCESS)
    assert (summary.asset_count, summary.vm_count) == (15, 9)
    assert summary.regions == ("eu-1", "us-1", "ap-1")
    assert summary.error is None and summary.warning is None

    row = connector_row(ctx, connector_id)
    assert row.status == "online" and row.discovery == "success" and row.last_error is None
    assert row.current_snapshot_id == summary.snapshot_id
    assert row.lease_owner is None and row.lease_expires_at is None
    assert row.refresh_requested_at is None
    assert row.last_run_at is not None and row.last_run_at >= before
    spread = timedelta(minutes=240 * ctx.settings.schedule_jitter_fraction)
    assert row.next_run_at is not None
    assert abs(row.next_run_at - (row.last_run_at + timedelta(minutes=240))) <= spread

    with ctx.db.read() as session:
        snapshot = session.get_one(SnapshotRow, summary.snapshot_id)
        assert snapshot.state == "complete" and snapshot.asset_count == 15
        assert snapshot.type_counts == {"compute.googleapis.com/Instance": 9,
                                        "storage.googleapis.com/Bucket": 6}
        run = session.get_one(PollRunRow, summary.run_id)
        assert run.trigger == "cli" and run.state == "succeeded" and run.api_calls == 6
    assert count(ctx, AssetRow, snapshot_id=summary.snapshot_id) == 15
    assert count(ctx, RunResultRow, run_id=summary.run_id) == 6


def test_inventory_setting_decides_what_a_poll_reads(
        ctx: AppContext, fake: FakeProvider, connector_id: str, admin: Person) -> None:
    """``rules`` hands the provider what the rules read; ``full`` (the connector's own, or
    its organization's for a member) hands it None: read everything."""
    from cloudconnectors.services import connectors

    polling.poll_now(ctx, connector_id)
    needs = fake.contexts[-1].needs
    assert needs is not None and "compute.googleapis.com/Instance" in needs
    updated = connectors.update_connector(ctx, principal_of(ctx, admin), connector_id,
                                          inventory="full")
    assert updated.inventory == "full"
    polling.poll_now(ctx, connector_id)
    assert fake.contexts[-1].needs is None

    member = make_gcp_connector(ctx, admin)
    set_columns(ctx, member, parent_id=connector_id)
    polling.poll_now(ctx, member)
    assert fake.contexts[-1].needs is None
    connectors.update_connector(ctx, principal_of(ctx, admin), connector_id, inventory="rules")
    polling.poll_now(ctx, member)
    assert fake.contexts[-1].needs is not None


def test_success_without_vms_is_regions_discovered(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    fake.plan = Plan(vms=0, others=1)
    summary = polling.poll_now(ctx, connector_id)
    assert (summary.status, summary.discovery) == (Status.ONLINE, Discovery.REGIONS_DISCOVERED)
    fake.plan = Plan(vms=0, others=0)
    summary = polling.poll_now(ctx, connector_id)
    assert (summary.status, summary.discovery) == (Status.ONLINE, Discovery.REGIONS_DISCOVERED)
    assert summary.asset_count == 0 and summary.state is RunState.SUCCEEDED


def test_auth_failure_goes_offline_keeps_previous_snapshot(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    first = polling.poll_now(ctx, connector_id)
    fake.plan = Plan(fail_auth="the service account key was revoked: upload a new key")
    summary = polling.poll_now(ctx, connector_id, Trigger.REFRESH)
    assert summary.state is RunState.FAILED and summary.status is Status.OFFLINE
    assert summary.error == "the service account key was revoked: upload a new key"
    row = connector_row(ctx, connector_id)
    assert row.status == "offline"
    assert row.discovery == "success"  # how far the last successful poll got
    assert row.last_error == summary.error
    assert row.current_snapshot_id == first.snapshot_id
    assert row.lease_owner is None and row.next_run_at is not None
    assert count(ctx, SnapshotRow, connector_id=connector_id) == 1
    with ctx.db.read() as session:
        run = session.get_one(PollRunRow, summary.run_id)
        assert run.state == "failed" and run.snapshot_id is None and run.finished_at
    # Fixed on the cloud side, Refresh brings it back.
    fake.plan = Plan()
    assert polling.poll_now(ctx, connector_id).status is Status.ONLINE


def test_one_denied_service_is_online_with_a_warning(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    fake.plan = Plan(deny=frozenset({"storage"}))
    summary = polling.poll_now(ctx, connector_id)
    assert summary.state is RunState.PARTIAL and summary.status is Status.ONLINE
    assert summary.discovery is Discovery.SUCCESS
    assert summary.warning is not None
    assert "2 denied" in summary.warning and "storage.buckets.list" in summary.warning
    assert connector_row(ctx, connector_id).warning == summary.warning


def test_everything_denied_goes_offline_naming_the_permissions(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    fake.plan = Plan(deny=frozenset({"storage", "compute"}))
    summary = polling.poll_now(ctx, connector_id)
    assert summary.status is Status.OFFLINE and summary.state is RunState.FAILED
    assert summary.error is not None
    assert "nothing could be read" in summary.error
    assert "compute.instances.list" in summary.error and "storage.buckets.list" in summary.error
    assert count(ctx, SnapshotRow, connector_id=connector_id) == 0
    # The refusals are kept for diagnostics.
    assert count(ctx, RunResultRow, run_id=summary.run_id) == 4


@pytest.mark.parametrize("error", [RuntimeError, KeyError, ValueError])
def test_unexpected_error_names_the_type_only(
        ctx: AppContext, fake: FakeProvider, connector_id: str, error: type[Exception]) -> None:
    fake.plan = Plan(crash=error)
    summary = polling.poll_now(ctx, connector_id)
    expected = f"internal error while polling: {error.__name__}; see server log"
    assert summary.error == expected
    row = connector_row(ctx, connector_id)
    assert row.last_error == expected and SECRET_IN_ERROR not in row.last_error
    assert row.status == "offline" and row.lease_owner is None
    assert count(ctx, SnapshotRow, connector_id=connector_id) == 0


def test_poll_now_refuses_when_another_worker_holds_the_lease(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    assert claim_lease(ctx, connector_id, "someone-else")
    with pytest.raises(Conflict, match="a poll is already running"):
        polling.poll_now(ctx, connector_id)
    assert fake.polls == []
    assert connector_row(ctx, connector_id).status == "pending"


def test_poll_now_unknown_or_foreign_connector(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    with pytest.raises(NotFound):
        polling.poll_now(ctx, "no-such-connector")
    with pytest.raises(NotFound):
        polling.poll_now(ctx, connector_id, tenant_id="other-tenant")


def test_run_poll_without_the_lease_is_refused(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    with pytest.raises(Conflict):
        polling.run_poll(ctx, connector_id, trigger=Trigger.SCHEDULE, worker_id="me")
    assert fake.polls == []


def test_expired_lease_of_a_dead_poll_is_reclaimed(
        ctx: AppContext, fake: FakeProvider, connector_id: str, admin: Person) -> None:
    # A worker claimed the connector, started a run and a snapshot, then died.
    polling.poll_now(ctx, connector_id)
    assert claim_lease(ctx, connector_id, "dead-worker")
    dead = polling._start(ctx, connector_id, Trigger.SCHEDULE, "dead-worker")
    set_columns(ctx, connector_id, lease_expires_at=utcnow() - timedelta(seconds=1))
    assert connector_row(ctx, connector_id).status == "refreshing"

    summary = polling.poll_now(ctx, connector_id, Trigger.SCHEDULE)
    assert summary.status is Status.ONLINE
    with ctx.db.read() as session:
        old_run = session.get_one(PollRunRow, dead.run_id)
        assert old_run.state == "failed" and "stopped before it finished" in old_run.error
        assert session.get(SnapshotRow, dead.snapshot_id) is None


def test_keeps_the_newest_snapshots_only(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    ctx.settings = dataclasses.replace(ctx.settings, snapshots_kept=3)
    summaries = [polling.poll_now(ctx, connector_id) for _ in range(5)]
    with ctx.db.read() as session:
        kept = set(session.scalars(select(SnapshotRow.id).where(
            SnapshotRow.connector_id == connector_id)))
    assert kept == {s.snapshot_id for s in summaries[-3:]}
    assert count(ctx, AssetRow, connector_id=connector_id) == 3 * summaries[-1].asset_count


def test_assets_are_written_in_batches(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    ctx.settings = dataclasses.replace(ctx.settings, asset_batch_size=7)
    fake.plan = Plan(vms=20, others=5, regions=("a", "b"))
    seen: list[int] = []

    class Observer:
        def regions_discovered(self, regions: object) -> None:
            pass

        def add(self, asset: object) -> None:
            # Mid-poll, the writing snapshot fills up batch by batch, invisible to readers.
            seen.append(count(ctx, AssetRow, connector_id=connector_id))

        def report(self, result: object) -> None:
            pass

    summary = polling.poll_now(ctx, connector_id, observer=Observer())
    assert summary.asset_count == 50
    assert len(seen) == 50
    assert max(seen) == 49 and seen[-1] == 49 // 7 * 7
    assert sorted(set(seen)) == list(range(0, 50, 7))


def test_heartbeat_keeps_a_long_poll_leased(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    ctx.settings = dataclasses.replace(ctx.settings, poll_lease_seconds=1.0)
    fake.plan = Plan(vms=10, others=0, regions=("a",), asset_delay=0.25)  # ~2.5 s, > 2 leases
    outcome: list[object] = []
    poller = threading.Thread(target=lambda: outcome.append(polling.poll_now(ctx, connector_id)))
    poller.start()
    while not fake.polls:
        poller.join(0.01)
    stolen = []
    while fake._active[connector_id]:  # while collecting; finishing releases the lease
        stolen.append(claim_lease(ctx, connector_id, "thief"))
        time.sleep(0.05)
    poller.join(10)
    assert len(stolen) > 20 and not any(stolen)
    assert outcome[0].status is Status.ONLINE  # type: ignore[attr-defined]


def poll_interrupted_by(ctx: AppContext, fake: FakeProvider, connector_id: str,
                        meanwhile: Callable[[], None]) -> polling.PollSummary:
    """Poll in a thread, run ``meanwhile`` once the provider is collecting, then let it end."""
    gate = threading.Event()
    fake.plan = Plan(gate=gate)
    outcome: list[polling.PollSummary] = []
    poller = threading.Thread(target=lambda: outcome.append(polling.poll_now(ctx, connector_id)))
    poller.start()
    while not fake.polls:
        poller.join(0.01)
    meanwhile()
    gate.set()
    poller.join(10)
    assert outcome, "the poll did not end"
    return outcome[0]


def test_a_poll_that_lost_its_lease_changes_nothing(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    summary = poll_interrupted_by(ctx, fake, connector_id, lambda: set_columns(
        ctx, connector_id, lease_owner="usurper",
        lease_expires_at=utcnow() + timedelta(minutes=5)))
    assert summary.state is RunState.FAILED and "took this poll over" in summary.error
    row = connector_row(ctx, connector_id)
    assert row.lease_owner == "usurper" and row.status == "refreshing"
    assert row.current_snapshot_id is None
    assert count(ctx, SnapshotRow, connector_id=connector_id) == 0


def test_connector_deleted_while_polling(
        ctx: AppContext, fake: FakeProvider, connector_id: str, admin: Person) -> None:
    from cloudconnectors.services.connectors import delete_connector
    from tests.support.people import principal_of

    summary = poll_interrupted_by(ctx, fake, connector_id, lambda: delete_connector(
        ctx, principal_of(ctx, admin), connector_id))
    assert summary.state is RunState.FAILED and summary.error == "the connector was deleted"
    assert count(ctx, AssetRow) == 0 and count(ctx, SnapshotRow) == 0


class TestPostPollHooks:
    @pytest.fixture(autouse=True)
    def _clean(self) -> None:
        saved = list(polling.POST_POLL_HOOKS)
        yield
        polling.POST_POLL_HOOKS[:] = saved

    def test_hooks_run_after_success_only(
            self, ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
        calls: list[tuple[str, str, str]] = []

        def evaluate(hook_ctx: AppContext, tenant_id: str, cid: str) -> None:
            # The new snapshot is already current when the hook runs.
            assert connector_row(hook_ctx, cid).status == "online"
            calls.append((hook_ctx.settings.database_url, tenant_id, cid))

        assert polling.add_post_poll_hook(evaluate) is evaluate
        polling.add_post_poll_hook(evaluate)  # once only
        polling.poll_now(ctx, connector_id)
        row = connector_row(ctx, connector_id)
        assert calls == [(ctx.settings.database_url, row.tenant_id, connector_id)]
        fake.plan = Plan(fail_auth="no")
        polling.poll_now(ctx, connector_id)
        assert len(calls) == 1

    def test_failing_hook_is_recorded_and_never_fails_the_poll(
            self, ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
        def broken(hook_ctx: AppContext, tenant_id: str, cid: str) -> None:
            raise ZeroDivisionError("bad rule")

        ran: list[str] = []
        polling.POST_POLL_HOOKS.extend([broken, lambda c, t, cid: ran.append(cid)])
        summary = polling.poll_now(ctx, connector_id)
        assert summary.status is Status.ONLINE and ran == [connector_id]
        assert len(summary.hook_errors) == 1 and "ZeroDivisionError" in summary.hook_errors[0]
        with ctx.db.read() as session:
            run = session.get_one(PollRunRow, summary.run_id)
            assert run.state == "succeeded" and "post-poll step" in run.warning
        assert connector_row(ctx, connector_id).status == "online"


def test_undecryptable_credentials_say_what_to_do(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    from cloudconnectors.security.crypto import SecretBox

    other_key = SecretBox.from_settings(dataclasses.replace(
        ctx.settings, secret_key="a-different-secret-key-entirely"))
    set_columns(ctx, connector_id, credentials_sealed=other_key.seal({"x": 1}, connector_id))
    summary = polling.poll_now(ctx, connector_id)
    assert summary.status is Status.OFFLINE
    assert summary.error is not None and "cannot be decrypted" in summary.error
    assert "re-enter" in summary.error and fake.polls == []


def test_credentials_that_no_longer_validate_name_the_fields(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    set_columns(ctx, connector_id, credentials_sealed=ctx.secrets.seal(
        {"service_account_key": {"type": "user"}}, connector_id))
    summary = polling.poll_now(ctx, connector_id)
    assert summary.status is Status.OFFLINE and summary.error is not None
    assert summary.error.startswith("the stored credentials are no longer accepted (")
    assert "service_account_key.project_id" in summary.error and "re-enter" in summary.error


def test_a_failed_poll_keeps_what_it_learned_for_diagnostics(
        ctx: AppContext, fake: FakeProvider, connector_id: str) -> None:
    fake.plan = Plan(deny=frozenset({"storage"}),
                     give_up_after_first_region="the project was deleted; remove the connector")
    summary = polling.poll_now(ctx, connector_id)
    assert summary.status is Status.OFFLINE
    assert summary.error == "the project was deleted; remove the connector"
    assert count(ctx, RunResultRow, run_id=summary.run_id) == 2
    assert count(ctx, AssetRow) == 0
    with ctx.db.read() as session:
        run = session.get_one(PollRunRow, summary.run_id)
        assert run.regions == ["region-a", "region-b"] and run.api_calls == 2
