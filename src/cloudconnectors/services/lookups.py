"""Guards for identifiers and filters that come from outside, before the database sees them.

An ID no object can have (empty, too long, unprintable) is simply not found; a filter with
a NUL character is refused by name (PostgreSQL cannot even compare such a string).
"""

from __future__ import annotations

from cloudconnectors.domain.errors import NotFound, ValidationFailed

__all__ = ["ID_MAX_LENGTH", "refuse_nul", "require_plausible_id"]

ID_MAX_LENGTH = 64


def require_plausible_id(kind: str, value: str) -> None:
    if not value or len(value) > ID_MAX_LENGTH or not value.isprintable():
        raise NotFound(f"{kind} {value[:ID_MAX_LENGTH]!r} not found")


def refuse_nul(**filters: str | None) -> None:
    for name, value in filters.items():
        if value is not None and "\x00" in value:
            raise ValidationFailed.single(name, "must not contain NUL characters")
