"""Turn per-rule counts and stored findings into a framework report.

Scoring (also in docs/cis-aws.md): ``score = passed / (passed + failed)`` over the individual
automated results (one per rule per resource) of the rules the framework cites; MANUAL and
NOT_APPLICABLE results are left out of both sides, except MANUAL results over data carried
forward from an earlier poll, which count by what they said as last read - so a region that
cannot be read for a while does not move the score, while its controls read not evaluated.

Control statuses keep two kinds of "a person must look" apart, so the framework header's
automated / manual counts and the report's agree:

* ``manual`` - by design: the benchmark says so (the control has no rules);
* ``not_evaluated`` - an automated control that could not be decided: a result was MANUAL
  (data denied, failed, carried forward, not collected), or a rule has not run yet.

An automated control is ``fail`` if any of its results failed, else ``not_evaluated`` as
above, else ``pass`` if any passed, else ``not_applicable``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from cloudconnectors.reports.model import (
    ControlReport,
    FindingState,
    FindingView,
    Report,
    RuleCounts,
    TrendPoint,
)
from cloudconnectors.rules.frameworks import Control, Framework

CONTROL_STATUSES = ("pass", "fail", "not_evaluated", "manual", "not_applicable")
RESULT_STATUSES = ("pass", "fail", "manual", "not_applicable")
OPEN_STATES = frozenset({FindingState.OPEN, FindingState.REOPENED})
MAX_NOTES = 5


def account_view(by_account: Mapping[str, Mapping[str, RuleCounts]], account: str,
                 whole: Mapping[str, RuleCounts]) -> dict[str, RuleCounts]:
    """The counts of one project or subscription: its own results plus those about the
    connector as a whole (``""``: a type nobody collects, an account-level answer), which hold
    for every project. A rule with results in other projects but none here found nothing of
    its type here (a gap here would have given a MANUAL result here): not applicable."""
    mine, shared = by_account.get(account, {}), by_account.get("", {})
    view: dict[str, RuleCounts] = {}
    for rule_id in whole:
        parts = [c for c in (mine.get(rule_id), shared.get(rule_id)) if c is not None]
        view[rule_id] = _merged(parts) if parts else RuleCounts(
            not_applicable=1, manual_reasons=(f"nothing it checks in {account}",))
    return view


def _merged(parts: list[RuleCounts]) -> RuleCounts:
    if len(parts) == 1:
        return parts[0]
    reasons: list[str] = []
    for part in parts:
        reasons += [r for r in part.manual_reasons if r not in reasons]
    return RuleCounts(
        passed=sum(p.passed for p in parts), failed=sum(p.failed for p in parts),
        manual=sum(p.manual for p in parts),
        not_applicable=sum(p.not_applicable for p in parts),
        manual_reasons=tuple(reasons[:MAX_NOTES]),
        carried_passed=sum(p.carried_passed for p in parts),
        carried_failed=sum(p.carried_failed for p in parts))


def framework_score(framework: Framework, counts: Mapping[str, RuleCounts]) -> float | None:
    got = [counts[r] for r in framework.rule_ids if r in counts]
    passed = sum(c.passed + c.carried_passed for c in got)
    failed = sum(c.failed + c.carried_failed for c in got)
    return round(passed / (passed + failed), 4) if passed + failed else None


def control_status(control: Control, counts: Mapping[str, RuleCounts]) -> str:
    if not control.rules:
        return "manual"
    got = [counts[r] for r in control.rules if r in counts]
    if any(c.failed for c in got):
        return "fail"
    if any(c.manual for c in got) or len(got) < len(control.rules):
        return "not_evaluated"
    if any(c.passed for c in got):
        return "pass"
    return "not_applicable"


def _control(control: Control, counts: Mapping[str, RuleCounts],
             failing: Mapping[str, list[FindingView]]) -> ControlReport:
    got = [counts[r] for r in control.rules if r in counts]
    notes: list[str] = []
    if control.manual_reason:
        notes.append(control.manual_reason)
    notes += [f"{r}: not evaluated yet" for r in control.rules if r not in counts]
    for c in got:
        notes += [n for n in c.manual_reasons if n not in notes]
    return ControlReport(
        id=control.id, title=control.title, section=control.section, level=control.level,
        status=control_status(control, counts), automated=control.automated,
        rules=control.rules, passed=sum(c.passed for c in got),
        failed=sum(c.failed for c in got), manual=sum(c.manual for c in got),
        not_applicable=sum(c.not_applicable for c in got), notes=tuple(notes[:MAX_NOTES]),
        failing=tuple(f for r in control.rules for f in failing.get(r, ())))


def build_report(*, framework: Framework, connector_id: str, connector_name: str,
                 provider: str, counts: Mapping[str, RuleCounts],
                 findings: Iterable[FindingView], evaluated_at: datetime | None,
                 snapshot_id: str | None, trend: Iterable[TrendPoint] = (),
                 fixed_since: datetime | None = None,
                 account_uid: str | None = None, account: str | None = None,
                 accounts: Iterable[str] = ()) -> Report:
    """``findings`` are the connector's stored findings (any state) for the framework's rules;
    open and reopened ones are listed under their controls, fixed ones (since
    ``fixed_since`` when given) in ``fixed``."""
    rule_ids = framework.rule_ids
    failing: dict[str, list[FindingView]] = {}
    fixed: list[FindingView] = []
    for finding in findings:
        if finding.rule_id not in rule_ids:
            continue
        if finding.state in OPEN_STATES:
            failing.setdefault(finding.rule_id, []).append(finding)
        elif fixed_since is None or (finding.fixed_at and finding.fixed_at >= fixed_since):
            fixed.append(finding)
    controls = tuple(_control(c, counts, failing) for c in framework.controls)
    results = Counter[str]()
    for rule_id in rule_ids:
        c = counts.get(rule_id)
        if c is not None:
            results.update({"pass": c.passed, "fail": c.failed, "manual": c.manual,
                            "not_applicable": c.not_applicable})
    by_status = Counter(c.status for c in controls)
    return Report(
        framework=framework.summary(), connector_id=connector_id,
        connector_name=connector_name, provider=provider, evaluated_at=evaluated_at,
        snapshot_id=snapshot_id, score=framework_score(framework, counts),
        results={k: results.get(k, 0) for k in RESULT_STATUSES},
        controls_by_status={k: by_status.get(k, 0) for k in CONTROL_STATUSES},
        controls=controls,
        fixed=tuple(sorted(fixed, key=lambda f: f.fixed_at or f.last_seen, reverse=True)),
        trend=tuple(trend), account_uid=account_uid, account=account,
        accounts=tuple(sorted(accounts)))
