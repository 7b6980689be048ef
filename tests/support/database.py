"""Test databases: SQLite by default, PostgreSQL when CLOUDCONNECTORS_TEST_DATABASE_URL is set.

SQLite: migrate one template file per session and copy it per test (fast, isolated).
PostgreSQL: one freshly created database per test session and worker, emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cloudconnectors.storage.db import Database
from cloudconnectors.storage.tables import Base

PG_ENV = "CLOUDCONNECTORS_TEST_DATABASE_URL"


def backend() -> str:
    return "postgresql" if os.environ.get(PG_ENV) else "sqlite"


class TestDatabases:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._pg_url: str | None = None
        self._template: Path | None = None

    def setup(self) -> None:
        admin_url = os.environ.get(PG_ENV)
        if admin_url:
            name = f"cc_test_{uuid.uuid4().hex[:12]}"
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            self._pg_url = make_url(admin_url).set(database=name).render_as_string(
                hide_password=False)
            db = Database(self._pg_url)
            db.migrate()
            db.dispose()
        else:
            self._template = self.workdir / "template.db"
            db = Database(f"sqlite:///{self._template}")
            db.migrate()
            db.dispose()

    def fresh_url(self, tmp_path: Path) -> str:
        if self._pg_url:
            db = Database(self._pg_url)
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} CASCADE"))
            db.dispose()
            return self._pg_url
        assert self._template is not None
        target = tmp_path / "cloudconnectors.db"
        shutil.copyfile(self._template, target)
        return f"sqlite:///{target}"

    def teardown(self) -> None:
        admin_url = os.environ.get(PG_ENV)
        if admin_url and self._pg_url:
            name = make_url(self._pg_url).database
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def databases(workdir: Path) -> Iterator[TestDatabases]:
    dbs = TestDatabases(workdir)
    dbs.setup()
    try:
        yield dbs
    finally:
        dbs.teardown()
