"""The portal renders the contract shapes of routes other engineers are building.

Their answers are served here by the browser's request interception in the documented shape
(the portal cannot tell the difference), so the rendering is checked before the routes land.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.users import principal_for_token
from tests.support.credentials import aws_credentials
from tests.support.moto_server import MOTO_ACCOUNT
from tests.support.people import make_person
from tests.web.browser_helpers import ui_sign_in, wait_ready
from tests.web.conftest import screenshot
from tests.web.polling import SimulatedPolls
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser

NOW = datetime.now(UTC)
RUNS = {"total": 1, "items": [{
    "id": "run-1", "trigger": "refresh", "state": "partial",
    "started_at": (NOW - timedelta(minutes=3)).isoformat(), "finished_at": NOW.isoformat(),
    "regions": ["us-east-1", "eu-west-1", "ap-southeast-2"], "asset_count": 31, "vm_count": 4,
    "api_calls": 212, "error": None,
    "warning": "1 collector was denied: s3:GetBucketPolicy",
    "results": [
        {"region": "us-east-1", "service": "ec2", "resource_type": "AWS::EC2::Instance",
         "outcome": "ok", "count": 2, "calls": 2, "reason": None, "error_code": None,
         "permission": None},
        {"region": "eu-west-1", "service": "ec2", "resource_type": "AWS::EC2::Instance",
         "outcome": "ok", "count": 1, "calls": 1, "reason": None, "error_code": None,
         "permission": None},
        {"region": "global", "service": "s3", "resource_type": "AWS::S3::Bucket",
         "outcome": "denied", "count": 0, "calls": 1, "reason": "AccessDenied on GetBucketPolicy",
         "error_code": "AccessDenied", "permission": "s3:GetBucketPolicy"},
    ]}]}
CUSTOM_FIX = ("Attach the custom read-only policy below to the role CloudConnectorsAudit, "
              "then press Refresh.")
DIAGNOSTICS = {"items": [
    {"key": "assume_role", "title": "The platform can assume the role", "access": "granted",
     "detail": "sts:AssumeRole with your External ID worked.", "fix": None, "policy": None,
     "denied": []},
    {"key": "custom_policy", "title": "Custom read-only policy", "access": "missing",
     "detail": "Lambda and EFS calls were refused.", "fix": CUSTOM_FIX,
     "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
                "Action": ["lambda:ListFunctions", "elasticfilesystem:DescribeFileSystems"]}]},
     "denied": ["lambda:ListFunctions", "elasticfilesystem:DescribeFileSystems"]},
    {"key": "eks_fargate", "title": "EKS Fargate profiles", "access": "unknown",
     "detail": "No EKS cluster was found, so this could not be checked.", "fix": None,
     "policy": None, "denied": []},
]}
SUMMARY = {"by_type": {"AWS::EC2::Instance": 4, "AWS::EC2::SecurityGroup": 7, "AWS::S3::Bucket": 2,
                       "AWS::IAM::User": 2},
           "by_region": {"us-east-1": 9, "eu-west-1": 3, "ap-southeast-2": 3, "global": 6}}


def _json(body: object):  # type: ignore[no-untyped-def]
    def handler(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))
    return handler


def test_connector_page_renders_runs_checklist_and_counts(page: Page, ctx: AppContext) -> None:
    admin = make_person(ctx, tenant="acme", role="admin", password=PASSWORD)
    principal = principal_for_token(ctx, admin.token)
    assert principal is not None
    connector = create_connector(ctx, principal, name="acme-prod", provider="aws",
                                 credentials=aws_credentials(issue_external_id(ctx, principal)))
    polls = SimulatedPolls(ctx)
    polls.start(connector.id)
    polls.succeed(connector.id)
    page.route("**/api/v1/connectors/*/runs*", _json(RUNS))
    page.route("**/api/v1/connectors/*/diagnostics", _json(DIAGNOSTICS))
    page.route("**/api/v1/connectors/*/inventory/summary", _json(SUMMARY))
    ui_sign_in(page, admin.email)
    page.goto(f"/compliance/connectors/{connector.id}")
    wait_ready(page)

    missing = page.locator(".check-missing")
    expect(missing).to_contain_text("Custom read-only policy")
    expect(missing.locator(".fix")).to_contain_text(CUSTOM_FIX)
    expect(missing).to_contain_text("lambda:ListFunctions")
    expect(page.locator(".check-granted .fix")).to_have_count(0)
    run = page.locator("details.run").first
    expect(run).to_have_attribute("open", "")  # the newest run had problems: shown open
    denied = run.locator("tr.row-problem")
    expect(denied).to_contain_text("s3:GetBucketPolicy")
    expect(denied).to_contain_text("Denied")
    expect(page.locator("#c-types")).to_contain_text("AWS::EC2::SecurityGroup")
    expect(page.locator("#c-byregion")).to_contain_text("ap-southeast-2")
    screenshot(page, "14-connector-details")


def test_aws_setup_files_download_from_the_drawer(page: Page, ctx: AppContext,
                                                  tmp_path: Path) -> None:
    """The files come from the server's artifacts route and carry this opening's External ID
    and the platform account from moto."""
    admin = make_person(ctx, tenant="acme", role="admin", password=PASSWORD)
    ui_sign_in(page, admin.email)
    page.get_by_role("button", name="New Connector").click()
    drawer = page.get_by_role("dialog", name="New Connector")
    drawer.locator("label.provider-option", has_text="Amazon Web Services").click()
    external_id = drawer.locator("#nc-external-id")
    expect(external_id).to_have_text(re.compile(r"^cc-"))
    expect(drawer.locator("#nc-account-id")).to_have_text(MOTO_ACCOUNT)
    issued = external_id.inner_text()
    with page.expect_download() as download:
        drawer.get_by_role("button", name="Trust policy (JSON)").click()
    assert download.value.suggested_filename.endswith(".json")
    saved = tmp_path / "trust.json"
    download.value.save_as(saved)
    trust = json.loads(saved.read_text())
    statement = trust["Statement"][0]
    assert MOTO_ACCOUNT in json.dumps(statement["Principal"])
    assert issued in json.dumps(statement["Condition"])
    for label in ("Custom policy (JSON)", "EKS Fargate policy (JSON)", "CloudFormation template"):
        with page.expect_download() as other:
            drawer.get_by_role("button", name=label).click()
        assert other.value.suggested_filename
    expect(drawer.locator("#nc-artifact-note")).to_be_hidden()
