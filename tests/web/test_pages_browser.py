"""Sign-in, the viewer's read-only portal, the connector page's explanations, the Overview."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.users import principal_for_token
from tests.support.credentials import aws_credentials, gcp_credentials
from tests.support.people import Person, make_person
from tests.web.browser_helpers import (
    HOME,
    age_connector,
    open_row_menu,
    row,
    ui_sign_in,
    wait_ready,
)
from tests.web.conftest import screenshot
from tests.web.polling import SimulatedPolls
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser

AUTH_ERROR = ("AccessDenied: sts:AssumeRole on arn:aws:iam::111122223333:role/CloudConnectorsAudit "
              "was refused. Check that the role trusts account 123456789012 with your External ID.")


def _person(ctx: AppContext, role: str) -> Person:
    return make_person(ctx, tenant="acme", role=role, password=PASSWORD)


def _connector(ctx: AppContext, person: Person, name: str, provider: str = "gcp") -> str:
    principal = principal_for_token(ctx, person.token)
    assert principal is not None
    creds = (aws_credentials(issue_external_id(ctx, principal)) if provider == "aws"
             else gcp_credentials())
    return create_connector(ctx, principal, name=name, provider=provider, credentials=creds).id


def test_sign_in_refuses_a_wrong_password_in_words(page: Page, ctx: AppContext) -> None:
    person = _person(ctx, "admin")
    page.goto("/")
    screenshot(page, "00-sign-in")
    page.get_by_label("E-mail address").fill(person.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_ready(page)
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["cc_session"]["httpOnly"] and cookies["cc_session"]["sameSite"] == "Lax"
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/compliance/reports/connectors")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_viewer_sees_everything_but_no_write_control(page: Page, ctx: AppContext) -> None:
    admin = _person(ctx, "admin")
    connector_id = _connector(ctx, admin, "shared-gcp")
    viewer = _person(ctx, "viewer")
    ui_sign_in(page, viewer.email)
    expect(row(page, "shared-gcp")).to_be_visible()
    expect(page.get_by_role("button", name="New Connector")).to_have_count(0)
    open_row_menu(page, "shared-gcp")
    expect(page.get_by_role("menuitem")).to_have_text(["View details"])
    screenshot(page, "10-viewer-connectors")
    page.keyboard.press("Escape")
    page.goto(f"/compliance/connectors/{connector_id}")
    wait_ready(page)
    expect(page.get_by_role("heading", name="shared-gcp", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Refresh")).to_have_count(0)
    page.goto("/compliance/reports")
    wait_ready(page)
    expect(page.locator(".ov-card")).to_have_count(1)
    expect(page.get_by_role("button", name="Refresh", exact=False)).to_have_count(0)
    # And the API refuses the writes the controls would have made.
    status = page.evaluate(
        """async (id) => (await fetch(`/api/v1/connectors/${id}/refresh`, {method: "POST",
             headers: {"X-CSRF-Token": document.querySelector('meta[name=csrf-token]').content}}))
             .status""", connector_id)
    assert status == 403


def test_pending_too_long_says_why(page: Page, ctx: AppContext) -> None:
    admin = _person(ctx, "admin")
    connector_id = _connector(ctx, admin, "stuck-aws", provider="aws")
    age_connector(ctx, connector_id, minutes=20)
    ui_sign_in(page, admin.email)
    row(page, "stuck-aws").get_by_role("link", name="Waiting 20 min: why?").click()
    wait_ready(page)
    explain = page.locator("#c-explain")
    expect(explain).to_contain_text("first poll has not finished")
    expect(explain).to_contain_text("scheduler")
    screenshot(page, "11-connector-pending-too-long")


def test_offline_connector_shows_its_error_and_advice(page: Page, ctx: AppContext) -> None:
    admin = _person(ctx, "admin")
    connector_id = _connector(ctx, admin, "broken-aws", provider="aws")
    SimulatedPolls(ctx).fail(connector_id, AUTH_ERROR)
    ui_sign_in(page, admin.email)
    expect(row(page, "broken-aws").locator(".badge")).to_have_text("Offline")
    page.goto(f"/compliance/connectors/{connector_id}")
    wait_ready(page)
    expect(page.locator("#c-error")).to_contain_text("sts:AssumeRole")
    expect(page.locator("#c-explain")).to_contain_text("press Refresh")
    screenshot(page, "12-connector-offline")
    page.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog", name="Delete connector")
    dialog.get_by_label("Type the connector", exact=False).fill("broken-aws")
    dialog.get_by_role("button", name="Delete connector").click()
    expect(page).to_have_url(HOME)
    expect(page.get_by_text("No connectors yet")).to_be_visible()


def test_overview_summarises_each_connector_and_refreshes(page: Page, ctx: AppContext) -> None:
    admin = _person(ctx, "admin")
    polls = SimulatedPolls(ctx)
    online = _connector(ctx, admin, "acme-prod", provider="aws")
    polls.start(online)
    polls.succeed(online)
    _connector(ctx, admin, "analytics-gcp")
    ui_sign_in(page, admin.email)
    page.get_by_role("link", name="Overview").click()
    wait_ready(page)
    expect(page.locator(".ov-card")).to_have_count(2)
    card = page.locator(".ov-card", has_text="acme-prod")
    expect(card).to_contain_text("Online")
    screenshot(page, "13-overview")
    card.get_by_role("button", name="Refresh inventory of acme-prod").click()
    expect(card.locator(".badge")).to_have_text("Refreshing")
    expect(page.locator("#toast")).to_contain_text("Polling acme-prod again")


def test_connector_page_notices_when_the_connector_is_deleted(page: Page, ctx: AppContext) -> None:
    admin = _person(ctx, "admin")
    connector_id = _connector(ctx, admin, "short-lived")
    ui_sign_in(page, admin.email)
    page.goto(f"/compliance/connectors/{connector_id}")
    wait_ready(page)
    principal = principal_for_token(ctx, admin.token)
    assert principal is not None
    from cloudconnectors.services.connectors import delete_connector

    delete_connector(ctx, principal, connector_id)
    expect(page.get_by_role("heading", name="This connector was deleted")).to_be_visible()
