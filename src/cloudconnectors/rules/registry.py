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
from cloudconnectors.rules.model import ResourceRule, Rule

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


def collection_needs(provider: str, custom: Iterable[Rule] = ()
                     ) -> dict[str, frozenset[str]] | None:
    """What the rules of ``provider`` read, for the collector to read no more: each type
    rules may read, with the detail keys the built-in rules read on it plus those the
    ``custom`` rules (a tenant's) name. None for a provider without a catalog: it reads
    everything."""
    catalog = _catalog(provider)
    if catalog is None:
        return None
    skipped: frozenset[tuple[str, str]] = getattr(catalog, "CUSTOM_ONLY_DETAILS", frozenset())
    wanted = {(rule.resource_type, need.key) for rule in custom
              if isinstance(rule, ResourceRule) for need in rule.needs}
    keys: dict[str, set[str]] = {type_: set() for type_ in catalog.COLLECTED_TYPES}
    for type_, key in catalog.DETAIL_PERMISSIONS:
        if (type_, key) not in skipped or (type_, key) in wanted:
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
