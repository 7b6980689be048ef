"""Fold an engine's result stream into what is stored: per-rule counts, the failures (for
the findings history) and the (rule, resource) pairs that came out MANUAL. One pass, no list
of all results, so a million-asset evaluation stays flat in memory."""

from __future__ import annotations

from collections.abc import Iterable

from cloudconnectors.reports.model import RuleCounts
from cloudconnectors.rules.engine import NONE_PREFIX, UNREAD_PREFIX
from cloudconnectors.rules.model import ACCOUNT_KEY, RuleResult, Status

MAX_MANUAL_REASONS = 5
_PASS, _FAIL, _MANUAL = Status.PASS, Status.FAIL, Status.MANUAL


class ResultTally:
    """Folds the result stream: counts per rule, failures and undecided (manual) identities.

    A MANUAL result over carried-forward data counts as manual; what it said as last read
    is counted apart (``carried_passed``/``carried_failed``) so the score holds still while a
    region is unreadable.

    ``blind`` holds rules that could not see everything this time (a MANUAL answer for the
    account or for a scope not read whole): their absent resources may still exist, so their
    open findings must not be marked fixed.
    """

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}
        self.reasons: dict[str, list[str]] = {}
        self.failures: dict[tuple[str, str], RuleResult] = {}
        self.undecided: set[tuple[str, str]] = set()
        self.blind: set[str] = set()
        self.results = 0

    def add(self, result: RuleResult) -> None:
        self.add_all((result,))

    def add_all(self, results: Iterable[RuleResult]) -> None:
        """Fold a whole stream: one loop with everything in locals, since a run folds
        millions of results and a method call plus attribute lookups per result would cost
        more than the counting."""
        counts, failures, undecided = self.counts, self.failures, self.undecided
        blind, reasons_of = self.blind, self.reasons
        folded = 0
        try:
            for result in results:
                folded += 1
                rule_id, resource_key, _t, _r, _i, _n, status, reason, carried = result
                slot = counts.get(rule_id)
                if slot is None:
                    slot = counts[rule_id] = [0, 0, 0, 0, 0, 0]
                if status is _PASS:
                    slot[0] += 1
                elif status is _FAIL:
                    slot[1] += 1
                    failures[(rule_id, resource_key)] = result
                elif status is _MANUAL:
                    slot[2] += 1
                    undecided.add((rule_id, resource_key))
                    if carried is _PASS:
                        slot[4] += 1
                    elif carried is _FAIL:
                        slot[5] += 1
                    if resource_key == ACCOUNT_KEY or resource_key.startswith(UNREAD_PREFIX):
                        blind.add(rule_id)
                    reasons = reasons_of.setdefault(rule_id, [])
                    if len(reasons) < MAX_MANUAL_REASONS and reason not in reasons:
                        reasons.append(reason)
                else:
                    slot[3] += 1
                    if reason and resource_key.startswith(NONE_PREFIX):
                        reasons = reasons_of.setdefault(rule_id, [])
                        if reason not in reasons:  # "no EFS file systems in the inventory"
                            reasons.append(reason)
        finally:
            self.results += folded

    def rule_counts(self) -> dict[str, RuleCounts]:
        return {rid: RuleCounts(passed=c[0], failed=c[1], manual=c[2], not_applicable=c[3],
                                manual_reasons=tuple(self.reasons.get(rid, ())),
                                carried_passed=c[4], carried_failed=c[5])
                for rid, c in self.counts.items()}
