"""evaluate_connector over a stored snapshot: scores, control statuses, findings history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cloudconnectors.domain.errors import Conflict, NotFound, ValidationFailed
from cloudconnectors.reports.model import FindingState
from cloudconnectors.services import reports as service
from cloudconnectors.storage.tables import FindingRow
from tests.rules.fixtures import NOW, edit, good_account

CIS = "cis_aws_3_0_0"
no_policy = edit("AWS::S3::Bucket", lambda d: d.update(Policy=None), native_id="data")


def _refuse_policy(d: dict) -> None:
    d.pop("Policy")
    d["_cc_errors"] = {"Policy": "AccessDenied"}


refused_policy = edit("AWS::S3::Bucket", _refuse_policy, native_id="data")


def _control(report, control_id: str):
    return next(c for c in report.controls if c.id == control_id)


def test_good_account_scores_full_marks(seeded, db) -> None:
    tenant = seeded.tenant()
    connector = seeded.connector(tenant)
    seeded.snapshot(tenant, connector, good_account(), NOW)
    summary = service.evaluate_connector(db, tenant, connector)
    assert summary.scores[CIS] == 1.0
    assert summary.asset_count == len(good_account())
    assert summary.history.opened == 0
    report = service.get_report(db, tenant, connector, CIS)
    assert report.controls_by_status["fail"] == 0
    assert report.controls_by_status["pass"] == 52
    assert report.controls_by_status["manual"] == 10
    assert _control(report, "1.1").notes and _control(report, "1.1").status == "manual"


def test_history_open_fixed_reopened(seeded, db) -> None:
    tenant = seeded.tenant()
    connector = seeded.connector(tenant)
    t1, t2, t3, t4 = (NOW + timedelta(hours=h) for h in (0, 4, 8, 12))

    seeded.snapshot(tenant, connector, no_policy(good_account()), t1)
    assert service.evaluate_connector(db, tenant, connector).history.opened == 1
    seeded.snapshot(tenant, connector, no_policy(good_account()), t2)
    assert service.evaluate_connector(db, tenant, connector).history.still_open == 1

    report = service.get_report(db, tenant, connector, CIS)
    [finding] = _control(report, "2.1.1").failing
    assert (finding.state, finding.first_seen, finding.last_seen) == (FindingState.OPEN, t1, t2)
    assert finding.resource_id == "data" and finding.reason == "the bucket has no policy"
    assert _control(report, "2.1.1").status == "fail"

    seeded.snapshot(tenant, connector, good_account(), t3)
    assert service.evaluate_connector(db, tenant, connector).history.fixed == 1
    report = service.get_report(db, tenant, connector, CIS)
    assert not _control(report, "2.1.1").failing
    [fixed] = report.fixed
    assert (fixed.state, fixed.fixed_at, fixed.first_seen) == (FindingState.FIXED, t3, t1)
    assert service.get_report(db, tenant, connector, CIS, fixed_since=t4).fixed == ()

    seeded.snapshot(tenant, connector, no_policy(good_account()), t4)
    assert service.evaluate_connector(db, tenant, connector).history.reopened == 1
    [again] = _control(service.get_report(db, tenant, connector, CIS), "2.1.1").failing
    assert (again.state, again.first_seen, again.last_seen) == (FindingState.REOPENED, t1, t4)
    assert again.times_reopened == 1 and again.fixed_at is None

    trend = service.get_report(db, tenant, connector, CIS).trend
    assert len(trend) == 4 and trend[2].score == 1.0 and trend[0].score < 1.0


def test_manual_result_does_not_mark_fixed(seeded, db) -> None:
    tenant = seeded.tenant()
    connector = seeded.connector(tenant)
    seeded.snapshot(tenant, connector, no_policy(good_account()), NOW)
    service.evaluate_connector(db, tenant, connector)
    seeded.snapshot(tenant, connector, refused_policy(good_account()),
                    NOW + timedelta(hours=4))
    assert service.evaluate_connector(db, tenant, connector).history.fixed == 0
    report = service.get_report(db, tenant, connector, CIS)
    control = _control(report, "2.1.1")
    # This evaluation could not look, so the control is not evaluated (not "manual": that is
    # for controls the benchmark leaves to a person); the finding stays open with the last
    # time it was actually seen failing.
    assert control.status == "not_evaluated"
    assert control.manual == 1 and any("s3:GetBucketPolicy" in n for n in control.notes)
    [finding] = control.failing
    assert (finding.state, finding.last_seen) == (FindingState.OPEN, NOW)


def test_listing_denial_shows_manual_with_permission(seeded, db) -> None:
    tenant = seeded.tenant()
    connector = seeded.connector(tenant)
    items = [i for i in good_account() if i.type != "AWS::RDS::DBInstance"]
    seeded.snapshot(tenant, connector, items, NOW,
                    denied=[("AWS::RDS::DBInstance", "rds:DescribeDBInstances")])
    service.evaluate_connector(db, tenant, connector)
    control = _control(service.get_report(db, tenant, connector, CIS), "2.3.1")
    assert control.status == "not_evaluated"
    assert any("rds:DescribeDBInstances" in n for n in control.notes)


def test_errors_name_the_problem(seeded, db) -> None:
    tenant = seeded.tenant()
    other = seeded.tenant("other")
    connector = seeded.connector(tenant)
    with pytest.raises(Conflict):
        service.evaluate_connector(db, tenant, connector)
    with pytest.raises(NotFound):
        service.evaluate_connector(db, other, connector)
    with pytest.raises(NotFound, match="not been evaluated"):
        service.get_report(db, tenant, connector, CIS)
    seeded.snapshot(tenant, connector, good_account(), NOW)
    assert service.get_report(db, tenant, connector, CIS, evaluate_if_missing=True).score == 1.0
    with pytest.raises(NotFound, match="known: cis_aws_3_0_0"):
        service.get_report(db, tenant, connector, "nope")
    gcp = seeded.connector(tenant, "gcp", provider="gcp")
    seeded.snapshot(tenant, gcp, [], NOW)
    service.evaluate_connector(db, tenant, gcp)
    with pytest.raises(ValidationFailed, match="applies to aws connectors"):
        service.get_report(db, tenant, gcp, CIS)
    with pytest.raises(ValidationFailed, match="format"):
        service.export_report(db, tenant, connector, CIS, "pdf")


def test_findings_keyed_by_tenant_connector_rule_resource(seeded, db) -> None:
    tenant = seeded.tenant()
    a = seeded.connector(tenant, "a")
    b = seeded.connector(tenant, "b")
    for connector in (a, b):
        seeded.snapshot(tenant, connector, no_policy(good_account()), NOW)
        service.evaluate_connector(db, tenant, connector)
    with db.read() as s:
        keys = sorted((r.connector_id, r.rule_id) for r in s.scalars(select(FindingRow)))
    assert keys == sorted(
        [(a, "aws.s3.bucket_deny_http"), (b, "aws.s3.bucket_deny_http")])


def test_denied_listing_does_not_mark_findings_fixed(seeded, db) -> None:
    tenant = seeded.tenant()
    connector = seeded.connector(tenant)
    unencrypted = edit("AWS::RDS::DBInstance", lambda d: d.update(StorageEncrypted=False))
    seeded.snapshot(tenant, connector, unencrypted(good_account()), NOW)
    service.evaluate_connector(db, tenant, connector)
    without_rds = [i for i in good_account() if i.type != "AWS::RDS::DBInstance"]
    seeded.snapshot(tenant, connector, without_rds, NOW + timedelta(hours=4),
                    denied=[("AWS::RDS::DBInstance", "rds:DescribeDBInstances")])
    assert service.evaluate_connector(db, tenant, connector).history.fixed == 0
    [finding] = _control(service.get_report(db, tenant, connector, CIS), "2.3.1").failing
    assert finding.state is FindingState.OPEN


def test_deleted_resource_finding_is_fixed(seeded, db) -> None:
    tenant = seeded.tenant()
    connector = seeded.connector(tenant)
    unencrypted = edit("AWS::RDS::DBInstance", lambda d: d.update(StorageEncrypted=False))
    seeded.snapshot(tenant, connector, unencrypted(good_account()), NOW)
    service.evaluate_connector(db, tenant, connector)
    without_rds = [i for i in good_account() if i.type != "AWS::RDS::DBInstance"]
    seeded.snapshot(tenant, connector, without_rds, NOW + timedelta(hours=4))
    assert service.evaluate_connector(db, tenant, connector).history.fixed == 1


def test_list_findings_by_state(seeded, db) -> None:
    tenant = seeded.tenant()
    connector = seeded.connector(tenant)
    seeded.snapshot(tenant, connector, no_policy(good_account()), NOW)
    service.evaluate_connector(db, tenant, connector)
    [finding] = service.list_findings(db, tenant, connector, state="open")
    assert finding.rule_id == "aws.s3.bucket_deny_http"
    assert service.list_findings(db, tenant, connector, state="fixed") == []
    assert service.list_findings(db, tenant, connector, rule_id="aws.iam.root_mfa_enabled") == []
    with pytest.raises(ValidationFailed, match="state"):
        service.list_findings(db, tenant, connector, state="closed")
