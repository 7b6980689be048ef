"""Sign-in, sign-out, cookies and CSRF through the web routes (no browser)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cloudconnectors.composition import create_app
from cloudconnectors.services.context import AppContext
from tests.support.credentials import gcp_credentials
from tests.support.people import Person, make_person
from tests.web.signin_helpers import PASSWORD, form_token, page_csrf, sign_in


def _person(ctx: AppContext, role: str = "admin") -> Person:
    return make_person(ctx, tenant="acme", role=role, password=PASSWORD)


def _set_cookie_headers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return response.headers.get_list("set-cookie")


def test_pages_send_a_signed_out_visitor_to_sign_in(client: TestClient) -> None:
    for path in ("/", "/compliance/reports", "/compliance/reports/connectors",
                 "/compliance/connectors/abc"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/signin")


def test_sign_in_sets_a_strict_session_cookie(ctx: AppContext, client: TestClient) -> None:
    person = _person(ctx)
    answer = sign_in(client, person.email, next_path="/compliance/reports")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/compliance/reports"
    cookie = next(c for c in _set_cookie_headers(answer) if c.startswith("cc_session="))
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags  # plain HTTP on loopback
    page = client.get("/compliance/reports/connectors")
    assert page.status_code == 200 and person.email in page.text


def test_session_cookie_is_secure_over_https(ctx: AppContext) -> None:
    person = _person(ctx)
    with TestClient(create_app(ctx), base_url="https://portal.example") as client:
        answer = sign_in(client, person.email)
        cookie = next(c for c in _set_cookie_headers(answer) if c.startswith("cc_session="))
        assert "secure" in cookie.lower()


def test_wrong_password_and_unknown_email_read_the_same(ctx: AppContext,
                                                         client: TestClient) -> None:
    person = _person(ctx)
    wrong = sign_in(client, person.email, password="not the password")
    unknown = sign_in(client, "nobody@acme.example")
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert "do not match an account" in answer.text
        assert not any(c.startswith("cc_session=") for c in _set_cookie_headers(answer))


def test_empty_fields_are_refused_in_words(client: TestClient) -> None:
    token = form_token(client)
    answer = client.post("/signin", data={"email": "", "password": "", "csrf_token": token})
    assert answer.status_code == 400
    assert "Enter both your e-mail address and your password" in answer.text


def test_sign_in_without_the_form_token_is_refused(ctx: AppContext, client: TestClient) -> None:
    person = _person(ctx)
    client.get("/signin")  # the cookie half exists; the form half is missing or wrong
    for token in ("", "forged"):
        answer = client.post("/signin", data={"email": person.email, "password": PASSWORD,
                                              "csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 403
        assert not any(c.startswith("cc_session=") for c in _set_cookie_headers(answer))


def test_sign_in_from_another_origin_is_refused(ctx: AppContext, client: TestClient) -> None:
    person = _person(ctx)
    token = form_token(client)
    answer = client.post("/signin", data={"email": person.email, "password": PASSWORD,
                                          "csrf_token": token},
                         headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert answer.status_code == 403


def test_next_never_leaves_the_site(ctx: AppContext, client: TestClient) -> None:
    person = _person(ctx)
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
        client.cookies.clear()
        answer = sign_in(client, person.email, next_path=target)
        assert answer.headers["location"] == "/compliance/reports/connectors"


def test_cookie_writes_need_the_csrf_header(ctx: AppContext, client: TestClient) -> None:
    person = _person(ctx)
    sign_in(client, person.email)
    body = {"name": "g1", "provider": "gcp", "credentials": gcp_credentials()}
    refused = client.post("/api/v1/connectors", json=body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = client.post("/api/v1/connectors", json=body, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    token = page_csrf(client)
    created = client.post("/api/v1/connectors", json=body, headers={"X-CSRF-Token": token})
    assert created.status_code == 201, created.text
    assert client.get("/api/v1/connectors").json()["total"] == 1  # reads need no header


def test_viewer_sees_no_write_control_and_the_api_refuses(ctx: AppContext,
                                                           client: TestClient) -> None:
    admin = _person(ctx)
    client.post("/api/v1/connectors", headers=admin.headers,
                json={"name": "g1", "provider": "gcp", "credentials": gcp_credentials()})
    viewer = _person(ctx, role="viewer")
    sign_in(client, viewer.email)
    page = client.get("/compliance/reports/connectors")
    assert page.status_code == 200
    assert 'data-can-write="false"' in page.text
    for control in ("new-connector", 'data-action="refresh"', 'data-action="delete"',
                    'data-action="edit"', "new-connector-drawer"):
        assert control not in page.text
    assert '"canWrite": false' in page.text
    token = page_csrf(client)
    connector_id = client.get("/api/v1/connectors").json()["items"][0]["id"]
    headers = {"X-CSRF-Token": token}
    assert client.post(f"/api/v1/connectors/{connector_id}/refresh",
                       headers=headers).status_code == 403
    assert client.delete(f"/api/v1/connectors/{connector_id}", headers=headers).status_code == 403
    assert client.patch(f"/api/v1/connectors/{connector_id}", headers=headers,
                        json={"name": "x"}).status_code == 403
    detail = client.get(f"/compliance/connectors/{connector_id}")
    assert detail.status_code == 200 and 'id="c-refresh"' not in detail.text


def test_sign_out_needs_the_session_token_and_ends_the_session(ctx: AppContext,
                                                               client: TestClient) -> None:
    person = _person(ctx)
    sign_in(client, person.email)
    assert client.post("/signout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/api/v1/connectors").status_code == 200
    cookie = client.cookies.get("cc_session")
    answer = client.post("/signout", data={"csrf_token": page_csrf(client)},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/signin"
    client.cookies.set("cc_session", cookie or "")  # replaying the old cookie does not work
    assert client.get("/api/v1/connectors").status_code == 401


def test_pages_forbid_foreign_scripts_and_framing(ctx: AppContext, client: TestClient) -> None:
    answer = client.get("/signin")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in answer.text.split("<body", 1)[0].replace('http-equiv', '')


def test_connector_page_of_another_tenant_is_not_found(ctx: AppContext,
                                                       client: TestClient) -> None:
    other = make_person(ctx, tenant="globex", role="admin")
    created = client.post("/api/v1/connectors", headers=other.headers,
                          json={"name": "g", "provider": "gcp", "credentials": gcp_credentials()})
    sign_in(client, _person(ctx).email)
    answer = client.get(f"/compliance/connectors/{created.json()['id']}")
    assert answer.status_code == 404


def test_demo_login_does_not_exist_outside_demo_mode(client: TestClient) -> None:
    assert client.get("/demo-login?token=x", follow_redirects=False).status_code == 404


def test_static_assets_are_served_by_the_package(client: TestClient) -> None:
    for path in ("/static/css/portal.css", "/static/js/connectors.js", "/static/icons/aws.svg",
                 "/static/icons/gcp.svg", "/static/icons/azure.svg"):
        assert client.get(path).status_code == 200, path


def test_repeated_wrong_passwords_are_slowed_down(ctx: AppContext, client: TestClient) -> None:
    person = _person(ctx)
    for _ in range(10):
        assert sign_in(client, person.email, password="guess").status_code == 401
    blocked = sign_in(client, person.email)  # even the right password waits now
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.text
    other = _person(ctx)
    assert sign_in(client, other.email).status_code == 303  # other accounts are unaffected
