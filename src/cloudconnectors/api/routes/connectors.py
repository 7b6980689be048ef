"""/api/v1/connectors: create, list, show, edit, delete, refresh."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from cloudconnectors.api.deps import AdminDep, ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import NO_NUL, ErrorOut
from cloudconnectors.api.schemas.connectors import (
    ConnectorCreate,
    ConnectorOut,
    ConnectorPage,
    ConnectorUpdate,
    RefreshOut,
)
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.states import Status
from cloudconnectors.services import connectors as service

router = APIRouter(
    prefix="/connectors",
    tags=["connectors"],
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)

SortKey = Literal["name", "created_at", "status", "provider", "next_run_at", "last_run_at"]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ConnectorOut,
    responses={403: {"model": ErrorOut}, 409: {"model": ErrorOut}},
)
def create_connector(
    body: ConnectorCreate, ctx: ContextDep, principal: AdminDep
) -> ConnectorOut:
    connector = service.create_connector(
        ctx,
        principal,
        name=body.name,
        provider=body.provider.value,
        run_frequency_minutes=body.run_frequency_minutes,
        credentials=body.credentials,
        projects=body.projects,
        organization=body.organization,
        inventory=body.inventory,
    )
    return ConnectorOut.of(connector)


@router.get("", response_model=ConnectorPage)
def list_connectors(
    ctx: ContextDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    provider: ProviderName | None = None,
    status: Status | None = None,
    q: Annotated[
        str | None, Query(max_length=100, pattern=NO_NUL, description="Name contains, or exact ID")
    ] = None,
    sort: SortKey = "name",
    order: Literal["asc", "desc"] = "asc",
    parent: Annotated[str | None, Query(
        max_length=64, description="`none`: top-level connectors only (accounts and "
        "organizations); an organization connector's ID: its members")] = None,
    kind: Literal["account", "organization"] | None = None,
    tree: Annotated[bool, Query(description="With parent=none: also list an organization "
                                "when one of its members matches the filters")] = False,
) -> ConnectorPage:
    page = service.list_connectors(
        ctx,
        principal,
        limit=limit,
        offset=offset,
        provider=provider.value if provider else None,
        status=status.value if status else None,
        search=q,
        sort=sort,
        descending=order == "desc",
        parent="" if parent == "none" else parent,
        kind=kind,
        tree=tree,
    )
    return ConnectorPage(
        items=[ConnectorOut.of(c) for c in page.items], total=page.total, limit=limit, offset=offset
    )


@router.get("/{connector_id}", response_model=ConnectorOut)
def show_connector(connector_id: str, ctx: ContextDep, principal: PrincipalDep) -> ConnectorOut:
    return ConnectorOut.of(service.get_connector(ctx, principal, connector_id))


@router.patch(
    "/{connector_id}",
    response_model=ConnectorOut,
    responses={403: {"model": ErrorOut}, 409: {"model": ErrorOut}},
)
def edit_connector(
    connector_id: str, body: ConnectorUpdate, ctx: ContextDep, principal: AdminDep
) -> ConnectorOut:
    changes = body.model_dump(exclude_unset=True)  # left-out fields keep their value
    return ConnectorOut.of(service.update_connector(ctx, principal, connector_id, **changes))


@router.delete(
    "/{connector_id}", status_code=status.HTTP_204_NO_CONTENT, responses={403: {"model": ErrorOut}}
)
def delete_connector(connector_id: str, ctx: ContextDep, principal: AdminDep) -> Response:
    service.delete_connector(ctx, principal, connector_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{connector_id}/refresh",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RefreshOut,
    responses={403: {"model": ErrorOut}},
)
def refresh_connector(connector_id: str, ctx: ContextDep, principal: AdminDep) -> RefreshOut:
    result = service.request_refresh(ctx, principal, connector_id)
    if result.queued and ctx.wake_scheduler is not None:
        ctx.wake_scheduler()
    return RefreshOut(queued=result.queued, connector=ConnectorOut.of(result.connector))
