"""Poll history and the setup diagnostics judged from the last poll's results."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from cloudconnectors.domain.runs import RunState
from cloudconnectors.providers.base import Access, DiagnosticItem, PollContext
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.lookups import require_plausible_id
from cloudconnectors.storage.repositories import connectors as connector_repo
from cloudconnectors.storage.repositories import runs as repo
from cloudconnectors.storage.repositories.runs import RunRecord

__all__ = ["Diagnostics", "RunPage", "diagnose", "get_run", "list_runs"]

NOT_POLLED_NOTE = (
    "No poll has finished yet, so no permission has been checked: each item is unknown "
    "until the first poll. Press Refresh to poll now."
)
NOTHING_CHECKED_NOTE = "The last poll failed before any permission could be checked: {error}"


@dataclass(frozen=True)
class RunPage:
    items: list[RunRecord]
    total: int


@dataclass(frozen=True)
class Diagnostics:
    connector_id: str
    run_id: str | None
    checked_at: datetime | None
    note: str | None
    items: list[DiagnosticItem]


def list_runs(
    ctx: AppContext, principal: Principal, connector_id: str, *, limit: int = 20, offset: int = 0
) -> RunPage:
    require_plausible_id("connector", connector_id)
    with ctx.db.read() as session:
        connector_repo.get_row(session, principal.tenant_id, connector_id)
        items, total = repo.page(
            session, principal.tenant_id, connector_id, limit=limit, offset=offset
        )
    return RunPage(items, total)


def get_run(ctx: AppContext, principal: Principal, connector_id: str, run_id: str) -> RunRecord:
    require_plausible_id("connector", connector_id)
    require_plausible_id("run", run_id)
    with ctx.db.read() as session:
        connector_repo.get_row(session, principal.tenant_id, connector_id)
        return repo.get(session, principal.tenant_id, connector_id, run_id)


def diagnose(ctx: AppContext, principal: Principal, connector_id: str) -> Diagnostics:
    """Item by item: what the last finished poll showed is granted, missing or unknown."""
    require_plausible_id("connector", connector_id)
    with ctx.db.read() as session:
        row = connector_repo.get_row(session, principal.tenant_id, connector_id)
        provider_name, public = row.provider, dict(row.credentials_public)
        last = repo.last_finished(session, principal.tenant_id, connector_id)
    provider = get_provider(provider_name)
    context = PollContext(ctx.settings, principal.tenant_id, connector_id)
    items = provider.diagnose(last.results if last else [], context, public)
    if last is None:
        unknown = [replace(item, access=Access.UNKNOWN, denied=()) for item in items]
        return Diagnostics(connector_id, None, None, NOT_POLLED_NOTE, unknown)
    note = None
    if last.state is RunState.FAILED and not last.results:
        note = NOTHING_CHECKED_NOTE.format(error=last.error or "unknown error")
    return Diagnostics(connector_id, last.id, last.finished_at, note, items)
