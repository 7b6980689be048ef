"""Findings history, evaluation runs and tenant custom rules; plus the snapshot reads the
evaluation needs. Every function takes the caller's session and returns plain objects."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, union_all, update
from sqlalchemy.orm import Session, defer

from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.domain.scopes import Coverage, Scope, coverage_from_results
from cloudconnectors.reports.model import FindingState, FindingView, RuleCounts, TrendPoint
from cloudconnectors.rules.model import InventoryItem, RuleResult
from cloudconnectors.storage.tables import (
    AssetRow,
    CustomRuleRow,
    FindingRow,
    PollRunRow,
    ReportRunRow,
    RunResultRow,
)

OPEN = (FindingState.OPEN.value, FindingState.REOPENED.value)


# --- snapshot reads -------------------------------------------------------------------------

def iter_snapshot_items(session: Session, snapshot_id: str,
                        batch: int = 2000) -> Iterator[InventoryItem]:
    """Stream a snapshot's assets as engine input, in batches (never the whole set at once)."""
    query = select(AssetRow.key, AssetRow.type, AssetRow.region, AssetRow.native_id,
                   AssetRow.name, AssetRow.data, AssetRow.account, AssetRow.stale
                   ).where(AssetRow.snapshot_id == snapshot_id)
    for row in session.execute(query.execution_options(yield_per=batch)):
        yield InventoryItem(row.key, row.type, row.region, row.native_id, row.name, row.data,
                            row.account, bool(row.stale))


def run_coverage(session: Session, run_id: str | None,
                 asset_types: Callable[[str], tuple[str, ...]] = lambda t: (t,)) -> Coverage:
    """What the poll that made a snapshot read: its regions, the scopes it did not read whole
    (with what was carried forward for each) and the types it listed. Without a run (an old
    or hand-made snapshot) nothing is known, and the engine judges what is there."""
    run = session.get(PollRunRow, run_id) if run_id is not None else None
    if run is None:
        return Coverage(known=False)
    results: list[CollectorResult] = []
    carried: dict[Scope, tuple[int, datetime | None]] = {}
    for row in session.scalars(select(RunResultRow).where(RunResultRow.run_id == run.id)):
        result = CollectorResult(region=row.region, service=row.service,
                                 resource_type=row.resource_type,
                                 outcome=Outcome(row.outcome), reason=row.reason,
                                 permission=row.permission, account=row.account,
                                 error_code=row.error_code, truncated=bool(row.truncated))
        results.append(result)
        if row.carried or row.last_read_at is not None:
            carried[Scope(row.account, row.region, row.resource_type)] = (row.carried,
                                                                          row.last_read_at)
    return coverage_from_results(results, run.regions, asset_types=asset_types,
                                 carried=carried)


# --- findings history -----------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryChange:
    opened: int
    reopened: int
    fixed: int
    still_open: int


def _view(row: FindingRow) -> FindingView:
    return FindingView(
        rule_id=row.rule_id, resource_key=row.resource_key, resource_type=row.resource_type,
        region=row.region, resource_id=row.resource_id, resource_name=row.resource_name,
        severity=row.severity, state=FindingState(row.state), reason=row.reason,
        first_seen=row.first_seen, last_seen=row.last_seen, fixed_at=row.fixed_at,
        reopened_at=row.reopened_at, times_reopened=row.times_reopened, account=row.account)


