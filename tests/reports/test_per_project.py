"""A GCP connector's report read per project, polled from the stand-in and evaluated for real:
each result names its project, one project's unread listing leaves the others' answers alone,
and the per-project counts add up to the connector's."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pytest

from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.reports.model import RuleCounts
from cloudconnectors.services import reports
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import findings as repo
from tests.support.gcp_projects import DENIED, OTHER, two_project_connector
from tests.support.gcp_standin import HOME
from tests.support.people import make_person, principal_of

CIS = "cis_gcp_4_0_0"
CONTACTS = "gcp.essentialcontacts.configured"


@dataclass(frozen=True)
class Polled:
    ctx: AppContext
    tenant_id: str
    connector_id: str


@pytest.fixture
def polled(ctx: AppContext) -> Polled:
    """Two projects; the Essential Contacts listing is denied in one of them only."""
    principal = principal_of(ctx, make_person(ctx, tenant="acme", role="admin"))
    return Polled(ctx, principal.tenant_id, two_project_connector(ctx, principal))


def _stored(p: Polled) -> repo.EvaluationRun:
    with p.ctx.db.read() as session:
        run = repo.latest_evaluation_run(session, p.tenant_id, p.connector_id)
    assert run is not None
    return run


def test_a_listing_denied_in_one_project_is_manual_there_only(polled: Polled) -> None:
    by_account = _stored(polled).account_counts
    home, other = by_account[HOME][CONTACTS], by_account[OTHER][CONTACTS]
    assert home.passed + home.failed == 1 and home.manual == 0  # judged as before
    assert (other.passed, other.failed, other.manual) == (0, 0, 1)
    assert any(DENIED in reason and OTHER in reason for reason in other.manual_reasons)


def test_per_project_counts_add_up_to_the_connector(polled: Polled) -> None:
    run = _stored(polled)
    assert {HOME, OTHER} <= set(run.account_counts) <= {"", HOME, OTHER}
    for rule_id, whole in run.counts.items():
        parts = [per[rule_id] for per in run.account_counts.values() if rule_id in per]
        total = RuleCounts(*(sum(getattr(c, f) for c in parts) for f in (
            "passed", "failed", "manual", "not_applicable")))
        assert (total.passed, total.failed, total.manual, total.not_applicable) == (
            whole.passed, whole.failed, whole.manual, whole.not_applicable), rule_id


def test_the_report_filtered_by_project(polled: Polled) -> None:
    p = polled
    whole = reports.get_report(p.ctx.db, p.tenant_id, p.connector_id, CIS)
    assert whole.account is None and whole.accounts == tuple(sorted((HOME, OTHER)))
    home = reports.get_report(p.ctx.db, p.tenant_id, p.connector_id, CIS, account=HOME)
    other = reports.get_report(p.ctx.db, p.tenant_id, p.connector_id, CIS, account=OTHER)
    assert (home.account, home.account_uid) == (HOME, HOME)
    control = {c.id: c for c in home.controls}["1.16"]
    assert control.status in ("pass", "fail") and control.manual == 0
    unread = {c.id: c for c in other.controls}["1.16"]
    assert unread.status == "not_evaluated"
    assert any(DENIED in note for note in unread.notes)
    # Project-level controls: one result per project, and the views split the whole.
    audit = {c.id: c for c in whole.controls}["2.1"]
    mine = {c.id: c for c in home.controls}["2.1"]
    theirs = {c.id: c for c in other.controls}["2.1"]
    assert mine.passed + mine.failed == 1 and theirs.passed + theirs.failed == 1
    assert audit.passed + audit.failed == 2
    for view, name in ((home, HOME), (other, OTHER)):
        failing = [f for c in view.controls for f in c.failing]
        assert failing and {f.account for f in failing} <= {name, None}
    everywhere = {f.account for c in whole.controls for f in c.failing}
    assert {HOME, OTHER} <= everywhere
    assert home.trend and home.trend[-1].score == home.score


def test_an_unknown_project_is_refused_by_name(polled: Polled) -> None:
    p = polled
    with pytest.raises(ValidationFailed) as refused:
        reports.get_report(p.ctx.db, p.tenant_id, p.connector_id, CIS, account="nope-1")
    [problem] = refused.value.problems
    assert problem.field == "account" and HOME in problem.rule and OTHER in problem.rule


def test_every_export_of_one_project(polled: Polled) -> None:
    p = polled
    rows = list(csv.DictReader(io.StringIO(reports.export_report(
        p.ctx.db, p.tenant_id, p.connector_id, CIS, "csv", account=OTHER).content)))
    assert rows and {r["account"] for r in rows} <= {OTHER, ""}
    assert any(r["account"] == OTHER for r in rows)
    ocsf = reports.export_report(p.ctx.db, p.tenant_id, p.connector_id, CIS, "ocsf",
                                 account=OTHER)
    events = json.loads(ocsf.content)
    assert events and {e["cloud"]["account"]["uid"] for e in events} == {OTHER}
    assert OTHER in ocsf.filename
    data = json.loads(reports.export_report(p.ctx.db, p.tenant_id, p.connector_id, CIS,
                                            "json", account=OTHER).content)
    assert data["account"] == OTHER and sorted(data["accounts"]) == sorted([HOME, OTHER])
    html = reports.export_report(p.ctx.db, p.tenant_id, p.connector_id, CIS, "html",
                                 account=OTHER).content
    assert f"only <b>{OTHER}</b>" in html
