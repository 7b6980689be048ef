"""Portal sessions: a random cookie value, stored hashed, with its own CSRF token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete

from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.users import principal_for_user_id
from cloudconnectors.storage.tables import WebSessionRow
from cloudconnectors.storage.tables.base import utcnow

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class WebSession:
    cookie_value: str
    csrf_token: str
    principal: Principal


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def start_session(ctx: AppContext, principal: Principal) -> WebSession:
    value, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    with ctx.db.write() as session:
        session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
        session.add(
            WebSessionRow(
                id_hash=_hash(value),
                user_id=principal.user_id,
                csrf_token=csrf,
                expires_at=now + SESSION_LIFETIME,
            )
        )
    return WebSession(value, csrf, principal)


def resume_session(ctx: AppContext, cookie_value: str) -> WebSession | None:
    with ctx.db.read() as session:
        row = session.get(WebSessionRow, _hash(cookie_value))
        if row is None or row.expires_at < utcnow():
            return None
        user_id, csrf = row.user_id, row.csrf_token
    principal = principal_for_user_id(ctx, user_id)
    return WebSession(cookie_value, csrf, principal) if principal else None


def end_session(ctx: AppContext, cookie_value: str) -> None:
    with ctx.db.write() as session:
        session.execute(delete(WebSessionRow).where(WebSessionRow.id_hash == _hash(cookie_value)))
