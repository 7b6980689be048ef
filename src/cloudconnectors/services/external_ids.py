"""AWS External IDs: issued by the server, bound to a tenant, claimed by exactly one connector.

The client never chooses one (confused-deputy protection): a connector can only be created
with a value this service issued to the same tenant and that no connector has used yet.

Front ends (API, CLI) issue through :func:`issue_for_new_role`: one rule for both, an External
ID is refused (503) while the platform cannot name the AWS account the role must trust, since
the role cannot be created without it. :func:`issue_external_id` is the bare record.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.providers.aws.artifacts import trust_policy
from cloudconnectors.services.access import require_admin
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.platform import platform_account_id
from cloudconnectors.storage.tables import ExternalIdRow
from cloudconnectors.storage.tables.base import utcnow

FIELD = "credentials.external_id"
# Named the same way in the API's and the CLI's refusals.
HOW_TO_ISSUE = ("POST /api/v1/providers/aws/external-ids "
                "(or `cloudconnectors connectors external-id`)")


@dataclass(frozen=True)
class IssuedExternalId:
    external_id: str
    platform_account_id: str
    trust_policy: dict[str, Any]


def issue_for_new_role(ctx: AppContext, principal: Principal) -> IssuedExternalId:
    """Issue an External ID with the account the role must trust; ``PlatformUnavailable``
    (the fix in its message) before anything is stored when that account is unknown."""
    require_admin(principal)
    account = platform_account_id(ctx.settings)
    value = issue_external_id(ctx, principal)
    return IssuedExternalId(value, account, trust_policy(account, value))


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
            FIELD, f"must be an External ID issued to this tenant by {HOW_TO_ISSUE}"
        )
    if row.connector_id is not None and row.connector_id != connector_id:
        raise ValidationFailed.single(
            FIELD, f"was already used by another connector; issue a fresh one with {HOW_TO_ISSUE}"
        )
    row.connector_id = connector_id
    row.used_at = row.used_at or utcnow()
