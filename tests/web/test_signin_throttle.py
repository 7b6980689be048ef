"""The sign-in throttle: per account and per client, in the database, no forwarded-header
bypass unless the operator names the proxy."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloudconnectors.composition import create_app
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.signin_throttle import LIMITS
from cloudconnectors.storage.tables import SignInFailureRow
from tests.cli.servers import serve_process
from tests.conftest import TEST_SECRET_KEY
from tests.support.people import make_person
from tests.web.signin_helpers import PASSWORD, TOKEN_FIELD, sign_in


def _email(ctx: AppContext) -> str:
    return make_person(ctx, tenant="acme", role="admin", password=PASSWORD).email


def test_spraying_many_accounts_from_one_client_is_limited(ctx: AppContext,
                                                           client: TestClient) -> None:
    for n in range(LIMITS["client"]):
        assert sign_in(client, f"nobody{n}@acme.example", password="Winter2026!").status_code \
            == 401
    blocked = sign_in(client, _email(ctx))  # a real account, the right password: wait
    assert blocked.status_code == 429
    assert "Too many failed sign-ins from your network address" in blocked.text


def test_every_process_sees_the_same_counts(ctx: AppContext) -> None:
    email = _email(ctx)
    first, second = TestClient(create_app(ctx)), TestClient(create_app(ctx))
    for n in range(LIMITS["account"]):
        assert sign_in(first if n % 2 else second, email, password="guess").status_code == 401
    assert sign_in(TestClient(create_app(ctx)), email).status_code == 429


def _signin_over_http(base: str, email: str, password: str, forwarded_for: str) -> int:
    with httpx.Client(base_url=base, timeout=10) as http:
        form = http.get("/signin")
        match = TOKEN_FIELD.search(form.text)
        assert match
        answer = http.post("/signin", headers={"X-Forwarded-For": forwarded_for},
                           data={"email": email, "password": password,
                                 "csrf_token": match.group(1), "next": ""})
        return answer.status_code


def _serve_env(ctx: AppContext, **extra: str) -> dict[str, str]:
    return {"CLOUDCONNECTORS_DATA_DIR": str(ctx.settings.data_dir),
            "CLOUDCONNECTORS_DATABASE_URL": ctx.settings.database_url,
            "CLOUDCONNECTORS_SECRET_KEY": TEST_SECRET_KEY, **extra}


def test_rotating_forwarded_for_does_not_make_new_clients(ctx: AppContext) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default; serve does not."""
    emails = [f"sprayed{n}@acme.example" for n in range(LIMITS["client"])]
    real = _email(ctx)
    with serve_process(_serve_env(ctx), start_within=120) as base:
        for n, email in enumerate(emails):
            assert _signin_over_http(base, email, "x", f"203.0.113.{n}") == 401
        assert _signin_over_http(base, real, PASSWORD, "198.51.100.7") == 429


def test_a_configured_proxy_is_believed_and_accounts_stay_limited(ctx: AppContext) -> None:
    victim = _email(ctx)
    env = _serve_env(ctx, CLOUDCONNECTORS_TRUSTED_PROXIES="127.0.0.1")
    with serve_process(env, start_within=120) as base:
        # Behind the named proxy each forwarded address is its own client ...
        for n in range(LIMITS["client"]):
            assert _signin_over_http(base, f"typo{n}@acme.example", "x", "203.0.113.10") == 401
        assert _signin_over_http(base, "typo@acme.example", "x", "203.0.113.10") == 429
        assert _signin_over_http(base, _email(ctx), PASSWORD, "203.0.113.11") == 303
        # ... and one account's guesses are limited whichever addresses they come from.
        for n in range(LIMITS["account"]):
            assert _signin_over_http(base, victim, "guess", f"192.0.2.{n}") == 401
        assert _signin_over_http(base, victim, PASSWORD, "192.0.2.200") == 429


def test_the_table_keeps_no_plain_e_mail(ctx: AppContext, client: TestClient) -> None:
    sign_in(client, "secret.person@acme.example", password="guess")
    with ctx.db.read() as session:
        keys = list(session.scalars(select(SignInFailureRow.key)))
    assert len(keys) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)