def record_findings(session: Session, *, tenant_id: str, connector_id: str,
                    snapshot_id: str | None, now: datetime,
                    failures: Mapping[tuple[str, str], RuleResult],
                    severities: Mapping[str, str], evaluated_rules: Iterable[str],
                    undecided: set[tuple[str, str]],
                    blind_accounts: set[tuple[str, str]] | None = None) -> HistoryChange:
    """Fold one evaluation into the history, with bulk statements (tens of thousands of
    findings are normal for a large account).

    A failure seen before keeps its ``first_seen``; one that was fixed becomes ``reopened``.
    An open finding of an evaluated rule that did not fail this time is ``fixed`` - unless its
    (rule, resource) came out MANUAL (``undecided``: we could not look), in which case it is
    left as it was. Findings of rules not evaluated this time are not touched, nor those of
    a (rule, project) in ``blind_accounts`` (the rule could not see all of that project).
    """
    evaluated = set(evaluated_rules)
    blind = blind_accounts or set()
    existing = {(r.rule_id, r.resource_key): r for r in session.execute(
        select(FindingRow.id, FindingRow.rule_id, FindingRow.resource_key, FindingRow.state,
               FindingRow.times_reopened, FindingRow.account).where(
            FindingRow.tenant_id == tenant_id, FindingRow.connector_id == connector_id))}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    reopened = 0
    for identity, result in failures.items():
        row = existing.get(identity)
        severity = severities.get(result.rule_id, "medium")
        if row is None:
            inserts.append({
                "tenant_id": tenant_id, "connector_id": connector_id,
                "rule_id": result.rule_id, "resource_key": result.resource_key,
                "resource_type": result.resource_type, "region": result.region,
                "account": result.account,
                "resource_id": result.resource_id, "resource_name": result.resource_name,
                "severity": severity, "state": FindingState.OPEN.value,
                "reason": result.reason, "first_seen": now, "last_seen": now,
                "fixed_at": None, "reopened_at": None, "times_reopened": 0,
                "last_snapshot_id": snapshot_id})
            continue
        change: dict[str, Any] = {
            "id": row.id, "last_seen": now, "reason": result.reason, "account": result.account,
            "resource_name": result.resource_name, "severity": severity,
            "last_snapshot_id": snapshot_id, "state": row.state, "fixed_at": None,
            "reopened_at": None, "times_reopened": row.times_reopened}
        if row.state == FindingState.FIXED.value:
            change.update(state=FindingState.REOPENED.value, reopened_at=now,
                          times_reopened=row.times_reopened + 1)
            reopened += 1
        else:
            change.pop("reopened_at")
        updates.append(change)
    fixes = [{"id": row.id, "state": FindingState.FIXED.value, "fixed_at": now}
             for identity, row in existing.items()
             if row.state in OPEN and identity not in failures and row.rule_id in evaluated
             and identity not in undecided and (row.rule_id, row.account or "") not in blind]
    if inserts:
        session.execute(insert(FindingRow), inserts)
    for batch in (updates, fixes):
        if batch:
            session.execute(update(FindingRow), batch)
    return HistoryChange(opened=len(inserts), reopened=reopened, fixed=len(fixes),
                         still_open=len(updates) - reopened)


def list_findings(session: Session, tenant_id: str, connector_id: str,
                  rule_ids: Iterable[str] | None = None, *,
                  account: str | None = None) -> list[FindingView]:
    """A connector's findings; with ``account``, those of that project or subscription and
    those about the connector as a whole (which hold for every project)."""
    query = select(FindingRow).where(FindingRow.tenant_id == tenant_id,
                                     FindingRow.connector_id == connector_id)
    if account is not None:
        query = query.where(or_(FindingRow.account == account, FindingRow.account.is_(None)))
    if rule_ids is not None:
        query = query.where(FindingRow.rule_id.in_(list(rule_ids)))
    query = query.order_by(FindingRow.rule_id, FindingRow.resource_id)
    return [_view(r) for r in session.scalars(query)]


# --- evaluation runs ------------------------------------------------------------------------

@dataclass(frozen=True)
class EvaluationRun:
    id: str
    connector_id: str
    snapshot_id: str | None
    evaluated_at: datetime
    duration_ms: int
    asset_count: int
    result_count: int
    counts: dict[str, RuleCounts]
    scores: dict[str, float | None]
    # {account: {rule_id: counts}} ("" = about the connector as a whole); empty for a
    # connector of one account, and on runs older than the newest.
    account_counts: dict[str, dict[str, RuleCounts]] = field(default_factory=dict)
    account_scores: dict[str, dict[str, Any]] = field(default_factory=dict)


def _run(row: ReportRunRow, *, with_account_counts: bool = True) -> EvaluationRun:
    return EvaluationRun(
        id=row.id, connector_id=row.connector_id, snapshot_id=row.snapshot_id,
        evaluated_at=row.evaluated_at, duration_ms=row.duration_ms,
        asset_count=row.asset_count, result_count=row.result_count,
        counts={k: RuleCounts.from_json(v) for k, v in row.rule_counts.items()},
        scores=dict(row.scores),
        account_counts={a: {k: RuleCounts.from_json(v) for k, v in per.items()}
                        for a, per in (row.account_counts or {}).items()}
        if with_account_counts else {},
        account_scores=dict(row.account_scores or {}))


