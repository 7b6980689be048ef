"""``/api/docs``: Swagger UI served from this server, under a strict Content-Security-Policy.

FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline script; an
air-gapped installation shows a blank page and the portal's CSP would block it. Here the
assets come from the ``swagger-ui-bundle-v2`` package (Swagger UI as released, not a copy in
this tree), the start-up code is a file of ours, and nothing leaves the host: the online
validator is off.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

__all__ = ["DOCS_CSP", "DOCS_PATH", "install_docs"]

DOCS_PATH = "/api/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"
OWN_ASSETS_PATH = f"{DOCS_PATH}/static"
OWN_ASSETS_DIR = Path(__file__).with_name("docs_static")
# The portal's policy (web/security_headers.py): only this origin; data: images are the
# icons inside Swagger UI's stylesheet.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}} - API</title>
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="{OWN_ASSETS_PATH}/init.js"></script>
</body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """Serve the Swagger UI page and its assets (create the app with ``docs_url=None``)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_ui_path), name="swagger-ui")
    app.mount(OWN_ASSETS_PATH, StaticFiles(directory=OWN_ASSETS_DIR), name="swagger-ui-init")
    page = _PAGE.replace("{title}", app.title)

    @app.get(DOCS_PATH, include_in_schema=False, response_class=HTMLResponse)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page, headers={"content-security-policy": DOCS_CSP,
                                           "cache-control": "no-cache"})
