"""Refresh in real Chromium: the server's refreshing shows at once, on the list and the
connector page, and a refresh no poller takes comes back with its message (no poller runs)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.refresh_expiry import expire_unclaimed
from cloudconnectors.services.users import principal_for_token
from cloudconnectors.storage.tables.base import utcnow
from tests.support.credentials import azure_credentials
from tests.support.people import Person, make_person
from tests.web.browser_helpers import badge, open_row_menu, row, ui_sign_in, wait_ready
from tests.web.conftest import screenshot
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_user(ctx: AppContext) -> Person:
    return make_person(ctx, tenant="acme", role="admin", password=PASSWORD)


def _past_the_lease(ctx: AppContext) -> None:
    """What the next read or scheduler tick does once the lease time has gone by."""
    later = utcnow() + timedelta(seconds=ctx.settings.poll_lease_seconds + 1)
    assert expire_unclaimed(ctx, now=later) == 1


def test_refresh_reads_refreshing_at_once_and_comes_back_with_its_message(
        page: Page, ctx: AppContext, admin_user: Person) -> None:
    principal = principal_for_token(ctx, admin_user.token)
    assert principal is not None
    connector = create_connector(ctx, principal, name="corp-azure", provider="azure",
                                 credentials=azure_credentials())
    ui_sign_in(page, admin_user.email)
    expect(badge(page, "corp-azure")).to_have_text("Pending")
    open_row_menu(page, "corp-azure")
    page.get_by_role("menuitem", name="Refresh").click()
    expect(badge(page, "corp-azure")).to_have_text("Refreshing")
    expect(row(page, "corp-azure")).to_contain_text("Waiting for a poller")
    page.reload()  # what the server says, not a promise of the page
    expect(badge(page, "corp-azure")).to_have_text("Refreshing")

    page.goto(f"/compliance/connectors/{connector.id}")
    wait_ready(page)
    expect(page.locator("#c-badge")).to_have_text("Refreshing")
    expect(page.locator("#c-explain")).to_contain_text("waiting for a poller to take it")
    screenshot(page, "refresh-queued")

    _past_the_lease(ctx)
    expect(page.locator("#c-badge")).to_have_text("Pending", timeout=15_000)
    expect(page.locator("#c-explain")).to_contain_text("was not taken by any poller within")
    screenshot(page, "refresh-not-taken")
    page.goto("/compliance/reports/connectors")
    expect(badge(page, "corp-azure")).to_have_text("Pending")


def test_the_connector_page_button_shows_refreshing_from_the_server(
        page: Page, ctx: AppContext, admin_user: Person) -> None:
    principal = principal_for_token(ctx, admin_user.token)
    assert principal is not None
    connector = create_connector(ctx, principal, name="az2", provider="azure",
                                 credentials=azure_credentials())
    ui_sign_in(page, admin_user.email)
    page.goto(f"/compliance/connectors/{connector.id}")
    wait_ready(page)
    page.locator("#c-refresh").click()
    expect(page.locator("#c-badge")).to_have_text("Refreshing")
    expect(page.locator("#c-facts")).to_contain_text("Waiting for a poller")
