"""Failed portal sign-ins, kept in the database so every process and worker counts them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cloudconnectors.storage.tables.base import Base, utcnow


class SignInFailureRow(Base):
    """One failed sign-in, counted once per scope: the account tried and the client trying.

    ``key`` is a SHA-256 of the e-mail or the client address, so the table never lists the
    addresses people (or a password sprayer) typed.
    """

    __tablename__ = "signin_failures"
    __table_args__ = (
        Index("ix_signin_failures_scope_key", "scope", "key", "failed_at"),
        Index("ix_signin_failures_failed_at", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(8))  # "account" | "client"
    key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)
