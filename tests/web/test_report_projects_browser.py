"""A GCP connector's report in real Chromium, read per project: the selector lists the
projects of the latest evaluation, a choice stays in the URL, and the controls, failing
resources and exports follow it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.users import principal_for_token
from tests.support.gcp_projects import OTHER, two_project_connector
from tests.support.gcp_standin import HOME
from tests.support.people import make_person
from tests.web.browser_helpers import ui_sign_in, wait_ready
from tests.web.conftest import screenshot
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser
CIS = "cis_gcp_4_0_0"


def test_the_report_page_reads_one_project(page: Page, ctx: AppContext) -> None:
    person = make_person(ctx, tenant="acme", role="admin", password=PASSWORD)
    principal = principal_for_token(ctx, person.token)
    assert principal is not None
    connector = two_project_connector(ctx, principal)
    ui_sign_in(page, person.email)
    page.goto(f"/compliance/connectors/{connector}/reports/{CIS}")
    wait_ready(page)
    select = page.get_by_label("Project", exact=True)
    expect(select).to_be_visible()
    expect(select.locator("option")).to_have_text(["All projects", OTHER, HOME])
    contacts = page.locator('details.control[data-control="1.16"]')
    expect(contacts).not_to_have_class(re.compile("control-not_evaluated"))

    with page.expect_response(re.compile(rf".*/api/v1/reports\?.*account={OTHER}")):
        select.select_option(OTHER)
    expect(page).to_have_url(re.compile(rf"account={OTHER}"))
    expect(contacts).to_have_class(re.compile("control-not_evaluated"))
    contacts.locator("summary").click()
    expect(contacts).to_contain_text("essentialcontacts.contacts.list")
    failing = page.locator("table.failing").first
    expect(failing.locator("th").nth(2)).to_have_text("Project")
    screenshot(page, "report-one-project")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export as CSV").click()
    assert OTHER in download.value.suggested_filename
    page.reload()  # the URL keeps the project
    wait_ready(page)
    expect(page.get_by_label("Project", exact=True)).to_have_value(OTHER)
