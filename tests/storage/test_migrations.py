"""Migrations and models agree: after ``migrate()`` autogenerate finds nothing to do."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.db import declared_head
from cloudconnectors.storage.tables import Base


def test_migrations_match_models(ctx: AppContext) -> None:
    with ctx.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_every_table_is_created_by_the_migrations(ctx: AppContext) -> None:
    names = set(inspect(ctx.db.engine).get_table_names())
    assert set(Base.metadata.tables) <= names


def test_the_quick_head_check_agrees_with_alembic(ctx: AppContext, tmp_path: Path) -> None:
    """``migrate()`` skips Alembic when the stored revision is the files' declared head; that
    shortcut must name exactly the head Alembic would upgrade to."""
    script = ScriptDirectory.from_config(ctx.db.alembic_config())
    assert declared_head() == script.get_current_head() == ctx.db.current_revision()
    # A fork (two heads) or a file without a revision: Alembic decides, not the shortcut.
    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n')
    (tmp_path / "b.py").write_text('revision: str = "b"\ndown_revision: str | None = "a"\n')
    assert declared_head(tmp_path) == "b"
    (tmp_path / "c.py").write_text('revision = "c"\ndown_revision = "a"\n')
    assert declared_head(tmp_path) is None
    (tmp_path / "c.py").write_text('"""no revision line"""\n')
    assert declared_head(tmp_path) is None
