"""Fold an engine's result stream into what is stored: per-rule counts, the failures (for
the findings history) and the (rule, resource) pairs that came out MANUAL. One pass, no list
of all results, so a million-asset evaluation stays flat in memory."""

from __future__ import annotations

from collections.abc import Iterable

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
        # The same per project or subscription (results naming one), for the per-project
        # view of a report; ``""`` holds the results about the connector as a whole.
        self.by_account: dict[str, dict[str, list[int]]] = {}
        self.account_reasons: dict[tuple[str, str], list[str]] = {}
        self.blind_accounts: set[tuple[str, str]] = set()
        self.results = 0

    def add(self, result: RuleResult) -> None:
        self.results += 1
        rule_id = result.rule_id
        slot = self.counts.get(rule_id)
        if slot is None:
            slot = self.counts[rule_id] = [0, 0, 0, 0, 0, 0]
        account = result.account
        per = self.by_account.get(account or "")
        if per is None:
            per = self.by_account[account or ""] = {}
        mine = per.get(rule_id)
        if mine is None:
            mine = per[rule_id] = [0, 0, 0, 0, 0, 0]
        status = result.status
        index = _INDEX[status]
        slot[index] += 1
        mine[index] += 1
        if status is Status.FAIL:
            self.failures[(rule_id, result.resource_key)] = result
        elif status is Status.MANUAL:
            self.undecided.add((rule_id, result.resource_key))
            extra = 4 if result.carried is Status.PASS else 5 if result.carried is Status.FAIL \
                else None
            if extra is not None:
                slot[extra] += 1
                mine[extra] += 1
            if result.resource_key == ACCOUNT_KEY or result.resource_key.startswith(
                    UNREAD_PREFIX):
                if account is None:
                    self.blind.add(rule_id)
                else:
                    self.blind_accounts.add((rule_id, account))
            self._reason(rule_id, result.reason, account, MAX_MANUAL_REASONS)
        elif status is Status.NOT_APPLICABLE and result.reason and \
                result.resource_key.startswith(NONE_PREFIX):
            self._reason(rule_id, result.reason, account, None)  # "no EFS file systems ..."

    def _reason(self, rule_id: str, reason: str, account: str | None,
                limit: int | None) -> None:
        reasons = self.reasons.setdefault(rule_id, [])
        if (limit is None or len(reasons) < limit) and reason not in reasons:
            reasons.append(reason)
        mine = self.account_reasons.setdefault((account or "", rule_id), [])
        if (limit is None or len(mine) < limit) and reason not in mine:
            mine.append(reason)

    def rule_counts(self) -> dict[str, RuleCounts]:
        return {rid: _counts(c, self.reasons.get(rid, ())) for rid, c in self.counts.items()}

    def account_counts(self) -> dict[str, dict[str, RuleCounts]]:
        """Per project or subscription (``""``: about the connector as a whole), when any
        result named one; empty for a connector that reads a single account (AWS)."""
        if not any(self.by_account.keys() - {""}):
            return {}
        return {account: {rid: _counts(c, self.account_reasons.get((account, rid), ()))
                          for rid, c in per.items()}
                for account, per in self.by_account.items()}


_INDEX = {Status.PASS: 0, Status.FAIL: 1, Status.MANUAL: 2, Status.NOT_APPLICABLE: 3}


def _counts(c: list[int], reasons: Iterable[str]) -> RuleCounts:
    return RuleCounts(passed=c[0], failed=c[1], manual=c[2], not_applicable=c[3],
                      manual_reasons=tuple(reasons), carried_passed=c[4], carried_failed=c[5])
