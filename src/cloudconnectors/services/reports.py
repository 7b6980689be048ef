"""Compliance use cases: evaluate a connector's current snapshot into findings with history,
build reports per framework, export them, and manage a tenant's custom rules.

The API and CLI call these with a ``Database`` and the caller's ``tenant_id``; every read is
scoped to that tenant, and a connector of another tenant is ``NotFound``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cloudconnectors.domain.errors import Conflict, NotFound, ValidationFailed
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.reports.build import account_view, build_report, framework_score
from cloudconnectors.reports.exports import EXPORTERS
from cloudconnectors.reports.model import FindingState, FindingView, Report
from cloudconnectors.reports.tally import ResultTally
from cloudconnectors.rules.custom import (
    CustomRuleSpec,
    Format,
    compile_custom_rule,
    custom_framework,
    parse_custom_rules,
    validate_specs,
)
from cloudconnectors.rules.frameworks import CUSTOM_FRAMEWORK_ID, Framework, builtin_frameworks
from cloudconnectors.rules.frameworks import load_framework as load_builtin_framework
from cloudconnectors.rules.model import InventoryItem, Rule, RuleInfo
from cloudconnectors.rules.registry import collection_needs, engine_for, rules_by_id
from cloudconnectors.services.lookups import refuse_nul, require_plausible_id
from cloudconnectors.storage.db import Database
from cloudconnectors.storage.repositories import findings as repo
from cloudconnectors.storage.repositories.findings import HistoryChange
from cloudconnectors.storage.tables import ConnectorRow, SnapshotRow
from cloudconnectors.storage.tables.base import utcnow


@dataclass(frozen=True)
class EvaluationSummary:
    run_id: str
    connector_id: str
    snapshot_id: str
    evaluated_at: datetime
    duration_ms: int
    asset_count: int
    result_count: int
    scores: dict[str, float | None]
    history: HistoryChange


def _connector(session: Session, tenant_id: str, connector_id: str) -> ConnectorRow:
    require_plausible_id("connector", connector_id)
    row = session.get(ConnectorRow, connector_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound(f"connector {connector_id} does not exist")
    return row


def _custom_specs(session: Session, tenant_id: str) -> list[CustomRuleSpec]:
    """Stored specs were validated on upload; one that no longer validates (say its resource
    type was dropped) is skipped rather than breaking every report of the tenant."""
    specs: list[CustomRuleSpec] = []
    for raw in repo.list_custom_rule_specs(session, tenant_id):
        try:
            specs += validate_specs([raw])
        except ValidationFailed:
            continue
    return specs


def _custom_rules(specs: list[CustomRuleSpec], provider: str) -> list[Rule]:
    return [compile_custom_rule(s) for s in specs if s.provider == provider]


def poll_needs(db: Database, tenant_id: str, provider: str) -> dict[str, frozenset[str]] | None:
    """What a poll of ``provider`` for ``tenant_id`` reads: the types rules may read, with the
    detail keys the built-in rules and the tenant's custom rules read (``PollContext.needs``)."""
    with db.read() as session:
        custom = _custom_rules(_custom_specs(session, tenant_id), provider)
    return collection_needs(provider, custom)


def _frameworks_for(provider: str, specs: list[CustomRuleSpec]) -> list[Framework]:
    found = [f for f in builtin_frameworks() if f.provider in (None, provider)]
    if any(s.provider == provider for s in specs):
        found.append(custom_framework([s for s in specs if s.provider == provider]))
    return found


