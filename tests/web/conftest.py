"""Browser fixtures: Debian's Chromium driven by Playwright against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudconnectors.services.context import AppContext
from tests.web.live_server import CHROMIUM, CHROMIUM_ARGS, live_server

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture
def server(ctx: AppContext) -> Iterator[str]:
    with live_server(ctx) as url:
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
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.js_errors = errors  # type: ignore[attr-defined]
    yield tab
    context.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
