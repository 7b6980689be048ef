"""CIS GCP rules over fixture inventory: everything passes on the good organization, each
breaker fails its rule in project alpha only, and unread data answers MANUAL."""

from __future__ import annotations

from collections.abc import Collection

import pytest

from cloudconnectors.rules.gcp import shapes as t
from cloudconnectors.rules.gcp.logging import filter_has_terms
from cloudconnectors.rules.gcp.network import ssl_policy_weakness
from cloudconnectors.rules.model import ERRORS_KEY, InventoryItem, RuleResult, Status
from cloudconnectors.rules.registry import engine_for, provider_rules
from tests.rules.gcp.fixtures import (
    ALPHA,
    BETA,
    BREAKERS,
    NOW,
    add,
    ago,
    good_org,
    item,
    mutate,
)

KEY_RULES = {"gcp.apikeys.restricted_to_hosts_and_apps", "gcp.apikeys.restricted_to_apis",
             "gcp.apikeys.rotated_90_days"}
#: Rules about keys the benchmark wants absent (1.4, 1.12): a compliant organization has no
#: such key, so these are not applicable there and pass in their own tests.
ONLY_WITH_KEYS = {*KEY_RULES, "gcp.iam.sa_key_rotated_90_days"}


def run(world: list[InventoryItem],
        denied: Collection[tuple[str, str | None]] = ()) -> list[RuleResult]:
    return list(engine_for("gcp").evaluate(world, now=NOW, denied=denied))


def of(results: list[RuleResult], rule_id: str) -> list[RuleResult]:
    return [r for r in results if r.rule_id == rule_id]


@pytest.fixture(scope="module")
def good() -> list[RuleResult]:
    return run(good_org())


def test_every_rule_has_a_breaker() -> None:
    assert set(BREAKERS) == {r.id for r in provider_rules("gcp")}


def test_good_org_passes_every_rule(good: list[RuleResult]) -> None:
    bad = [r for r in good if r.status not in (Status.PASS, Status.NOT_APPLICABLE)]
    assert not bad, bad[:5]
    passing = {r.rule_id for r in good if r.status is Status.PASS}
    assert {r.id for r in provider_rules("gcp")} - passing == ONLY_WITH_KEYS


def test_project_level_rules_answer_once_per_project(good: list[RuleResult]) -> None:
    audit = of(good, "gcp.logging.audit_logs_all_services")
    assert sorted(r.resource_id for r in audit) == [ALPHA, BETA]
    assert {r.resource_type for r in audit} == {t.PROJECT}


@pytest.mark.parametrize("rule_id", sorted(BREAKERS))
def test_breaker_fails_its_rule_in_alpha_only(rule_id: str) -> None:
    results = of(run(BREAKERS[rule_id](good_org())), rule_id)
    failing = [r for r in results if r.status is Status.FAIL]
    assert failing, results
    assert all(r.resource_key.startswith(ALPHA) for r in failing), failing
    assert all(r.reason for r in failing), failing
    assert not [r for r in results if r.resource_key.startswith(BETA)
                and r.status is Status.FAIL], rule_id


def test_restricted_fresh_api_key_passes_the_key_rules() -> None:
    key = {"name": f"projects/{ALPHA}/locations/global/keys/k2", "displayName": "maps",
           "createTime": ago(20), "restrictions": {
               "browserKeyRestrictions": {"allowedReferrers": ["https://app.example.com/*"]},
               "apiTargets": [{"service": "maps-backend.googleapis.com"}]}}
    results = run(add(t.API_KEY, "k2", key)(good_org()))
    for rule_id in KEY_RULES:
        assert [r.status for r in of(results, rule_id)] == [Status.PASS], rule_id
    none = {r.resource_id: r.status for r in of(results, "gcp.apikeys.none_in_project")}
    assert none == {ALPHA: Status.FAIL, BETA: Status.PASS}


def test_fresh_user_managed_key_passes_rotation() -> None:
    world = mutate(t.SERVICE_ACCOUNT_KEY, lambda d: d.update(keyType="USER_MANAGED",
                                                             validAfterTime=ago(30)))(good_org())
    rotated = {r.resource_key.split("|")[0]: r.status
               for r in of(run(world), "gcp.iam.sa_key_rotated_90_days")}
    assert rotated == {ALPHA: Status.PASS, BETA: Status.NOT_APPLICABLE}


def test_api_key_open_to_any_referrer_fails() -> None:
    key = {"name": "k3", "createTime": ago(1), "restrictions": {
        "browserKeyRestrictions": {"allowedReferrers": ["*"]}}}
    [result] = of(run(add(t.API_KEY, "k3", key)(good_org())),
                  "gcp.apikeys.restricted_to_hosts_and_apps")
    assert result.status is Status.FAIL and "any site" in result.reason


