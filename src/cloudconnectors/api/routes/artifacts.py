"""AWS setup files as downloads: for a connector about to be created, or an existing one.

``GET /providers/aws/artifacts/{kind}?external_id=`` (the portal's Add Connector form) and
``GET /connectors/{connector_id}/artifacts/{kind}``; each answers the JSON document as an
attachment named ``cloudconnectors-<kind>.json``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

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


# The two files that name the External ID get a path each, so the document can say that
# ``external_id`` is required there; the permission policies name none.
ExternalIdParam = Annotated[
    str,
    Query(max_length=service.EXTERNAL_ID_MAX,
          description="Issued by POST /providers/aws/external-ids."),
]
PolicyKind = Literal["custom-policy", "eks-policy", "organization-policy"]


def _named_setup_route(kind: ArtifactKind) -> None:
    def download(ctx: ContextDep, principal: PrincipalDep,
                 external_id: ExternalIdParam) -> Response:
        return _download(service.setup_artifact(ctx, principal, kind, external_id))

    router.add_api_route(f"/providers/aws/artifacts/{kind.value}", download, methods=["GET"],
                         response_class=Response, responses=_FILE,
                         name=f"setup_artifact_{kind.name.lower()}",
                         summary=f"Setup file: {kind.value}")


for _kind in ArtifactKind:
    if _kind.needs_external_id:
        _named_setup_route(_kind)


@router.get("/providers/aws/artifacts/{kind}", response_class=Response, responses=_FILE)
def setup_artifact(
    kind: PolicyKind,
    ctx: ContextDep,
    principal: PrincipalDep,
    external_id: Annotated[
        str | None,
        Query(max_length=service.EXTERNAL_ID_MAX,
              description="Optional (the policies name none); checked when given."),
    ] = None,
) -> Response:
    """The permission policies; trust-policy and cloudformation have their own paths."""
    return _download(service.setup_artifact(ctx, principal, ArtifactKind(kind), external_id))


@router.get("/connectors/{connector_id}/artifacts/{kind}", response_class=Response,
            responses=_FILE)
def connector_artifact(
    connector_id: str, kind: ArtifactKind, ctx: ContextDep, principal: PrincipalDep
) -> Response:
    return _download(service.connector_artifact(ctx, principal, connector_id, kind))
