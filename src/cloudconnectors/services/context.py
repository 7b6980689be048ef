"""The objects every use case needs, built once per process and passed explicitly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from cloudconnectors.config import Settings, load_settings
from cloudconnectors.security.crypto import SecretBox
from cloudconnectors.security.files import private_dir
from cloudconnectors.storage.db import Database


class Role(StrEnum):
    ADMIN = "admin"
    VIEWER = "viewer"


@dataclass(frozen=True)
class Principal:
    """Who is asking: every service call is scoped to ``tenant_id``."""

    user_id: str
    tenant_id: str
    email: str
    role: Role

    @property
    def can_write(self) -> bool:
        return self.role is Role.ADMIN


@dataclass
class AppContext:
    settings: Settings
    db: Database
    secrets: SecretBox
    # Set by the embedded scheduler so a Refresh starts polling at once instead of next tick.
    wake_scheduler: Callable[[], None] | None = None

    @classmethod
    def create(cls, settings: Settings | None = None, *, migrate: bool = True) -> AppContext:
        settings = settings or load_settings()
        private_dir(settings.data_dir)
        db = Database(settings.database_url)
        if migrate:
            db.migrate()
        return cls(settings=settings, db=db, secrets=SecretBox.from_settings(settings))

    def close(self) -> None:
        self.db.dispose()
