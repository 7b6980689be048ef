"""Meta tests over the Azure rules and CIS Azure v5.0.0: collected types, permissions, the
framework's counts, and that unread data (inventory-only role, no Graph permission, a refused
sub-record) answers MANUAL naming the ARM action or Graph permission."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudconnectors.reports.build import build_report
from cloudconnectors.reports.tally import ResultTally
from cloudconnectors.rules.azure.shapes import (
    COLLECTED_AZURE_TYPES,
    DETAIL_PERMISSIONS,
    LIST_PERMISSIONS,
)
from cloudconnectors.rules.engine import Engine
from cloudconnectors.rules.frameworks import load_framework
from cloudconnectors.rules.model import InventoryItem, ResourceRule, Status
from cloudconnectors.rules.registry import provider_rules
from tests.rules.azure.fixtures import NOW, good_subscription
from tests.rules.azure.helpers import run

CIS = "cis_azure_5_0_0"
#: What DESIGN.md says an inventory-only Azure role can read.
INVENTORY_ONLY = frozenset({
    "Microsoft.Compute/virtualMachines", "Microsoft.Resources/resourceGroups",
    "Microsoft.Network/networkInterfaces", "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/virtualNetworks", "Microsoft.Network/networkSecurityGroups"})
GRAPH_PERMISSIONS = frozenset({"Policy.Read.All", "Policy.Read.DeviceConfiguration",
                               "Directory.Read.All", "RoleManagement.Read.Directory",
                               "AuditLog.Read.All"})


def test_rules_read_collected_types_with_known_permissions() -> None:
    for rule in provider_rules("azure"):
        assert set(rule.resource_types) <= COLLECTED_AZURE_TYPES, rule.id
        if isinstance(rule, ResourceRule):
            for need in rule.needs:
                assert need.permission in (DETAIL_PERMISSIONS.get((rule.resource_type,
                                                                   need.key)),
                                           LIST_PERMISSIONS[rule.resource_type]), rule.id


@pytest.mark.parametrize("rule", [r for r in provider_rules("azure")
                                  if isinstance(r, ResourceRule)], ids=lambda r: r.id)
def test_empty_record_is_never_a_silent_verdict(rule: ResourceRule) -> None:
    [result] = Engine([rule]).evaluate(
        [InventoryItem("k", rule.resource_type, "eastus", "x", None, {})], now=NOW)
    assert result.status is Status.MANUAL, result


def test_framework_counts_and_benchmark_status() -> None:
    framework = load_framework(CIS)
    summary = framework.summary()
    assert (framework.version, framework.provider) == ("5.0.0", "azure")
    assert (summary["controls"], summary["automated_controls"]) == (155, 123)
    assert {c.assessment for c in framework.controls} == {"automated", "manual"}
    assert {c.level for c in framework.controls} == {1, 2}
    # Every control the benchmark itself calls automated has rules here.
    assert [c.id for c in framework.controls
            if c.assessment == "automated" and not c.automated] == []
    assert sum(c.assessment == "automated" for c in framework.controls) == 93


def test_doc_lists_every_control() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "cis-azure.md").read_text()
    framework = load_framework(CIS)
    summary = framework.summary()
    assert "v5.0.0" in doc
    assert (f"{summary['controls']} controls: {summary['automated_controls']} automated, "
            f"{summary['manual_controls']} manual") in doc
    for control in framework.controls:
        row = next((line for line in doc.splitlines()
                    if line.startswith(f"| {control.id} | ")), None)
        assert row, f"docs/cis-azure.md lacks control {control.id}"
        assert ("| yes |" in row) == control.automated, control.id
        assert all(f"`{r}`" in row for r in control.rules), control.id


def _denied_everything_but(kept: frozenset[str]) -> tuple[list[InventoryItem],
                                                          set[tuple[str, str | None]]]:
    """The good subscription as a connector that could list only ``kept`` would store it."""
    items = [i for i in good_subscription() if i.type in kept]
    denied = {(t, p) for t, p in LIST_PERMISSIONS.items() if t not in kept}
    return items, denied


def _report(items: list[InventoryItem], denied: set[tuple[str, str | None]]) -> dict:
    tally = ResultTally()
    for result in run(items, denied=denied):
        tally.add(result)
    report = build_report(framework=load_framework(CIS), connector_id="c", connector_name="az",
                          provider="azure", counts=tally.rule_counts(), findings=[],
                          evaluated_at=NOW, snapshot_id="s")
    return {c.id: c for c in report.controls}


def test_inventory_only_role_reads_manual_naming_the_action() -> None:
    """Without Reader, every control that needs more than the six inventory types is MANUAL
    and its notes name the ARM action (or Graph permission) that was denied."""
    items, denied = _denied_everything_but(INVENTORY_ONLY)
    controls = _report(items, denied)
    framework = load_framework(CIS)
    rules = {r.id: r for r in provider_rules("azure")}
    for control in framework.controls:
        if not control.automated:
            continue
        needed = {t for r in control.rules for t in rules[r].resource_types}
        row = controls[control.id]
        if needed <= INVENTORY_ONLY:
            assert row.status in ("pass", "not_applicable"), (control.id, row)
            continue
        assert row.status == "manual", (control.id, row)
        permissions = {LIST_PERMISSIONS[t] for t in needed - INVENTORY_ONLY}
        assert any(p in note for note in row.notes for p in permissions), (control.id,
                                                                             row.notes)
        assert row.passed == row.failed == 0, control.id


def test_missing_graph_permissions_make_identity_controls_manual() -> None:
    graph = frozenset(t for t, p in LIST_PERMISSIONS.items() if p in GRAPH_PERMISSIONS)
    items, denied = _denied_everything_but(COLLECTED_AZURE_TYPES - graph)
    controls = _report(items, denied)
    rules = {r.id: r for r in provider_rules("azure")}
    touched = [c for c in load_framework(CIS).controls
               if any(set(rules[r].resource_types) & graph for r in c.rules)]
    assert len(touched) >= 20
    for control in touched:
        row = controls[control.id]
        assert row.status == "manual", (control.id, row)
        assert any(p in n for n in row.notes for p in GRAPH_PERMISSIONS), row.notes
    assert controls["9.3.4"].status == "pass"  # ARM-only controls are unaffected


def _refuse(type_: str, key: str) -> list[InventoryItem]:
    def refuse(item: InventoryItem) -> InventoryItem:
        if item.type != type_:
            return item
        data = {k: v for k, v in item.data.items() if k != key}
        data["_cc_errors"] = {key: "AuthorizationFailed"}
        return item._replace(data=data)
    return [refuse(i) for i in good_subscription()]


#: Sub-records read by per-resource rules (through ``needs``); the rest by account rules.
NEEDED = sorted({(r.resource_type, n.key) for r in provider_rules("azure")
                 if isinstance(r, ResourceRule) for n in r.needs} & set(DETAIL_PERMISSIONS))


def test_every_sub_record_is_read() -> None:
    assert set(DETAIL_PERMISSIONS) - set(NEEDED) == {("Microsoft.Graph/directoryRoles",
                                                      "members")}


@pytest.mark.parametrize(("type_", "key"), NEEDED)
def test_refused_sub_record_is_manual_naming_its_action(type_: str, key: str) -> None:
    readers = {r.id for r in provider_rules("azure") if isinstance(r, ResourceRule)
               and r.resource_type == type_ and any(n.key == key for n in r.needs)}
    results = [r for r in run(_refuse(type_, key)) if r.rule_id in readers]
    assert results and {r.status for r in results} == {Status.MANUAL}
    assert all(DETAIL_PERMISSIONS[(type_, key)] in r.reason for r in results)


def test_refused_role_members_make_global_admin_count_manual() -> None:
    results = [r for r in run(_refuse("Microsoft.Graph/directoryRoles", "members"))
               if r.rule_id == "azure.entra.global_admins_fewer_than_5"]
    assert [r.status for r in results] == [Status.MANUAL]
    assert "RoleManagement.Read.Directory" in results[0].reason


#: Sub-records a rule reads that the connector does not collect (the rule then says so).
NOT_COLLECTED = {("Microsoft.KeyVault/vaults", "certificates")}


def test_types_and_permissions_are_the_connectors() -> None:
    """Same type names, list permissions and sub-record keys as the Azure connector declares,
    so a DENIED outcome names what the rules name."""
    from cloudconnectors.providers.azure.resources import RESOURCES

    declared = {r.type: r for r in RESOURCES}
    for type_, permission in LIST_PERMISSIONS.items():
        assert type_ in declared, f"the connector does not collect {type_}"
        assert declared[type_].permission == permission, type_
    for (type_, key), permission in DETAIL_PERMISSIONS.items():
        details = {d.key: d.action for d in declared[type_].details}
        if (type_, key) in NOT_COLLECTED:
            assert key not in details, f"{type_} {key} is collected now: drop it here"
            continue
        assert details.get(key) == permission, (type_, key)
