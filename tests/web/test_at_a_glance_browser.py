"""The portal reads at a glance (issue 15), in real Chromium: the connector page summarises a
real poll by region, offline rows say why with a way to fix it, advice fits the provider,
reports group controls by section with the fix, and every page fits a 420 px phone screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.users import principal_for_token
from tests.support.credentials import aws_credentials, gcp_credentials
from tests.support.people import Person, make_person
from tests.web.browser_helpers import row, ui_sign_in, wait_ready
from tests.web.conftest import screenshot
from tests.web.polling import RealPolls, SimulatedPolls
from tests.web.report_data import CIS, evaluated_connector
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 420, "height": 860}
ONLINE_TIMEOUT = 90_000  # a real first poll of the sandbox account
TRUST_ERROR = ("sts:AssumeRole on arn:aws:iam::111122223333:role/CloudConnectorsAudit was "
               "refused (AccessDenied).\nCheck the role's trust policy.")


# The innermost elements sticking out on the right, to say what breaks the layout.
WIDEST = """[...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1
    && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 6)
  .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture
def admin(ctx: AppContext) -> Person:
    return make_person(ctx, tenant="acme", role="admin", password=PASSWORD)


def _connector(ctx: AppContext, person: Person, name: str, provider: str,
               role_arn: str | None = None) -> str:
    principal = principal_for_token(ctx, person.token)
    assert principal is not None
    if provider == "aws":
        creds = aws_credentials(issue_external_id(ctx, principal))
        if role_arn:
            creds["role_arn"] = role_arn
    else:
        creds = gcp_credentials()
    return create_connector(ctx, principal, name=name, provider=provider, credentials=creds).id


def fits_the_screen(page: Page, name: str) -> None:
    """No sideways scrolling at the page's width; screenshot it."""
    wait_ready(page)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(WIDEST)
    assert widths[0] <= widths[1], f"{name}: {widths[0]} px wide on {widths[1]} px: {wide}"
    screenshot(page, name)


def test_connector_page_summarises_a_real_poll_by_region(
        page: Page, ctx: AppContext, admin: Person, polls: tuple[RealPolls, str]) -> None:
    _, role_arn = polls
    connector_id = _connector(ctx, admin, "acme-prod", "aws", role_arn)
    ui_sign_in(page, admin.email)
    page.goto(f"/compliance/connectors/{connector_id}")
    wait_ready(page)
    expect(page.locator("#c-badge .badge")).to_have_text("Online", timeout=ONLINE_TIMEOUT)
    latest = page.locator("details.run").first
    expect(latest.locator("details.region").first).to_be_visible()
    regions = latest.locator("details.region")
    names = regions.locator(".region-name").all_inner_texts()
    assert {"us-east-1", "eu-west-1"} <= set(names), names
    # Region lines are closed: their service rows wait until asked for.
    assert latest.locator("details.region[open]").count() == 0
    expect(regions.first.locator("table")).to_be_hidden()
    problems = latest.locator(".run-problems tbody tr")
    if problems.count():  # whatever the emulator could not answer comes first, open
        expect(problems.first).to_be_visible()
        first_counts = regions.first.locator(".outcome-counts").inner_text()
        assert re.search(r"failed|denied|partial|throttled|skipped", first_counts), first_counts
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, f"the connector page is {height} px tall"
    us = latest.locator('details.region[data-region="us-east-1"]')
    us.locator("summary").click()
    expect(us.locator("tbody tr").first).to_be_visible()
    assert us.locator("tbody tr").count() > 10
    screenshot(page, "40-connector-by-region")
    # Identifiers break at separators only, the External ID stays on one line.
    assert page.locator("#c-facts code.ident wbr").count() > 3
    external = page.locator("#c-facts code.one-line")
    assert external.evaluate("e => e.getClientRects().length") == 1

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#c-badge .badge")).to_have_text("Online")
    fits_the_screen(page, "41-connector-420px")


