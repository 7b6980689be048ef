"""AWS External IDs: issued by the server, bound to a tenant, claimed by exactly one connector.

The client never chooses one (confused-deputy protection): a connector can only be created
with a value this service issued to the same tenant and that no connector has used yet.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.services.access import require_admin
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.storage.tables import ExternalIdRow
from cloudconnectors.storage.tables.base import utcnow

FIELD = "credentials.external_id"


def issue_external_id(ctx: AppContext, principal: Principal) -> str:
    require_admin(principal)
    value = "cc-" + secrets.token_hex(20)
    with ctx.db.write() as session:
        session.add(ExternalIdRow(value=value, tenant_id=principal.tenant_id))
    return value


def claim_external_id(session: Session, tenant_id: str, value: str, connector_id: str) -> None:
    """Bind ``value`` to ``connector_id`` inside the caller's transaction."""
    row = session.get(ExternalIdRow, value, with_for_update=True)
    if row is None or row.tenant_id != tenant_id:
        raise ValidationFailed.single(
            FIELD, "must be an External ID issued by POST /api/v1/providers/aws/external-ids"
        )
    if row.connector_id is not None and row.connector_id != connector_id:
        raise ValidationFailed.single(
            FIELD, "was already used by another connector; issue a fresh External ID"
        )
    row.connector_id = connector_id
    row.used_at = row.used_at or utcnow()
