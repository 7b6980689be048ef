"""Run the Azure rules over fixture items without a database."""

from __future__ import annotations

from collections.abc import Collection

from cloudconnectors.rules.model import InventoryItem, RuleResult, Status
from cloudconnectors.rules.registry import engine_for
from tests.rules.azure.fixtures import NOW, REGIONS


def run(items: list[InventoryItem], denied: Collection[tuple[str, str | None]] = (),
        regions: Collection[str] = REGIONS) -> list[RuleResult]:
    return list(engine_for("azure").evaluate(items, now=NOW, denied=denied, regions=regions))


def statuses(results: list[RuleResult], rule_id: str) -> set[Status]:
    return {r.status for r in results if r.rule_id == rule_id}


def of_rule(results: list[RuleResult], rule_id: str) -> list[RuleResult]:
    return [r for r in results if r.rule_id == rule_id]
