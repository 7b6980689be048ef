"""One engine runs every rule over a snapshot, streaming.

Resource rules are indexed by resource type once; each asset then costs one dict lookup plus
the predicates that apply to its type. Only the types account-level rules read are kept in
memory (trails, alarms, the credential report...), so a million-asset snapshot is streamed.

Permission handling is the engine's, not the predicates': a detail the rule ``needs`` that was
refused (``_cc_errors``) or not collected answers MANUAL naming the permission, and a listing
the poll was denied (a ``denied`` (type, permission) pair) adds one MANUAL result per rule of
that type, and so does a listing that failed (a pair without a permission: server error,
still throttled). Never a pass, never a fail, on data we could not read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import datetime

from cloudconnectors.rules.model import (
    ACCOUNT_KEY,
    ACCOUNT_TYPE,
    AccountRule,
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

DENIED_PREFIX = "denied:"
_Compiled = tuple[str, ResourceCheck, tuple[Need, ...]]
_DATA_ERRORS = (KeyError, TypeError, AttributeError, ValueError, IndexError)


def _missing(needs: tuple[Need, ...], data: Data, type_: str,
             denied: frozenset[tuple[str, str]]) -> Verdict | None:
    for key, permission in needs:
        reason = unreadable_reason(data, type_, key, permission, denied)
        if reason is not None:
            return manual(reason)
    return None


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
                    (rule.id, rule.check, rule.needs))
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
    ) -> Iterator[RuleResult]:
        """Yield one result per (applicable rule, resource), then the account-level ones.

        ``denied`` pairs whose permission is a detail call (``s3:GetBucketPolicy``) only
        explain missing keys; any other denial of a type means its listing failed.
        """
        context = Context(now=now)
        denied_pairs = frozenset((t, p or "") for t, p in denied)
        kept: dict[str, list[InventoryItem]] = {t: [] for t in self._account_types}
        by_type, account_types = self._by_type, self._account_types
        for item in items:
            if item.type in account_types:
                kept[item.type].append(item)
            compiled = by_type.get(item.type)
            if compiled is None:
                continue
            data = item.data
            for rule_id, check, needs in compiled:
                verdict = _missing(needs, data, item.type, denied_pairs) if needs else None
                if verdict is None:
                    try:
                        verdict = check(data, context)
                    except _DATA_ERRORS as exc:
                        verdict = manual(f"unexpected data shape ({type(exc).__name__}: {exc})")
                yield RuleResult(rule_id, item.key, item.type, item.region, item.native_id,
                                 item.name, verdict[0], verdict[1])
        listing_denied = self._listing_denials(denied_pairs)
        yield from self._denied_results(listing_denied)
        view = SnapshotView(by_type=kept, context=context,
                            regions=covered_regions(regions, kept), denied=denied_pairs)
        for rule in self._account:
            yield from self._run_account(rule, view, listing_denied)

    def _listing_denials(self, denied: frozenset[tuple[str, str]]) -> dict[str, str]:
        """Type -> why its listing is incomplete. A pair without a permission is a listing
        that failed for another reason (server error, still throttled)."""
        listing: dict[str, str] = {}
        for type_, permission in sorted(denied, key=lambda pair: (pair[0], not pair[1], pair[1])):
            if (type_, permission) not in self._detail_permissions:
                listing.setdefault(type_, f"the poll was denied {permission}" if permission
                                   else "the list call failed")
        return listing

    def _denied_results(self, listing: dict[str, str]) -> Iterator[RuleResult]:
        for type_, why in listing.items():
            for rule_id, _check, _needs in self._by_type.get(type_, ()):
                yield RuleResult(rule_id, DENIED_PREFIX + type_, type_, "*", type_, None,
                                 Status.MANUAL,
                                 f"{why}, so {type_} could not be listed everywhere")

    @staticmethod
    def _run_account(rule: AccountRule, view: SnapshotView,
                     listing: dict[str, str]) -> Iterator[RuleResult]:
        refused = [f"{listing[t]} ({t})" for t in rule.resource_types if t in listing]
        if refused:
            yield RuleResult(rule.id, ACCOUNT_KEY, ACCOUNT_TYPE, "global", ACCOUNT_KEY, None,
                             Status.MANUAL, "; ".join(refused))
            return
        try:
            verdicts = list(rule.check(view))
        except _DATA_ERRORS as exc:
            yield RuleResult(rule.id, ACCOUNT_KEY, ACCOUNT_TYPE, "global", ACCOUNT_KEY, None,
                             Status.MANUAL,
                             f"unexpected data shape ({type(exc).__name__}: {exc})")
            return
        for item, status, reason in verdicts:
            if item is None:
                yield RuleResult(rule.id, ACCOUNT_KEY, ACCOUNT_TYPE, "global", ACCOUNT_KEY,
                                 None, status, reason)
            else:
                yield RuleResult(rule.id, item.key, item.type, item.region, item.native_id,
                                 item.name, status, reason)
