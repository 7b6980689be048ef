"""Polling one connector: authenticate, discover regions, collect into a snapshot, finish.

The steps, each its own short transaction so readers and other pollers never wait long:

1. **start** — the caller holds the lease; apply ``poll_started`` (or ``poll_reclaimed``
   when taking over the expired lease of a poll whose worker died, whose leftovers are
   closed); create the run (``running``) and the snapshot (``writing``).
2. **collect** — the provider streams into a :class:`SnapshotWriter`, which writes the
   assets in batches; a heartbeat keeps the lease alive.
3. **finish** — in one transaction: the snapshot becomes complete and current, old
   snapshots beyond ``settings.snapshots_kept`` go, the run is closed, the state machine
   moves the connector, the lease is released and the next run is scheduled.

A failure of any kind ends ``offline`` with a message a person can act on; the unfinished
snapshot is deleted, the previous one stays current. After a successful poll the
:data:`POST_POLL_HOOKS` run (compliance evaluation); a failing hook is logged and noted on
the run, and never fails the poll.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from cloudconnectors.domain import states
from cloudconnectors.domain.errors import (
    AuthenticationFailed,
    Conflict,
    NotFound,
    ProviderError,
    ValidationFailed,
)
from cloudconnectors.domain.runs import CollectorResult, RunState, Trigger
from cloudconnectors.domain.scopes import Scope, is_gap
from cloudconnectors.domain.states import Discovery, Stage, Status
from cloudconnectors.inventory.outcome import PollVerdict, judge
from cloudconnectors.inventory.writer import KeyedAsset, SnapshotWriter
from cloudconnectors.providers.base import CollectionSink, Needs, PollContext
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.security.crypto import SecretKeyError
from cloudconnectors.services import organizations
from cloudconnectors.services.connectors import open_credentials
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.lookups import require_plausible_id
from cloudconnectors.services.poll_lease import (
    LeaseHeartbeat,
    LeaseLost,
    claim_lease,
    make_worker_id,
    release_lease,
)
from cloudconnectors.storage.repositories import connectors as connector_repo
from cloudconnectors.storage.repositories import inventory as inventory_repo
from cloudconnectors.storage.repositories import runs as run_repo
from cloudconnectors.storage.tables import ConnectorRow, PollRunRow
from cloudconnectors.storage.tables.base import utcnow

__all__ = [
    "INTERRUPTED_MESSAGE",
    "POST_POLL_HOOKS",
    "PollSummary",
    "PostPollHook",
    "add_post_poll_hook",
    "poll_now",
    "run_poll",
]

logger = logging.getLogger(__name__)

PostPollHook = Callable[[AppContext, str, str], object]
"""Called as ``hook(ctx, tenant_id, connector_id)`` after every successful poll, once the
new snapshot is current and the lease released; its return value is ignored."""

POST_POLL_HOOKS: list[PostPollHook] = []
"""Registered explicitly at start-up (never as an import side effect), e.g. the compliance
engine: ``add_post_poll_hook(lambda ctx, t, c: evaluate_connector(ctx.db, t, c))``."""


def add_post_poll_hook(hook: PostPollHook) -> PostPollHook:
    """Register ``hook`` once (registering it again changes nothing); returns it."""
    if hook not in POST_POLL_HOOKS:
        POST_POLL_HOOKS.append(hook)
    return hook


DIED_MESSAGE = "the worker running this poll stopped before it finished; the poll was retried"
LOST_MESSAGE = "another worker took this poll over after the lease expired"
INTERRUPTED_MESSAGE = (
    "the poll was interrupted before it finished (Ctrl-C or a signal); "
    "the previous inventory stays current"
)


@dataclass(frozen=True)
class PollSummary:
    connector_id: str
    run_id: str
    state: RunState
    status: Status
    discovery: Discovery | None
    asset_count: int = 0
    vm_count: int = 0
    regions: tuple[str, ...] = ()
    snapshot_id: str | None = None
    error: str | None = None
    warning: str | None = None
    hook_errors: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Started:
    tenant_id: str
    connector_id: str
    provider: str
    run_id: str
    snapshot_id: str
    worker_id: str
    trigger: Trigger = Trigger.SCHEDULE


@dataclass(frozen=True)
class _Collected:
    regions: list[str]
    results: list[CollectorResult]
    api_calls: int
    verdict: PollVerdict


def poll_now(
    ctx: AppContext,
    connector_id: str,
    trigger: Trigger = Trigger.CLI,
    observer: CollectionSink | None = None,
    *,
    tenant_id: str | None = None,
    worker_id: str | None = None,
) -> PollSummary:
    """Claim the lease and poll at once (CLI ``scan``, tests).

    Raises ``NotFound`` for an unknown connector (or one outside ``tenant_id`` when given)
    and ``Conflict`` when another worker holds the lease.
    """
    require_plausible_id("connector", connector_id)
    with ctx.db.read() as session:
        row = session.get(ConnectorRow, connector_id)
        if row is None or (tenant_id is not None and row.tenant_id != tenant_id):
            connector_repo.get_row(session, tenant_id or "", connector_id)  # raises NotFound
    worker = worker_id or make_worker_id("poll-now")
    if not claim_lease(ctx, connector_id, worker):
        raise Conflict(f"a poll is already running for connector {connector_id}")
    return run_poll(ctx, connector_id, trigger=trigger, worker_id=worker, observer=observer)


def run_poll(
    ctx: AppContext,
    connector_id: str,
    *,
    trigger: Trigger,
    worker_id: str,
    observer: CollectionSink | None = None,
    run_id: str | None = None,
) -> PollSummary:
    """Poll a connector whose lease ``worker_id`` already holds; see the module docstring.

    ``run_id`` names a run the scale-out tick queued: the poll carries it on instead of
    creating a run of its own (a redelivered task redoes the same run, never a second one).
    """
    try:
        started = _start(ctx, connector_id, trigger, worker_id, run_id)
    except BaseException:
        release_lease(ctx, connector_id, worker_id)
        raise
    heartbeat = LeaseHeartbeat(ctx, connector_id, worker_id)
    writer = _writer(ctx, started, heartbeat, observer)
    try:
        with heartbeat:
            collected = _collect(ctx, started, heartbeat, writer)
    except LeaseLost:
        logger.warning("poll of connector %s abandoned: lease lost", connector_id)
        return _finish(ctx, started, None, lease_lost=True)
    except (ProviderError, SecretKeyError) as exc:  # written for a person to act on
        return _finish(ctx, started, _failure(str(exc) or type(exc).__name__, writer))
    except Exception as exc:
        logger.exception("internal error while polling connector %s", connector_id)
        return _finish(ctx, started, _failure(_internal(exc), writer))
    except BaseException:  # KeyboardInterrupt, SystemExit: close the run, then go
        _finish_interrupted(ctx, started, writer)
        raise
    summary = _finish(ctx, started, collected)
    if summary.state is not RunState.FAILED:
        summary = _run_hooks(ctx, started, summary)
    return summary


def _finish_interrupted(ctx: AppContext, started: _Started, writer: SnapshotWriter) -> None:
    """Close the run and give the lease back, so nothing waits for the lease to expire."""
    try:
        _finish(ctx, started, _failure(INTERRUPTED_MESSAGE, writer))
    except Exception:  # the lease then expires and a scheduler reclaims it
        logger.exception("could not close the interrupted poll of %s", started.connector_id)


def _internal(exc: BaseException) -> str:
    return f"internal error while polling: {type(exc).__name__}; see server log"


def _failure(message: str, writer: SnapshotWriter) -> _Collected:
    """A failed poll still records what it learned before failing (for diagnostics)."""
    return _Collected(
        regions=list(writer.regions),
        results=list(writer.results),
        api_calls=sum(r.calls for r in writer.results),
        verdict=PollVerdict(RunState.FAILED, None, None, message),
    )


# -- 1. start ------------------------------------------------------------------------------


def _start(
    ctx: AppContext,
    connector_id: str,
    trigger: Trigger,
    worker_id: str,
    run_id: str | None = None,
) -> _Started:
    now = utcnow()
    # Not durable: lost in a database crash, the run is queued again (or, for an embedded
    # poll, the lease expires) and the poll is redone; the finish commit flushes it anyway.
    with ctx.db.write(durable=False) as session:
        row = session.get(ConnectorRow, connector_id, with_for_update=True)
        if row is None:
            raise NotFound(f"connector {connector_id} not found")
        if row.lease_owner != worker_id:
            raise Conflict(f"a poll is already running for connector {connector_id}")
        state = connector_repo.state_of(row)
        if state.stage is Stage.POLLING:
            # We hold the lease, so the poller that set ``polling`` lost its own: close its
            # leftovers. (A queued Refresh also reads refreshing, but no poll ran for it.)
            run_repo.fail_unfinished(session, row.id, DIED_MESSAGE, now, keep=run_id)
            inventory_repo.discard_unfinished(session, row.id)
            event = states.Event.poll_reclaimed()
        else:
            event = states.Event.poll_started()
        connector_repo.store_state(row, states.apply(state, event))
        queued = session.get(PollRunRow, run_id) if run_id else None
        if queued is not None:
            run = run_repo.start_queued(queued, worker_id, now)
        else:
            run = run_repo.create(session, row.tenant_id, row.id, trigger, worker_id)
        snapshot_id = inventory_repo.create(session, row.tenant_id, row.id, run.id)
        run.snapshot_id = snapshot_id
        return _Started(row.tenant_id, row.id, row.provider, run.id, snapshot_id, worker_id,
                        Trigger(run.trigger))


# -- 2. collect ----------------------------------------------------------------------------


def _writer(
    ctx: AppContext,
    started: _Started,
    heartbeat: LeaseHeartbeat,
    observer: CollectionSink | None,
) -> SnapshotWriter:
    def store(batch: Sequence[KeyedAsset]) -> None:
        heartbeat.check()  # never write into a snapshot another worker now owns
        with ctx.db.write(durable=False) as session:  # the finish commit flushes it
            inventory_repo.insert_assets(
                session, started.snapshot_id, started.tenant_id, started.connector_id, batch
            )

    return SnapshotWriter(
        started.connector_id,
        store,
        vm_types=get_provider(started.provider).vm_types,
        batch_size=ctx.settings.asset_batch_size,
        observer=observer,
    )


def _collect(
    ctx: AppContext, started: _Started, heartbeat: LeaseHeartbeat, writer: SnapshotWriter
) -> _Collected:
    provider = get_provider(started.provider)
    with ctx.db.read() as session:
        row = session.get_one(ConnectorRow, started.connector_id)
        try:
            credentials = open_credentials(ctx, row)
        except ValidationFailed as exc:
            fields = sorted({p.field.removeprefix("credentials.") for p in exc.problems})
            raise AuthenticationFailed(
                f"the stored credentials are no longer accepted ({', '.join(fields)}): "
                "re-enter the connector's credentials"
            ) from None
        scope = dict(row.scope) if row.scope else None
        organization, organization_options = organizations.member_context(session, row)
        whole_organization = organizations.is_organization(row)
    needs = connector_needs(ctx, started.tenant_id, started.connector_id)
    context = PollContext(ctx.settings, started.tenant_id, started.connector_id, scope,
                          organization, organization_options, needs=needs)
    cloud = provider.authenticate(credentials, context)
    if whole_organization:
        try:
            verdict = organizations.poll_organization(
                ctx, started.connector_id, provider, cloud, credentials, started.trigger)
        finally:
            cloud.close()
        heartbeat.check()
        return _Collected(regions=[], results=[], api_calls=_calls_of(cloud), verdict=verdict)
    try:
        regions = cloud.discover_regions()
        writer.regions_discovered(regions)
        cloud.collect(regions, writer)
        writer.flush()
    finally:
        cloud.close()
    heartbeat.check()
    return _Collected(
        regions=list(writer.regions),
        results=list(writer.results),
        api_calls=sum(r.calls for r in writer.results),
        verdict=judge(writer.results, writer.asset_count, writer.found_vm),
    )


def connector_needs(ctx: AppContext, tenant_id: str, connector_id: str) -> Needs | None:
    """What a poll of the connector reads (``PollContext.needs``): None for a full
    inventory, else what the tenant's rules of its provider read."""
    with ctx.db.read() as session:
        row = session.get_one(ConnectorRow, connector_id)
        full, provider = reads_full_inventory(session, row), row.provider
    if full:
        return None
    from cloudconnectors.services.reports import poll_needs  # rules load with the poll

    return poll_needs(ctx.db, tenant_id, provider)


