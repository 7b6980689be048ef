"""The setup checklist: each required permission group, granted, missing or unknown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cloudconnectors.providers.base import Access
from cloudconnectors.services.runs import Diagnostics


class DiagnosticItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    title: str
    access: Access
    detail: str
    fix: str | None = Field(description="What to change, exactly, when access is missing.")
    policy: dict[str, Any] | None = Field(description="A policy document ready to paste.")
    denied: list[str] = Field(description="Permissions the last poll was refused.")


class DiagnosticsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    connector_id: str
    run_id: str | None = Field(description="The poll these items were judged from.")
    checked_at: datetime | None
    note: str | None
    items: list[DiagnosticItemOut]

    @classmethod
    def of(cls, diagnostics: Diagnostics) -> DiagnosticsOut:
        return cls.model_validate(diagnostics, from_attributes=True)
