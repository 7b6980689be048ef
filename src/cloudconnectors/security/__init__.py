"""Secrets at rest, password and token hashing."""
