"""A poll reads what the rules can read, and no more, unless the full inventory is asked for."""

from __future__ import annotations

import pytest

from cloudconnectors.config import load_settings
from cloudconnectors.providers.aws.options import AwsOptions
from cloudconnectors.providers.aws.provider import AwsProvider
from cloudconnectors.providers.aws.resources import RESOURCES
from cloudconnectors.providers.aws.selection import select
from cloudconnectors.rules.registry import collected_types, collection_needs


def _needs() -> dict[str, frozenset[str]]:
    needs = collection_needs("aws")
    assert needs is not None
    return needs


def test_every_type_and_detail_a_rule_reads_is_still_collected() -> None:
    chosen = select(RESOURCES, _needs())
    types = {t for r in chosen for t in r.types()}
    assert collected_types("aws") <= types
    keys = {(r.type, d.key) for r in chosen for d in r.details}
    needed = {(t, k) for t, ks in _needs().items() for k in ks
              if any(t == r.type and any(d.key == k for d in r.details) for r in RESOURCES)}
    assert needed and needed <= keys


def test_nothing_else_is_listed_or_fetched() -> None:
    needs = _needs()
    chosen = select(RESOURCES, needs)
    assert len(chosen) < len(RESOURCES)
    assert all(any(t in needs for t in r.types()) for r in chosen)
    assert all(d.key in needs[r.type] for r in chosen for d in r.details)
    assert "AWS::CodeBuild::Project" not in {r.type for r in chosen}
    [functions] = [r for r in chosen if r.type == "AWS::Lambda::Function"]
    assert functions.details == ()  # no rule reads a function's resource policy


def test_no_needs_or_the_full_option_keeps_every_declaration() -> None:
    assert select(RESOURCES, None) == RESOURCES
    provider = AwsProvider()
    full = load_settings(extra={"aws_inventory": "full"})
    assert provider.results_per_region("regional", _needs(), full) == \
        provider.results_per_region("regional")
    assert provider.results_per_region("regional", _needs()) < \
        provider.results_per_region("regional")


def test_the_inventory_option_names_its_choices() -> None:
    with pytest.raises(ValueError, match="AWS_INVENTORY must be one of rules, full"):
        AwsOptions.from_settings(load_settings(extra={"aws_inventory": "everything"}))


def test_details_no_built_in_rule_reads_are_fetched_for_custom_rules_only() -> None:
    from pathlib import Path

    from cloudconnectors.rules.aws import catalog
    from cloudconnectors.rules.custom import compile_custom_rule, parse_custom_rules

    rules_dir = Path(catalog.__file__).parent
    sources = "".join(p.read_text() for p in rules_dir.glob("*.py") if p.name != "shapes.py")
    for type_, key in catalog.CUSTOM_ONLY_DETAILS:
        assert f'"{key}"' not in sources and f"'{key}'" not in sources, key
        assert all(need.key != key for rule in catalog.RULES
                   for need in getattr(rule, "needs", ()))
        assert key not in _needs()[type_]
    [spec] = parse_custom_rules('''
[[rules]]
id = "custom.s3.encrypted"
title = "Buckets are encrypted"
severity = "low"
resource_type = "AWS::S3::Bucket"
condition = "Encryption != null"
''')
    needs = collection_needs("aws", [compile_custom_rule(spec)])
    assert needs is not None and "Encryption" in needs["AWS::S3::Bucket"]
    assert "Acl" not in needs["AWS::S3::Bucket"]
    [buckets] = [r for r in select(RESOURCES, needs) if r.type == "AWS::S3::Bucket"]
    assert {d.key for d in buckets.details} >= {"Encryption", "Policy", "Versioning"}
