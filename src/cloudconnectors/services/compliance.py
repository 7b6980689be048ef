"""Compliance reads and actions for the API and CLI, on top of :mod:`.reports`: which
framework a request means, the tenant overview (one summary per connector, read from stored
evaluations), findings pages, and re-evaluating a tenant after its custom rules change.

Every function is scoped to ``tenant_id``; another tenant's connector is ``NotFound``.
Custom rules take effect at once: after an upload or a delete, the API (in a background task
right after answering) and the CLI (before returning) call :func:`reevaluate_tenant`, which
re-evaluates every connector of the tenant that has a snapshot, so reports are not stale.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from cloudconnectors.domain.errors import Conflict, NotFound, ValidationFailed
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.reports.build import CONTROL_STATUSES, RESULT_STATUSES, control_status
from cloudconnectors.reports.model import FindingState, FindingView
from cloudconnectors.rules.frameworks import CUSTOM_FRAMEWORK_ID, Framework, builtin_frameworks
from cloudconnectors.services import reports
from cloudconnectors.services.lookups import refuse_nul, require_plausible_id
from cloudconnectors.storage.db import Database
from cloudconnectors.storage.repositories import findings as repo
from cloudconnectors.storage.repositories import inventory as inventory_repo
from cloudconnectors.storage.repositories.findings import FindingFilter
from cloudconnectors.storage.tables import ConnectorRow

__all__ = [
    "ConnectorSummary",
    "FindingsPage",
    "TrendScore",
    "asset_findings",
    "default_framework",
    "evaluable_count",
    "framework_ids",
    "list_findings",
    "reevaluate_tenant",
    "require_framework",
    "resolve_framework",
    "rule_catalog",
    "summaries",
]

logger = logging.getLogger(__name__)

SUMMARY_TREND_DEFAULT = 30


def framework_ids(db: Database, tenant_id: str) -> list[str]:
    """Built-in framework IDs, plus ``custom`` when the tenant has custom rules."""
    return [f["id"] for f in reports.list_frameworks(db, tenant_id)]


def require_framework(db: Database, tenant_id: str, framework_id: str) -> str:
    """``framework_id`` if this tenant has it, else 422 naming the allowed values."""
    allowed = framework_ids(db, tenant_id)
    if framework_id == CUSTOM_FRAMEWORK_ID and framework_id not in allowed:
        raise NotFound("this tenant has no custom rules yet, so no custom framework")
    if framework_id not in allowed:
        raise ValidationFailed.single("framework", "must be one of " + ", ".join(allowed))
    return framework_id


def default_framework(provider: str) -> str | None:
    """The first built-in framework written for ``provider`` (CIS AWS for AWS)."""
    return next((f.id for f in builtin_frameworks() if f.provider == provider), None)


def resolve_framework(db: Database, tenant_id: str, connector_id: str,
                      framework_id: str | None) -> str:
    """The framework a report request means: the one named (checked), else the default of
    the connector's provider; 422 when neither exists."""
    require_plausible_id("connector", connector_id)
    with db.read() as session:
        row = session.get(ConnectorRow, connector_id)
        if row is None or row.tenant_id != tenant_id:
            raise NotFound(f"connector {connector_id} does not exist")
        provider = row.provider
    if framework_id is not None:
        return require_framework(db, tenant_id, framework_id)
    found = default_framework(provider)
    if found is None:
        raise ValidationFailed.single(
            "framework", f"is required: no built-in framework covers {provider} connectors "
            "yet; known: " + ", ".join(framework_ids(db, tenant_id)))
    return found


# --- the overview ----------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendScore:
    at: datetime
    score: float | None


@dataclass(frozen=True)
class ConnectorSummary:
    connector_id: str
    connector_name: str
    provider: str
    framework: str | None  # None: no framework applies to this connector's provider
    score: float | None
    passed: int  # individual results of the framework's rules, as in a report's ``results``
    failed: int  # (so passed / (passed + failed) is the score)
    manual: int
    not_applicable: int
    controls: dict[str, int]  # controls by status, as in a report's ``controls_by_status``
    evaluated_at: datetime | None
    snapshot_id: str | None
    trend: list[TrendScore]


