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
    responses={401: {"model": ErrorOut}},
)


@router.get("", response_model=PlatformOut)
def show_platform(ctx: ContextDep, principal: PrincipalDep) -> PlatformOut:
    """200 even without the platform's AWS identity: ``aws.available`` is then false with the
    reason, and the GCP and Azure guidance is complete."""
    identity = service.platform_identity(ctx.settings)
    setup = service.setup_requirements(identity)
    return PlatformOut.model_validate({"platform_account_id": identity.account_id, **setup})
