"""Migrations and models agree: after ``migrate()`` autogenerate finds nothing to do."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.tables import Base


def test_migrations_match_models(ctx: AppContext) -> None:
    with ctx.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_every_table_is_created_by_the_migrations(ctx: AppContext) -> None:
    names = set(inspect(ctx.db.engine).get_table_names())
    assert set(Base.metadata.tables) <= names
