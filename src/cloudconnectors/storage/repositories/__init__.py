"""Queries and writes per aggregate; ORM rows stay inside this package."""
