"""The Connectors tab in real Chromium: create, live status, refresh, edit, delete."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.users import principal_for_token
from tests.support.credentials import aws_credentials, azure_credentials
from tests.support.people import Person, make_person
from tests.web.browser_helpers import badge, open_row_menu, row, ui_sign_in
from tests.web.conftest import screenshot
from tests.web.polling import RealPolls
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser
ONLINE_TIMEOUT = 90_000  # a real first poll of the sandbox account


@pytest.fixture
def admin_user(ctx: AppContext) -> Person:
    return make_person(ctx, tenant="acme", role="admin", password=PASSWORD)


def open_drawer(page: Page, provider_label: str):  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="New Connector").click()
    drawer = page.get_by_role("dialog", name="New Connector")
    expect(drawer).to_be_visible()
    drawer.locator("label.provider-option", has_text=provider_label).click()
    return drawer


def _fill_azure(page: Page, name: str, frequency: str):  # type: ignore[no-untyped-def]
    drawer = open_drawer(page, "Microsoft Azure")
    creds = azure_credentials()
    drawer.get_by_label("Name", exact=True).fill(name)
    drawer.get_by_label("Application (client) ID").fill(creds["application_id"])
    drawer.get_by_label("Directory (tenant) ID").fill(creds["directory_id"])
    drawer.get_by_label("Authentication Key").fill(creds["authentication_key"])
    drawer.get_by_label("Subscription ID").fill(creds["subscription_id"])
    drawer.get_by_label("Run Frequency (minutes)").fill(frequency)
    return drawer


def test_create_aws_connector_then_it_goes_online_and_refreshes(
    page: Page, ctx: AppContext, admin_user: Person, polls: tuple[RealPolls, str]
) -> None:
    _, role_arn = polls
    ui_sign_in(page, admin_user.email)
    expect(page.get_by_text("No connectors yet")).to_be_visible()
    screenshot(page, "01-connectors-empty")

    drawer = open_drawer(page, "Amazon Web Services")
    expect(drawer.locator("#nc-external-id")).to_have_text(re.compile(r"^cc-"))
    expect(drawer.locator("#nc-account-id")).to_have_text(re.compile(r"^\d{12}$"))
    drawer.get_by_label("Name", exact=True).fill("acme-prod")
    drawer.get_by_label("Role ARN").fill(role_arn)
    screenshot(page, "02-new-connector-aws")
    page.get_by_role("button", name="Add Connector").click()
    expect(drawer).to_be_hidden()
    # The scheduler may pick the new connector up at once.
    expect(badge(page, "acme-prod")).to_have_text(re.compile(r"^(Pending|Refreshing|Online)$"))
    screenshot(page, "03-connectors-pending")
    connector_id = row(page, "acme-prod").get_attribute("data-id")
    assert connector_id

    expect(badge(page, "acme-prod")).to_have_text("Online", timeout=ONLINE_TIMEOUT)
    expect(row(page, "acme-prod")).to_contain_text("Success")
    expect(page.locator("#announcer")).to_have_text("acme-prod is now Online.")
    screenshot(page, "04-connectors-online")

    open_row_menu(page, "acme-prod")
    screenshot(page, "05-row-menu")
    page.get_by_role("menuitem", name="Refresh").click()
    expect(badge(page, "acme-prod")).to_have_text("Refreshing")
    expect(badge(page, "acme-prod")).to_have_text("Online", timeout=ONLINE_TIMEOUT)

    row(page, "acme-prod").get_by_role("link", name="acme-prod").click()
    expect(page.get_by_role("heading", name="acme-prod", level=1)).to_be_visible()
    expect(page.locator("#c-explain")).to_contain_text("read at least one virtual machine")
    expect(page.locator("#c-regions li").first).to_be_visible()
    screenshot(page, "06-connector-online")


def test_azure_form_gives_the_setup_steps_commands_and_bicep(
    page: Page, ctx: AppContext, admin_user: Person
) -> None:
    ui_sign_in(page, admin_user.email)
    drawer = open_drawer(page, "Microsoft Azure")
    expect(drawer.locator("#nc-azure-steps")).to_contain_text("Certificates & secrets")
    expect(drawer.locator("#nc-azure-steps")).to_contain_text("not the Secret ID")
    drawer.get_by_text("Commands: role assignment").click()
    commands = drawer.locator("#nc-azure-commands")
    expect(commands).to_contain_text("az role assignment create --assignee <application-id> "
                                     "--role Reader --scope /subscriptions/<subscription-id>")
    expect(commands).to_contain_text("az ad app permission admin-consent")
    expect(commands).to_contain_text("Policy.Read.All")
    drawer.get_by_text("Bicep: assign Reader").click()
    expect(drawer.locator("#nc-azure-bicep")).to_contain_text(
        "Microsoft.Authorization/roleAssignments@2022-04-01")
    screenshot(page, "07a-azure-setup-guide")


def test_run_frequency_of_30_is_refused_next_to_the_field(
    page: Page, ctx: AppContext, admin_user: Person
) -> None:
    ui_sign_in(page, admin_user.email)
    drawer = _fill_azure(page, "corp-azure", "30")
    drawer.get_by_role("button", name="Add Connector").click()
    error = drawer.locator("#nc-frequency-error")
    expect(error).to_contain_text("at least 60 minutes")
    frequency = drawer.get_by_label("Run Frequency (minutes)")
    expect(frequency).to_have_attribute("aria-invalid", "true")
    expect(frequency).to_be_focused()
    error.scroll_into_view_if_needed()
    screenshot(page, "07-frequency-refused")
    frequency.fill("240")
    drawer.get_by_role("button", name="Add Connector").click()
    expect(drawer).to_be_hidden()
    expect(badge(page, "corp-azure")).to_have_text("Pending")


def test_server_refusals_appear_next_to_their_field(
    page: Page, ctx: AppContext, admin_user: Person
) -> None:
    principal = principal_for_token(ctx, admin_user.token)
    assert principal is not None
    from cloudconnectors.services.connectors import create_connector

    create_connector(ctx, principal, name="taken", provider="azure",
                     credentials=azure_credentials())
    ui_sign_in(page, admin_user.email)
    drawer = _fill_azure(page, "taken", "240")
    drawer.get_by_role("button", name="Add Connector").click()
    expect(drawer.locator("#nc-name-error")).to_contain_text("already exists")
    expect(drawer.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")


def test_google_key_file_is_checked_in_the_browser(
    page: Page, ctx: AppContext, admin_user: Person
) -> None:
    ui_sign_in(page, admin_user.email)
    drawer = open_drawer(page, "Google")
    drawer.get_by_label("Service account key (JSON file)").set_input_files(files=[{
        "name": "key.json", "mimeType": "application/json",
        "buffer": b'{"type": "authorized_user", "client_id": "x"}'}])
    expect(drawer.locator("#nc-gcp-key-error")).to_contain_text('"type" must be "service_account"')
    screenshot(page, "08-gcp-key-refused")


def test_edit_and_typed_name_delete_by_keyboard(
    page: Page, ctx: AppContext, admin_user: Person
) -> None:
    principal = principal_for_token(ctx, admin_user.token)
    assert principal is not None
    from cloudconnectors.services.connectors import create_connector

    create_connector(ctx, principal, name="old-aws", provider="aws",
                     credentials=aws_credentials(issue_external_id(ctx, principal)))
    ui_sign_in(page, admin_user.email)

    open_row_menu(page, "old-aws")
    page.get_by_role("menuitem", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit old-aws")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Run Frequency (minutes)").fill("30")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog.locator("#edit-frequency-error")).to_contain_text("at least 60")
    dialog.get_by_text("Rotate credentials").click()
    expect(dialog.get_by_label("Role ARN")).to_be_visible()
    screenshot(page, "08b-edit-dialog")
    dialog.get_by_label("Run Frequency (minutes)").fill("480")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_be_hidden()

    kebab = row(page, "old-aws").get_by_role("button", name="Actions for old-aws")
    kebab.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("menuitem", name="View details")).to_be_focused()
    page.keyboard.press("End")
    expect(page.get_by_role("menuitem", name="Delete")).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Delete connector")
    expect(dialog).to_contain_text("External ID is deleted with it")
    expect(dialog).to_contain_text("trust policy")
    confirm = dialog.get_by_label("Type the connector", exact=False)
    expect(confirm).to_be_focused()
    confirm.fill("old-aw")
    expect(dialog.get_by_role("button", name="Delete connector")).to_be_disabled()
    confirm.fill("old-aws")
    screenshot(page, "09-delete-confirm")
    dialog.get_by_role("button", name="Delete connector").click()
    expect(row(page, "old-aws")).to_have_count(0)
    expect(page.get_by_text("No connectors yet")).to_be_visible()


def showing(first: int, last: int, total: int) -> str:
    return f"Showing {first}\u2013{last} of {total} connector{'' if total == 1 else 's'}"


def test_search_filter_sort_and_paging_run_on_the_server(
    page: Page, ctx: AppContext, admin_user: Person
) -> None:
    principal = principal_for_token(ctx, admin_user.token)
    assert principal is not None
    from cloudconnectors.services.connectors import create_connector
    from tests.support.credentials import gcp_credentials

    for i in range(55):
        create_connector(ctx, principal, name=f"gcp-{i:02d}", provider="gcp",
                         credentials=gcp_credentials())
    create_connector(ctx, principal, name="azure-main", provider="azure",
                     credentials=azure_credentials())
    ui_sign_in(page, admin_user.email)
    summary = page.locator("#table-summary")
    expect(summary).to_have_text(showing(1, 50, 56))
    page.get_by_role("button", name="Next page").click()
    expect(summary).to_have_text(showing(51, 56, 56))
    expect(page).to_have_url(re.compile(r"offset=50"))

    page.get_by_label("Provider").select_option("azure")
    expect(summary).to_have_text(showing(1, 1, 1))
    expect(row(page, "azure-main")).to_be_visible()
    page.get_by_label("Provider").select_option("")
    page.get_by_label("Search").fill("gcp-3")
    expect(summary).to_have_text(showing(1, 10, 10))
    page.get_by_label("Search").fill("")

    header = page.locator("th[data-sort=name]")
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(page.locator("#connector-rows tr").first).to_contain_text("gcp-54")
    page.reload()  # the URL keeps the view, and the server embeds that first page
    expect(page.locator("#connector-rows tr").first).to_contain_text("gcp-54")


def test_google_form_gives_setup_commands_and_takes_project_lists(
    page: Page, ctx: AppContext, admin_user: Person
) -> None:
    import json as _json

    from tests.support.credentials import gcp_credentials

    ui_sign_in(page, admin_user.email)
    drawer = open_drawer(page, "Google")
    drawer.get_by_text("Prepare a project: APIs, roles, gcloud commands, Terraform").click()
    commands = drawer.locator("#nc-gcp-gcloud")
    expect(commands).to_contain_text("gcloud services enable compute.googleapis.com")
    expect(commands).to_contain_text("--role=roles/iam.securityReviewer")
    expect(drawer.locator("#nc-gcp-terraform")).to_contain_text(
        'resource "google_project_iam_member"')
    drawer.get_by_label("Name", exact=True).fill("org-gcp")
    key = _json.dumps(gcp_credentials()["service_account_key"]).encode()
    drawer.get_by_label("Service account key (JSON file)").set_input_files(files=[{
        "name": "key.json", "mimeType": "application/json", "buffer": key}])
    drawer.get_by_label("Only these projects (optional)").fill("prod-123, dev-456")
    drawer.get_by_label("Never these projects (optional)").fill("Bad_Id")
    drawer.get_by_role("button", name="Add Connector").click()
    expect(drawer.locator("#nc-gcp-projects-error")).to_contain_text("must be a GCP project ID")
    screenshot(page, "09-gcp-guide-and-projects")
    drawer.get_by_label("Never these projects (optional)").fill("")
    drawer.get_by_role("button", name="Add Connector").click()
    expect(drawer).to_be_hidden()
    expect(badge(page, "org-gcp")).to_have_text("Pending")
    from cloudconnectors.services.connectors import find_connector

    principal = principal_for_token(ctx, admin_user.token)
    assert principal is not None
    assert find_connector(ctx, principal, "org-gcp").scope == {
        "include": ["dev-456", "prod-123"], "exclude": []}
