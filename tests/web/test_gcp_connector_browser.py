"""The connector page of a GCP connector polled from the stand-in: Online with Success, the
checklist grouped per project with the exact fix, and run results naming their project."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cloudconnectors.services import polling
from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.users import principal_for_token
from tests.support.gcp_standin import HOME, ProjectSpec, gcp_lab
from tests.support.people import make_person
from tests.web.browser_helpers import ui_sign_in
from tests.web.conftest import screenshot
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser

OTHER = "data-lake-22"


def test_gcp_connector_page_shows_the_per_project_checklist(page: Page, ctx: AppContext) -> None:
    person = make_person(ctx, tenant="acme", role="admin", password=PASSWORD)
    principal = principal_for_token(ctx, person.token)
    assert principal is not None
    specs = [ProjectSpec(HOME, vms=2), ProjectSpec(OTHER, vms=1,
                                                   disabled=["sqladmin.googleapis.com"])]
    with gcp_lab(specs) as lab:
        ctx.settings = lab.settings(ctx.settings)
        connector = create_connector(ctx, principal, name="gcp-org", provider="gcp",
                                     credentials=lab.credentials).id
        polling.poll_now(ctx, connector)
    ui_sign_in(page, person.email)
    page.goto(f"/compliance/connectors/{connector}")
    checklist = page.locator("#c-diagnostics")
    other = checklist.locator("section.checklist-project", has_text=f"Project {OTHER}")
    expect(other.locator("h3")).to_contain_text("1 to fix")
    first = other.locator("li").first
    expect(first).to_contain_text("Cloud SQL Admin API in data-lake-22")
    expect(first).to_contain_text(
        "gcloud services enable sqladmin.googleapis.com --project data-lake-22")
    home = checklist.locator("section.checklist-project", has_text=f"Project {HOME}")
    expect(home.locator("h3")).to_contain_text("nothing to fix")
    expect(home.locator("summary").first).to_have_text("18 checks passed")
    runs = page.locator("#c-runs")
    expect(runs.locator("th").first).to_have_text("Project")
    # The unread scope (kept from no earlier poll) and the problem row both name the project.
    expect(runs.locator(".unread tr.row-problem")).to_contain_text(OTHER)
    expect(runs.locator(".run-problems tr.row-problem")).to_contain_text(OTHER)
    screenshot(page, "10-gcp-connector-checklist")
