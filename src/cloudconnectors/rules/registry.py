"""Explicit rule registry: one catalog module per provider, imported on first use.

Nothing registers itself on import. A provider's catalog module exposes ``RULES`` (a tuple of
rules), ``DETAIL_PERMISSIONS`` and ``COLLECTED_TYPES``; meta tests walk them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache
from types import ModuleType

from cloudconnectors.rules.engine import Engine
from cloudconnectors.rules.model import Rule

CATALOGS: dict[str, str] = {
    "aws": "cloudconnectors.rules.aws.catalog",
    "gcp": "cloudconnectors.rules.gcp.catalog",
    "azure": "cloudconnectors.rules.azure.catalog",
}


@cache
def _catalog(provider: str) -> ModuleType | None:
    path = CATALOGS.get(provider)
    return importlib.import_module(path) if path else None


def provider_rules(provider: str) -> tuple[Rule, ...]:
    """The built-in rules of a provider (empty for a provider without a catalog yet)."""
    catalog = _catalog(provider)
    rules: tuple[Rule, ...] = catalog.RULES if catalog else ()
    return rules


def collected_types(provider: str) -> frozenset[str]:
    catalog = _catalog(provider)
    types: frozenset[str] = catalog.COLLECTED_TYPES if catalog else frozenset()
    return types


def detail_permissions(provider: str) -> frozenset[tuple[str, str]]:
    """(resource type, permission) of every detail call: a denial of one of these explains
    missing keys, it does not mean the type could not be listed."""
    catalog = _catalog(provider)
    if catalog is None:
        return frozenset()
    return frozenset((type_, permission)
                     for (type_, _key), permission in catalog.DETAIL_PERMISSIONS.items())


@cache
def collection_needs(provider: str) -> dict[str, frozenset[str]] | None:
    """What any rule of ``provider`` can read, for the collector to read no more: each
    collected type with the detail keys rules may read on it (built-in rules, and custom
    rules, which are held to the same types and keys). None for a provider without a
    catalog: it reads everything."""
    catalog = _catalog(provider)
    if catalog is None:
        return None
    keys: dict[str, set[str]] = {type_: set() for type_ in catalog.COLLECTED_TYPES}
    for type_, key in catalog.DETAIL_PERMISSIONS:
        keys.setdefault(type_, set()).add(key)
    return {type_: frozenset(found) for type_, found in keys.items()}


@cache
def rules_by_id(provider: str) -> dict[str, Rule]:
    return {rule.id: rule for rule in provider_rules(provider)}


def all_rules() -> dict[str, Rule]:
    """Every built-in rule of every provider, by ID."""
    return {rid: r for provider in CATALOGS for rid, r in rules_by_id(provider).items()}


@cache
def _builtin_engine(provider: str) -> Engine:
    return Engine(provider_rules(provider), detail_permissions(provider))


def engine_for(provider: str, extra_rules: Iterable[Rule] = ()) -> Engine:
    """An engine with the provider's rules plus, say, a tenant's custom rules."""
    extra = tuple(extra_rules)
    if not extra:
        return _builtin_engine(provider)
    return Engine((*provider_rules(provider), *extra), detail_permissions(provider))
