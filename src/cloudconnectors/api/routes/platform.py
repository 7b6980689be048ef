"""/api/v1/platform: the platform's AWS account ID and each cloud's setup requirements."""

from __future__ import annotations

from fastapi import APIRouter

from cloudconnectors.api.deps import ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.api.schemas.platform import PlatformOut
from cloudconnectors.services import platform as service

router = APIRouter(
    prefix="/platform",
    tags=["platform"],
    responses={401: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)


@router.get("", response_model=PlatformOut)
def show_platform(ctx: ContextDep, principal: PrincipalDep) -> PlatformOut:
    account = service.platform_account_id(ctx.settings)
    setup = service.setup_requirements(account)
    return PlatformOut.model_validate({"platform_account_id": account, **setup})
