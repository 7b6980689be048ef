"""Stand-ins for contract routes another engineer is building, used only while they are absent.

Each stand-in is added to a test app only when the real route does not exist yet, and does the
least the contract says (DESIGN section 5), through the real service functions.
"""

from __future__ import annotations

from fastapi import FastAPI, status
from fastapi.routing import APIRoute

from cloudconnectors.api.deps import PrincipalDep
from cloudconnectors.services.external_ids import issue_external_id

EXTERNAL_IDS_PATH = "/api/v1/providers/aws/external-ids"
STANDIN_PLATFORM_ACCOUNT = "123456789012"  # moto's default account


def _has_route(app: FastAPI, path: str, method: str) -> bool:
    return any(isinstance(r, APIRoute) and r.path == path and method in r.methods
               for r in app.routes)


def add_missing_contract_routes(app: FastAPI) -> list[str]:
    added: list[str] = []
    if not _has_route(app, EXTERNAL_IDS_PATH, "POST"):
        ctx = app.state.ctx

        @app.post(EXTERNAL_IDS_PATH, status_code=status.HTTP_201_CREATED)
        def issue(principal: PrincipalDep) -> dict[str, str]:
            return {"external_id": issue_external_id(ctx, principal),
                    "platform_account_id": STANDIN_PLATFORM_ACCOUNT}

        # Routes added after the app started matching still work: Starlette reads the list.
        added.append(EXTERNAL_IDS_PATH)
    return added
