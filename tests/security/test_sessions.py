"""Portal session cookies authenticate API calls; a cookie write needs the CSRF token."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cloudconnectors.api.deps import CSRF_HEADER, SESSION_COOKIE
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.users import revoke_tokens
from cloudconnectors.services.web_sessions import end_session, start_session
from tests.support.credentials import azure_credentials
from tests.support.people import Person, principal_of

BODY = {"name": "cookie-made", "provider": "azure", "credentials": azure_credentials()}


def test_cookie_reads_and_csrf_guarded_writes(client: TestClient, ctx: AppContext,
                                              admin: Person) -> None:
    session = start_session(ctx, principal_of(ctx, admin))
    client.cookies.set(SESSION_COOKIE, session.cookie_value)
    assert client.get("/api/v1/me").json()["email"] == admin.email
    missing = client.post("/api/v1/connectors", json=BODY)
    assert missing.status_code == 403 and CSRF_HEADER in missing.json()["detail"]
    wrong = client.post("/api/v1/connectors", json=BODY, headers={CSRF_HEADER: "guess"})
    assert wrong.status_code == 403
    right = client.post("/api/v1/connectors", json=BODY,
                        headers={CSRF_HEADER: session.csrf_token})
    assert right.status_code == 201, right.text
    end_session(ctx, session.cookie_value)
    assert client.get("/api/v1/me").status_code == 401


def test_forged_cookie_is_401(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "forged-value")
    assert client.get("/api/v1/connectors").status_code == 401


def test_viewer_cookie_with_csrf_still_cannot_write(client: TestClient, ctx: AppContext,
                                                    viewer: Person) -> None:
    session = start_session(ctx, principal_of(ctx, viewer))
    client.cookies.set(SESSION_COOKIE, session.cookie_value)
    answer = client.post("/api/v1/connectors", json=BODY,
                         headers={CSRF_HEADER: session.csrf_token})
    assert answer.status_code == 403 and "admin" in answer.json()["detail"]


def test_revoked_token_is_401(client: TestClient, ctx: AppContext, admin: Person) -> None:
    assert client.get("/api/v1/me", headers=admin.headers).status_code == 200
    revoke_tokens(ctx, admin.email)
    assert client.get("/api/v1/me", headers=admin.headers).status_code == 401
