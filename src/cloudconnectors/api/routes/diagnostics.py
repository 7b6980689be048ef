"""/api/v1/connectors/{id}/diagnostics: the permission/API/role checklist, item by item."""

from __future__ import annotations

from fastapi import APIRouter

from cloudconnectors.api.deps import ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.api.schemas.diagnostics import DiagnosticsOut
from cloudconnectors.services import runs as service

router = APIRouter(
    prefix="/connectors",
    tags=["diagnostics"],
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


@router.get("/{connector_id}/diagnostics", response_model=DiagnosticsOut)
def diagnostics(connector_id: str, ctx: ContextDep, principal: PrincipalDep) -> DiagnosticsOut:
    return DiagnosticsOut.of(service.diagnose(ctx, principal, connector_id))