def test_offline_rows_say_why_and_the_advice_fits_the_provider(
        page: Page, ctx: AppContext, admin: Person) -> None:
    aws_id = _connector(ctx, admin, "acme-aws", "aws")
    gcp_id = _connector(ctx, admin, "acme-gcp", "gcp")
    polls = SimulatedPolls(ctx)
    polls.fail(aws_id, TRUST_ERROR)
    polls.fail(gcp_id, "Cloud Resource Manager API has not been used in project "
                       "posture-demo-123 before or it is disabled.\nEnable it, then Refresh.")
    ui_sign_in(page, admin.email)
    reason = row(page, "acme-aws").locator(".reason-line")
    expect(reason).to_have_text(TRUST_ERROR.splitlines()[0])
    expect(reason).to_have_attribute("title", TRUST_ERROR)
    fix = row(page, "acme-gcp").get_by_role("link", name="Fix acme-gcp: open its setup checklist")
    expect(fix).to_have_attribute("href", f"/compliance/connectors/{gcp_id}#diag-title")
    screenshot(page, "42-connectors-offline-reasons")
    page.set_viewport_size(PHONE)
    fits_the_screen(page, "43-connectors-420px")
    page.get_by_role("button", name="New Connector").click()
    drawer = page.get_by_role("dialog", name="New Connector")
    drawer.locator("label.provider-option", has_text="Microsoft Azure").click()
    expect(drawer.get_by_label("Run Frequency (minutes)")).to_be_in_viewport()
    box = drawer.bounding_box()
    assert box is not None and box["width"] >= PHONE["width"] - 1  # the slide-over fills it
    screenshot(page, "44-new-connector-420px", full_page=False)
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1400, "height": 900})

    fix.click()
    wait_ready(page)
    advice = page.locator("#c-explain")
    expect(advice).to_contain_text("fix what it names on the cloud side")
    expect(advice).not_to_contain_text("External ID")
    screenshot(page, "45-connector-gcp-offline")
    page.goto(f"/compliance/connectors/{aws_id}")
    wait_ready(page)
    expect(page.locator("#c-explain")).to_contain_text("a new connector gets a new External ID")


def test_report_groups_controls_by_section_with_the_fix(
        page: Page, ctx: AppContext, admin: Person) -> None:
    graded = evaluated_connector(ctx, admin, "acme-graded",
                                 [["aws.iam.user_console_mfa"],
                                  ["aws.iam.user_console_mfa", "aws.s3.bucket_deny_http"]])
    control = next(c for c in graded.report["controls"] if c["status"] == "fail" and c["failing"])
    sections = {c["section"] for c in graded.report["controls"]}
    ui_sign_in(page, admin.email)
    # The Overview's headline charts what the report below holds.
    page.goto("/compliance/reports")
    wait_ready(page)
    headline = page.locator("#headline")
    score = round(graded.report["score"] * 100)
    expect(headline.get_by_role("img", name=f"Total score {score}%")).to_be_visible()
    failing = sum(1 for c in graded.report["controls"] if c["status"] == "fail")
    expect(headline).to_contain_text(f"{failing} failing controls")
    expect(headline).to_contain_text("1 pending")
    expect(headline.get_by_role("img", name=re.compile(r"^Score over 2 points"))).to_be_visible()
    screenshot(page, "39-overview-headline", full_page=False)
    page.goto(f"/compliance/connectors/{graded.connector_id}/reports/{CIS}")
    wait_ready(page)
    groups = page.locator(".control-section-group")
    expect(groups).to_have_count(len(sections))
    first = groups.first
    expect(first.locator(".pf-bar")).to_be_visible()
    expect(first.locator("details.control").first).to_have_class(re.compile("control-fail"))
    item = page.locator(f'details.control[data-control="{control["id"]}"]')
    item.locator("summary").click()
    expect(item.locator(".rule-explained .fix").first).to_contain_text("How to fix:")
    expect(item.locator(".rule-explained").first).to_contain_text("Why:")
    finding = control["failing"][0]
    label = finding["resource_name"] or finding["resource_id"]
    item.get_by_role("button", name=f"All findings of {label}").first.click()
    dialog = page.get_by_role("dialog", name=label)
    head = dialog.locator(".finding-head strong").first
    expect(head).not_to_have_text(finding["rule_id"])  # the rule's title, not its ID
    expect(dialog.locator(".fix").first).to_contain_text("How to fix:")
    screenshot(page, "46-report-resource-fix", full_page=False)
    page.keyboard.press("Escape")
    screenshot(page, "47-report-sections")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator(".control-section-group").first).to_be_visible()
    fits_the_screen(page, "48-report-420px")


def test_no_export_or_refresh_where_no_framework_covers_the_provider(
        page: Page, ctx: AppContext, admin: Person) -> None:
    gcp_id = _connector(ctx, admin, "acme-gcp", "gcp")
    ui_sign_in(page, admin.email)
    page.goto(f"/compliance/connectors/{gcp_id}/reports/{CIS}")
    wait_ready(page)
    expect(page.locator("#r-note")).to_be_visible()
    expect(page.get_by_role("button", name="Export as CSV")).to_be_hidden()
    expect(page.get_by_role("button", name="Refresh reports")).to_be_hidden()
    screenshot(page, "49-report-gcp-no-framework")
    page.set_viewport_size(PHONE)
    page.goto("/compliance/reports")
    fits_the_screen(page, "50-overview-420px")