def reads_full_inventory(session: Session, row: ConnectorRow) -> bool:
    """Whether a poll reads everything the provider knows rather than what the rules read:
    the connector's own ``inventory`` setting, or its organization's for a member."""
    if row.inventory == "full":
        return True
    if row.parent_id is None:
        return False
    parent = session.get(ConnectorRow, row.parent_id)
    return parent is not None and parent.inventory == "full"


def _calls_of(cloud: object) -> int:
    """The calls a session counted, when it keeps a meter (the organization walk)."""
    meter = getattr(cloud, "meter", None)
    return int(getattr(meter, "total_calls", 0) or 0)


# -- 3. finish -----------------------------------------------------------------------------


def next_run_after(now: datetime, minutes: int, jitter_fraction: float) -> datetime:
    """``now`` plus the run frequency, spread by ±jitter so polls do not bunch up."""
    jitter = random.uniform(-jitter_fraction, jitter_fraction) if jitter_fraction > 0 else 0.0
    return now + timedelta(minutes=minutes * (1 + jitter))


def _finish(
    ctx: AppContext, started: _Started, collected: _Collected | None, *, lease_lost: bool = False
) -> PollSummary:
    now = utcnow()
    with ctx.db.write() as session:
        row = session.get(ConnectorRow, started.connector_id, with_for_update=True)
        run = session.get(PollRunRow, started.run_id)
        if row is None or run is None:  # the connector was deleted while it was polled
            return _summary(started, RunState.FAILED, None, "the connector was deleted")
        if lease_lost or collected is None or row.lease_owner != started.worker_id:
            # Someone else owns the connector now; leave its state and lease alone.
            inventory_repo.discard(session, started.snapshot_id)
            _close_run(run, RunState.FAILED, now, error=LOST_MESSAGE)
            return _summary(started, RunState.FAILED, connector_repo.state_of(row), LOST_MESSAGE)
        verdict = collected.verdict
        carried = {} if verdict.failed else _carry_forward(session, row, started, collected)
        run_repo.add_results(session, run.id, collected.results, carried,
                             get_provider(row.provider).asset_types_of)
        run.regions = collected.regions
        run.api_calls = collected.api_calls
        if verdict.failed:
            inventory_repo.discard(session, started.snapshot_id)
            _close_run(run, RunState.FAILED, now, error=verdict.error)
            event = states.Event.poll_failed(verdict.error or "poll failed")
        else:
            assert verdict.discovery is not None
            snapshot = inventory_repo.complete(
                session,
                row,
                started.snapshot_id,
                regions=collected.regions,
                vm_types=get_provider(row.provider).vm_types,
                now=now,
            )
            session.flush()
            inventory_repo.prune(session, row, ctx.settings.snapshots_kept)
            run.asset_count = snapshot.asset_count
            run.vm_count = snapshot.vm_count
            warning = _with_carried(verdict.warning, carried)
            _close_run(run, verdict.run_state, now, warning=warning)
            event = states.Event.poll_succeeded(verdict.discovery, warning)
        new_state = states.apply(connector_repo.state_of(row), event)
        connector_repo.store_state(row, new_state)
        row.last_run_at = now
        # A member is polled when its organization is (or on its own Refresh), never on a
        # clock of its own, so one organization poll is one round over its members.
        row.next_run_at = None if row.parent_id is not None else next_run_after(
            now, row.run_frequency_minutes, ctx.settings.schedule_jitter_fraction
        )
        row.refresh_requested_at = None
        row.lease_owner = None
        row.lease_expires_at = None
        return PollSummary(
            connector_id=started.connector_id,
            run_id=run.id,
            state=RunState(run.state),
            status=new_state.status,
            discovery=new_state.discovery,
            asset_count=run.asset_count,
            vm_count=run.vm_count,
            regions=tuple(run.regions),
            snapshot_id=run.snapshot_id,
            error=run.error,
            warning=run.warning,
        )


