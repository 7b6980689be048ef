"""/api/v1/frameworks: the report frameworks this tenant can use."""

from __future__ import annotations

from fastapi import APIRouter

from cloudconnectors.api.deps import ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.api.schemas.reports import FrameworkList, FrameworkOut
from cloudconnectors.services import reports as service

router = APIRouter(prefix="/frameworks", tags=["reports"], responses={401: {"model": ErrorOut}})


@router.get("", response_model=FrameworkList)
def list_frameworks(ctx: ContextDep, principal: PrincipalDep) -> FrameworkList:
    """Built-in benchmarks, plus ``custom`` once the tenant has custom rules."""
    found = service.list_frameworks(ctx.db, principal.tenant_id)
    return FrameworkList(items=[FrameworkOut.of(f) for f in found])
