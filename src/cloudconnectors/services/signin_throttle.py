"""Slow down password guessing, per account and per client, counted in the database.

Two limits over a sliding window: failures for one account (whoever makes them) stop a
guesser who rotates addresses, and failures from one client (whatever e-mails they name)
stop a sprayer who tries one password on many accounts. The counts live in the database,
so every server process and worker sees the same ones. Which address a client has is the
connection's own, unless the operator named the proxy in front (CLOUDCONNECTORS_TRUSTED_PROXIES);
forwarded headers from anyone else are not believed (see ``cli/serve.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from cloudconnectors.storage.db import Database
from cloudconnectors.storage.repositories import signin_failures as repo
from cloudconnectors.storage.tables.base import utcnow

__all__ = ["LIMITS", "WINDOW", "Refusal", "failed", "refusal"]

WINDOW = timedelta(minutes=10)
# Failures allowed within the window, per scope: a person mistypes a few times; a sprayer
# behind one address tries many accounts (a shared office NAT stays far below this).
LIMITS = {"account": 10, "client": 30}


@dataclass(frozen=True)
class Refusal:
    scope: str  # "account" | "client"
    retry_after_seconds: float


def _keys(email: str, client: str) -> dict[str, str]:
    values = {"account": email.strip().lower(), "client": client}
    return {scope: hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()
            for scope, value in values.items()}


def refusal(db: Database, email: str, client: str) -> Refusal | None:
    """Why this attempt must wait, or ``None`` when it may go ahead."""
    now = utcnow()
    since = now - WINDOW
    with db.read() as session:
        for scope, key in _keys(email, client).items():
            oldest, count = repo.oldest_and_count(session, scope, key, since)
            if count >= LIMITS[scope] and oldest is not None:
                wait = (oldest + WINDOW - now).total_seconds()
                return Refusal(scope, max(1.0, wait))
    return None


def failed(db: Database, email: str, client: str) -> None:
    """Count a failed sign-in against the account and the client (and forget stale ones)."""
    now = utcnow()
    with db.write() as session:
        repo.forget_before(session, now - WINDOW)
        repo.record(session, _keys(email, client), now)
