"""One engine runs every rule over a snapshot, streaming.

Resource rules are indexed by resource type once; each asset then costs one dict lookup plus
the predicates that apply to its type. Only the types account-level rules read are kept in
memory (trails, alarms, the credential report...), so a million-asset snapshot is streamed.

What could not be read is the engine's business, not the predicates' (``domain.scopes``):

* a detail the rule ``needs`` that was refused (``_cc_errors``) or not collected answers
  MANUAL naming the permission;
* an asset in a scope the poll did not read whole (a gap: denied, failed, throttled, skipped,
  listing cut short - its assets carried forward from the previous snapshot) answers MANUAL
  naming the scope and why; what the rule says of the data as last read is kept in
  ``RuleResult.carried`` (for the score and the history), never as the status;
* each gap adds one MANUAL per rule of its type (resources there may exist unseen), and an
  account rule reading a gapped type answers MANUAL for whatever it judges;
* a resource rule whose type was listed completely and holds nothing answers NOT_APPLICABLE
  once ("no EFS file systems"); one whose type no poll collected answers MANUAL saying so.

Never a pass, never a fail, on data we could not read.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime

from cloudconnectors.domain.runs import Outcome
from cloudconnectors.domain.scopes import ANY_REGION, Coverage, Scope, ScopeGap
from cloudconnectors.rules.model import (
    ACCOUNT_KEY,
    ACCOUNT_TYPE,
    ERRORS_KEY,
    AccountRule,
    AccountVerdict,
    Context,
    Data,
    InventoryItem,
    Need,
    ResourceCheck,
    ResourceRule,
    Rule,
    RuleResult,
    Status,
    Verdict,
    manual,
    unreadable_reason,
)
from cloudconnectors.rules.snapshot import SnapshotView, covered_regions

UNREAD_PREFIX = "unread:"
DENIED_PREFIX = UNREAD_PREFIX  # the old name, for readers of stored keys
NONE_PREFIX = "none:"
# (rule ID, predicate, the keys it needs, the needs with their permissions)
_Compiled = tuple[str, ResourceCheck, tuple[str, ...], tuple[Need, ...]]
_DATA_ERRORS = (KeyError, TypeError, AttributeError, ValueError, IndexError)
_DECIDED = (Status.PASS, Status.FAIL)
_SHOWN_GAPS = 3
# ``RuleResult(...)`` runs a Python-level ``__new__``; the tuple's own constructor builds the
# same named tuple without that frame, which matters at millions of results a run.
_new_result = tuple.__new__


def _missing(needs: tuple[Need, ...], data: Data, type_: str,
             denied: frozenset[tuple[str, str]]) -> Verdict | None:
    for key, permission in needs:
        reason = unreadable_reason(data, type_, key, permission, denied)
        if reason is not None:
            return manual(reason)
    return None


def _noun(type_: str) -> str:
    """``AWS::EFS::FileSystem`` -> ``EFS file systems`` (for "no ... in the inventory")."""
    parts = [p for p in re.split(r"::|/", type_) if p]
    thing = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", parts[-1]).lower() if parts else type_
    plural = thing[:-1] + "ies" if thing.endswith("y") and not thing.endswith("ey") else \
        thing + "es" if thing.endswith(("s", "x", "sh", "ch")) else thing + "s"
    service = parts[1] if len(parts) >= 3 else parts[0].split(".")[0] if parts else ""
    return f"{service} {plural}".strip()


def _not_read(gaps: list[ScopeGap]) -> str:
    shown = "; ".join(g.sentence() for g in gaps[:_SHOWN_GAPS])
    more = len(gaps) - _SHOWN_GAPS
    return "not evaluated: " + shown + (f"; and {more} more scope(s)" if more > 0 else "")


def _as_last_read(status: Status, reason: str) -> str:
    said = status.value.upper() + (f" ({reason})" if reason else "")
    return f"; as last read it was {said}"


def _unread_key(scope: Scope) -> str:
    return f"{UNREAD_PREFIX}{scope.account or ''}:{scope.region}:{scope.resource_type}"


class Engine:
    """Built once per rule set; ``evaluate`` may be called for any number of snapshots."""

    def __init__(self, rules: Iterable[Rule],
                 detail_permissions: Collection[tuple[str, str]] = ()) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self._by_type: dict[str, list[_Compiled]] = {}
        self._account: list[AccountRule] = []
        for rule in self.rules:
            if isinstance(rule, ResourceRule):
                self._by_type.setdefault(rule.resource_type, []).append(
                    (rule.id, rule.check, tuple(k for k, _p in rule.needs), rule.needs))
            else:
                self._account.append(rule)
        self._account_types = frozenset(t for r in self._account for t in r.resource_types)
        # (type, permission) pairs of detail calls: their denial explains missing keys only.
        self._detail_permissions = frozenset(detail_permissions)

    def evaluate(
        self,
        items: Iterable[InventoryItem],
        *,
        now: datetime,
        denied: Collection[tuple[str, str | None]] = (),
        regions: Collection[str] = (),
        coverage: Coverage | None = None,
    ) -> Iterator[RuleResult]:
        """Yield one result per (applicable rule, resource), then the scope-level and
        account-level ones.

        ``coverage`` (from the poll's run) says which scopes were not read whole, which
        types were listed and which regions were covered. Without it (fixtures), ``denied``
        pairs stand in: one whose permission is a detail call (``s3:GetBucketPolicy``) only
        explains missing keys; any other means the type's listing failed everywhere.
        """
        context = Context(now=now)
        denied_pairs = frozenset((t, p or "") for t, p in denied)
        cover = self._coverage(coverage, denied_pairs, regions)
        gapped = frozenset(g.scope.resource_type for g in cover.gaps)
        kept: dict[str, list[InventoryItem]] = {t: [] for t in self._account_types}
        by_type, account_types = self._by_type, self._account_types
        seen: set[str] = set()
        for item in items:
            key, type_, region, native_id, name, data, account, stale = item
            if type_ in account_types:
                kept[type_].append(item)
            compiled = by_type.get(type_)
            if compiled is None:
                continue
            seen.add(type_)
            gap = None
            if stale or type_ in gapped:
                gap = cover.gap_for(account, region, type_) or (
                    _stale_gap(item) if stale else None)
            refused = ERRORS_KEY in data  # rare: only then may a present key be unreadable
            for rule_id, check, keys, needs in compiled:
                verdict = None
                if keys:
                    if refused:
                        verdict = _missing(needs, data, type_, denied_pairs)
                    else:
                        for needed in keys:
                            if needed not in data:
                                verdict = _missing(needs, data, type_, denied_pairs)
                                break
                if verdict is None:
                    try:
                        verdict = check(data, context)
                    except _DATA_ERRORS as exc:
                        verdict = manual(f"unexpected data shape ({type(exc).__name__}: {exc})")
                if gap is None:
                    status, reason = verdict
                    yield _new_result(RuleResult, (rule_id, key, type_, region, native_id, name,
                                                   status, reason, None, account))
                    continue
                carried = verdict[0] if stale and verdict[0] in _DECIDED else None
                reason = _not_read([gap]) + (_as_last_read(*verdict) if carried else "")
                yield RuleResult(rule_id, key, type_, region, native_id, name, Status.MANUAL,
                                 reason, carried, account)
        yield from self._scope_results(cover, seen)
        view = SnapshotView(by_type=kept, context=context,
                            regions=covered_regions(cover.regions, kept), denied=denied_pairs)
        for rule in self._account:
            yield from self._run_account(rule, view, cover)

    def _coverage(self, given: Coverage | None, denied: frozenset[tuple[str, str]],
                  regions: Collection[str]) -> Coverage:
        """The run's coverage, or (fixtures) one made of ``denied`` listing pairs."""
        extra: dict[str, ScopeGap] = {}
        for type_, permission in sorted(denied, key=lambda p: (p[0], not p[1], p[1])):
            if (type_, permission) in self._detail_permissions or type_ in extra:
                continue
            outcome = Outcome.DENIED if permission else Outcome.FAILED
            extra[type_] = ScopeGap(Scope(None, ANY_REGION, type_), outcome,
                                    None if permission else "the list call failed",
                                    permission or None)
        base = given if given is not None else Coverage(regions=frozenset(regions),
                                                        known=False)
        return base.with_gaps(extra.values()) if extra else base

    def _scope_results(self, cover: Coverage, seen: set[str]) -> Iterator[RuleResult]:
        """One MANUAL per (rule, gap) of its type; NOT_APPLICABLE (or MANUAL: never
        collected) per rule of a type without a single resource."""
        for type_, compiled in self._by_type.items():
            gaps = cover.gaps_of(type_)
            for gap in gaps:
                reason = _not_read([gap]) + ", so resources there may be missing"
                for rule_id, _check, _keys, _needs in compiled:
                    yield RuleResult(rule_id, _unread_key(gap.scope), type_, gap.scope.region,
                                     type_, None, Status.MANUAL, reason, None,
                                     gap.scope.account)
            if type_ in seen or gaps:
                continue
            if cover.was_listed(type_):
                status, reason = Status.NOT_APPLICABLE, f"no {_noun(type_)} in the inventory"
            else:
                status, reason = Status.MANUAL, (f"not evaluated: {type_} is not collected "
                                                 "by this connector's polls")
            for rule_id, _check, _keys, _needs in compiled:
                yield RuleResult(rule_id, NONE_PREFIX + type_, type_, ANY_REGION, type_, None,
                                 status, reason)

    @staticmethod
    def _run_account(rule: AccountRule, view: SnapshotView,
                     cover: Coverage) -> Iterator[RuleResult]:
        gaps = [g for t in rule.resource_types for g in cover.gaps_of(t)]
        if gaps and all(g.scope.account is not None for g in gaps):
            yield from _run_per_account(rule, view, gaps)
            return
        # A gap of the connector as a whole (every AWS gap; any gap naming no account): the
        # rule's answers all rest on it.
        carried = bool(gaps) and all(g.last_read_at is not None for g in gaps)
        try:
            verdicts = list(rule.check(view)) if not gaps or carried else []
        except _DATA_ERRORS as exc:
            yield _unexpected(rule.id, exc)
            return
        if gaps and not verdicts:
            yield RuleResult(rule.id, ACCOUNT_KEY, ACCOUNT_TYPE, "global", ACCOUNT_KEY, None,
                             Status.MANUAL, _not_read(gaps))
            return
        for verdict in verdicts:
            yield _account_result(rule.id, verdict, _not_read(gaps) if gaps else None)


def _unexpected(rule_id: str, exc: Exception) -> RuleResult:
    return RuleResult(rule_id, ACCOUNT_KEY, ACCOUNT_TYPE, "global", ACCOUNT_KEY, None,
                      Status.MANUAL, f"unexpected data shape ({type(exc).__name__}: {exc})")


def _run_per_account(rule: AccountRule, view: SnapshotView,
                     gaps: list[ScopeGap]) -> Iterator[RuleResult]:
    """Gaps that each name a project or subscription make only that one's answers MANUAL:
    a listing denied in one project leaves the rule's answers for the others as they are.
    A gapped project the rule gave no answer for (its own record was not read, say) gets one
    MANUAL answer naming what was not read there."""
    by_account: dict[str, list[ScopeGap]] = {}
    for gap in gaps:
        by_account.setdefault(gap.scope.account or "", []).append(gap)
    try:
        verdicts = list(rule.check(view))
    except _DATA_ERRORS as exc:
        yield _unexpected(rule.id, exc)
        return
    answered: set[str] = set()
    for verdict in verdicts:
        item = verdict.item
        if item is None:  # about the connector as a whole: it rests on every gap
            relevant = gaps
        else:
            relevant = by_account.get(item.account or "", [])
            answered.add(item.account or "")
        if not relevant:
            yield _account_result(rule.id, verdict, None)
        elif all(g.last_read_at is not None for g in relevant):
            yield _account_result(rule.id, verdict, _not_read(relevant))
        else:
            yield _account_result(rule.id, AccountVerdict(item, Status.MANUAL,
                                                          _not_read(relevant)), None)
    for account, mine in by_account.items():
        if account not in answered:
            types = ",".join(sorted({g.scope.resource_type for g in mine}))
            yield RuleResult(rule.id, f"{UNREAD_PREFIX}{account}:{ANY_REGION}:{types}",
                             ACCOUNT_TYPE, "global", account, None, Status.MANUAL,
                             _not_read(mine), None, account)


def _account_result(rule_id: str, verdict: AccountVerdict, unread: str | None) -> RuleResult:
    item, status, reason = verdict
    kept: Status | None = None
    if unread is not None:  # judged over carried-forward data: keep it, do not show it
        kept = status if status in _DECIDED else None
        reason = unread + (_as_last_read(status, reason) if kept else "")
        status = Status.MANUAL
    if item is None:
        return RuleResult(rule_id, ACCOUNT_KEY, ACCOUNT_TYPE, "global", ACCOUNT_KEY, None,
                          status, reason, kept)
    return RuleResult(rule_id, item.key, item.type, item.region, item.native_id, item.name,
                      status, reason, kept, item.account)


def _stale_gap(item: InventoryItem) -> ScopeGap:
    """A carried asset whose run named no gap (an older run's data): still never judged."""
    return ScopeGap(Scope(item.account, item.region, item.type), Outcome.SKIPPED,
                    "carried forward from an earlier poll")