def evaluate_connector(db: Database, tenant_id: str, connector_id: str) -> EvaluationSummary:
    """Run every rule (built-in and the tenant's custom ones) over the connector's current
    snapshot, fold the failures into the findings history and record the run for trends.

    Call it after each poll that completes a snapshot, and after custom rules change.
    Raises ``NotFound`` for an unknown connector and ``Conflict`` when no snapshot exists yet.
    """
    started = time.perf_counter()
    evaluated_at = utcnow()
    with db.read() as session:
        connector = _connector(session, tenant_id, connector_id)
        snapshot_id = connector.current_snapshot_id
        snapshot = session.get(SnapshotRow, snapshot_id) if snapshot_id else None
        if snapshot is None or snapshot_id is None:
            raise Conflict(f"connector {connector.name} has no complete inventory yet; "
                           "refresh it and evaluate after the poll finishes")
        seen_at = snapshot.completed_at or snapshot.started_at
        coverage = repo.run_coverage(session, snapshot.run_id,
                                     get_provider(connector.provider).asset_types_of)
        specs = _custom_specs(session, tenant_id)
        custom = _custom_rules(specs, connector.provider)
        engine = engine_for(connector.provider, custom)
        tally = ResultTally()
        assets = 0

        def counted() -> Iterator[InventoryItem]:
            nonlocal assets
            for item in repo.iter_snapshot_items(session, snapshot_id):
                assets += 1
                yield item

        tally.add_all(engine.evaluate(counted(), now=seen_at, coverage=coverage))
        provider = connector.provider
    counts = tally.rule_counts()
    frameworks = _frameworks_for(provider, specs)
    scores = {f.id: framework_score(f, counts) for f in frameworks}
    by_account = tally.account_counts()
    account_scores = {account: {f.id: framework_score(f, view) for f in frameworks}
                      for account in by_account if account
                      for view in (account_view(by_account, account, counts),)}
    severities = {r.id: r.severity.value for r in engine.rules}
    with db.write() as session:
        # One evaluation folds into a connector's history at a time (a poll's hook, a
        # refresh and a custom-rule change may overlap); SQLite's write lock already does it.
        session.get(ConnectorRow, connector_id, with_for_update=True)
        history = repo.record_findings(
            session, tenant_id=tenant_id, connector_id=connector_id, snapshot_id=snapshot_id,
            now=seen_at, failures=tally.failures, severities=severities,
            evaluated_rules=[r.id for r in engine.rules if r.id not in tally.blind],
            undecided=tally.undecided, blind_accounts=tally.blind_accounts)
        run = repo.add_evaluation_run(
            session, tenant_id=tenant_id, connector_id=connector_id, snapshot_id=snapshot_id,
            evaluated_at=evaluated_at, duration_ms=int((time.perf_counter() - started) * 1000),
            asset_count=assets, result_count=tally.results, counts=counts, scores=scores,
            account_counts=by_account, account_scores=account_scores)
    return EvaluationSummary(
        run_id=run.id, connector_id=connector_id, snapshot_id=snapshot_id,
        evaluated_at=evaluated_at, duration_ms=run.duration_ms, asset_count=assets,
        result_count=tally.results, scores=scores, history=history)


def list_frameworks(db: Database, tenant_id: str) -> list[dict[str, Any]]:
    """Built-in frameworks, plus the tenant's ``custom`` one when it has custom rules."""
    found = [f.summary() for f in builtin_frameworks()]
    with db.read() as session:
        specs = _custom_specs(session, tenant_id)
    if specs:
        found.append(custom_framework(specs).summary())
    return found


def _framework(session: Session, tenant_id: str, framework_id: str,
               provider: str) -> tuple[Framework, dict[str, RuleInfo]]:
    specs = _custom_specs(session, tenant_id)
    rules: dict[str, RuleInfo] = {**rules_by_id(provider),
                                  **{r.id: r for r in _custom_rules(specs, provider)}}
    if framework_id == CUSTOM_FRAMEWORK_ID:
        mine = [s for s in specs if s.provider == provider]
        if not mine:
            raise NotFound(f"this tenant has no custom rules for {provider} connectors")
        return custom_framework(mine), rules
    framework = load_builtin_framework(framework_id)
    if framework.provider not in (None, provider):
        raise ValidationFailed.single("framework", f"{framework_id} applies to "
                                      f"{framework.provider} connectors, not {provider}")
    return framework, rules


def framework_for(session: Session, tenant_id: str, framework_id: str,
                  provider: str) -> Framework:
    """A framework as it applies to a connector of ``provider`` (``custom`` included)."""
    return _framework(session, tenant_id, framework_id, provider)[0]


def get_report(db: Database, tenant_id: str, connector_id: str, framework_id: str, *,
               fixed_since: datetime | None = None, trend_limit: int = 100,
               evaluate_if_missing: bool = False, account: str | None = None) -> Report:
    """The latest evaluation of a connector against a framework, with failing resources
    (first/last seen), fixed findings (since ``fixed_since`` if given) and the score trend;
    with ``account``, read for that one project or subscription of the connector."""
    report, _rules = _report_and_rules(db, tenant_id, connector_id, framework_id,
                                       fixed_since, trend_limit, evaluate_if_missing, account)
    return report


def _report_and_rules(db: Database, tenant_id: str, connector_id: str, framework_id: str,
                      fixed_since: datetime | None, trend_limit: int,
                      evaluate_if_missing: bool, account: str | None = None,
                      ) -> tuple[Report, dict[str, RuleInfo]]:
    if account is not None:
        refuse_nul(account=account)
    with db.read() as session:
        connector = _connector(session, tenant_id, connector_id)
        name, provider = connector.name, connector.provider
        account_field = get_provider(provider).credentials_model.account_field
        account_uid = connector.credentials_public.get(account_field)
        framework, rules = _framework(session, tenant_id, framework_id, provider)
        run = repo.latest_evaluation_run(session, tenant_id, connector_id)
    if run is None:
        if not evaluate_if_missing:
            raise NotFound(f"connector {name} has not been evaluated yet; "
                           "evaluate it after its first poll")
        evaluate_connector(db, tenant_id, connector_id)
        return _report_and_rules(db, tenant_id, connector_id, framework_id, fixed_since,
                                 trend_limit, False, account)
    accounts = sorted(a for a in run.account_counts if a)
    counts = run.counts
    if account is not None and account not in accounts:
        if accounts or account != account_uid:
            known = ", ".join(accounts[:20]) + (" ..." if len(accounts) > 20 else "")
            raise ValidationFailed.single("account", (
                f"{account!r} is not one of the projects or subscriptions in connector "
                f"{name}'s latest evaluation ({known})") if accounts else (
                f"connector {name} reads a single account ({account_uid}); leave account "
                "out or give that one"))
        account = None  # a single-account connector's own account: the whole report
    elif account is not None:
        counts = account_view(run.account_counts, account, run.counts)
        account_uid = account
    with db.read() as session:
        findings = repo.list_findings(session, tenant_id, connector_id, framework.rule_ids,
                                      account=account)
        trend = repo.score_trend(session, tenant_id, connector_id, framework.id, trend_limit,
                                 account=account)
    report = build_report(
        framework=framework, connector_id=connector_id, connector_name=name,
        provider=provider, counts=counts, findings=findings,
        evaluated_at=run.evaluated_at, snapshot_id=run.snapshot_id, trend=trend,
        fixed_since=fixed_since, account_uid=account_uid, account=account, accounts=accounts)
    return report, rules


