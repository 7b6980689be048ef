"""``GET /api/v1/me``."""

from __future__ import annotations

from pydantic import BaseModel

from cloudconnectors.services.context import Role


class TenantOut(BaseModel):
    id: str
    name: str


class MeOut(BaseModel):
    id: str
    email: str
    role: Role
    tenant: TenantOut
