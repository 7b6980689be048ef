"""Queries and row <-> domain mapping; ORM rows never leave this package."""
