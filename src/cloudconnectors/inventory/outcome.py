"""What a poll's collector results mean for the run and the connector (pure functions).

* every collector refused or failed and nothing was read -> the poll failed (offline);
* some collectors refused, throttled, skipped or failed -> online, with a warning naming them;
* a virtual machine was read -> discovery ``success``, else ``regions_discovered``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cloudconnectors.domain.runs import CollectorResult, Outcome, RunState
from cloudconnectors.domain.states import Discovery

__all__ = ["PollVerdict", "judge"]

SHOWN_PER_OUTCOME = 5
_READ = frozenset({Outcome.OK, Outcome.PARTIAL})
_ORDER = (Outcome.DENIED, Outcome.THROTTLED, Outcome.FAILED, Outcome.PARTIAL, Outcome.SKIPPED)
_VERB = {
    Outcome.DENIED: "denied",
    Outcome.THROTTLED: "throttled",
    Outcome.FAILED: "failed",
    Outcome.PARTIAL: "partly read",
    Outcome.SKIPPED: "skipped",
}


@dataclass(frozen=True)
class PollVerdict:
    run_state: RunState
    discovery: Discovery | None  # None when the poll failed
    warning: str | None
    error: str | None  # set when the poll failed

    @property
    def failed(self) -> bool:
        return self.run_state is RunState.FAILED


def _label(result: CollectorResult) -> str:
    # A result of one of several projects or subscriptions names it; else the region.
    where = f"{result.service} in {result.account or result.region}"
    return f"{result.permission} ({where})" if result.permission else where


def describe(results: Sequence[CollectorResult]) -> str | None:
    """One line per kind of problem, naming the first few collectors; None if all ok."""
    by_outcome: dict[Outcome, list[str]] = defaultdict(list)
    for result in results:
        if result.is_problem:
            label = _label(result)
            if label not in by_outcome[result.outcome]:
                by_outcome[result.outcome].append(label)
    parts = []
    for outcome in _ORDER:
        labels = by_outcome.get(outcome)
        if not labels:
            continue
        shown = ", ".join(labels[:SHOWN_PER_OUTCOME])
        more = len(labels) - SHOWN_PER_OUTCOME
        suffix = f" and {more} more" if more > 0 else ""
        parts.append(f"{len(labels)} {_VERB[outcome]}: {shown}{suffix}")
    return "; ".join(parts) if parts else None


def judge(results: Sequence[CollectorResult], asset_count: int, found_vm: bool) -> PollVerdict:
    problems = describe(results)
    nothing_read = asset_count == 0 and not any(r.outcome in _READ for r in results)
    if results and nothing_read:
        return PollVerdict(
            RunState.FAILED,
            None,
            None,
            f"nothing could be read: every collector was refused or failed ({problems}). "
            "Grant the missing permissions or enable the APIs, then press Refresh.",
        )
    discovery = Discovery.SUCCESS if found_vm else Discovery.REGIONS_DISCOVERED
    warning = f"some inventory was not read: {problems}" if problems else None
    return PollVerdict(
        RunState.PARTIAL if problems else RunState.SUCCEEDED, discovery, warning, None
    )
