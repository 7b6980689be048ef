"""Browser fixtures: Debian's Chromium driven by Playwright against a live server."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudconnectors.composition import create_app
from cloudconnectors.config import ENV_PREFIX
from cloudconnectors.services.context import AppContext
from tests.support.aws_seed import account_session, seed_account
from tests.support.moto_server import AWS_TEST_ENV, MotoServer
from tests.web.live_server import CHROMIUM, CHROMIUM_ARGS, live_server
from tests.web.polling import RealPolls

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
POLL_REGIONS = ("us-east-1", "eu-west-1")  # a real poll of two regions stays quick


@pytest.fixture
def aws_platform(ctx: AppContext, moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The platform's own AWS identity is moto's default account, as in ``tests/api``: the
    real External ID route and the artifacts need it. Returns the endpoint."""
    for key, value in AWS_TEST_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.url)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv(f"{ENV_PREFIX}AWS_REGIONS", ",".join(POLL_REGIONS))
    ctx.settings = dataclasses.replace(ctx.settings, aws_endpoint_url=moto_server.url)
    return moto_server.url


@pytest.fixture
def server(ctx: AppContext, aws_platform: str) -> Iterator[str]:
    app = create_app(ctx)
    with live_server(ctx, app) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.js_errors = errors  # type: ignore[attr-defined]
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def polls(ctx: AppContext, aws_platform: str) -> Iterator[tuple[RealPolls, str]]:
    """(driver, role ARN): the real embedded scheduler polling a freshly seeded customer
    account in the session's moto server through the real AWS provider (regions limited to
    ``POLL_REGIONS``)."""
    account = f"{secrets.randbelow(10**12):012d}"  # moto keeps each account apart
    seed_account(account_session(aws_platform, account), aws_platform, POLL_REGIONS,
                 instances=3, buckets=2, users=2, security_groups=2)
    driver = RealPolls(ctx)
    try:
        yield driver, f"arn:aws:iam::{account}:role/CloudConnectorsAudit"
    finally:
        driver.stop()


def screenshot(page, name: str, full_page: bool = True) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
