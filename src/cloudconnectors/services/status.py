"""What ``cloudconnectors status`` reports from the database: connectors, runs, lateness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import metrics as figures
from cloudconnectors.storage.tables.base import utcnow

__all__ = ["DatabaseStatus", "database_status"]


@dataclass(frozen=True)
class DatabaseStatus:
    connectors: dict[str, int]
    runs: dict[str, int]
    late: int
    late_after_minutes: int


def database_status(ctx: AppContext) -> DatabaseStatus:
    grace = ctx.settings.pending_grace_minutes
    with ctx.db.read() as session:
        return DatabaseStatus(
            connectors=figures.statuses(session),
            runs=figures.run_states(session),
            late=figures.late_connectors(session, utcnow() - timedelta(minutes=grace)),
            late_after_minutes=grace,
        )
