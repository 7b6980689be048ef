"""The REST API on its own: routers listed explicitly, errors mapped once.

It knows nothing of the portal or the scheduler; :mod:`cloudconnectors.composition` puts
the API, the portal and polling together for each process.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from cloudconnectors import __version__
from cloudconnectors.api.docs import install_docs
from cloudconnectors.api.errors import install_error_handlers
from cloudconnectors.api.json_bounds import JsonBounds
from cloudconnectors.api.limits import BodySizeLimit, JsonBodiesOnly
from cloudconnectors.api.routes import (
    artifacts,
    assets,
    connectors,
    custom_rules,
    diagnostics,
    external_ids,
    findings,
    frameworks,
    me,
    platform,
    reports,
    runs,
)
from cloudconnectors.services.context import AppContext

API_PREFIX = "/api/v1"
ROUTERS: list[APIRouter] = [
    connectors.router,
    runs.router,
    diagnostics.router,
    assets.router,
    platform.router,
    external_ids.router,
    artifacts.router,
    me.router,
    frameworks.router,
    reports.router,
    findings.router,
    custom_rules.router,
]


def create_api(ctx: AppContext) -> FastAPI:
    """The API routes, error handlers and ``/healthz``, without request limits (see
    :func:`add_request_limits`, added last so they wrap everything mounted beside the API)."""
    app = FastAPI(
        title="Cloud Connectors",
        version=__version__,
        description="Connect AWS accounts, GCP projects and Azure subscriptions; poll their "
        "inventory on a schedule; evaluate it against compliance benchmarks.",
        openapi_url="/openapi.json",
        docs_url=None,  # install_docs: Swagger UI from the package, not a CDN
        redoc_url=None,
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    install_docs(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def add_request_limits(app: FastAPI) -> None:
    """Outermost middleware: refuse oversized bodies, then bodies that are not JSON, then
    JSON nested too deep for the parser."""
    app.add_middleware(JsonBounds)
    app.add_middleware(JsonBodiesOnly)
    app.add_middleware(BodySizeLimit)