def add_evaluation_run(session: Session, *, tenant_id: str, connector_id: str,
                       snapshot_id: str | None, evaluated_at: datetime, duration_ms: int,
                       asset_count: int, result_count: int, counts: Mapping[str, RuleCounts],
                       scores: Mapping[str, float | None],
                       account_counts: Mapping[str, Mapping[str, RuleCounts]] | None = None,
                       account_scores: Mapping[str, Mapping[str, float | None]] | None = None,
                       ) -> EvaluationRun:
    """Record an evaluation. One snapshot is one trend point: evaluating the snapshot the
    newest evaluation already covers (Refresh on the report, a custom-rule change) replaces
    that evaluation rather than adding a second point for the same data."""
    values: dict[str, Any] = {
        "evaluated_at": evaluated_at, "duration_ms": duration_ms, "asset_count": asset_count,
        "result_count": result_count,
        "rule_counts": {k: c.to_json() for k, c in counts.items()}, "scores": dict(scores),
        "account_counts": {a: {k: c.to_json() for k, c in per.items()}
                           for a, per in (account_counts or {}).items()},
        "account_scores": {a: dict(s) for a, s in (account_scores or {}).items()}}
    row = session.scalars(select(ReportRunRow).where(
        ReportRunRow.tenant_id == tenant_id, ReportRunRow.connector_id == connector_id,
    ).order_by(ReportRunRow.evaluated_at.desc(), ReportRunRow.id.desc()).limit(1)).first()
    if row is not None and snapshot_id is not None and row.snapshot_id == snapshot_id:
        for name, value in values.items():
            setattr(row, name, value)
    else:
        if row is not None:  # only the newest run's per-project counts are ever read
            row.account_counts = {}
        row = ReportRunRow(tenant_id=tenant_id, connector_id=connector_id,
                           snapshot_id=snapshot_id, **values)
        session.add(row)
    session.flush()
    return _run(row)


def latest_evaluation_run(session: Session, tenant_id: str,
                          connector_id: str) -> EvaluationRun | None:
    row = session.scalars(select(ReportRunRow).where(
        ReportRunRow.tenant_id == tenant_id, ReportRunRow.connector_id == connector_id,
    ).order_by(ReportRunRow.evaluated_at.desc()).limit(1)).first()
    return _run(row) if row else None


def score_trend(session: Session, tenant_id: str, connector_id: str, framework_id: str,
                limit: int = 100, *, account: str | None = None) -> list[TrendPoint]:
    """Score per evaluation, oldest first (the newest ``limit`` evaluations); with
    ``account``, that project's or subscription's score."""
    column = ReportRunRow.scores if account is None else ReportRunRow.account_scores
    rows = session.execute(select(ReportRunRow.evaluated_at, column.label("scores"),
                                  ReportRunRow.snapshot_id).where(
        ReportRunRow.tenant_id == tenant_id, ReportRunRow.connector_id == connector_id,
    ).order_by(ReportRunRow.evaluated_at.desc()).limit(limit)).all()

    def score(scores: dict[str, Any]) -> Any:
        mine = scores if account is None else (scores or {}).get(account) or {}
        return mine.get(framework_id)

    return [TrendPoint(evaluated_at=r.evaluated_at, score=score(r.scores),
                       snapshot_id=r.snapshot_id) for r in reversed(rows)]


# --- custom rules ---------------------------------------------------------------------------

def list_custom_rule_specs(session: Session, tenant_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(CustomRuleRow).where(CustomRuleRow.tenant_id == tenant_id)
                           .order_by(CustomRuleRow.rule_id))
    return [dict(r.spec) for r in rows]


def upsert_custom_rule_specs(session: Session, tenant_id: str,
                             specs: Iterable[dict[str, Any]]) -> None:
    existing = {r.rule_id: r for r in session.scalars(
        select(CustomRuleRow).where(CustomRuleRow.tenant_id == tenant_id))}
    for spec in specs:
        row = existing.get(spec["id"])
        if row is None:
            session.add(CustomRuleRow(tenant_id=tenant_id, rule_id=spec["id"], spec=spec))
        else:
            row.spec = spec


