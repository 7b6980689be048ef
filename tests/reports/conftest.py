"""A migrated database per test, from the suite's shared test databases (SQLite template copy,
or PostgreSQL when ``CLOUDCONNECTORS_TEST_DATABASE_URL`` is set)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudconnectors.storage.db import Database
from tests.reports.seed import Seeder
from tests.support.database import TestDatabases


@pytest.fixture
def db(test_databases: TestDatabases, tmp_path: Path) -> Iterator[Database]:
    database = Database(test_databases.fresh_url(tmp_path))
    yield database
    database.dispose()


@pytest.fixture
def seeded(db: Database) -> Seeder:
    return Seeder(db)