def _carry_forward(
    session: Session, row: ConnectorRow, started: _Started, collected: _Collected
) -> dict[Scope, tuple[int, datetime | None]]:
    """Keep, from the current snapshot, the assets of every scope this poll did not read
    whole (see ``domain.scopes``); returns, per scope, what it carries and as of when.

    A scope the previous poll read and found empty is "carried" too, with nothing in it: its
    last reading (no resources) is still the latest truth, and rules may say what it showed.
    """
    if row.current_snapshot_id is None:
        return {}
    types_of = get_provider(row.provider).asset_types_of
    # asset-type scope -> the collector scope that reports it
    scopes = {Scope(r.account, r.region, type_): Scope(r.account, r.region, r.resource_type)
              for r in collected.results if is_gap(r) for type_ in types_of(r.resource_type)}
    carried = inventory_repo.carry_forward(
        session, previous_id=row.current_snapshot_id, snapshot_id=started.snapshot_id,
        scopes=sorted(scopes, key=Scope.sort_key))
    earlier = run_repo.scope_reads(session, row.current_snapshot_id)
    for scope, collector in scopes.items():
        read_at = earlier.get(collector)
        if scope not in carried and read_at is not None:
            carried[scope] = (0, read_at)
    return carried


def _with_carried(warning: str | None,
                  carried: dict[Scope, tuple[int, datetime | None]]) -> str | None:
    """Say on the run and the connector what was kept from the previous poll, and as of
    when, so "online" never hides that part of the inventory is old."""
    kept = [(n, at) for n, at in carried.values() if n]
    if not kept:
        return warning
    oldest = min((at for _n, at in kept if at is not None), default=None)
    when = f" (last read {oldest.isoformat(timespec='seconds')})" if oldest else ""
    note = (f"kept {sum(n for n, _at in kept)} resource(s) of {len(kept)} unread scope(s) "
            f"from the previous poll{when}; their checks read not evaluated")
    return f"{warning}; {note}" if warning else note