def _applies(framework: Framework, provider: str) -> bool:
    return framework.provider in (None, provider)


def summaries(db: Database, tenant_id: str, framework_id: str | None = None,
              trend_limit: int = SUMMARY_TREND_DEFAULT, *,
              account: str | None = None) -> list[ConnectorSummary]:
    """One summary per connector of the tenant, by name, read from stored evaluations.

    With ``framework_id``: the connectors that framework applies to. Without: every
    connector, against its provider's default framework (``framework`` None when there is
    none yet, as for Azure today). With ``account``: only the connectors that read that
    account, project or subscription (each summary stays the whole connector's).
    """
    if framework_id is not None:
        require_framework(db, tenant_id, framework_id)
    if account is not None:
        refuse_nul(account=account)
    with db.read() as session:
        connectors = session.execute(select(
            ConnectorRow.id, ConnectorRow.name, ConnectorRow.provider,
            ConnectorRow.credentials_public).where(
            ConnectorRow.tenant_id == tenant_id).order_by(ConnectorRow.name)).all()
        runs = repo.recent_runs(session, tenant_id, [c.id for c in connectors],
                                trend_limit)
        frameworks: dict[str, Framework | None] = {}
        for provider in sorted({c.provider for c in connectors}):
            wanted = framework_id or default_framework(provider)
            framework = None
            if wanted is not None:
                try:
                    framework = reports.framework_for(session, tenant_id, wanted, provider)
                except (NotFound, ValidationFailed):
                    framework = None
            frameworks[provider] = framework
    found: list[ConnectorSummary] = []
    for c in connectors:
        framework = frameworks[c.provider]
        if framework_id is not None and (framework is None or not _applies(framework,
                                                                           c.provider)):
            continue
        if account is not None and not _reads(c.provider, c.credentials_public,
                                              runs.get(c.id), account):
            continue
        found.append(_summary(c.id, c.name, c.provider, framework, runs.get(c.id)))
    return found


def _reads(provider: str, public: dict[str, Any], runs: repo.RecentRuns | None,
           account: str) -> bool:
    """Whether a connector reads ``account``: its own, or one its latest evaluation names."""
    own = public.get(get_provider(provider).credentials_model.account_field)
    return own == account or (runs is not None and account in runs.latest.account_scores)


def _summary(connector_id: str, name: str, provider: str, framework: Framework | None,
             runs: repo.RecentRuns | None) -> ConnectorSummary:
    statuses = dict.fromkeys(CONTROL_STATUSES, 0)
    results = dict.fromkeys(RESULT_STATUSES, 0)
    score = None
    trend: list[TrendScore] = []
    if framework is not None and runs is not None:
        counts = runs.latest.counts
        for control in framework.controls:
            statuses[control_status(control, counts)] += 1
        for rule_id in framework.rule_ids:
            got = counts.get(rule_id)
            if got is not None:
                for key, value in (("pass", got.passed), ("fail", got.failed),
                                   ("manual", got.manual),
                                   ("not_applicable", got.not_applicable)):
                    results[key] += value
        score = runs.latest.scores.get(framework.id)
        trend = [TrendScore(at, scores.get(framework.id)) for at, scores in runs.history]
    return ConnectorSummary(
        connector_id=connector_id, connector_name=name, provider=provider,
        framework=framework.id if framework else None, score=score,
        passed=results["pass"], failed=results["fail"], manual=results["manual"],
        not_applicable=results["not_applicable"], controls=statuses,
        evaluated_at=runs.latest.evaluated_at if runs else None,
        snapshot_id=runs.latest.snapshot_id if runs else None, trend=trend)


