"""Engine, sessions and migrations for SQLite (embedded) and PostgreSQL (scale-out).

SQLite runs in WAL mode so readers never wait for the poller. Its transactions are begun
explicitly: ``write()`` takes the write lock up front (``BEGIN IMMEDIATE``) so a
read-then-write cannot fail half way with "database is locked".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from cloudconnectors.security.files import private_dir, private_file

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_SQLITE_BEGIN = "cloudconnectors_sqlite_begin"


def _private_sqlite_files(database: Path) -> None:
    """The database 0600 before SQLite opens it: its WAL and shared-memory files are then
    made with the same mode (SQLite copies the database file's), whatever the umask."""
    private_dir(database.parent)
    private_file(database)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            private_file(companion)


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """One engine and its session factory; create one per process and pass it around."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                _private_sqlite_files(Path(parsed.database))
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
            if parsed.database in (None, "", ":memory:"):
                kwargs["poolclass"] = NullPool
        else:
            kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=20)
        self.engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            _prepare_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; rolled back at the end."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session that commits on success, rolls back on error."""
        with self._sessions() as session:
            if self.is_sqlite:
                session.connection(execution_options={_SQLITE_BEGIN: "IMMEDIATE"})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def migrate(self) -> None:
        """Bring the schema to the newest revision (safe to call on every start)."""
        config = self.alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def dispose(self) -> None:
        self.engine.dispose()
