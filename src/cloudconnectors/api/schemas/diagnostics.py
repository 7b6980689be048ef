"""The setup checklist: each required permission group, granted, missing or unknown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from cloudconnectors.providers.base import Access, DiagnosticItem
from cloudconnectors.services.runs import Diagnostics


class DiagnosticItemOut(BaseModel):
    key: str
    title: str
    access: Access
    detail: str
    fix: str | None = Field(description="What to change, exactly, when access is missing.")
    policy: dict[str, Any] | None = Field(description="A policy document ready to paste.")
    denied: list[str] = Field(description="Permissions the last poll was refused.")

    @classmethod
    def of(cls, item: DiagnosticItem) -> DiagnosticItemOut:
        return cls(
            key=item.key,
            title=item.title,
            access=item.access,
            detail=item.detail,
            fix=item.fix,
            policy=item.policy,
            denied=list(item.denied),
        )


class DiagnosticsOut(BaseModel):
    connector_id: str
    run_id: str | None = Field(description="The poll these items were judged from.")
    checked_at: datetime | None
    note: str | None
    items: list[DiagnosticItemOut]

    @classmethod
    def of(cls, diagnostics: Diagnostics) -> DiagnosticsOut:
        return cls(
            connector_id=diagnostics.connector_id,
            run_id=diagnostics.run_id,
            checked_at=diagnostics.checked_at,
            note=diagnostics.note,
            items=[DiagnosticItemOut.of(i) for i in diagnostics.items],
        )
