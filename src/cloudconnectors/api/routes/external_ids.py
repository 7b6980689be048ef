"""/api/v1/providers/aws/external-ids: issue a fresh External ID for a new AWS connector."""

from __future__ import annotations

from fastapi import APIRouter, status

from cloudconnectors.api.deps import AdminDep, ContextDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.api.schemas.external_ids import ExternalIdOut
from cloudconnectors.providers.aws.artifacts import trust_policy
from cloudconnectors.services import platform
from cloudconnectors.services.external_ids import issue_external_id

router = APIRouter(
    prefix="/providers/aws/external-ids",
    tags=["platform"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ExternalIdOut)
def create_external_id(ctx: ContextDep, principal: AdminDep) -> ExternalIdOut:
    # The account first: an External ID is useless without the account the role must trust.
    account = platform.platform_account_id(ctx.settings)
    external_id = issue_external_id(ctx, principal)
    return ExternalIdOut(
        external_id=external_id,
        platform_account_id=account,
        trust_policy=trust_policy(account, external_id),
    )