def test_refused_project_policy_is_manual_naming_the_permission() -> None:
    def refuse(data: dict[str, object]) -> None:
        data.pop("iamPolicy")
        data[ERRORS_KEY] = {"iamPolicy": "PERMISSION_DENIED"}

    results = run(mutate(t.PROJECT, refuse)(good_org()))
    for rule_id in ("gcp.logging.audit_logs_all_services", "gcp.iam.corporate_login_credentials",
                    "gcp.iam.kms_separation_of_duties"):
        by_project = {r.resource_id: r for r in of(results, rule_id)}
        assert by_project[ALPHA].status is Status.MANUAL
        assert "resourcemanager.projects.getIamPolicy" in by_project[ALPHA].reason
        assert by_project[BETA].status is Status.PASS


def test_missing_bucket_policy_is_manual() -> None:
    results = run(mutate(t.BUCKET, lambda d: d.pop("iamPolicy"))(good_org()))
    public = {r.resource_key.split("|")[0]: r for r in of(results,
                                                          "gcp.storage.bucket_not_public")}
    assert public[ALPHA].status is Status.MANUAL
    assert "storage.buckets.getIamPolicy" in public[ALPHA].reason


def test_denied_listing_is_manual_never_pass() -> None:
    results = run(good_org(), denied=[(t.SQL_INSTANCE, "cloudsql.instances.list"),
                                      (t.LOG_METRIC, "logging.logMetrics.list")])
    ssl = of(results, "gcp.cloudsql.require_ssl")
    assert any(r.status is Status.MANUAL and "cloudsql.instances.list" in r.reason
               for r in ssl)
    metric = of(results, "gcp.logging.metric_alert_route_changes")
    assert [r.status for r in metric] == [Status.MANUAL]
    assert "logging.logMetrics.list" in metric[0].reason


@pytest.mark.parametrize("rule", [r for r in provider_rules("gcp")
                                  if getattr(r, "needs", ())], ids=lambda r: r.id)
def test_a_record_without_what_the_rule_needs_is_manual(rule: object) -> None:
    """Sub-records and fields the API always returns are ``needs``: without them, MANUAL.
    (Other fields may be absent: Google omits false and empty values, absence is the
    default.)"""
    from cloudconnectors.rules.engine import Engine
    from cloudconnectors.rules.model import ResourceRule

    assert isinstance(rule, ResourceRule)
    [result] = Engine([rule]).evaluate([item(rule.resource_type, "x", {}, ALPHA)], now=NOW)
    assert result.status is Status.MANUAL, result


def test_gke_nodes_are_not_applicable_to_the_vm_identity_rules() -> None:
    node = {"name": "gke-pool-1-abcd", "labels": {"goog-gke-node": ""}, "canIpForward": True,
            "serviceAccounts": [{"email": "1001-compute@developer.gserviceaccount.com",
                                 "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]}
    results = run([item(t.INSTANCE, "gke-pool-1-abcd", node, ALPHA, "us-central1")])
    for rule_id in ("gcp.compute.instance_no_default_service_account",
                    "gcp.compute.instance_default_sa_no_full_access",
                    "gcp.compute.instance_no_ip_forwarding"):
        assert [r.status for r in of(results, rule_id)] == [Status.NOT_APPLICABLE], rule_id


def test_unset_flags_take_the_engine_default() -> None:
    bare = {"name": "pg", "databaseVersion": "POSTGRES_16", "settings": {}}
    results = run([item(t.SQL_INSTANCE, "pg", bare, ALPHA, "us-central1")])
    status = {r.rule_id: r.status for r in results}
    assert status["gcp.cloudsql.postgres_log_min_messages"] is Status.PASS  # default warning
    assert status["gcp.cloudsql.postgres_log_connections"] is Status.FAIL  # default off
    assert status["gcp.cloudsql.mysql_local_infile"] is Status.NOT_APPLICABLE


def test_filter_terms_end_at_a_word_boundary() -> None:
    terms = ("resource.type=gce_route", "compute.routes.insert")
    assert filter_has_terms('resource.type = "gce_route" AND protoPayload.methodName:'
                            '"compute.routes.insert"', terms)
    assert not filter_has_terms('resource.type="gce_routes" AND compute.routes.insert', terms)


def test_ssl_policy_profiles() -> None:
    assert ssl_policy_weakness({"profile": "RESTRICTED"}) is None
    assert ssl_policy_weakness({"profile": "MODERN", "minTlsVersion": "TLS_1_2"}) is None
    assert ssl_policy_weakness({"profile": "MODERN"}) == "MODERN with minimum TLS_1_0"
    assert "TLS_RSA_WITH_3DES_EDE_CBC_SHA" in str(ssl_policy_weakness({
        "profile": "CUSTOM", "enabledFeatures": ["TLS_RSA_WITH_3DES_EDE_CBC_SHA"]}))
    assert "default" in str(ssl_policy_weakness(None))


def test_proxy_without_policy_fails() -> None:
    results = run(mutate(t.HTTPS_PROXY, lambda d: d.pop("sslPolicy"))(good_org()))
    failing = [r for r in of(results, "gcp.compute.ssl_policy_no_weak_ciphers")
               if r.status is Status.FAIL]
    assert [r.resource_id for r in failing] == ["web-proxy"]
