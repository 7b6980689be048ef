"""Connectors made through the real service, for poll and scheduler tests."""

from __future__ import annotations

import itertools
from datetime import datetime

from cloudconnectors.services import connectors as service
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.tables import ConnectorRow
from tests.support.credentials import gcp_credentials
from tests.support.people import Person, principal_of

_names = itertools.count(1)


def make_gcp_connector(ctx: AppContext, person: Person, name: str | None = None) -> str:
    connector = service.create_connector(
        ctx, principal_of(ctx, person), name=name or f"gcp-{next(_names)}", provider="gcp",
        credentials=gcp_credentials())
    return connector.id


def connector_row(ctx: AppContext, connector_id: str) -> ConnectorRow:
    with ctx.db.read() as session:
        row = session.get(ConnectorRow, connector_id)
        assert row is not None
        session.expunge(row)
        return row


def set_columns(ctx: AppContext, connector_id: str, **values: object) -> None:
    """Write connector columns directly, as a crashed worker would have left them."""
    with ctx.db.write() as session:
        row = session.get(ConnectorRow, connector_id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)


def make_due(ctx: AppContext, connector_id: str, when: datetime) -> None:
    set_columns(ctx, connector_id, next_run_at=when)
