"""Findings history, evaluation runs and tenant custom rules; plus the snapshot reads the
evaluation needs. Every function takes the caller's session and returns plain objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, union_all, update
from sqlalchemy.orm import Session

from cloudconnectors.domain.runs import Outcome
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
                   AssetRow.name, AssetRow.data, AssetRow.account
                   ).where(AssetRow.snapshot_id == snapshot_id)
    for row in session.execute(query.execution_options(yield_per=batch)):
        yield InventoryItem(row.key, row.type, row.region, row.native_id, row.name, row.data,
                            row.account)


_UNREAD_OUTCOMES = (Outcome.DENIED.value, Outcome.FAILED.value, Outcome.THROTTLED.value)
#: The error code of a skip meaning "the API is disabled here", not "nothing exists here".
SERVICE_DISABLED = "SERVICE_DISABLED"


def run_denials_and_regions(session: Session, run_id: str | None
                            ) -> tuple[set[tuple[str, str | None]], list[str]]:
    """The (resource type, permission) pairs a poll was denied, and the regions it covered.

    A listing that failed or stayed throttled counts too, as ``(type, None)``: rules must not
    judge a type the poll could not read (the engine answers MANUAL for it)."""
    if run_id is None:
        return set(), []
    denied: set[tuple[str, str | None]] = set()
    for type_, permission, outcome, code in session.execute(
            select(RunResultRow.resource_type, RunResultRow.permission, RunResultRow.outcome,
                   RunResultRow.error_code)
            .where(RunResultRow.run_id == run_id,
                   RunResultRow.outcome.in_(_UNREAD_OUTCOMES)
                   | ((RunResultRow.outcome == Outcome.SKIPPED.value)
                      & (RunResultRow.error_code == SERVICE_DISABLED)))):
        # A GCP API disabled in a project is "not read" (its service name as the permission).
        named = outcome == Outcome.DENIED.value or code == SERVICE_DISABLED
        denied.add((type_, permission if named else None))
    run = session.get(PollRunRow, run_id)
    return denied, list(run.regions) if run else []


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
        reopened_at=row.reopened_at, times_reopened=row.times_reopened)


def record_findings(session: Session, *, tenant_id: str, connector_id: str,
                    snapshot_id: str | None, now: datetime,
                    failures: Mapping[tuple[str, str], RuleResult],
                    severities: Mapping[str, str], evaluated_rules: Iterable[str],
                    undecided: set[tuple[str, str]]) -> HistoryChange:
    """Fold one evaluation into the history, with bulk statements (tens of thousands of
    findings are normal for a large account).

    A failure seen before keeps its ``first_seen``; one that was fixed becomes ``reopened``.
    An open finding of an evaluated rule that did not fail this time is ``fixed`` - unless its
    (rule, resource) came out MANUAL (``undecided``: we could not look), in which case it is
    left as it was. Findings of rules not evaluated this time are not touched.
    """
    evaluated = set(evaluated_rules)
    existing = {(r.rule_id, r.resource_key): r for r in session.execute(
        select(FindingRow.id, FindingRow.rule_id, FindingRow.resource_key, FindingRow.state,
               FindingRow.times_reopened).where(FindingRow.tenant_id == tenant_id,
                                                FindingRow.connector_id == connector_id))}
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
                "resource_id": result.resource_id, "resource_name": result.resource_name,
                "severity": severity, "state": FindingState.OPEN.value,
                "reason": result.reason, "first_seen": now, "last_seen": now,
                "fixed_at": None, "reopened_at": None, "times_reopened": 0,
                "last_snapshot_id": snapshot_id})
            continue
        change: dict[str, Any] = {
            "id": row.id, "last_seen": now, "reason": result.reason,
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
             and identity not in undecided]
    if inserts:
        session.execute(insert(FindingRow), inserts)
    for batch in (updates, fixes):
        if batch:
            session.execute(update(FindingRow), batch)
    return HistoryChange(opened=len(inserts), reopened=reopened, fixed=len(fixes),
                         still_open=len(updates) - reopened)


def list_findings(session: Session, tenant_id: str, connector_id: str,
                  rule_ids: Iterable[str] | None = None) -> list[FindingView]:
    query = select(FindingRow).where(FindingRow.tenant_id == tenant_id,
                                     FindingRow.connector_id == connector_id)
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


def _run(row: ReportRunRow) -> EvaluationRun:
    return EvaluationRun(
        id=row.id, connector_id=row.connector_id, snapshot_id=row.snapshot_id,
        evaluated_at=row.evaluated_at, duration_ms=row.duration_ms,
        asset_count=row.asset_count, result_count=row.result_count,
        counts={k: RuleCounts.from_json(v) for k, v in row.rule_counts.items()},
        scores=dict(row.scores))


def add_evaluation_run(session: Session, *, tenant_id: str, connector_id: str,
                       snapshot_id: str | None, evaluated_at: datetime, duration_ms: int,
                       asset_count: int, result_count: int, counts: Mapping[str, RuleCounts],
                       scores: Mapping[str, float | None]) -> EvaluationRun:
    row = ReportRunRow(
        tenant_id=tenant_id, connector_id=connector_id, snapshot_id=snapshot_id,
        evaluated_at=evaluated_at, duration_ms=duration_ms, asset_count=asset_count,
        result_count=result_count, rule_counts={k: c.to_json() for k, c in counts.items()},
        scores=dict(scores))
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
                limit: int = 100) -> list[TrendPoint]:
    """Score per evaluation, oldest first (the newest ``limit`` evaluations)."""
    rows = session.execute(select(ReportRunRow.evaluated_at, ReportRunRow.scores,
                                  ReportRunRow.snapshot_id).where(
        ReportRunRow.tenant_id == tenant_id, ReportRunRow.connector_id == connector_id,
    ).order_by(ReportRunRow.evaluated_at.desc()).limit(limit)).all()
    return [TrendPoint(evaluated_at=r.evaluated_at, score=r.scores.get(framework_id),
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
    latest = {row.connector_id: _run(row) for row in session.scalars(select(ReportRunRow).where(
        ReportRunRow.id.in_([run_id for _at, run_id in newest.values()])))} if newest else {}
    return {cid: RecentRuns(run, sorted(history[cid], key=lambda p: p[0]))
            for cid, run in latest.items()}
