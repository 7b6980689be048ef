"""Engine, sessions and migrations for SQLite (embedded) and PostgreSQL (scale-out).

SQLite runs in WAL mode so readers never wait for the poller. Its transactions are begun
explicitly: ``write()`` takes the write lock up front (``BEGIN IMMEDIATE``) so a
read-then-write cannot fail half way with "database is locked".

Every process migrates on start, the CLI on every command. A database already at the newest
revision is recognised with one query against the revision files' declared IDs, so Alembic is
imported and run only when there is something to upgrade (a CLI call stays quick).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from cloudconnectors.security.files import private_dir, private_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_REVISION_LINE = re.compile(
    r'^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:"([^"]*)"|None)\s*$', re.MULTILINE)
_SQLITE_BEGIN = "cloudconnectors_sqlite_begin"
MIGRATION_LOCK_KEY = 0x63634D49  # "ccMI": the advisory lock held while migrating
_ASYNC_COMMIT = text("SET LOCAL synchronous_commit TO OFF")


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
    def write(self, *, durable: bool = True) -> Iterator[Session]:
        """A session that commits on success, rolls back on error.

        ``durable=False`` is for a step whose loss in a database crash is already recovered
        from (a poll's lease, run start and asset batches; publication marks): on PostgreSQL
        its commit does not wait for the WAL flush (``synchronous_commit = off`` for this
        transaction only), which is most of what a short transaction costs. The next durable
        commit flushes it too, since the WAL is written in order. SQLite in WAL mode with
        ``synchronous=NORMAL`` already commits without a flush.
        """
        with self._sessions() as session:
            if self.is_sqlite:
                session.connection(execution_options={_SQLITE_BEGIN: "IMMEDIATE"})
            elif not durable:
                session.execute(_ASYNC_COMMIT)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def alembic_config(self) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def migrate(self) -> None:
        """Bring the schema to the newest revision (safe to call on every start)."""
        head = declared_head()
        if head is not None and head == self.current_revision():
            return
        from alembic import command

        config = self.alembic_config()
        with self.engine.begin() as connection:
            if not self.is_sqlite:
                # Processes starting together (serve and workers) migrate one at a time;
                # the lock ends with this transaction. SQLite's write lock does the same.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": MIGRATION_LOCK_KEY})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def current_revision(self) -> str | None:
        """The revision stored in ``alembic_version``; ``None`` for a new or odd database."""
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except Exception:  # no table yet (or no database): Alembic will say what is wrong
            return None
        return str(rows[0][0]) if len(rows) == 1 else None

    def dispose(self) -> None:
        self.engine.dispose()


def declared_head(versions: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The single head of the revision files, read from their ``revision`` and
    ``down_revision`` lines; ``None`` (so Alembic decides) for anything but a plain chain."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        found = dict((key, value) for key, value in _REVISION_LINE.findall(
            path.read_text(encoding="utf-8")))
        if "revision" not in found or not found["revision"]:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None
