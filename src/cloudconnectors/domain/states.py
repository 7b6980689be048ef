"""The connector state machine: the only place that decides a status or a discovery.

``TRANSITIONS`` is the whole table: for each event, the stages it may start from and the
status it leads to. :func:`apply` is the one gate; storage persists what it returns and
nothing else writes a status.

A connector's *status* is what people read (API, CLI, portal). Its *stage* is finer: the
status ``refreshing`` covers both a Refresh that waits for a poller (``queued``) and a poll
under way (``polling``). The two must never be confused: a queued refresh holds no lease and
has no run to close, so a poller that takes it starts a poll; only a ``polling`` connector
whose lease a poller wins is a poll whose worker died.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from cloudconnectors.domain.errors import IllegalTransition


class Status(StrEnum):
    PENDING = "pending"
    REFRESHING = "refreshing"
    ONLINE = "online"
    OFFLINE = "offline"


class Discovery(StrEnum):
    REGIONS_DISCOVERED = "regions_discovered"
    SUCCESS = "success"


class Stage(StrEnum):
    """Where a connector stands, one step finer than its status (see the module docstring)."""

    PENDING = "pending"
    ONLINE = "online"
    OFFLINE = "offline"
    QUEUED = "queued"  # reads refreshing: a Refresh was accepted, no poller has taken it yet
    POLLING = "polling"  # reads refreshing: a poller holds the lease and polls


class EventKind(StrEnum):
    REFRESH_QUEUED = "refresh_queued"
    REFRESH_UNCLAIMED = "refresh_unclaimed"
    POLL_STARTED = "poll_started"
    POLL_RECLAIMED = "poll_reclaimed"
    POLL_SUCCEEDED = "poll_succeeded"
    POLL_FAILED = "poll_failed"
    CREDENTIALS_CHANGED = "credentials_changed"


IDLE = frozenset({Stage.PENDING, Stage.ONLINE, Stage.OFFLINE})

PREVIOUS = None
"""A target that means "the status the connector had before the refresh was queued"."""

TRANSITIONS: dict[EventKind, tuple[frozenset[Stage], Status | None]] = {
    # Refresh accepted: the connector reads refreshing at once, and remembers what it was.
    EventKind.REFRESH_QUEUED: (IDLE, Status.REFRESHING),
    # No poller took the queued refresh within the lease time: back to what it was.
    EventKind.REFRESH_UNCLAIMED: (frozenset({Stage.QUEUED}), PREVIOUS),
    # A scheduled poll, or a poller taking a queued Refresh, claims the connector.
    EventKind.POLL_STARTED: (IDLE | {Stage.QUEUED}, Status.REFRESHING),
    # The lease of a poll whose process died expired; another worker takes it over.
    EventKind.POLL_RECLAIMED: (frozenset({Stage.POLLING}), Status.REFRESHING),
    EventKind.POLL_SUCCEEDED: (frozenset({Stage.POLLING}), Status.ONLINE),
    EventKind.POLL_FAILED: (frozenset({Stage.POLLING}), Status.OFFLINE),
    # New credentials start over: nothing is known about them yet. A queued Refresh gives
    # way (the service polls new credentials at once anyway); a running poll must finish.
    EventKind.CREDENTIALS_CHANGED: (IDLE | {Stage.QUEUED}, Status.PENDING),
}


@dataclass(frozen=True)
class ConnectorState:
    status: Status = Status.PENDING
    discovery: Discovery | None = None
    last_error: str | None = None
    warning: str | None = None
    # Set only while a Refresh is queued: the status to go back to if no poller takes it.
    previous: Status | None = None

    @property
    def stage(self) -> Stage:
        if self.status is Status.REFRESHING:
            return Stage.QUEUED if self.previous is not None else Stage.POLLING
        return Stage(self.status.value)


@dataclass(frozen=True)
class Event:
    kind: EventKind
    discovery: Discovery | None = None
    error: str | None = None
    warning: str | None = None

    @classmethod
    def refresh_queued(cls) -> Event:
        return cls(EventKind.REFRESH_QUEUED)

    @classmethod
    def refresh_unclaimed(cls, message: str) -> Event:
        return cls(EventKind.REFRESH_UNCLAIMED, warning=message)

    @classmethod
    def poll_started(cls) -> Event:
        return cls(EventKind.POLL_STARTED)

    @classmethod
    def poll_reclaimed(cls) -> Event:
        return cls(EventKind.POLL_RECLAIMED)

    @classmethod
    def poll_succeeded(cls, discovery: Discovery, warning: str | None = None) -> Event:
        return cls(EventKind.POLL_SUCCEEDED, discovery=discovery, warning=warning)

    @classmethod
    def poll_failed(cls, error: str) -> Event:
        return cls(EventKind.POLL_FAILED, error=error)

    @classmethod
    def credentials_changed(cls) -> Event:
        return cls(EventKind.CREDENTIALS_CHANGED)


def can_apply(state: ConnectorState, kind: EventKind) -> bool:
    sources, _ = TRANSITIONS[kind]
    return state.stage in sources


def apply(state: ConnectorState, event: Event) -> ConnectorState:
    """Return the state after ``event``, or raise :class:`IllegalTransition`."""
    sources, target = TRANSITIONS[event.kind]
    stage = state.stage
    if stage not in sources:
        raise IllegalTransition(
            f"cannot apply {event.kind.value} to a connector that is {stage.value}"
        )
    match event.kind:
        case EventKind.REFRESH_QUEUED:
            # Discovery, error and warning stay: they still describe the last poll.
            return replace(state, status=Status.REFRESHING, previous=state.status)
        case EventKind.REFRESH_UNCLAIMED:
            assert state.previous is not None  # the QUEUED stage guarantees it
            return replace(state, status=state.previous, previous=None,
                           warning=event.warning or "the refresh was not taken by any poller")
        case EventKind.POLL_SUCCEEDED:
            if event.discovery is None:
                raise ValueError("poll_succeeded needs the discovery the poll reached")
            assert target is not None
            return ConnectorState(target, event.discovery, None, event.warning)
        case EventKind.POLL_FAILED:
            # Discovery keeps how far the last *successful* poll got.
            assert target is not None
            return replace(state, status=target, last_error=event.error or "poll failed",
                           warning=None, previous=None)
        case EventKind.CREDENTIALS_CHANGED:
            return ConnectorState(Status.PENDING)
    assert target is not None
    return replace(state, status=target, previous=None)
