"""Fold an engine's result stream into what is stored: per-rule counts, the failures (for
the findings history) and the (rule, resource) pairs that came out MANUAL. One pass, no list
of all results, so a million-asset evaluation stays flat in memory."""

from __future__ import annotations

from cloudconnectors.reports.model import RuleCounts
from cloudconnectors.rules.engine import NONE_PREFIX, UNREAD_PREFIX
from cloudconnectors.rules.model import ACCOUNT_KEY, RuleResult, Status

MAX_MANUAL_REASONS = 5


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
        self.results += 1
        slot = self.counts.get(result.rule_id)
        if slot is None:
            slot = self.counts[result.rule_id] = [0, 0, 0, 0, 0, 0]
        status = result.status
        if status is Status.PASS:
            slot[0] += 1
        elif status is Status.FAIL:
            slot[1] += 1
            self.failures[(result.rule_id, result.resource_key)] = result
        elif status is Status.MANUAL:
            slot[2] += 1
            self.undecided.add((result.rule_id, result.resource_key))
            if result.carried is Status.PASS:
                slot[4] += 1
            elif result.carried is Status.FAIL:
                slot[5] += 1
            if result.resource_key == ACCOUNT_KEY or result.resource_key.startswith(
                    UNREAD_PREFIX):
                self.blind.add(result.rule_id)
            reasons = self.reasons.setdefault(result.rule_id, [])
            if len(reasons) < MAX_MANUAL_REASONS and result.reason not in reasons:
                reasons.append(result.reason)
        else:
            slot[3] += 1
            if result.reason and result.resource_key.startswith(NONE_PREFIX):
                reasons = self.reasons.setdefault(result.rule_id, [])
                if result.reason not in reasons:  # "no EFS file systems in the inventory"
                    reasons.append(result.reason)

    def rule_counts(self) -> dict[str, RuleCounts]:
        return {rid: RuleCounts(passed=c[0], failed=c[1], manual=c[2], not_applicable=c[3],
                                manual_reasons=tuple(self.reasons.get(rid, ())),
                                carried_passed=c[4], carried_failed=c[5])
                for rid, c in self.counts.items()}
