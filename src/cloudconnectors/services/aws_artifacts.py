"""The AWS setup files a user downloads: trust policy, policies, CloudFormation template.

Filled with the platform's account ID and an External ID that belongs to the caller's
tenant: one issued to it (before the connector exists) or an existing connector's own. The
documents themselves come from :mod:`cloudconnectors.providers.aws.artifacts`, generated
from the resource declarations. Reading them is not a write: viewers may download too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.providers.aws.artifacts import ArtifactKind, render
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.lookups import refuse_nul, require_plausible_id
from cloudconnectors.services.platform import platform_account_id
from cloudconnectors.storage.repositories import connectors as connector_repo
from cloudconnectors.storage.tables import ExternalIdRow

__all__ = ["Artifact", "ArtifactKind", "connector_artifact", "setup_artifact"]

FIELD = "external_id"
EXTERNAL_ID_MAX = 64
_ISSUE = "POST /api/v1/providers/aws/external-ids"


@dataclass(frozen=True)
class Artifact:
    kind: ArtifactKind
    document: dict[str, Any]

    @property
    def filename(self) -> str:
        return self.kind.filename


def setup_artifact(
    ctx: AppContext, principal: Principal, kind: ArtifactKind, external_id: str | None
) -> Artifact:
    """For a connector about to be created: ``external_id`` must have been issued to the
    principal's tenant (used by a connector or not). Kinds that do not name it (the
    permission policies) need none, but one given is still checked."""
    if external_id is not None:
        _require_issued(ctx, principal.tenant_id, external_id)
    elif kind.needs_external_id:
        raise ValidationFailed.single(
            FIELD, f"is required for {kind.value}: pass the one issued by {_ISSUE}")
    return _render(ctx, kind, external_id)


def connector_artifact(
    ctx: AppContext, principal: Principal, connector_id: str, kind: ArtifactKind
) -> Artifact:
    """For an existing AWS connector, with its own External ID."""
    require_plausible_id("connector", connector_id)
    with ctx.db.read() as session:
        row = connector_repo.get_row(session, principal.tenant_id, connector_id)
        provider, public = row.provider, dict(row.credentials_public)
        member_role = (row.organization or {}).get("member_role_name")
    if provider != ProviderName.AWS.value:
        raise ValidationFailed.single(
            "connector_id", f"must name an AWS connector (this one is {provider}): setup "
            "files exist for AWS roles only")
    external_id = public.get("external_id")
    return _render(ctx, kind, str(external_id) if external_id else None, member_role)


def _require_issued(ctx: AppContext, tenant_id: str, value: str) -> None:
    refuse_nul(external_id=value)
    if not value or len(value) > EXTERNAL_ID_MAX:
        raise _not_issued()
    with ctx.db.read() as session:
        row = session.get(ExternalIdRow, value)
        if row is None or row.tenant_id != tenant_id:
            raise _not_issued()


def _not_issued() -> ValidationFailed:
    return ValidationFailed.single(
        FIELD, f"must be an External ID issued to your tenant by {_ISSUE}")


def _render(ctx: AppContext, kind: ArtifactKind, external_id: str | None,
            member_role: str | None = None) -> Artifact:
    if kind.needs_external_id and not external_id:
        raise ValidationFailed.single(FIELD, f"is required for {kind.value}")
    # Only the files that name the account ask AWS for it (a 503 without platform creds).
    account = platform_account_id(ctx.settings) if kind.needs_external_id else None
    return Artifact(kind, render(kind, account, external_id, member_role))
