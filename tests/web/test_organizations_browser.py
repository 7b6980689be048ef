"""The Connectors table as a tree in real Chromium: an organization with its roll-up, its
members indented beneath it, and a search that finds a member keeps its organization."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from cloudconnectors.providers.organizations import Member, MemberDiscovery
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.services.connectors import create_connector, open_credentials
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.organizations import reconcile
from cloudconnectors.services.users import principal_for_token
from cloudconnectors.storage.tables import ConnectorRow
from cloudconnectors.storage.tables.base import utcnow
from tests.support.credentials import aws_credentials, azure_credentials
from tests.support.people import Person, make_person
from tests.web.browser_helpers import row, ui_sign_in
from tests.web.conftest import screenshot
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_user(ctx: AppContext) -> Person:
    return make_person(ctx, tenant="acme", role="admin", password=PASSWORD)


def _organization(ctx: AppContext, person: Person) -> str:
    principal = principal_for_token(ctx, person.token)
    assert principal is not None
    create_connector(ctx, principal, name="plain", provider="azure",
                     credentials=azure_credentials())
    org = create_connector(
        ctx, principal, name="acme org", provider="aws", organization={},
        credentials=aws_credentials(issue_external_id(ctx, principal), account="999900009999"))
    with ctx.db.write() as session:
        parent = session.get_one(ConnectorRow, org.id)
        reconcile(session, ctx.secrets, parent, get_provider("aws"),
                  open_credentials(ctx, parent), MemberDiscovery((
                      Member("111100001111", "payments", ("r-1", "ou-1-a"), {}),
                      Member("111100002222", "web", ("r-1",), {})), complete=True),
                  now=utcnow(), refresh=False)
        # Nobody polls during the test: the live server's scheduler leaves these alone.
        session.execute(update(ConnectorRow).values(
            next_run_at=utcnow() + timedelta(days=1)))
    return org.id


def test_organizations_show_as_a_tree_with_roll_up_counts(
        page: Page, ctx: AppContext, admin_user: Person) -> None:
    _organization(ctx, admin_user)
    ui_sign_in(page, admin_user.email)

    org_row = row(page, "acme org")
    expect(org_row).to_contain_text("0 of 2 members online (2 pending)")
    expect(org_row).to_contain_text("Organization")
    members = page.locator("#connector-rows tr.member-row")
    expect(members).to_have_count(2)
    names = page.locator("#connector-rows tr .row-link").all_inner_texts()
    at = names.index("acme org")
    assert sorted(names[at + 1:at + 3]) == ["acme org / payments (111100001111)",
                                            "acme org / web (111100002222)"]
    screenshot(page, "40-organization-tree")

    page.get_by_label("Search").fill("payments")
    expect(members).to_have_count(1)
    expect(row(page, "acme org")).to_be_visible()
    expect(row(page, "plain")).to_have_count(0)
    screenshot(page, "41-organization-tree-filtered")


def test_an_organization_page_lists_its_members_and_a_member_page_names_its_organization(
        page: Page, ctx: AppContext, admin_user: Person) -> None:
    org_id = _organization(ctx, admin_user)
    ui_sign_in(page, admin_user.email)
    page.goto(f"/compliance/connectors/{org_id}")
    members = page.locator("#members-table tbody tr")
    expect(members).to_have_count(2)
    expect(page.locator("#org-members")).to_contain_text("0 of 2 members online (2 pending)")
    screenshot(page, "42-organization-page")
    members.first.get_by_role("link").click()
    expect(page.locator(".member-note")).to_contain_text("of organization acme org")
