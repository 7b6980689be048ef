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
_NOBODY = object()  # no project seen yet (None is a real one: the connector as a whole)


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
        # Counts per project or subscription (None: about the connector as a whole), then per
        # rule: [pass, fail, manual, not_applicable, carried pass, carried fail]. The
        # connector's counts are their sums, so the per-project view and the totals agree.
        self._per: dict[str | None, dict[str, list[int]]] = {}
        self.reasons: dict[str, list[str]] = {}
        self.account_reasons: dict[tuple[str | None, str], list[str]] = {}
        self.failures: dict[tuple[str, str], RuleResult] = {}
        self.undecided: set[tuple[str, str]] = set()
        self.blind: set[str] = set()
        self.blind_accounts: set[tuple[str, str]] = set()
        self.results = 0

    def add(self, result: RuleResult) -> None:
        self.add_all((result,))

    def add_all(self, results: Iterable[RuleResult]) -> None:
        """Fold a whole stream: one loop with everything in locals, since a run folds
        millions of results and a method call plus attribute lookups per result would cost
        more than the counting. Consecutive results mostly share a project, so its count
        table is looked up again only when the project changes."""
        per_account, failures, undecided = self._per, self.failures, self.undecided
        blind, blind_accounts, note = self.blind, self.blind_accounts, self._reason
        folded = 0
        last: object = _NOBODY
        per: dict[str, list[int]] = {}
        try:
            for result in results:
                folded += 1
                (rule_id, resource_key, _t, _r, _i, _n, status, reason, carried,
                 account) = result
                if account is not last:
                    found = per_account.get(account)
                    if found is None:
                        found = per_account[account] = {}
                    per, last = found, account
                slot = per.get(rule_id)
                if slot is None:
                    slot = per[rule_id] = [0, 0, 0, 0, 0, 0]
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
                        if account is None:
                            blind.add(rule_id)
                        else:
                            blind_accounts.add((rule_id, account))
                    note(rule_id, reason, account, MAX_MANUAL_REASONS)
                else:
                    slot[3] += 1
                    if reason and resource_key.startswith(NONE_PREFIX):
                        note(rule_id, reason, account, None)  # "no EFS file systems"
        finally:
            self.results += folded

    def _reason(self, rule_id: str, reason: str, account: str | None,
                limit: int | None) -> None:
        for reasons in (self.reasons.setdefault(rule_id, []),
                        self.account_reasons.setdefault((account, rule_id), [])):
            if (limit is None or len(reasons) < limit) and reason not in reasons:
                reasons.append(reason)

    def rule_counts(self) -> dict[str, RuleCounts]:
        summed: dict[str, list[int]] = {}
        for per in self._per.values():
            for rule_id, c in per.items():
                total = summed.get(rule_id)
                if total is None:
                    summed[rule_id] = list(c)
                else:
                    for i, n in enumerate(c):
                        total[i] += n
        return {rid: _counts(c, self.reasons.get(rid, ())) for rid, c in summed.items()}

    def account_counts(self) -> dict[str, dict[str, RuleCounts]]:
        """Per project or subscription (``""``: about the connector as a whole), when any
        result named one; empty for a connector that reads a single account (AWS)."""
        if not any(account is not None for account in self._per):
            return {}
        return {account or "": {rid: _counts(c, self.account_reasons.get((account, rid), ()))
                                for rid, c in per.items()}
                for account, per in self._per.items()}


def _counts(c: list[int], reasons: Iterable[str]) -> RuleCounts:
    return RuleCounts(passed=c[0], failed=c[1], manual=c[2], not_applicable=c[3],
                      manual_reasons=tuple(reasons), carried_passed=c[4], carried_failed=c[5])
