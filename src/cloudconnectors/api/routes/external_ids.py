"""/api/v1/providers/aws/external-ids: issue a fresh External ID for a new AWS connector."""

from __future__ import annotations

from fastapi import APIRouter, status

from cloudconnectors.api.deps import AdminDep, ContextDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.api.schemas.external_ids import ExternalIdOut
from cloudconnectors.services.external_ids import issue_for_new_role

router = APIRouter(
    prefix="/providers/aws/external-ids",
    tags=["platform"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ExternalIdOut)
def create_external_id(ctx: ContextDep, principal: AdminDep) -> ExternalIdOut:
    issued = issue_for_new_role(ctx, principal)
    return ExternalIdOut(
        external_id=issued.external_id,
        platform_account_id=issued.platform_account_id,
        trust_policy=issued.trust_policy,
    )
