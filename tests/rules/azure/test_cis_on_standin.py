"""CIS Azure v5.0.0 end to end on the Azure stand-in: seed, poll, evaluate, compare.

Two subscriptions, each in its own stand-in (tenant-level records such as the Entra log export
and the subscription move policy are shared by every subscription of a stand-in): ``good`` is
the compliant fixture subscription of ``tests/rules/azure/fixtures.py``, ``bad`` the same with
every breaker of ``breakers.py`` applied. ``tests/support/azure_cis_seed.py`` serves each as the
ARM and Graph records a poll reads; the real Azure connector (azure-identity over TLS, ARM and
Graph REST) polls it into a snapshot (``services.polling.poll_now``) and the report service
evaluates it (``services.reports.evaluate_connector``). Every automated control must pass in
``good`` and fail in ``bad``, except those in ``NOT_REPRESENTABLE`` (with the reason); the
per-control outcomes must equal ``tests/rules/golden/cis_azure_{good,bad}.json``.

Regenerate after a deliberate change, then review the diff like code::

    CC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/rules/azure/test_cis_on_standin.py
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cloudconnectors.demo.azure_sandbox import App, AzureSandbox, Role, World
from cloudconnectors.domain.runs import Outcome, Trigger
from cloudconnectors.reports.model import ControlReport
from cloudconnectors.rules.frameworks import load_framework
from cloudconnectors.rules.model import InventoryItem
from cloudconnectors.rules.registry import rules_by_id
from cloudconnectors.services import connectors, polling, reports, runs
from cloudconnectors.services.context import AppContext
from tests.rules.azure.breakers import bad_subscription
from tests.rules.azure.fixtures import REGIONS, SUB, good_subscription
from tests.support.azure_cis_seed import load_inventory
from tests.support.people import make_person, principal_of

CIS = "cis_azure_5_0_0"
INVENTORY_TYPES = frozenset({
    "Microsoft.Compute/virtualMachines", "Microsoft.Resources/resourceGroups",
    "Microsoft.Network/networkInterfaces", "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/virtualNetworks", "Microsoft.Network/networkSecurityGroups"})
GOLDEN = Path(__file__).parents[1] / "golden"
TENANT = "7e1a0000-0000-4000-8000-0000000c15a0"
APP = "a9900000-0000-4000-8000-0000000c15a0"
SECRET = "golden-secret~value"
SUBSCRIPTIONS: dict[str, Callable[[], list[InventoryItem]]] = {
    "good": good_subscription, "bad": bad_subscription}

#: Controls with rules whose two outcomes the stand-in cannot show, why, and what each gets.
NOT_REPRESENTABLE: dict[str, dict[str, str]] = {
    "6.1.1.3": {"good": "pass", "bad": "not_applicable", "reason": "the bad subscription "
                "exports no activity log at all (6.1.1.1 fails), so no storage account holds "
                "activity logs to lack a customer-managed key; the failing case is a fixture "
                "test (tests/rules/azure/test_rules.py)"},
    **{control: {"good": "not_applicable", "bad": "fail", "reason": "a compliant subscription "
                 "uses RBAC key vaults only (8.3.6), so the access-policy variants have no vault "
                 "to judge there; their passing case is a fixture test "
                 "(tests/rules/azure/test_rules.py)"} for control in ("8.3.2", "8.3.4")},
    "8.3.11": {"good": "manual", "bad": "manual", "reason": "the connector does not read the "
               "Key Vault data plane, so certificates are never collected: the control is "
               "manual naming Microsoft.KeyVault/vaults/certificates/read"},
}


def _control_row(control: ControlReport) -> dict[str, Any]:
    row: dict[str, Any] = {"status": control.status}
    if control.automated:
        row.update(passed=control.passed, failed=control.failed, manual=control.manual,
                   not_applicable=control.not_applicable)
        row["failing"] = sorted(f"{f.region} {f.resource_name or f.resource_id}: {f.reason}"
                                for f in control.failing)
    if control.status == "manual":
        row["notes"] = list(control.notes)
    return row


def _poll(ctx: AppContext, tmp_path: Path, name: str, items: list[InventoryItem],
          app: App) -> tuple[Any, dict[str, Any]]:
    """Serve ``items`` from a fresh stand-in, poll them with ``app``, evaluate, report."""
    world = World()
    world.add_app(TENANT, app)
    load_inventory(world, TENANT, SUB, list(REGIONS), items)
    with AzureSandbox(world) as sandbox:
        ca = sandbox.write_ca(tmp_path / "ca.pem")
        ctx.settings = dataclasses.replace(
            ctx.settings, azure_authority_host=sandbox.authority,
            azure_management_endpoint=sandbox.management, azure_graph_endpoint=sandbox.graph,
            ca_bundle=str(ca))
        admin = make_person(ctx, tenant=f"cis-azure-{name}", role="admin")
        principal = principal_of(ctx, admin)
        connector = connectors.create_connector(
            ctx, principal, name=f"cis-azure-{name}", provider="azure", credentials={
                "application_id": app.client_id, "directory_id": TENANT,
                "authentication_key": SECRET, "subscription_id": SUB})
        summary = polling.poll_now(ctx, connector.id, Trigger.CLI)
    run = runs.get_run(ctx, principal, connector.id, summary.run_id)
    reports.evaluate_connector(ctx.db, principal.tenant_id, connector.id)
    report = reports.get_report(ctx.db, principal.tenant_id, connector.id, CIS)
    return run, {c.id: _control_row(c) for c in report.controls}


@pytest.fixture(params=sorted(SUBSCRIPTIONS))
def polled(request: pytest.FixtureRequest, ctx: AppContext,
           tmp_path: Path) -> tuple[str, Any, dict[str, Any]]:
    which = request.param
    run, controls = _poll(ctx, tmp_path, which, SUBSCRIPTIONS[which](), App(APP, SECRET))
    return which, run, controls


def test_inventory_only_app_without_graph_reads_manual_naming_what_is_missing(
        ctx: AppContext, tmp_path: Path) -> None:
    """The six inventory actions and no Graph permission: the poll records each other type
    as denied with the ARM action or Graph permission, and every control needing one of them
    is manual with that name in its notes; NSG and VNet controls are still decided."""
    app = App(APP, SECRET, role=Role.INVENTORY, graph=frozenset())
    run, controls = _poll(ctx, tmp_path, "inventory", good_subscription(), app)
    denied = {r.resource_type: r.permission for r in run.results
              if r.outcome is Outcome.DENIED}
    rules = rules_by_id("azure")
    for control in load_framework(CIS).controls:
        needed = {t for r in control.rules for t in rules[r].resource_types}
        row = controls[control.id]
        if not control.automated or not needed - INVENTORY_TYPES:
            continue
        assert row["status"] == "manual", (control.id, row)
        missing = {denied[t] for t in needed - INVENTORY_TYPES if t in denied}
        assert missing and any(p in n for n in row["notes"] for p in missing), (control.id,
                                                                                 row)
    assert denied["Microsoft.Graph/authorizationPolicy"] == "Policy.Read.All"
    assert denied["Microsoft.Storage/storageAccounts"] == "Microsoft.Storage/storageAccounts/read"
    for decided in ("7.1", "7.2", "7.3", "7.4", "7.11", "8.5"):
        assert controls[decided]["status"] == "pass", (decided, controls[decided])


def test_cis_azure_controls_on_the_standin_match_golden(
        polled: tuple[str, Any, dict[str, Any]]) -> None:
    which, run, controls = polled
    problems = [f"{r.resource_type} {r.region}: {r.outcome.value} {r.reason}"
                for r in run.results if r.outcome is not Outcome.OK]
    assert problems == [], problems  # a full Reader + Graph app reads everything

    for control in load_framework(CIS).controls:
        row = controls[control.id]
        if not control.automated:
            assert row["status"] == "manual", control.id
        elif control.id in NOT_REPRESENTABLE:
            assert row["status"] == NOT_REPRESENTABLE[control.id][which], (control.id, row)
        else:
            assert row["status"] == ("pass" if which == "good" else "fail"), (control.id, row)

    document = {
        "subscription": which,
        "regions": list(REGIONS),
        "regenerate": "CC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q "
                      "tests/rules/azure/test_cis_on_standin.py",
        "not_representable_on_the_standin": {k: v["reason"]
                                             for k, v in NOT_REPRESENTABLE.items()},
        "controls": controls,
    }
    golden = GOLDEN / f"cis_azure_{which}.json"
    if os.environ.get("CC_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(document, indent=1) + "\n")
    assert document == json.loads(golden.read_text())


def test_not_representable_controls_are_automated_and_documented() -> None:
    framework = load_framework(CIS)
    assert set(NOT_REPRESENTABLE) <= {c.id for c in framework.controls if c.automated}
    doc = (Path(__file__).parents[3] / "docs" / "cis-azure.md").read_text().splitlines()
    for control in framework.controls:
        [row] = [line for line in doc if line.startswith(f"| {control.id} | ")]
        cell = row.rstrip(" |").rsplit("| ", 1)[1]
        if not control.automated:
            assert cell == "—", row
        elif control.id in NOT_REPRESENTABLE:
            assert cell.endswith("‡"), row
        else:
            assert cell == "pass + fail", row
