"""The whole state machine table, walked: every legal move taken, every illegal one refused."""

from __future__ import annotations

import itertools

import pytest

from cloudconnectors.domain.errors import IllegalTransition
from cloudconnectors.domain.states import (
    TRANSITIONS,
    ConnectorState,
    Discovery,
    Event,
    EventKind,
    Status,
    apply,
    can_apply,
)

IDLE = {Status.PENDING, Status.ONLINE, Status.OFFLINE}
EXPECTED = {
    EventKind.POLL_STARTED: (IDLE, Status.REFRESHING),
    EventKind.POLL_RECLAIMED: ({Status.REFRESHING}, Status.REFRESHING),
    EventKind.POLL_SUCCEEDED: ({Status.REFRESHING}, Status.ONLINE),
    EventKind.POLL_FAILED: ({Status.REFRESHING}, Status.OFFLINE),
    EventKind.CREDENTIALS_CHANGED: (IDLE, Status.PENDING),
}


def event_of(kind: EventKind) -> Event:
    return {
        EventKind.POLL_STARTED: Event.poll_started(),
        EventKind.POLL_RECLAIMED: Event.poll_reclaimed(),
        EventKind.POLL_SUCCEEDED: Event.poll_succeeded(Discovery.SUCCESS),
        EventKind.POLL_FAILED: Event.poll_failed("role refused"),
        EventKind.CREDENTIALS_CHANGED: Event.credentials_changed(),
    }[kind]


def test_table_covers_every_event_and_matches_the_design() -> None:
    assert set(TRANSITIONS) == set(EventKind)
    assert {k: (set(s), t) for k, (s, t) in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize(
    ("status", "kind"), list(itertools.product(Status, EventKind)),
    ids=lambda v: v.value,
)
def test_every_pair_is_taken_or_refused(status: Status, kind: EventKind) -> None:
    sources, target = TRANSITIONS[kind]
    state = ConnectorState(status=status, discovery=Discovery.REGIONS_DISCOVERED)
    if status in sources:
        assert can_apply(status, kind)
        assert apply(state, event_of(kind)).status is target
    else:
        assert not can_apply(status, kind)
        with pytest.raises(IllegalTransition, match=f"cannot apply {kind.value}"):
            apply(state, event_of(kind))


def test_success_sets_discovery_and_warning_and_clears_error() -> None:
    state = ConnectorState(Status.REFRESHING, Discovery.SUCCESS, last_error="old error")
    after = apply(state, Event.poll_succeeded(Discovery.REGIONS_DISCOVERED, warning="s3 denied"))
    assert after == ConnectorState(Status.ONLINE, Discovery.REGIONS_DISCOVERED, None, "s3 denied")


def test_success_without_discovery_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="discovery"):
        apply(ConnectorState(Status.REFRESHING), Event(EventKind.POLL_SUCCEEDED))


def test_failure_keeps_the_last_discovery_and_drops_the_warning() -> None:
    state = ConnectorState(Status.REFRESHING, Discovery.SUCCESS, warning="partial")
    after = apply(state, Event.poll_failed("sts:AssumeRole refused"))
    assert after.status is Status.OFFLINE
    assert after.discovery is Discovery.SUCCESS
    assert after.last_error == "sts:AssumeRole refused"
    assert after.warning is None


def test_failure_without_message_still_says_something() -> None:
    after = apply(ConnectorState(Status.REFRESHING), Event(EventKind.POLL_FAILED))
    assert after.last_error == "poll failed"


def test_started_and_reclaimed_keep_what_is_known() -> None:
    state = ConnectorState(Status.OFFLINE, Discovery.SUCCESS, last_error="x")
    started = apply(state, Event.poll_started())
    assert started == ConnectorState(Status.REFRESHING, Discovery.SUCCESS, "x")
    assert apply(started, Event.poll_reclaimed()) == started


@pytest.mark.parametrize("status", [Status.PENDING, Status.ONLINE, Status.OFFLINE])
def test_credentials_changed_resets_everything(status: Status) -> None:
    state = ConnectorState(status, Discovery.SUCCESS, last_error="e", warning="w")
    assert apply(state, Event.credentials_changed()) == ConnectorState()
