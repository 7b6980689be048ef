"""Compliance data in the exact shapes of the reports API, made by the real report services.

Snapshots of the rules' fixture account (broken in chosen ways) are stored and evaluated with
``services.reports``; ``Report.to_dict()`` is then what ``GET /api/v1/reports?connector&
framework`` returns, and the summary list is derived from it field by field, as the contract
of the ``reportsapi`` branch describes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cloudconnectors.services import reports as service
from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.users import principal_for_token
from tests.reports.seed import Seeder
from tests.rules.breakers import BREAKERS
from tests.rules.fixtures import NOW, good_account
from tests.support.credentials import aws_credentials
from tests.support.people import Person

CIS = "cis_aws_3_0_0"


@dataclass
class Evaluated:
    connector_id: str
    name: str
    report: dict[str, Any]

    @property
    def summary(self) -> dict[str, Any]:
        r = self.report
        return {
            "connector_id": r["connector_id"], "connector_name": r["connector_name"],
            "provider": r["provider"], "framework": r["framework"]["id"], "score": r["score"],
            "passed": r["results"]["pass"], "failed": r["results"]["fail"],
            "manual": r["results"]["manual"], "not_applicable": r["results"]["not_applicable"],
            "evaluated_at": r["evaluated_at"],
            "trend": [{"at": p["evaluated_at"], "score": p["score"]} for p in r["trend"]],
        }


def evaluated_connector(ctx: AppContext, person: Person, name: str,
                        broken_by_poll: Sequence[Sequence[str]]) -> Evaluated:
    """An AWS connector polled once per entry of ``broken_by_poll`` (the rules each poll's
    inventory breaks, from ``tests.rules.breakers``), evaluated after each poll."""
    principal = principal_for_token(ctx, person.token)
    assert principal is not None
    connector = create_connector(ctx, principal, name=name, provider="aws",
                                 credentials=aws_credentials(issue_external_id(ctx, principal)))
    seeder = Seeder(ctx.db)
    start = NOW - timedelta(days=len(broken_by_poll))
    for n, broken in enumerate(broken_by_poll):
        items = good_account()
        for rule in broken:
            items = BREAKERS[rule](items)
        seeder.snapshot(principal.tenant_id, connector.id, items, start + timedelta(days=n))
        service.evaluate_connector(ctx.db, principal.tenant_id, connector.id)
    report = service.get_report(ctx.db, principal.tenant_id, connector.id, CIS).to_dict()
    # Evaluations in a test are milliseconds apart; spread them a day apart as polls are.
    for n, point in enumerate(report["trend"]):
        point["evaluated_at"] = (start + timedelta(days=n + 1)).isoformat()
    return Evaluated(connector.id, name, report)


def frameworks(ctx: AppContext, person: Person) -> dict[str, Any]:
    """``GET /api/v1/frameworks``; the contract names the control counts ``automated`` and
    ``manual``, the service ``automated_controls`` and ``manual_controls``: give both."""
    principal = principal_for_token(ctx, person.token)
    assert principal is not None
    items = []
    for f in service.list_frameworks(ctx.db, principal.tenant_id):
        items.append({**f, "automated": f.get("automated_controls"),
                      "manual": f.get("manual_controls")})
    return {"items": items}