def delete_custom_rule_spec(session: Session, tenant_id: str, rule_id: str) -> bool:
    result = session.execute(delete(CustomRuleRow).where(
        CustomRuleRow.tenant_id == tenant_id, CustomRuleRow.rule_id == rule_id))
    return bool(getattr(result, "rowcount", 0))


# --- tenant-wide reads (API listings, the overview) -------------------------------------------

@dataclass(frozen=True)
class FindingFilter:
    connector_id: str | None = None
    state: str | None = None
    rule_id: str | None = None
    resource_key: str | None = None
    # A project or subscription: its findings and those about the connector as a whole.
    account: str | None = None


def page_findings(session: Session, tenant_id: str, where: FindingFilter, *, limit: int,
                  offset: int) -> tuple[list[tuple[str, FindingView]], int]:
    """(connector_id, finding) pairs of the tenant, by connector, rule and resource; and the
    total matching."""
    conditions = [FindingRow.tenant_id == tenant_id]
    if where.connector_id is not None:
        conditions.append(FindingRow.connector_id == where.connector_id)
    if where.state is not None:
        conditions.append(FindingRow.state == where.state)
    if where.rule_id is not None:
        conditions.append(FindingRow.rule_id == where.rule_id)
    if where.resource_key is not None:
        conditions.append(FindingRow.resource_key == where.resource_key)
    if where.account is not None:
        conditions.append(or_(FindingRow.account == where.account, FindingRow.account.is_(None)))
    total = session.scalar(select(func.count()).select_from(FindingRow).where(*conditions))
    rows = session.scalars(select(FindingRow).where(*conditions).order_by(
        FindingRow.connector_id, FindingRow.rule_id, FindingRow.resource_id, FindingRow.id,
    ).limit(limit).offset(offset))
    return [(r.connector_id, _view(r)) for r in rows], int(total or 0)


RECENT_RUNS_CHUNK = 100  # connectors per statement (SQLite allows 500 compound parts)


@dataclass(frozen=True)
class RecentRuns:
    """A connector's newest evaluation (counts) and its score history, newest ``limit``."""

    latest: EvaluationRun
    history: list[tuple[datetime, dict[str, Any]]]  # (evaluated_at, scores), oldest first


def recent_runs(session: Session, tenant_id: str, connector_ids: Sequence[str],
                limit: int) -> dict[str, RecentRuns]:
    """Per connector: its newest ``limit`` evaluations (only the small ``scores`` column) and
    the counts of the newest one. Each connector's runs are read through the
    ``(connector_id, evaluated_at)`` index, newest first, so the cost follows the number of
    connectors and ``limit``, not the length of the history: a few queries for hundreds of
    connectors, never a re-evaluation."""
    history: dict[str, list[tuple[datetime, dict[str, Any]]]] = {}
    newest: dict[str, tuple[datetime, str]] = {}
    for start in range(0, len(connector_ids), RECENT_RUNS_CHUNK):
        parts = [select(ReportRunRow.id, ReportRunRow.connector_id, ReportRunRow.evaluated_at,
                        ReportRunRow.scores).where(
            ReportRunRow.tenant_id == tenant_id, ReportRunRow.connector_id == cid,
        ).order_by(ReportRunRow.evaluated_at.desc(), ReportRunRow.id.desc()).limit(limit)
            .subquery() for cid in connector_ids[start:start + RECENT_RUNS_CHUNK]]
        query = union_all(*(select(*p.c) for p in parts))
        for row in session.execute(query):
            history.setdefault(row.connector_id, []).append((row.evaluated_at,
                                                             dict(row.scores)))
            key = (row.evaluated_at, row.id)
            if row.connector_id not in newest or key > newest[row.connector_id]:
                newest[row.connector_id] = key
    # Not the per-project counts: a 500-project connector's would weigh on every overview.
    latest = {row.connector_id: _run(row, with_account_counts=False)
              for row in session.scalars(select(ReportRunRow).options(
                  defer(ReportRunRow.account_counts)).where(
                  ReportRunRow.id.in_([run_id for _at, run_id in newest.values()])))
              } if newest else {}
    return {cid: RecentRuns(run, sorted(history[cid], key=lambda p: p[0]))
            for cid, run in latest.items()}
