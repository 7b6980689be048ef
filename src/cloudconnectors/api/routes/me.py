"""/api/v1/me: who the caller is (e-mail, tenant, role)."""

from __future__ import annotations

from fastapi import APIRouter

from cloudconnectors.api.deps import ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.api.schemas.me import MeOut, TenantOut
from cloudconnectors.services.users import describe

router = APIRouter(prefix="/me", tags=["me"], responses={401: {"model": ErrorOut}})


@router.get("", response_model=MeOut)
def show_me(ctx: ContextDep, principal: PrincipalDep) -> MeOut:
    identity = describe(ctx, principal)
    return MeOut(
        id=identity.user_id,
        email=identity.email,
        role=identity.role,
        tenant=TenantOut(id=identity.tenant_id, name=identity.tenant_name),
    )
