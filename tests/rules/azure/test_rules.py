"""Each Azure rule: passes on the compliant fixture subscription, fails on one mutation."""

from __future__ import annotations

import pytest

from cloudconnectors.rules.model import Status
from cloudconnectors.rules.registry import provider_rules
from tests.rules.azure.breakers import BREAKERS, KV, at, edit
from tests.rules.azure.fixtures import ACCESS_POLICY_RULES, good_subscription
from tests.rules.azure.helpers import of_rule, run, statuses

RULE_IDS = sorted(r.id for r in provider_rules("azure"))


@pytest.fixture(scope="module")
def good_results() -> list:
    return run(good_subscription())


def test_every_rule_has_a_failing_fixture() -> None:
    assert set(BREAKERS) == set(RULE_IDS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_passes_on_good_subscription(rule_id: str, good_results: list) -> None:
    results = of_rule(good_results, rule_id)
    found = {r.status for r in results}
    if rule_id in ACCESS_POLICY_RULES:
        assert found == {Status.NOT_APPLICABLE}, results
        return
    assert Status.PASS in found, results
    assert found <= {Status.PASS, Status.NOT_APPLICABLE}, results


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fails_on_broken_fixture(rule_id: str) -> None:
    results = of_rule(run(BREAKERS[rule_id](good_subscription())), rule_id)
    failing = [r for r in results if r.status is Status.FAIL]
    assert failing, results
    assert all(r.reason for r in failing), "a failure must say why"


@pytest.mark.parametrize("rule_id", sorted(ACCESS_POLICY_RULES))
def test_access_policy_vault_with_expiries_passes(rule_id: str) -> None:
    items = edit(KV, at("properties.enableRbacAuthorization", False),
                 name="kv-second")(good_subscription())
    assert statuses(run(items), rule_id) == {Status.PASS, Status.NOT_APPLICABLE}
