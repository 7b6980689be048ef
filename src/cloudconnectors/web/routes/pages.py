"""Portal pages. Each is a server-rendered shell; its data comes from ``/api/v1``.

The Connectors tab also embeds the first page of the list in the HTML, so the table paints
without waiting for a second round trip.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cloudconnectors.api.schemas.connectors import ConnectorOut, ConnectorPage
from cloudconnectors.domain.connector import (
    RUN_FREQUENCY_DEFAULT,
    RUN_FREQUENCY_MAX,
    RUN_FREQUENCY_MIN,
    ProviderName,
)
from cloudconnectors.domain.errors import NotFound
from cloudconnectors.domain.states import Status
from cloudconnectors.providers.gcp.setup import setup_guide
from cloudconnectors.services import connectors as service
from cloudconnectors.services.organization_reports import organization_report
from cloudconnectors.services.web_sessions import WebSession
from cloudconnectors.storage.repositories.connectors import SORTABLE
from cloudconnectors.web.session import (
    HOME_PATH,
    context_of,
    current_session,
    signin_url_for,
)
from cloudconnectors.web.templating import json_for_script, templates

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
PENDING_GRACE_MINUTES = 15


def _base(request: Request, web_session: WebSession, **extra: Any) -> dict[str, Any]:
    principal = web_session.principal
    settings = context_of(request).settings
    return {
        "user_email": principal.email,
        "user_role": principal.role.value,
        "can_write": principal.can_write,
        "csrf_token": web_session.csrf_token,
        "frequency": {
            "min": RUN_FREQUENCY_MIN,
            "max": RUN_FREQUENCY_MAX,
            "default": RUN_FREQUENCY_DEFAULT,
        },
        "pending_grace_minutes": settings.pending_grace_minutes,
        **extra,
    }


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(
        request, name, context, status_code=status, headers={"cache-control": "no-store"}
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    target = HOME_PATH if current_session(request) else "/signin"
    return RedirectResponse(target, status_code=303)


@router.get("/compliance/reports", response_class=HTMLResponse)
def overview_tab(request: Request) -> Response:
    web_session = current_session(request)
    if web_session is None:
        return RedirectResponse(signin_url_for(request), status_code=303)
    return _render(request, "overview.html", _base(request, web_session, tab="overview"))


def _first_page(request: Request, web_session: WebSession) -> str | None:
    """The list as the browser would ask for it first, or None if the query is unusual."""
    params = request.query_params
    provider = params.get("provider") or None
    status = params.get("status") or None
    q = params.get("q") or None
    sort = params.get("sort", "name")
    order = params.get("order", "asc")
    try:
        offset = int(params.get("offset", "0"))
    except ValueError:
        return None
    if (
        provider not in {None, *ProviderName}
        or status not in {None, *Status}
        or sort not in SORTABLE
        or order not in {"asc", "desc"}
        or not 0 <= offset <= 10_000_000
        or (q is not None and len(q) > 100)
        or set(params) - {"provider", "status", "q", "offset", "sort", "order"}
    ):
        return None
    page = service.list_connectors(
        context_of(request),
        web_session.principal,
        limit=PAGE_SIZE,
        offset=offset,
        provider=provider,
        status=status,
        search=q,
        sort=sort,
        descending=order == "desc",
        parent="",  # the table is a tree: top level here, members fetched beneath
        tree=True,
    )
    body = ConnectorPage(
        items=[ConnectorOut.of(c) for c in page.items],
        total=page.total,
        limit=PAGE_SIZE,
        offset=offset,
    )
    return json_for_script(body.model_dump_json())


@router.get("/compliance/reports/connectors", response_class=HTMLResponse)
def connectors_tab(request: Request) -> Response:
    web_session = current_session(request)
    if web_session is None:
        return RedirectResponse(signin_url_for(request), status_code=303)
    context = _base(
        request,
        web_session,
        tab="connectors",
        gcp_setup=setup_guide(),
        page_size=PAGE_SIZE,
        initial_page=_first_page(request, web_session),
    )
    return _render(request, "connectors.html", context)


@router.get("/compliance/connectors/{connector_id}", response_class=HTMLResponse)
def connector_page(request: Request, connector_id: str) -> Response:
    web_session = current_session(request)
    if web_session is None:
        return RedirectResponse(signin_url_for(request), status_code=303)
    try:
        connector = service.get_connector(context_of(request), web_session.principal, connector_id)
    except NotFound:
        return _render(
            request, "not_found.html", _base(request, web_session, tab="connectors"), status=404
        )
    initial = json_for_script(ConnectorOut.of(connector).model_dump_json())
    ctx = context_of(request)
    rolled = (organization_report(ctx, web_session.principal, connector.id)
              if connector.kind == "organization" else None)
    parent = (service.get_connector(ctx, web_session.principal, connector.parent_id)
              if connector.parent_id else None)
    context = _base(
        request, web_session, tab="connectors", connector=connector, initial_connector=initial,
        organization_report=rolled, parent=parent,
    )
    return _render(request, "connector.html", context)


FRAMEWORK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


@router.get("/compliance/connectors/{connector_id}/reports/{framework_id}",
            response_class=HTMLResponse)
def report_page(request: Request, connector_id: str, framework_id: str) -> Response:
    """One connector's report against one framework; the data comes from ``/api/v1/reports``."""
    web_session = current_session(request)
    if web_session is None:
        return RedirectResponse(signin_url_for(request), status_code=303)
    try:
        if not FRAMEWORK_ID.match(framework_id):
            raise NotFound(f"framework {framework_id!r} does not exist")
        connector = service.get_connector(context_of(request), web_session.principal, connector_id)
    except NotFound:
        return _render(
            request, "not_found.html", _base(request, web_session, tab="overview"), status=404
        )
    config = {"connectorId": connector.id, "connectorName": connector.name,
              "frameworkId": framework_id, "canWrite": web_session.principal.can_write}
    context = _base(request, web_session, tab="overview", connector=connector,
                    framework_id=framework_id, page_config=config)
    return _render(request, "report.html", context)