def _close_run(
    run: PollRunRow,
    state: RunState,
    now: datetime,
    *,
    error: str | None = None,
    warning: str | None = None,
) -> None:
    run.state = state.value
    run.finished_at = now
    run.error = error
    run.warning = warning
    if state is RunState.FAILED:
        run.snapshot_id = None


def _summary(
    started: _Started, state: RunState, current: states.ConnectorState | None, error: str
) -> PollSummary:
    return PollSummary(
        connector_id=started.connector_id,
        run_id=started.run_id,
        state=state,
        status=current.status if current else Status.OFFLINE,
        discovery=current.discovery if current else None,
        error=error,
    )


# -- after a successful poll ---------------------------------------------------------------


def _run_hooks(ctx: AppContext, started: _Started, summary: PollSummary) -> PollSummary:
    problems: list[str] = []
    for hook in list(POST_POLL_HOOKS):
        name = getattr(hook, "__qualname__", None) or repr(hook)
        try:
            hook(ctx, started.tenant_id, started.connector_id)
        except Exception as exc:
            logger.exception(
                "post-poll step %s failed for connector %s", name, started.connector_id
            )
            problems.append(f"post-poll step {name} failed: {type(exc).__name__}; see server log")
    if not problems:
        return summary
    note = "; ".join(problems)
    try:
        with ctx.db.write() as session:
            run = session.get(PollRunRow, started.run_id)
            if run is not None:
                run.warning = f"{run.warning}; {note}" if run.warning else note
    except Exception:
        logger.exception("could not record post-poll failures on run %s", started.run_id)
    return replace(summary, hook_errors=tuple(problems))
