"""Shared test fixtures and stand-in servers."""
