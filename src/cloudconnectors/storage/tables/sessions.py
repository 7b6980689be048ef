"""Portal sign-in sessions, stored server-side so sign-out really ends them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cloudconnectors.storage.tables.base import Base, utcnow


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    # SHA-256 of the cookie value: a stolen database does not yield live sessions.
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
