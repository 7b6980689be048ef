"""Each automated rule: passes on the compliant fixture account, fails on one mutation."""

from __future__ import annotations

import pytest

from cloudconnectors.rules.model import Status
from cloudconnectors.rules.registry import provider_rules
from tests.rules.breakers import ALARM_CHAIN_BREAKS, BREAKERS
from tests.rules.fixtures import good_account
from tests.rules.helpers import of_rule, run, statuses

RULE_IDS = sorted(r.id for r in provider_rules("aws"))


def test_every_rule_has_a_failing_fixture() -> None:
    assert set(BREAKERS) == set(RULE_IDS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_passes_on_good_account(rule_id: str) -> None:
    found = statuses(run(good_account()), rule_id)
    assert Status.PASS in found, of_rule(run(good_account()), rule_id)
    assert found <= {Status.PASS, Status.NOT_APPLICABLE}, of_rule(run(good_account()), rule_id)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fails_on_broken_fixture(rule_id: str) -> None:
    results = of_rule(run(BREAKERS[rule_id](good_account())), rule_id)
    failing = [r for r in results if r.status is Status.FAIL]
    assert failing, results
    assert all(r.reason for r in failing), "a failure must say why"


@pytest.mark.parametrize("name", sorted(ALARM_CHAIN_BREAKS))
def test_metric_alarm_chain_each_link(name: str) -> None:
    results = run(ALARM_CHAIN_BREAKS[name](good_account()))
    assert statuses(results, "aws.cloudwatch.alarm_root_usage") == {Status.FAIL}


def test_metric_term_must_end_at_word_boundary() -> None:
    from cloudconnectors.rules.aws.monitoring import pattern_has_terms

    assert pattern_has_terms('{ $.eventName = "CreateRoute" }', ("$.eventName=CreateRoute",))
    assert not pattern_has_terms("{ $.eventName = CreateRouteTable }",
                                 ("$.eventName=CreateRoute",))


def test_nacl_allow_before_deny_is_open() -> None:
    from tests.rules.fixtures import edit

    def reorder(d: dict) -> None:
        d["Entries"][2]["RuleNumber"] = 10  # the allow-all now precedes the denies

    results = run(edit("AWS::EC2::NetworkAcl", reorder)(good_account()))
    failing = [r for r in of_rule(results, "aws.ec2.nacl_no_admin_ingress")
               if r.status is Status.FAIL]
    assert failing and "22, 3389" in failing[0].reason


def test_sg_all_traffic_from_anywhere_opens_admin_ports() -> None:
    from tests.rules.fixtures import edit

    results = run(edit("AWS::EC2::SecurityGroup", lambda d: d["IpPermissions"].append(
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}),
        native_id="sg-web-us-east-1")(good_account()))
    failing = [r for r in of_rule(results, "aws.ec2.sg_no_admin_ingress_ipv4")
               if r.status is Status.FAIL]
    assert [r.resource_id for r in failing] == ["sg-web-us-east-1"]
    assert "22, 3389" in failing[0].reason


def test_account_block_covers_bucket_without_its_own() -> None:
    from tests.rules.fixtures import edit

    results = run(edit("AWS::S3::Bucket", lambda d: d.pop("PublicAccessBlock"))(good_account()))
    assert statuses(results, "aws.s3.bucket_public_access_block") == {Status.PASS}


def test_unattached_admin_policy_passes_with_reason() -> None:
    from tests.rules.fixtures import edit

    def admin_unattached(d: dict) -> None:
        d["Document"] = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
        d["AttachmentCount"] = 0

    results = of_rule(run(edit("AWS::IAM::ManagedPolicy", admin_unattached)(good_account())),
                      "aws.iam.policy_no_full_admin")
    assert [(r.status, r.reason) for r in results] == [
        (Status.PASS, "allows *:* but is attached to nothing")]


def test_advanced_event_selectors_count_as_management_events() -> None:
    from tests.rules.fixtures import edit

    def advanced(d: dict) -> None:
        d["EventSelectors"] = {"AdvancedEventSelectors": [
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]}

    results = run(edit("AWS::CloudTrail::Trail", advanced)(good_account()))
    assert statuses(results, "aws.cloudtrail.multi_region_management_events") == {Status.PASS}
    assert statuses(results, "aws.cloudtrail.s3_object_read_logging") == {Status.PASS}


def test_policies_stored_as_json_text_are_read() -> None:
    import json

    from tests.rules.fixtures import edit

    items = edit("AWS::S3::Bucket", lambda d: d.update(Policy=json.dumps(d["Policy"])))(
        good_account())
    assert statuses(run(items), "aws.s3.bucket_deny_http") == {Status.PASS}


def test_account_without_password_policy_fails_both_password_rules() -> None:
    """The collector stores ``{"Configured": False}`` when GetAccountPasswordPolicy answers
    NoSuchEntity."""
    from tests.rules.fixtures import edit

    def unset(data: dict) -> None:
        data.clear()
        data["Configured"] = False

    results = run(edit("AWS::IAM::AccountPasswordPolicy", unset)(good_account()))
    for rule_id in ("aws.iam.password_policy_min_length_14", "aws.iam.password_policy_reuse_24"):
        [row] = of_rule(results, rule_id)
        assert (row.status, row.reason) == (Status.FAIL, "the account has no password policy")
