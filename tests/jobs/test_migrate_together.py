"""``serve`` and its workers often start at once on a new database: they migrate in turn."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from cloudconnectors.storage.db import Database
from tests.jobs.cluster import PgDatabase


def test_processes_starting_together_migrate_one_at_a_time() -> None:
    database = PgDatabase()
    engines = [Database(database.url) for _ in range(3)]
    try:
        with ThreadPoolExecutor(3) as pool:
            for future in [pool.submit(db.migrate) for db in engines]:
                future.result()  # none fails on "alembic_version already exists"
        with engines[0].engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        assert len(versions) == 1
    finally:
        for db in engines:
            db.dispose()
        database.drop()
