"""Steps the browser tests share."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.tables import ConnectorRow
from tests.web.signin_helpers import PASSWORD

HOME = re.compile(r"/compliance/reports/connectors")


def ui_sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(HOME)
    wait_ready(page)


def wait_ready(page: Page) -> None:
    """The page's script module has run and wired its controls."""
    expect(page.locator("body[data-ready=true]")).to_have_count(1)


def row(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("#connector-rows tr", has=page.get_by_role("link", name=name, exact=True))


def badge(page: Page, name: str):  # type: ignore[no-untyped-def]
    return row(page, name).locator(".badge")


def open_row_menu(page: Page, name: str) -> None:
    row(page, name).get_by_role("button", name=f"Actions for {name}").click()
    expect(page.get_by_role("menu")).to_be_visible()


def age_connector(ctx: AppContext, connector_id: str, minutes: int) -> None:
    with ctx.db.write() as session:
        connector = session.get(ConnectorRow, connector_id)
        assert connector is not None
        connector.created_at = connector.created_at - timedelta(minutes=minutes)
