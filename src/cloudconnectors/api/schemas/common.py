"""Shapes shared by several routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictBody(BaseModel):
    """Request bodies refuse unknown fields, so typos are reported, not ignored."""

    model_config = ConfigDict(extra="forbid")


class ProblemOut(BaseModel):
    field: str
    rule: str


class ErrorOut(BaseModel):
    detail: str
    errors: list[ProblemOut] | None = None