def list_findings(db: Database, tenant_id: str, connector_id: str, *,
                  state: str | None = None, rule_id: str | None = None) -> list[FindingView]:
    """A connector's findings with their history, optionally one state (open, fixed,
    reopened) or one rule."""
    if state is not None and state not in {s.value for s in FindingState}:
        raise ValidationFailed.single("state", "must be one of "
                                      + ", ".join(s.value for s in FindingState))
    refuse_nul(rule=rule_id)
    with db.read() as session:
        _connector(session, tenant_id, connector_id)
        found = repo.list_findings(session, tenant_id, connector_id,
                                   None if rule_id is None else [rule_id])
    return [f for f in found if state is None or f.state.value == state]


@dataclass(frozen=True)
class ExportedReport:
    content: str
    media_type: str
    filename: str


def export_formats() -> list[str]:
    return list(EXPORTERS)


def export_report(db: Database, tenant_id: str, connector_id: str, framework_id: str,
                  fmt: str, *, fixed_since: datetime | None = None,
                  evaluate_if_missing: bool = False,
                  account: str | None = None) -> ExportedReport:
    """The report as ``json``, ``csv``, ``html`` (self-contained) or ``ocsf`` (a JSON array
    of OCSF Detection Findings, class 2004)."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ValidationFailed.single("format", "must be one of " + ", ".join(EXPORTERS))
    report, rules = _report_and_rules(db, tenant_id, connector_id, framework_id, fixed_since,
                                      100, evaluate_if_missing, account)
    render, media_type = exporter
    extension = "json" if fmt == "ocsf" else fmt
    suffix = ".ocsf" if fmt == "ocsf" else ""
    which = f"-{report.account}" if report.account else ""
    filename = f"{report.connector_name}{which}-{framework_id}{suffix}.{extension}"
    return ExportedReport(render(report, rules), media_type, filename)


# --- custom rules ---------------------------------------------------------------------------

def validate_custom_rules(text: str, fmt: Format = "toml") -> list[dict[str, Any]]:
    """Check a rules document without storing it; ``ValidationFailed`` names each bad field
    as ``rules[i] (custom.id).field``."""
    return [s.to_dict() for s in parse_custom_rules(text, fmt)]


def upload_custom_rules(db: Database, tenant_id: str, text: str,
                        fmt: Format = "toml") -> list[dict[str, Any]]:
    """Validate, then add or replace (by id) the tenant's rules. Nothing is stored unless the
    whole document is valid. Re-evaluate connectors to see the rules in reports."""
    if "\x00" in text:
        raise ValidationFailed.single("content", "must not contain NUL characters")
    specs = parse_custom_rules(text, fmt)
    with db.write() as session:
        repo.upsert_custom_rule_specs(session, tenant_id, [s.to_dict() for s in specs])
    return [s.to_dict() for s in specs]


def list_custom_rules(db: Database, tenant_id: str) -> list[dict[str, Any]]:
    with db.read() as session:
        return repo.list_custom_rule_specs(session, tenant_id)


def delete_custom_rule(db: Database, tenant_id: str, rule_id: str) -> None:
    if not rule_id or len(rule_id) > 100 or not rule_id.isprintable():  # IDs are <= 100
        raise NotFound(f"custom rule {rule_id[:100]!r} does not exist")
    with db.write() as session:
        if not repo.delete_custom_rule_spec(session, tenant_id, rule_id):
            raise NotFound(f"custom rule {rule_id} does not exist")


def list_rules(provider: str) -> list[dict[str, Any]]:
    """Built-in rule metadata for a provider (for the portal and ``--json`` listings)."""
    return [{"id": r.id, "title": r.title, "severity": r.severity.value,
             "resource_types": list(r.resource_types), "rationale": r.rationale,
             "remediation": r.remediation} for r in rules_by_id(provider).values()]
