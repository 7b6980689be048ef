"""What a poll could and could not read, per scope: the seam that keeps results honest.

A **scope** is one (account, region, resource type) a collector reads: an AWS region's EC2
instances, a GCP project's Compute instances, an Azure subscription's virtual machines.
``account`` None means the connector's own account; region :data:`ANY_REGION` (or
``global``) means every region of that account and type (a per-project outcome such as
"Compute Engine API disabled", reported in ``global``).

A **gap** is a scope whose read in this poll cannot be trusted to be whole: refused, failed,
throttled past the retries, skipped (API disabled, region not offered), or a listing that
stopped part-way. Two things follow from a gap, and both are provider-neutral:

* the snapshot carries the scope's assets forward from the previous one, marked stale with
  the time they were last read (storage does it; ``last_read_at`` records it here);
* rules give no PASS or FAIL from the scope: the engine answers MANUAL naming the scope and
  the permission or API, and, for carried assets, notes what the last read showed.

A PARTIAL outcome whose listing completed (only per-item details were refused) is not a gap:
its assets are fresh, and the refused details answer MANUAL through ``_cc_errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from cloudconnectors.domain.assets import GLOBAL_REGION
from cloudconnectors.domain.runs import CollectorResult, Outcome

__all__ = [
    "ANY_REGION",
    "Coverage",
    "Scope",
    "ScopeGap",
    "coverage_from_results",
    "is_gap",
]

ANY_REGION = "*"
WHOLE_ACCOUNT = frozenset({ANY_REGION, GLOBAL_REGION})


@dataclass(frozen=True, slots=True)
class Scope:
    account: str | None
    region: str
    resource_type: str

    @property
    def whole_account(self) -> bool:
        """A per-account outcome (region ``*`` or ``global``) covers every region of its
        type: GCP and Azure list a project or subscription at once and report there, and an
        AWS global type's assets all sit in ``global``."""
        return self.region in WHOLE_ACCOUNT

    def covers(self, account: str | None, region: str, resource_type: str) -> bool:
        return (self.resource_type == resource_type and self.account == account
                and (self.region == region or self.region in WHOLE_ACCOUNT))

    def sort_key(self) -> tuple[str, str, str]:
        return (self.account or "", self.region, self.resource_type)

    def label(self) -> str:
        """``AWS::EC2::Instance in eu-west-1`` (with ``of <account>`` when one is named)."""
        where = "every region" if self.region == ANY_REGION else self.region
        text = f"{self.resource_type} in {where}"
        return f"{text} of {self.account}" if self.account else text


@dataclass(frozen=True, slots=True)
class ScopeGap:
    """A scope this poll did not read whole, why, and since when its assets are old.

    ``last_read_at`` is set when assets were carried forward (the time they were read);
    None means nothing of it was carried: never read, or read empty last time.
    """

    scope: Scope
    outcome: Outcome
    reason: str | None = None
    permission: str | None = None
    last_read_at: datetime | None = None
    carried: int = 0

    def why(self) -> str:
        """One line for a person: ``denied ec2:DescribeInstances`` / the collector's reason."""
        if self.permission and self.outcome is Outcome.DENIED:
            return f"the poll was denied {self.permission}"
        text = self.reason or {
            Outcome.THROTTLED: "throttled past the retries",
            Outcome.SKIPPED: "not attempted",
            Outcome.PARTIAL: "the listing stopped part-way"}.get(self.outcome,
                                                                 "the list call failed")
        if self.permission and self.permission not in text:  # the API or permission to fix
            text += f" ({self.permission})"
        return text

    def sentence(self) -> str:
        text = f"{self.scope.label()} could not be read in this poll ({self.why()})"
        if self.last_read_at is not None:
            when = self.last_read_at.isoformat(timespec="seconds")
            text += (f"; {self.carried} resource(s) carried forward as read at {when}"
                     if self.carried else f"; it held no resources when last read at {when}")
        return text


#: Skip codes meaning the region (or the service in it) is not enabled for the account at
#: all: nothing can exist there, so the scope is read - empty - not a gap. Any other skip
#: (an API disabled in a project, a service the SDK does not know) is not read.
NOT_ENABLED_CODES = frozenset({"OptInRequired", "SubscriptionRequiredException"})


def is_gap(result: CollectorResult) -> bool:
    """True when ``result`` leaves its scope not wholly read (see the module docstring)."""
    if result.outcome is Outcome.OK:
        return False
    if result.outcome is Outcome.PARTIAL:
        return result.truncated
    if result.outcome is Outcome.SKIPPED:
        return result.error_code not in NOT_ENABLED_CODES
    return True


@dataclass(frozen=True)
class Coverage:
    """Everything the engine needs to know about what the poll read.

    ``regions``: the regions the poll covered (demanded by "in every region" checks);
    ``gaps``: the scopes not read whole; ``listed``: asset types whose listing completed in
    at least one scope (a type listed with zero resources is NOT_APPLICABLE, not unknown).
    ``known`` False means the caller has no run data (fixtures): every type counts as listed.
    """

    regions: frozenset[str] = frozenset()
    gaps: tuple[ScopeGap, ...] = ()
    listed: frozenset[str] = frozenset()
    known: bool = True
    _by_type: dict[str, list[ScopeGap]] = field(default_factory=dict, compare=False,
                                                repr=False)

    def __post_init__(self) -> None:
        for gap in self.gaps:
            self._by_type.setdefault(gap.scope.resource_type, []).append(gap)

    def gaps_of(self, resource_type: str) -> list[ScopeGap]:
        return self._by_type.get(resource_type, [])

    def gap_for(self, account: str | None, region: str, resource_type: str
                ) -> ScopeGap | None:
        for gap in self._by_type.get(resource_type, ()):
            if gap.scope.covers(account, region, resource_type):
                return gap
        return None

    def was_listed(self, resource_type: str) -> bool:
        return not self.known or resource_type in self.listed

    def with_gaps(self, extra: Iterable[ScopeGap]) -> Coverage:
        return replace(self, gaps=(*self.gaps, *extra), _by_type={})


def coverage_from_results(
    results: Iterable[CollectorResult],
    regions: Iterable[str],
    *,
    asset_types: Callable[[str], tuple[str, ...]] = lambda t: (t,),
    carried: Mapping[Scope, tuple[int, datetime | None]] | None = None,
) -> Coverage:
    """Fold a poll's collector results into a :class:`Coverage`.

    ``asset_types`` maps a collector's resource type to every asset type it emits (one AWS
    Directory Service listing yields three types). ``carried`` gives, per gap scope, how
    many assets were carried forward and when they were last read.
    """
    gaps: dict[Scope, ScopeGap] = {}
    listed: set[str] = set()
    for result in results:
        for type_ in asset_types(result.resource_type):
            scope = Scope(result.account, result.region, type_)
            if not is_gap(result):
                listed.add(type_)
                continue
            count, last_read_at = (carried or {}).get(
                Scope(result.account, result.region, result.resource_type), (0, None))
            gaps.setdefault(scope, ScopeGap(scope, result.outcome, result.reason,
                                            result.permission, last_read_at, count))
    ordered = sorted(gaps.values(), key=lambda g: g.scope.sort_key())
    return Coverage(regions=frozenset(regions), gaps=tuple(ordered), listed=frozenset(listed))
