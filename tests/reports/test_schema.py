"""Migrations and models agree: after ``migrate()`` autogenerate finds nothing to do."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cloudconnectors.storage.tables import Base


def test_migrations_match_models(db) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_findings_tables_exist(db) -> None:
    from sqlalchemy import inspect

    names = set(inspect(db.engine).get_table_names())
    assert {"findings", "report_runs", "custom_rules"} <= names
