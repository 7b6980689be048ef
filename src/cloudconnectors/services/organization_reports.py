"""An organization's compliance rolled up: one score per member, worst members first.

Each member connector has its own reports (they are ordinary connectors); this reads their
stored summaries and adds them up, so the organization's score is the share of passed
results over all its present members' results, not an average of averages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from cloudconnectors.domain.errors import NotFound
from cloudconnectors.domain.organizations import KIND_ORGANIZATION
from cloudconnectors.services import compliance
from cloudconnectors.services.compliance import ConnectorSummary
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.lookups import require_plausible_id
from cloudconnectors.storage.repositories import connectors as connector_repo
from cloudconnectors.storage.tables import ConnectorRow

__all__ = ["MemberScore", "OrganizationReport", "organization_report"]


@dataclass(frozen=True)
class MemberScore:
    summary: ConnectorSummary
    account: str
    status: str
    gone: bool


@dataclass(frozen=True)
class OrganizationReport:
    organization_id: str
    organization_name: str
    framework: str | None
    score: float | None
    passed: int
    failed: int
    members: list[MemberScore]  # worst first; never evaluated, then gone members, last


def _worst_first(member: MemberScore) -> tuple[int, float, str]:
    score = member.summary.score
    return (1 if member.gone else 0, 2.0 if score is None else score,
            member.summary.connector_name)


def organization_report(ctx: AppContext, principal: Principal, connector_id: str,
                        framework_id: str | None = None) -> OrganizationReport:
    require_plausible_id("connector", connector_id)
    with ctx.db.read() as session:
        row = connector_repo.get_row(session, principal.tenant_id, connector_id)
        if row.kind != KIND_ORGANIZATION:
            raise NotFound(f"connector {connector_id} is not an organization connector")
        name = row.name
        children: dict[str, Any] = {
            c.id: c for c in session.execute(select(
                ConnectorRow.id, ConnectorRow.member, ConnectorRow.status,
                ConnectorRow.gone_at).where(ConnectorRow.parent_id == connector_id)).all()}
    found = [s for s in compliance.summaries(ctx.db, principal.tenant_id, framework_id)
             if s.connector_id in children]
    members = [MemberScore(s, str((children[s.connector_id].member or {}).get("account")),
                           children[s.connector_id].status,
                           children[s.connector_id].gone_at is not None) for s in found]
    members.sort(key=_worst_first)
    present = [m.summary for m in members if not m.gone]
    passed = sum(s.passed for s in present)
    failed = sum(s.failed for s in present)
    frameworks = {s.framework for s in present if s.framework}
    return OrganizationReport(
        organization_id=connector_id, organization_name=name,
        framework=frameworks.pop() if len(frameworks) == 1 else framework_id,
        score=passed / (passed + failed) if passed + failed else None,
        passed=passed, failed=failed, members=members)
