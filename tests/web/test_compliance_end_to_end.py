"""Compliance end to end: a seeded moto account is polled by the real embedded scheduler
through the real AWS provider, evaluated by the real report service, served over HTTP and
rendered by the portal. Nothing is intercepted in the browser.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from cloudconnectors.domain.states import Status
from cloudconnectors.services import reports as report_service
from cloudconnectors.services.connectors import create_connector, get_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.users import principal_for_token
from tests.support.people import make_person
from tests.web.browser_helpers import ui_sign_in, wait_ready
from tests.web.conftest import screenshot
from tests.web.polling import RealPolls
from tests.web.report_data import CIS
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser
FIRST_POLL_SECONDS = 90


def test_a_polled_account_is_evaluated_and_its_report_renders(
    page: Page, ctx: AppContext, polls: tuple[RealPolls, str]
) -> None:
    _, role_arn = polls
    admin = make_person(ctx, tenant="acme", role="admin", password=PASSWORD)
    principal = principal_for_token(ctx, admin.token)
    assert principal is not None
    connector = create_connector(
        ctx, principal, name="acme-live", provider="aws",
        credentials={"role_arn": role_arn, "external_id": issue_external_id(ctx, principal)})
    deadline = time.monotonic() + FIRST_POLL_SECONDS
    while get_connector(ctx, principal, connector.id).status is not Status.ONLINE:
        assert time.monotonic() < deadline, "the first real poll did not finish"
        time.sleep(0.5)
    # The report service may already run after each poll; evaluating again is harmless.
    summary = report_service.evaluate_connector(ctx.db, principal.tenant_id, connector.id)
    assert summary.asset_count > 0 and summary.scores[CIS] is not None
    report = report_service.get_report(ctx.db, principal.tenant_id, connector.id, CIS)
    assert {c.status for c in report.controls} & {"pass", "fail"}

    ui_sign_in(page, admin.email)

    page.goto(f"/compliance/reports?framework={CIS}")
    wait_ready(page)
    row = page.locator("#compliance-rows tr",
                       has=page.get_by_role("link", name="acme-live", exact=True))
    expect(row.locator(".score")).to_have_text(re.compile(r"^\d+%$"))
    screenshot(page, "20-overview-compliance-live")
    row.get_by_role("link", name="acme-live").click()
    wait_ready(page)
    expect(page.locator("details.control").first).to_be_visible()
    expect(page.locator("#r-note")).to_be_hidden()
    expect(page.locator(".stat-score .score")).to_have_text(
        f"{round((report.score or 0) * 100)}%")
    screenshot(page, "21-report-live", full_page=False)
    page.get_by_role("button", name="Refresh reports").click()
    expect(page.locator("#toast")).to_contain_text("Refreshing reports for acme-live")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export as CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
