"""Stand-ins for contract routes another engineer is building, used only while they are absent.

Each stand-in is added to a test app only when the real route does not exist yet, and does the
least the contract says (DESIGN section 5), through the real service and provider functions.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, HTTPException, Query, status
from fastapi.responses import Response
from fastapi.routing import APIRoute

from cloudconnectors.api.deps import PrincipalDep
from cloudconnectors.providers.aws import artifacts
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.platform import platform_account_id

EXTERNAL_IDS_PATH = "/api/v1/providers/aws/external-ids"
ARTIFACTS_PATH = "/api/v1/providers/aws/artifacts/{kind}"
STANDIN_PLATFORM_ACCOUNT = "123456789012"  # moto's default account
ARTIFACT_FILES = {
    "trust-policy": "cloudconnectors-trust-policy.json",
    "custom-policy": "cloudconnectors-custom-policy.json",
    "eks-policy": "cloudconnectors-eks-fargate-policy.json",
    "cloudformation": "cloudconnectors-role.json",
}


def _has_route(app: FastAPI, path: str, method: str) -> bool:
    return any(isinstance(r, APIRoute) and r.path == path and method in r.methods
               for r in app.routes)


def add_missing_contract_routes(app: FastAPI) -> list[str]:
    added: list[str] = []
    ctx = app.state.ctx
    if not _has_route(app, EXTERNAL_IDS_PATH, "POST"):

        @app.post(EXTERNAL_IDS_PATH, status_code=status.HTTP_201_CREATED)
        def issue(principal: PrincipalDep) -> dict[str, str]:
            return {"external_id": issue_external_id(ctx, principal),
                    "platform_account_id": STANDIN_PLATFORM_ACCOUNT}

        # Routes added after the app started matching still work: Starlette reads the list.
        added.append(EXTERNAL_IDS_PATH)
    if not _has_route(app, ARTIFACTS_PATH, "GET"):

        @app.get(ARTIFACTS_PATH)
        def artifact(kind: str, principal: PrincipalDep,
                     external_id: str = Query(min_length=1, max_length=200)) -> Response:
            account = platform_account_id(ctx.settings)
            documents: dict[str, Any] = {
                "trust-policy": lambda: artifacts.trust_policy(account, external_id),
                "custom-policy": artifacts.custom_policy,
                "eks-policy": artifacts.eks_fargate_policy,
                "cloudformation": lambda: artifacts.cloudformation_template(account, external_id),
            }
            if kind not in documents:
                raise HTTPException(404, f"kind: one of {', '.join(documents)}")
            return Response(json.dumps(documents[kind](), indent=2), media_type="application/json",
                            headers={"Content-Disposition":
                                     f'attachment; filename="{ARTIFACT_FILES[kind]}"'})

        added.append(ARTIFACTS_PATH)
    return added
