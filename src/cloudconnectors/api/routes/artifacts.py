"""AWS setup files as downloads: for a connector about to be created, or an existing one.

``GET /providers/aws/artifacts/{kind}?external_id=`` (the portal's Add Connector form) and
``GET /connectors/{connector_id}/artifacts/{kind}``; each answers the JSON document as an
attachment named ``cloudconnectors-<kind>.json``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from cloudconnectors.api.deps import ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.services import aws_artifacts as service
from cloudconnectors.services.aws_artifacts import Artifact, ArtifactKind

router = APIRouter(
    tags=["platform"],
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut},
               503: {"model": ErrorOut}},
)

_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The JSON document, as a download (Content-Disposition: attachment).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
}


def _download(artifact: Artifact) -> Response:
    return Response(
        content=json.dumps(artifact.document, indent=2) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f"attachment; filename={artifact.filename}"},
    )


@router.get("/providers/aws/artifacts/{kind}", response_class=Response, responses=_FILE)
def setup_artifact(
    kind: ArtifactKind,
    ctx: ContextDep,
    principal: PrincipalDep,
    external_id: Annotated[
        str | None,
        Query(max_length=service.EXTERNAL_ID_MAX,
              description="Issued by POST /providers/aws/external-ids; required for "
                          "trust-policy and cloudformation."),
    ] = None,
) -> Response:
    return _download(service.setup_artifact(ctx, principal, kind, external_id))


@router.get("/connectors/{connector_id}/artifacts/{kind}", response_class=Response,
            responses=_FILE)
def connector_artifact(
    connector_id: str, kind: ArtifactKind, ctx: ContextDep, principal: PrincipalDep
) -> Response:
    return _download(service.connector_artifact(ctx, principal, connector_id, kind))
