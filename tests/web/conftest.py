"""Browser fixtures: Debian's Chromium driven by Playwright against a live server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudconnectors.api.app import create_app
from cloudconnectors.services.context import AppContext
from tests.web.live_server import CHROMIUM, CHROMIUM_ARGS, live_server
from tests.web.polling import PollDriver, RealPolls, SimulatedPolls, real_polling_available
from tests.web.standins import add_missing_contract_routes

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
SIMULATED_ROLE_ARN = "arn:aws:iam::111122223333:role/CloudConnectorsAudit"


@pytest.fixture
def server(ctx: AppContext) -> Iterator[str]:
    app = create_app(ctx)
    add_missing_contract_routes(app)
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
def polls(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[PollDriver, str]]:
    """(driver, role ARN): the real scheduler polling a seeded moto account once the
    scheduler and the AWS collector exist; otherwise the state machine driven by hand."""
    if not real_polling_available():
        yield SimulatedPolls(ctx), SIMULATED_ROLE_ARN
        return
    from cloudconnectors.demo.sandbox import MotoSandbox
    from cloudconnectors.demo.seed import seed_customer_account

    with MotoSandbox() as sandbox:
        for key, value in sandbox.platform_environment().items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        ctx.settings = dataclasses.replace(ctx.settings, aws_endpoint_url=sandbox.endpoint)
        seeded = seed_customer_account(sandbox.endpoint, external_id="cc-seeded-before-issue")
        driver = RealPolls(ctx)
        try:
            yield driver, seeded.role_arn
        finally:
            driver.stop()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
