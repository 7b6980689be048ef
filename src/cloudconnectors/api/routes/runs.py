"""/api/v1/connectors/{id}/runs: poll history, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cloudconnectors.api.deps import ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.api.schemas.runs import RunOut, RunPage
from cloudconnectors.services import runs as service

router = APIRouter(
    prefix="/connectors",
    tags=["runs"],
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)


@router.get("/{connector_id}/runs", response_model=RunPage)
def list_runs(
    connector_id: str,
    ctx: ContextDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> RunPage:
    page = service.list_runs(ctx, principal, connector_id, limit=limit, offset=offset)
    return RunPage(
        items=[RunOut.of(r) for r in page.items], total=page.total, limit=limit, offset=offset
    )


@router.get("/{connector_id}/runs/{run_id}", response_model=RunOut)
def show_run(connector_id: str, run_id: str, ctx: ContextDep, principal: PrincipalDep) -> RunOut:
    return RunOut.of(service.get_run(ctx, principal, connector_id, run_id))
