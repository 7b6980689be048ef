"""Sign in through the real form, as a browser would, with a plain HTTP client."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def form_token(client: TestClient) -> str:
    page = client.get("/signin")
    assert page.status_code == 200
    match = TOKEN_FIELD.search(page.text)
    assert match, "the sign-in form carries a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD, next_path: str = ""):  # type: ignore[no-untyped-def]
    token = form_token(client)
    return client.post("/signin", data={"email": email, "password": password,
                                        "csrf_token": token, "next": next_path},
                       follow_redirects=False)


def page_csrf(client: TestClient, path: str = "/compliance/reports/connectors") -> str:
    match = META_TOKEN.search(client.get(path).text)
    assert match
    return match.group(1)
