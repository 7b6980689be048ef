"""The composition root is the only module that puts the API and the portal together."""

from __future__ import annotations

import ast
from pathlib import Path

from fastapi.testclient import TestClient

import cloudconnectors
from cloudconnectors.api.app import create_api
from cloudconnectors.composition import create_app
from cloudconnectors.services.context import AppContext

PACKAGE = Path(cloudconnectors.__file__).parent


def _imports(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return names


def test_api_never_imports_the_portal_or_the_composition_root() -> None:
    imported = _imports(PACKAGE / "api")
    offenders = {n for n in imported if n.startswith(("cloudconnectors.web",
                                                      "cloudconnectors.composition"))}
    assert offenders == set()


def test_the_api_alone_serves_no_portal_and_the_app_serves_both(ctx: AppContext) -> None:
    with TestClient(create_api(ctx)) as api_only:
        assert api_only.get("/healthz").status_code == 200
        assert api_only.get("/signin").status_code == 404
    with TestClient(create_app(ctx)) as whole:
        assert whole.get("/healthz").status_code == 200
        assert whole.get("/signin").status_code == 200
        assert "content-security-policy" in {k.lower() for k in whole.get("/signin").headers}
