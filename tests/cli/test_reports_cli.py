"""report, frameworks list, rules list|upload|delete through the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudconnectors.rules.frameworks import BUILTIN
from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.hooks import evaluate_after_poll
from cloudconnectors.services.polling import poll_now
from tests.api.reports_world import CIS, MIN_LENGTH_RULE, aws_connector, fake_aws
from tests.cli.conftest import Cli
from tests.fakes.provider import FakeProvider
from tests.support.people import Person, make_person

RULE = """
[[rules]]
id = "custom.s3.first_bucket_only"
title = "Only the first bucket is allowed"
severity = "high"
resource_type = "AWS::S3::Bucket"
condition = "index == `0`"
"""


@pytest.fixture
def person(ctx: AppContext) -> Person:
    return make_person(ctx, tenant="acme", role="admin")


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_aws() as provider:
        yield provider


@pytest.fixture
def polled(ctx: AppContext, person: Person, fake: FakeProvider) -> str:
    """Polled without the post-poll hook: a snapshot, but no evaluation yet."""
    assert evaluate_after_poll not in polling.POST_POLL_HOOKS
    connector_id = aws_connector(ctx, person)
    poll_now(ctx, connector_id)
    return connector_id


def test_report_evaluates_when_missing_and_prints_json(run: Cli, polled: str) -> None:
    done = run("report", "prod-aws")
    assert done.code == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["framework"]["id"] == CIS and report["connector_id"] == polled
    control = next(c for c in report["controls"] if c["id"] == "1.8")
    assert control["status"] == "fail" and control["failing"][0]["rule_id"] == MIN_LENGTH_RULE
    # Only `scan` polls, so only it installs the post-poll hooks (see test_scan_cli).
    assert evaluate_after_poll not in polling.POST_POLL_HOOKS


def test_report_to_a_file_in_each_format(run: Cli, polled: str, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    done = run("report", polled, "--framework", CIS, "--format", "csv", "--output", str(target))
    assert done.code == 0, done.stderr
    assert done.stdout == "" and str(target) in done.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert any(r["rule_id"] == MIN_LENGTH_RULE for r in rows)
    html = run("report", polled, "--format", "html")
    assert html.code == 0 and html.stdout.lstrip().lower().startswith("<!doctype html")
    ocsf = run("report", polled, "--format", "ocsf")
    assert ocsf.code == 0 and json.loads(ocsf.stdout)[0]["class_uid"] == 2004


def test_report_errors_are_one_line(run: Cli, ctx: AppContext, person: Person,
                                    polled: str) -> None:
    unknown = run("report", polled, "--framework", "pci")
    assert unknown.code == 1
    assert unknown.stderr.strip() == "error: framework: must be one of " + ", ".join(BUILTIN)
    bad_format = run("report", polled, "--format", "pdf")
    assert bad_format.code == 2 and len(bad_format.stderr.strip().splitlines()) == 1
    waiting = aws_connector(ctx, person, "not-polled")
    never = run("report", waiting)
    assert never.code == 1 and "no complete inventory yet" in never.stderr
    assert len(never.stderr.strip().splitlines()) == 1
    missing = run("report", "nope")
    assert missing.code == 1 and missing.stderr.startswith("error: ")


@pytest.mark.usefixtures("person")
def test_frameworks_list(run: Cli) -> None:
    listed = json.loads(run("frameworks", "list", "--json").stdout)
    by_id = {f["id"]: f for f in listed["items"]}
    assert list(by_id) == list(BUILTIN)
    cis = by_id[CIS]
    assert cis["id"] == CIS and cis["controls"] == cis["automated"] + cis["manual"]
    table = run("frameworks", "list")
    assert table.code == 0 and CIS in table.stdout and "AUTOMATED" in table.stdout


def test_rules_upload_list_delete(run: Cli, polled: str, tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(RULE)
    done = run("rules", "upload", str(rules_file))
    assert done.code == 0, done.stderr
    assert "custom.s3.first_bucket_only" in done.stdout
    assert "Re-evaluated 1 connector(s)." in done.stdout
    listed = json.loads(run("rules", "list", "--json").stdout)
    assert [r["id"] for r in listed["custom"]] == ["custom.s3.first_bucket_only"]
    assert MIN_LENGTH_RULE in {r["id"] for r in listed["items"]}
    table = run("rules", "list", "--custom")
    assert "custom.s3.first_bucket_only" in table.stdout and MIN_LENGTH_RULE not in table.stdout
    report = json.loads(run("report", polled, "--framework", "custom").stdout)
    assert report["score"] == 0.5
    assert "custom" in run("frameworks", "list").stdout

    deleted = run("rules", "delete", "custom.s3.first_bucket_only")
    assert deleted.code == 0 and "Deleted custom rule" in deleted.stdout
    again = run("rules", "delete", "custom.s3.first_bucket_only")
    assert again.code == 1 and "does not exist" in again.stderr


@pytest.mark.usefixtures("person")
def test_invalid_rules_file_is_refused(run: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "rules.json"
    bad.write_text(json.dumps({"rules": [{"id": "custom.x", "title": "X", "severity": "low",
                                          "resource_type": "AWS::Nope", "condition": "a"}]}))
    done = run("rules", "upload", str(bad))
    assert done.code == 1
    assert done.stderr.startswith("error: rules[0] (custom.x).resource_type: is not collected")
    assert json.loads(run("rules", "list", "--json").stdout)["custom"] == []


def test_report_of_one_project(run: Cli, ctx: AppContext, person: Person) -> None:
    from tests.support.gcp_projects import OTHER, two_project_connector
    from tests.support.people import principal_of

    two_project_connector(ctx, principal_of(ctx, person), name="gcp-org")
    done = run("report", "gcp-org", "--account", OTHER, "--format", "csv",
               "--tenant", "acme")
    assert done.code == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and {r["account"] for r in rows} <= {OTHER, ""}
    as_json = json.loads(run("report", "gcp-org", "--account", OTHER, "--tenant",
                             "acme").stdout)
    assert as_json["account"] == OTHER
    refused = run("report", "gcp-org", "--account", "nope-9", "--tenant", "acme")
    assert refused.code != 0 and "account: " in refused.stderr