# --- findings --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FindingsPage:
    items: list[tuple[str, FindingView]]  # (connector_id, finding)
    total: int


def _check_connector(db: Database, tenant_id: str, connector_id: str | None) -> None:
    if connector_id is None:
        return
    require_plausible_id("connector", connector_id)
    with db.read() as session:
        row = session.get(ConnectorRow, connector_id)
        if row is None or row.tenant_id != tenant_id:
            raise NotFound(f"connector {connector_id} does not exist")


def list_findings(db: Database, tenant_id: str, *, connector_id: str | None = None,
                  state: str | None = None, rule_id: str | None = None,
                  resource_key: str | None = None, limit: int = 100,
                  offset: int = 0, account: str | None = None) -> FindingsPage:
    """The tenant's findings (any connector, or one), optionally one state, rule or
    resource (``resource_key``: an asset ID, or ``account``); with ``account`` (a GCP project
    or Azure subscription) that account's findings and those about the connector as a whole,
    as the report filtered to it counts them."""
    if state is not None and state not in {s.value for s in FindingState}:
        raise ValidationFailed.single("state", "must be one of "
                                      + ", ".join(s.value for s in FindingState))
    refuse_nul(rule=rule_id, resource=resource_key, account=account)
    _check_connector(db, tenant_id, connector_id)
    with db.read() as session:
        items, total = repo.page_findings(
            session, tenant_id,
            FindingFilter(connector_id, state, rule_id, resource_key, account),
            limit=limit, offset=offset)
    return FindingsPage(items, total)


def asset_findings(db: Database, tenant_id: str, asset_id: str,
                   connector_id: str | None = None) -> FindingsPage:
    """Every finding (open, reopened, fixed) of one resource of the current inventory."""
    require_plausible_id("asset", asset_id)
    _check_connector(db, tenant_id, connector_id)
    with db.read() as session:
        if inventory_repo.find_asset(session, tenant_id, asset_id, connector_id) is None:
            raise NotFound(f"asset {asset_id} not found in the current inventory")
        items, total = repo.page_findings(
            session, tenant_id, FindingFilter(connector_id, resource_key=asset_id),
            limit=10_000, offset=0)
    return FindingsPage(items, total)


# --- rules ---------------------------------------------------------------------------------

def rule_catalog(provider: str) -> list[dict[str, Any]]:
    """Built-in rule metadata of a provider, each with the framework controls citing it."""
    cited: dict[str, dict[str, list[str]]] = {}
    for framework in builtin_frameworks():
        for control in framework.controls:
            for rule_id in control.rules:
                cited.setdefault(rule_id, {}).setdefault(framework.id, []).append(control.id)
    return [{**r, "provider": provider, "frameworks": cited.get(r["id"], {})}
            for r in reports.list_rules(provider)]


# --- custom rules take effect at once ----------------------------------------------------------

def _evaluable(db: Database, tenant_id: str) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(ConnectorRow.id).where(
            ConnectorRow.tenant_id == tenant_id,
            ConnectorRow.current_snapshot_id.is_not(None)).order_by(ConnectorRow.name)))


def evaluable_count(db: Database, tenant_id: str) -> int:
    """How many connectors of the tenant have a snapshot to evaluate."""
    return len(_evaluable(db, tenant_id))


def reevaluate_tenant(db: Database, tenant_id: str) -> list[str]:
    """Evaluate every connector of the tenant that has a snapshot; returns their IDs.

    A connector whose evaluation fails is logged and skipped (its next poll evaluates it),
    so one bad connector never blocks the others.
    """
    ids = _evaluable(db, tenant_id)
    done: list[str] = []
    for connector_id in ids:
        try:
            reports.evaluate_connector(db, tenant_id, connector_id)
        except (NotFound, Conflict):  # deleted, or its snapshot went, meanwhile
            continue
        except Exception:
            logger.exception("re-evaluating connector %s after a rule change failed",
                             connector_id)
            continue
        done.append(connector_id)
    return done

