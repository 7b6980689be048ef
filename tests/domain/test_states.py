"""The whole state machine table, walked: every legal move taken, every illegal one refused."""

from __future__ import annotations

import itertools

import pytest

from cloudconnectors.domain.errors import IllegalTransition
from cloudconnectors.domain.states import (
    PREVIOUS,
    TRANSITIONS,
    ConnectorState,
    Discovery,
    Event,
    EventKind,
    Stage,
    Status,
    apply,
    can_apply,
)

IDLE = {Stage.PENDING, Stage.ONLINE, Stage.OFFLINE}
EXPECTED = {
    EventKind.REFRESH_QUEUED: (IDLE, Status.REFRESHING),
    EventKind.REFRESH_UNCLAIMED: ({Stage.QUEUED}, PREVIOUS),
    EventKind.POLL_STARTED: (IDLE | {Stage.QUEUED}, Status.REFRESHING),
    EventKind.POLL_RECLAIMED: ({Stage.POLLING}, Status.REFRESHING),
    EventKind.POLL_SUCCEEDED: ({Stage.POLLING}, Status.ONLINE),
    EventKind.POLL_FAILED: ({Stage.POLLING}, Status.OFFLINE),
    EventKind.CREDENTIALS_CHANGED: (IDLE | {Stage.QUEUED}, Status.PENDING),
}

# One state per stage; the queued one was online before its Refresh.
STATES = {
    Stage.PENDING: ConnectorState(Status.PENDING, Discovery.REGIONS_DISCOVERED),
    Stage.ONLINE: ConnectorState(Status.ONLINE, Discovery.REGIONS_DISCOVERED),
    Stage.OFFLINE: ConnectorState(Status.OFFLINE, Discovery.REGIONS_DISCOVERED),
    Stage.QUEUED: ConnectorState(Status.REFRESHING, Discovery.REGIONS_DISCOVERED,
                                 previous=Status.ONLINE),
    Stage.POLLING: ConnectorState(Status.REFRESHING, Discovery.REGIONS_DISCOVERED),
}


def event_of(kind: EventKind) -> Event:
    return {
        EventKind.REFRESH_QUEUED: Event.refresh_queued(),
        EventKind.REFRESH_UNCLAIMED: Event.refresh_unclaimed("nobody took it"),
        EventKind.POLL_STARTED: Event.poll_started(),
        EventKind.POLL_RECLAIMED: Event.poll_reclaimed(),
        EventKind.POLL_SUCCEEDED: Event.poll_succeeded(Discovery.SUCCESS),
        EventKind.POLL_FAILED: Event.poll_failed("role refused"),
        EventKind.CREDENTIALS_CHANGED: Event.credentials_changed(),
    }[kind]


def test_table_covers_every_event_and_matches_the_design() -> None:
    assert set(TRANSITIONS) == set(EventKind)
    assert {k: (set(s), t) for k, (s, t) in TRANSITIONS.items()} == EXPECTED


def test_every_stage_has_a_state_and_reads_as_its_status() -> None:
    assert set(STATES) == set(Stage)
    for stage, state in STATES.items():
        assert state.stage is stage


@pytest.mark.parametrize(
    ("stage", "kind"), list(itertools.product(Stage, EventKind)),
    ids=lambda v: v.value,
)
def test_every_pair_is_taken_or_refused(stage: Stage, kind: EventKind) -> None:
    sources, target = TRANSITIONS[kind]
    state = STATES[stage]
    if stage in sources:
        assert can_apply(state, kind)
        after = apply(state, event_of(kind))
        assert after.status is (target if target is not PREVIOUS else state.previous)
    else:
        assert not can_apply(state, kind)
        with pytest.raises(IllegalTransition, match=f"cannot apply {kind.value}"):
            apply(state, event_of(kind))


@pytest.mark.parametrize("status", [Status.PENDING, Status.ONLINE, Status.OFFLINE])
def test_a_queued_refresh_reads_refreshing_and_goes_back_with_a_message(status: Status) -> None:
    before = ConnectorState(status, Discovery.SUCCESS, last_error="old", warning="partial")
    queued = apply(before, Event.refresh_queued())
    assert queued.status is Status.REFRESHING and queued.stage is Stage.QUEUED
    assert (queued.discovery, queued.last_error) == (Discovery.SUCCESS, "old")
    back = apply(queued, Event.refresh_unclaimed("not taken within 300 s"))
    assert back == ConnectorState(status, Discovery.SUCCESS, "old", "not taken within 300 s")


def test_a_poller_taking_a_queued_refresh_starts_a_poll_not_a_reclaim() -> None:
    queued = apply(ConnectorState(Status.OFFLINE, last_error="x"), Event.refresh_queued())
    with pytest.raises(IllegalTransition, match=r"poll_reclaimed.*queued"):
        apply(queued, Event.poll_reclaimed())
    polling = apply(queued, Event.poll_started())
    assert polling.stage is Stage.POLLING and polling.previous is None
    with pytest.raises(IllegalTransition, match=r"refresh_unclaimed.*polling"):
        apply(polling, Event.refresh_unclaimed("late"))
    assert apply(polling, Event.poll_succeeded(Discovery.SUCCESS)).previous is None


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
