"""The Add Connector drawer downloads the real setup files (no interception): the route the
portal calls, with the External ID it was just issued, against the platform's moto account."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cloudconnectors.services.context import AppContext
from tests.support.moto_server import AWS_TEST_ENV, MOTO_ACCOUNT, MotoServer
from tests.support.people import make_person
from tests.web.browser_helpers import ui_sign_in
from tests.web.signin_helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def aws_platform(ctx: AppContext, moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch
                 ) -> None:
    for key, value in AWS_TEST_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.url)
    ctx.settings = dataclasses.replace(ctx.settings, aws_endpoint_url=moto_server.url)


@pytest.mark.usefixtures("aws_platform")
def test_drawer_downloads_the_real_files(page: Page, ctx: AppContext, tmp_path: Path) -> None:
    admin = make_person(ctx, tenant="acme", role="admin", password=PASSWORD)
    ui_sign_in(page, admin.email)
    page.get_by_role("button", name="New Connector").click()
    drawer = page.get_by_role("dialog", name="New Connector")
    drawer.locator("label.provider-option", has_text="Amazon Web Services").click()
    external_id = drawer.locator("#nc-external-id")
    expect(external_id).to_contain_text("cc-")
    issued = external_id.inner_text().strip()
    assert issued.startswith("cc-")
    for button, kind in (("Trust policy (JSON)", "trust-policy"),
                         ("CloudFormation template", "cloudformation"),
                         ("Custom policy (JSON)", "custom-policy")):
        with page.expect_download() as download:
            drawer.get_by_role("button", name=button).click()
        assert download.value.suggested_filename == f"cloudconnectors-{kind}.json"
        saved = tmp_path / f"{kind}.json"
        download.value.save_as(saved)
        document = json.loads(saved.read_text())
        text = json.dumps(document)
        if kind == "custom-policy":
            assert issued not in text and document["Statement"][0]["Effect"] == "Allow"
        else:
            assert issued in text and f"arn:aws:iam::{MOTO_ACCOUNT}:root" in text
