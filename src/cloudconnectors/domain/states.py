"""The connector state machine: the only place that decides a status or a discovery.

``TRANSITIONS`` is the whole table: for each event, the statuses it may start from and the
status it leads to. :func:`apply` is the one gate; storage persists what it returns and
nothing else writes a status.
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


class EventKind(StrEnum):
    POLL_STARTED = "poll_started"
    POLL_RECLAIMED = "poll_reclaimed"
    POLL_SUCCEEDED = "poll_succeeded"
    POLL_FAILED = "poll_failed"
    CREDENTIALS_CHANGED = "credentials_changed"


_IDLE = frozenset({Status.PENDING, Status.ONLINE, Status.OFFLINE})

TRANSITIONS: dict[EventKind, tuple[frozenset[Status], Status]] = {
    # A scheduled poll or a Refresh claims an idle connector.
    EventKind.POLL_STARTED: (_IDLE, Status.REFRESHING),
    # The lease of a poll whose process died expired; another worker takes it over.
    EventKind.POLL_RECLAIMED: (frozenset({Status.REFRESHING}), Status.REFRESHING),
    EventKind.POLL_SUCCEEDED: (frozenset({Status.REFRESHING}), Status.ONLINE),
    EventKind.POLL_FAILED: (frozenset({Status.REFRESHING}), Status.OFFLINE),
    # New credentials start over: nothing is known about them yet.
    EventKind.CREDENTIALS_CHANGED: (_IDLE, Status.PENDING),
}


@dataclass(frozen=True)
class ConnectorState:
    status: Status = Status.PENDING
    discovery: Discovery | None = None
    last_error: str | None = None
    warning: str | None = None


@dataclass(frozen=True)
class Event:
    kind: EventKind
    discovery: Discovery | None = None
    error: str | None = None
    warning: str | None = None

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


def can_apply(status: Status, kind: EventKind) -> bool:
    sources, _ = TRANSITIONS[kind]
    return status in sources


def apply(state: ConnectorState, event: Event) -> ConnectorState:
    """Return the state after ``event``, or raise :class:`IllegalTransition`."""
    sources, target = TRANSITIONS[event.kind]
    if state.status not in sources:
        raise IllegalTransition(
            f"cannot apply {event.kind.value} to a connector that is {state.status.value}"
        )
    if event.kind is EventKind.POLL_SUCCEEDED:
        if event.discovery is None:
            raise ValueError("poll_succeeded needs the discovery the poll reached")
        return ConnectorState(target, event.discovery, None, event.warning)
    if event.kind is EventKind.POLL_FAILED:
        # Discovery keeps how far the last *successful* poll got.
        return replace(state, status=target, last_error=event.error or "poll failed", warning=None)
    if event.kind is EventKind.CREDENTIALS_CHANGED:
        return ConnectorState(target)
    return replace(state, status=target)
