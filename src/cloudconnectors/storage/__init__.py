"""Persistence: SQLAlchemy tables, Alembic migrations, repositories. ORM rows stay in here."""
