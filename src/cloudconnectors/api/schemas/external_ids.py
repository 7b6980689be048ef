"""``POST /api/v1/providers/aws/external-ids``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ExternalIdOut(BaseModel):
    external_id: str = Field(description="Put it in the role's trust policy, then create the "
                             "connector with it; it can be used by one connector only.")
    platform_account_id: str = Field(description="The AWS account the role must trust.")
    trust_policy: dict[str, Any] = Field(description="The role's trust policy, ready to paste.")
