"""Exports of a report with failing, fixed and manual controls."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest

from cloudconnectors.reports.exports import CSV_COLUMNS
from cloudconnectors.services import reports as service
from tests.reports.test_evaluate import CIS, no_policy
from tests.rules.fixtures import NOW, edit, good_account

open_ssh = edit("AWS::EC2::SecurityGroup", lambda d: d["IpPermissions"].append(
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}),
    native_id="sg-web-us-east-1")


@pytest.fixture
def evaluated(seeded, db):
    tenant = seeded.tenant()
    connector = seeded.connector(tenant, "prod <&>")
    seeded.snapshot(tenant, connector, open_ssh(no_policy(good_account())), NOW)
    service.evaluate_connector(db, tenant, connector)
    seeded.snapshot(tenant, connector, open_ssh(good_account()), NOW + timedelta(hours=4))
    service.evaluate_connector(db, tenant, connector)
    return db, tenant, connector


def _export(evaluated, fmt: str):
    db, tenant, connector = evaluated
    return service.export_report(db, tenant, connector, CIS, fmt)


def test_json(evaluated) -> None:
    exported = _export(evaluated, "json")
    body = json.loads(exported.content)
    assert exported.media_type == "application/json"
    assert body["framework"]["version"] == "3.0.0"
    assert 0 < body["score"] < 1
    control = next(c for c in body["controls"] if c["id"] == "5.2")
    assert control["status"] == "fail"
    assert control["failing"][0]["resource_id"] == "sg-web-us-east-1"
    assert control["failing"][0]["first_seen"] == NOW.isoformat()
    assert [f["rule_id"] for f in body["fixed"]] == ["aws.s3.bucket_deny_http"]
    assert len(body["trend"]) == 2


def test_csv(evaluated) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(evaluated, "csv").content)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len({r["control_id"] for r in rows}) == 62
    [ssh] = [r for r in rows if r["control_id"] == "5.2"]
    assert (ssh["control_status"], ssh["resource_id"], ssh["finding_state"]) == (
        "fail", "sg-web-us-east-1", "open")
    assert "22" in ssh["reason"]
    manual = next(r for r in rows if r["control_id"] == "1.3")
    assert manual["control_status"] == "manual" and manual["reason"]


def test_html_is_self_contained_and_escaped(evaluated) -> None:
    html = _export(evaluated, "html").content
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert "prod &lt;&amp;&gt;" in html and "prod <&>" not in html
    assert "sg-web-us-east-1" in html and "v3.0.0" in html
    assert "<polyline" in html  # the trend, inline SVG


def test_ocsf_detection_findings(evaluated) -> None:
    events = json.loads(_export(evaluated, "ocsf").content)
    by_rule = {e["metadata"]["event_code"]: e for e in events}
    assert set(by_rule) == {"aws.ec2.sg_no_admin_ingress_ipv4", "aws.s3.bucket_deny_http"}
    for event in events:
        assert event["class_uid"] == 2004 and event["category_uid"] == 2
        assert event["type_uid"] == 200400 + event["activity_id"]
        assert event["finding_info"]["uid"] and event["finding_info"]["title"]
        assert event["resources"][0]["type"] and event["cloud"]["provider"] == "AWS"
        assert event["metadata"]["product"]["name"] == "Cloud Connectors"
        assert isinstance(event["time"], int)
    ssh = by_rule["aws.ec2.sg_no_admin_ingress_ipv4"]
    assert (ssh["status_id"], ssh["activity_id"], ssh["severity_id"]) == (1, 1, 4)
    assert ssh["unmapped"]["compliance"]["controls"] == ["5.2"]
    assert ssh["remediation"]["desc"]
    fixed = by_rule["aws.s3.bucket_deny_http"]
    assert (fixed["status_id"], fixed["activity_id"], fixed["status"]) == (4, 3, "Resolved")


def test_export_filenames(evaluated) -> None:
    assert _export(evaluated, "ocsf").filename.endswith(f"{CIS}.ocsf.json")
    assert _export(evaluated, "csv").media_type == "text/csv"


def test_html_caps_rows_per_control(evaluated, monkeypatch) -> None:
    from cloudconnectors.reports import exports

    monkeypatch.setattr(exports, "HTML_ROWS", 0)
    html = _export(evaluated, "html").content
    assert "sg-web-us-east-1" not in html.split("<h2>Fixed</h2>")[0].split("Controls</h2>")[1]
    assert "and 1 more: the CSV, JSON and OCSF exports list them all" in html
