"""The Overview's compliance table and the report page in real Chromium.

The reports routes are being built on the ``reportsapi`` branch; until they land, the browser's
request interception answers them with data the real report services computed
(``tests/web/report_data.py``), in the contract's shapes.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, Route, expect

from cloudconnectors.services.context import AppContext
from tests.support.people import Person, make_person
from tests.web.browser_helpers import ui_sign_in, wait_ready
from tests.web.conftest import screenshot
from tests.web.report_data import CIS, Evaluated, evaluated_connector, frameworks
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser

REPORTS = re.compile(r".*/api/v1/reports(\?.*)?$")
EXPORT = re.compile(r".*/api/v1/reports/export\?.*")
REPORT_REFRESH = re.compile(r".*/api/v1/connectors/[^/]+/reports/refresh$")
PROD_BREAKS = [
    ["aws.iam.user_console_mfa", "aws.s3.bucket_deny_http", "aws.ec2.sg_no_admin_ingress_ipv4",
     "aws.kms.customer_key_rotation", "aws.ec2.vpc_flow_logs_enabled"],
    ["aws.iam.user_console_mfa", "aws.ec2.sg_no_admin_ingress_ipv4",
     "aws.ec2.vpc_flow_logs_enabled"],
    ["aws.iam.user_console_mfa", "aws.ec2.sg_no_admin_ingress_ipv4",
     "aws.ec2.sg_no_admin_ingress_ipv6"],
]
STAGING_BREAKS = [
    ["aws.s3.bucket_deny_http"],
    ["aws.s3.bucket_deny_http", "aws.iam.password_policy_min_length_14",
     "aws.cloudtrail.log_file_validation", "aws.rds.instance_not_public",
     "aws.iam.root_mfa_enabled", "aws.kms.customer_key_rotation", "aws.efs.file_system_encrypted",
     "aws.ec2.instance_imdsv2_required"],
]


class FakeReportsApi:
    """Answers the reports contract for the page, and remembers the writes and exports."""

    def __init__(self, page: Page, framework_list: dict[str, object],
                 connectors: list[Evaluated]) -> None:
        self.by_id = {c.connector_id: c for c in connectors}
        self.refreshed: list[str] = []
        self.exported: list[dict[str, list[str]]] = []
        page.route("**/api/v1/frameworks", self._json(framework_list))
        page.route(REPORTS, self._reports)
        page.route(EXPORT, self._export)
        page.route(REPORT_REFRESH, self._refresh)

    @staticmethod
    def _json(body: object, status: int = 200):  # type: ignore[no-untyped-def]
        def handler(route: Route) -> None:
            route.fulfill(status=status, content_type="application/json", body=json.dumps(body))
        return handler

    def _reports(self, route: Route) -> None:
        query = parse_qs(urlparse(route.request.url).query)
        if "connector" in query:
            found = self.by_id.get(query["connector"][0])
            body: object = found.report if found else {"detail": "connector does not exist"}
            self._json(body, 200 if found else 404)(route)
        else:
            self._json({"items": [c.summary for c in self.by_id.values()]})(route)

    def _export(self, route: Route) -> None:
        query = parse_qs(urlparse(route.request.url).query)
        self.exported.append(query)
        fmt = query["format"][0]
        route.fulfill(status=200, content_type="text/csv" if fmt == "csv" else "application/json",
                      headers={"Content-Disposition":
                               f'attachment; filename="report-{CIS}.{fmt}"'},
                      body="control,status\n1.10,fail\n")

    def _refresh(self, route: Route) -> None:
        assert route.request.method == "POST"
        assert route.request.headers.get("x-csrf-token")
        self.refreshed.append(route.request.url)
        self._json({"queued": True}, 202)(route)


@pytest.fixture
def admin(ctx: AppContext) -> Person:
    return make_person(ctx, tenant="acme", role="admin", password=PASSWORD)


@pytest.fixture
def evaluated(ctx: AppContext, admin: Person) -> list[Evaluated]:
    return [evaluated_connector(ctx, admin, "acme-prod", PROD_BREAKS),
            evaluated_connector(ctx, admin, "acme-staging", STAGING_BREAKS)]


def compliance_row(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("#compliance-rows tr",
                        has=page.get_by_role("link", name=name, exact=True))


def test_overview_compliance_then_report_control_resource_and_exports(
    page: Page, ctx: AppContext, admin: Person, evaluated: list[Evaluated]
) -> None:
    fake = FakeReportsApi(page, frameworks(ctx, admin), evaluated)
    prod = evaluated[0]
    ui_sign_in(page, admin.email)
    page.get_by_role("link", name="Overview").click()
    wait_ready(page)
    expect(page.get_by_label("Framework")).to_have_value(CIS)
    expect(page.locator("#framework-facts")).to_contain_text("controls")
    row = compliance_row(page, "acme-prod")
    score = round(prod.report["score"] * 100)
    expect(row.locator(".score")).to_have_text(f"{score}%")
    results = prod.report["results"]
    expect(row.get_by_role("img", name=re.compile(
        rf"^{results['pass']} passed, {results['fail']} failed"))).to_be_visible()
    expect(row.get_by_role("img", name=re.compile(r"^Score trend over 3 evaluations"))
           ).to_be_visible()
    expect(compliance_row(page, "acme-staging").locator(".spark-down")).to_have_count(1)
    expect(page.locator(".ov-card")).to_have_count(2)  # the assets panel stays, below
    screenshot(page, "15-overview-compliance")

    row.get_by_role("button", name="Refresh reports for acme-prod").click()
    expect(page.locator("#toast")).to_contain_text("Refreshing reports for acme-prod")
    assert fake.refreshed and prod.connector_id in fake.refreshed[0]

    row.locator("td").nth(2).click()  # anywhere on the row opens the report
    expect(page).to_have_url(re.compile(rf"/compliance/connectors/{prod.connector_id}/reports/{CIS}$"))
    wait_ready(page)
    expect(page.get_by_role("heading", name="acme-prod", level=1)).to_be_visible()
    expect(page.locator("#r-framework")).to_contain_text("CIS")
    expect(page.locator(".stat-score .score")).to_have_text(f"{score}%")
    failing = [c for c in prod.report["controls"] if c["status"] == "fail"]
    assert failing, "the seeded breaks fail some controls"
    first = page.locator("details.control").first
    expect(first).to_have_attribute("data-control", failing[0]["id"])  # failing come first
    screenshot(page, "16-report", full_page=False)

    page.get_by_label("Show").select_option("fail")
    expect(page.locator("details.control")).to_have_count(len(failing))
    control = next(c for c in failing if c["failing"])
    finding = control["failing"][0]
    item = page.locator(f'details.control[data-control="{control["id"]}"]')
    item.locator("summary").focus()
    page.keyboard.press("Enter")  # a control opens by keyboard
    table = item.locator("table.failing")
    expect(table).to_contain_text(finding["reason"])
    expect(table.locator("time")).to_have_count(2 * len(control["failing"]))
    label = finding["resource_name"] or finding["resource_id"]
    screenshot(page, "17-report-control-open", full_page=False)

    opener = item.get_by_role("button", name=f"All findings of {label}").first
    opener.click()
    dialog = page.get_by_role("dialog", name=label)
    expect(dialog).to_be_visible()
    same = [f for c in prod.report["controls"] for f in c["failing"]
            if f["resource_key"] == finding["resource_key"]]
    expect(dialog.locator("li.finding")).to_have_count(len(same))
    expect(dialog).to_contain_text(finding["rule_id"])
    screenshot(page, "18-report-resource", full_page=False)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export as CSV").click()
    assert download.value.suggested_filename == f"report-{CIS}.csv"
    assert fake.exported[-1] == {"connector": [prod.connector_id], "framework": [CIS],
                                 "format": ["csv"]}
    for fmt in ("JSON", "HTML", "OCSF"):
        with page.expect_download():
            page.get_by_role("button", name=f"Export as {fmt}").click()
    assert [q["format"][0] for q in fake.exported] == ["csv", "json", "html", "ocsf"]

    page.get_by_role("button", name="Refresh reports").click()
    expect(page.locator("#toast")).to_contain_text("Refreshing reports for acme-prod")


def test_viewer_reads_reports_without_write_controls(
    page: Page, ctx: AppContext, admin: Person, evaluated: list[Evaluated]
) -> None:
    viewer = make_person(ctx, tenant="acme", role="viewer", password=PASSWORD)
    FakeReportsApi(page, frameworks(ctx, admin), evaluated)
    ui_sign_in(page, viewer.email)
    page.goto("/compliance/reports")
    wait_ready(page)
    expect(compliance_row(page, "acme-prod").locator(".score")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Refresh"))).to_have_count(0)
    screenshot(page, "19-overview-viewer")
    compliance_row(page, "acme-staging").get_by_role("link", name="acme-staging").click()
    wait_ready(page)
    expect(page.locator("details.control").first).to_be_visible()
    expect(page.get_by_role("button", name="Refresh reports")).to_have_count(0)
    expect(page.get_by_role("button", name="Export as JSON")).to_be_visible()

    # The connector page links to its report for each framework that covers its provider.
    page.get_by_role("link", name="acme-staging").click()
    wait_ready(page)
    page.locator("#c-reports").get_by_role("link", name=re.compile("^CIS Amazon")).click()
    expect(page).to_have_url(re.compile(rf"/reports/{CIS}$"))


def test_report_page_of_another_tenant_is_not_found(
    page: Page, ctx: AppContext, evaluated: list[Evaluated]
) -> None:
    other = make_person(ctx, tenant="globex", role="admin", password=PASSWORD)
    ui_sign_in(page, other.email)
    response = page.goto(f"/compliance/connectors/{evaluated[0].connector_id}/reports/{CIS}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Connector not found")).to_be_visible()


def test_missing_routes_and_unevaluated_connectors_are_said_in_words(
    page: Page, ctx: AppContext, admin: Person, evaluated: list[Evaluated]
) -> None:
    """A server without the reports routes (FastAPI's bare 404) and a connector not evaluated
    yet (a 404 with a reason) read as notes, not as errors or blank pages."""
    not_found = {"detail": "Not Found"}
    page.route("**/api/v1/frameworks", lambda route: route.fulfill(
        status=404, content_type="application/json", body=json.dumps(not_found)))
    ui_sign_in(page, admin.email)
    page.goto("/compliance/reports")
    wait_ready(page)
    expect(page.locator("#compliance-note")).to_have_text(
        "Compliance frameworks are not available on this server yet; the assets below are.")
    expect(page.locator(".ov-card")).to_have_count(2)

    reason = "connector acme-prod has not been evaluated yet; evaluate it after its first poll"
    page.route(REPORTS, lambda route: route.fulfill(
        status=404, content_type="application/json", body=json.dumps({"detail": reason})))
    page.goto(f"/compliance/connectors/{evaluated[0].connector_id}/reports/{CIS}")
    wait_ready(page)
    expect(page.locator("#r-note")).to_have_text(reason)
    expect(page.locator("#r-summary")).to_contain_text("No report to show.")
