"""Inventory as a poll writes it: streaming, batched, counted (no storage imports here)."""
