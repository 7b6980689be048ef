"""Property: for any mix of collector outcomes, no PASS or FAIL comes from a scope whose
outcome is not ok - for resource rules, account rules and custom rules alike, whatever the
account, region or type, and whether the scope's assets were carried forward or not."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.domain.scopes import ANY_REGION, Scope, coverage_from_results, is_gap
from cloudconnectors.rules.custom import compile_custom_rule, validate_specs
from cloudconnectors.rules.engine import UNREAD_PREFIX, Engine
from cloudconnectors.rules.model import ACCOUNT_KEY, AccountRule, InventoryItem, Status
from cloudconnectors.rules.registry import provider_rules
from tests.rules.breakers import BREAKERS
from tests.rules.fixtures import NOW, REGIONS, good_account


def broken_account() -> list[InventoryItem]:
    items = good_account()
    for breaker in BREAKERS.values():
        items = breaker(items)
    return items


ITEMS = good_account()
BROKEN = broken_account()
SCOPES = sorted({(i.account, i.region, i.type) for i in ITEMS + BROKEN},
                key=lambda s: (s[0] or "", s[1], s[2]))
CUSTOM = compile_custom_rule(validate_specs([{
    "id": "custom.sg_named", "title": "Security groups have a name", "severity": "low",
    "resource_type": "AWS::EC2::SecurityGroup",
    "condition": "GroupName != null", "remediation": "Name it.", "rationale": "Find it.",
}])[0])
ENGINE = Engine((*provider_rules("aws"), CUSTOM))
ACCOUNT_TYPES = {r.id: r.resource_types for r in ENGINE.rules if isinstance(r, AccountRule)}
OUTCOMES = st.sampled_from(list(Outcome))


@st.composite
def polls(draw: st.DrawFn) -> tuple[list[InventoryItem], list[CollectorResult]]:
    """An account (good or broken), an outcome per scope (some whole-region, some for
    every region of a type), and the assets of not-ok scopes carried forward or dropped."""
    base = draw(st.sampled_from([ITEMS, BROKEN]))
    results = [CollectorResult(region=region, service="svc", resource_type=type_,
                               outcome=draw(OUTCOMES), account=account,
                               truncated=draw(st.booleans()))
               for account, region, type_ in SCOPES]
    for type_ in draw(st.sets(st.sampled_from(sorted({s[2] for s in SCOPES})), max_size=3)):
        results.append(CollectorResult(region=ANY_REGION, service="svc", resource_type=type_,
                                       outcome=draw(OUTCOMES.filter(lambda o: o
                                                                    is not Outcome.OK))))
    gaps = [Scope(r.account, r.region, r.resource_type) for r in results if is_gap(r)]
    carried = draw(st.booleans())
    items = []
    for item in base:
        if any(g.covers(item.account, item.region, item.type) for g in gaps):
            if not carried:
                continue  # never read: nothing is claimed
            item = item._replace(stale=True)
        items.append(item)
    return items, results


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polls())
def test_no_verdict_from_a_scope_not_read(poll: tuple[list[InventoryItem],
                                                      list[CollectorResult]]) -> None:
    items, results = poll
    last_read = NOW - timedelta(hours=3)
    coverage = coverage_from_results(
        results, REGIONS,
        carried={Scope(r.account, r.region, r.resource_type): (1, last_read)
                 for r in results if is_gap(r)})
    gaps = coverage.gaps
    by_key = {i.key: i for i in items}
    for result in ENGINE.evaluate(items, now=NOW, coverage=coverage):
        if result.status not in (Status.PASS, Status.FAIL):
            continue
        assert not result.resource_key.startswith(UNREAD_PREFIX)
        account_types = ACCOUNT_TYPES.get(result.rule_id)
        if account_types is not None:  # judged over the whole snapshot
            assert not any(coverage.gaps_of(t) for t in account_types), result
            continue
        item = by_key[result.resource_key]
        assert result.resource_key != ACCOUNT_KEY
        assert not item.stale, result
        assert not any(g.scope.covers(item.account, item.region, item.type) for g in gaps), \
            result


def test_the_property_can_fail() -> None:
    """The check above is not vacuous: with every scope ok, verdicts do come out."""
    ok = [CollectorResult(region=r, service="svc", resource_type=t, outcome=Outcome.OK,
                          account=a) for a, r, t in SCOPES]
    statuses = {r.status for r in ENGINE.evaluate(
        BROKEN, now=NOW, coverage=coverage_from_results(ok, REGIONS))}
    assert {Status.PASS, Status.FAIL} <= statuses


def test_any_provider_gap_is_manual_naming_the_api_or_permission() -> None:
    """GCP reports a disabled API per (project, type) as SKIPPED in ``global``, Azure a
    refused listing as DENIED with the permission: the engine turns both into MANUAL for the
    project's or subscription's assets in every region, and names what is missing."""
    def rule(id_: str, type_: str) -> object:
        return compile_custom_rule(validate_specs([{
            "id": id_, "title": "Has a name", "severity": "low", "resource_type": type_,
            "condition": "name != null", "remediation": "Name it.", "rationale": "Find it."}])[0])

    vm, gce = "Microsoft.Compute/virtualMachines", "compute.googleapis.com/Instance"
    engine = Engine([rule("custom.gce", gce), rule("custom.vm", vm)])  # type: ignore[list-item]
    items = [InventoryItem("a", gce, "us-central1-a", "i-1", "i-1", {"name": "i-1"}, "p1",
                           True),
             InventoryItem("b", gce, "us-central1-a", "i-2", "i-2", {"name": "i-2"}, "p2"),
             InventoryItem("c", vm, "westeurope", "vm-1", "vm-1", {"name": "vm-1"}, "sub-1",
                           True)]
    results = [
        CollectorResult(region="global", service="compute", resource_type=gce,
                        outcome=Outcome.SKIPPED, account="p1",
                        reason="the Compute Engine API (compute.googleapis.com) is disabled"),
        CollectorResult(region="global", service="compute", resource_type=gce,
                        outcome=Outcome.OK, account="p2"),
        CollectorResult(region="global", service="compute", resource_type=vm,
                        outcome=Outcome.DENIED, account="sub-1",
                        permission="Microsoft.Compute/virtualMachines/read")]
    coverage = coverage_from_results(results, ["us-central1", "westeurope"])
    by_key = {r.resource_key: r for r in engine.evaluate(items, now=NOW, coverage=coverage)}
    assert by_key["b"].status is Status.PASS  # p2 was read: judged
    assert by_key["a"].status is Status.MANUAL and "compute.googleapis.com" in by_key["a"].reason
    assert by_key["c"].status is Status.MANUAL
    assert "Microsoft.Compute/virtualMachines/read" in by_key["c"].reason
    scope_rows = [r for k, r in by_key.items() if k.startswith(UNREAD_PREFIX)]
    assert {(r.rule_id, r.status) for r in scope_rows} == {("custom.gce", Status.MANUAL),
                                                           ("custom.vm", Status.MANUAL)}
