"""``/api/docs`` in real Chromium: Swagger UI renders, under the CSP, asking nothing off-host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def test_api_docs_render_offline_under_the_csp(page, server: str) -> None:  # type: ignore[no-untyped-def]
    requested: list[str] = []
    violations: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    answer = page.goto("/api/docs")
    assert answer is not None and answer.status == 200
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").wait_for(timeout=30_000)  # 1.5 MB of script
    assert "Cloud Connectors" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-tag", has_text="connectors").first.wait_for()
    page.wait_for_load_state("networkidle")

    remote = [url for url in requested
              if urlsplit(url).scheme not in ("data", "blob")
              and urlsplit(url).hostname not in LOOPBACK]
    assert remote == []
    assert any(url.endswith("/openapi.json") for url in requested)
    assert any("/api/docs/assets/swagger-ui-bundle.js" in url for url in requested)
    assert violations == []
