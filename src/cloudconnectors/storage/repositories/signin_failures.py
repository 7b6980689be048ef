"""Counting and recording failed sign-ins (see :mod:`cloudconnectors.services.signin_throttle`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cloudconnectors.storage.tables.throttle import SignInFailureRow

__all__ = ["forget_before", "oldest_and_count", "record"]


def oldest_and_count(session: Session, scope: str, key: str,
                     since: datetime) -> tuple[datetime | None, int]:
    """The oldest failure after ``since`` for this scope and key, and how many there are."""
    oldest, count = session.execute(
        select(func.min(SignInFailureRow.failed_at), func.count())
        .where(SignInFailureRow.scope == scope, SignInFailureRow.key == key,
               SignInFailureRow.failed_at > since)
    ).one()
    return oldest, int(count)


def record(session: Session, keys: dict[str, str], now: datetime) -> None:
    session.add_all(SignInFailureRow(scope=scope, key=key, failed_at=now)
                    for scope, key in keys.items())


def forget_before(session: Session, cutoff: datetime) -> None:
    """Drop failures that no longer count, so the table stays as small as the window."""
    session.execute(delete(SignInFailureRow).where(SignInFailureRow.failed_at <= cutoff))
