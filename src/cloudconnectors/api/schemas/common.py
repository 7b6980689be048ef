"""Shapes shared by several routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from cloudconnectors.domain.validation import NO_NUL_PATTERN

NO_NUL = NO_NUL_PATTERN
"""The pattern of free-text query parameters: the document says NUL is refused (the services
answer 422 for it), so a client, or a fuzzer, reading the document knows before sending."""


class StrictBody(BaseModel):
    """Request bodies refuse unknown fields, so typos are reported, not ignored."""

    model_config = ConfigDict(extra="forbid")


class ProblemOut(BaseModel):
    field: str
    rule: str


class ErrorOut(BaseModel):
    detail: str
    errors: list[ProblemOut] | None = None
