"""The portal's cookies: the session cookie and the sign-in form's double-submit token."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote

from fastapi import Request, Response

from cloudconnectors.api.deps import SESSION_COOKIE
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.web_sessions import SESSION_LIFETIME, WebSession, resume_session

SIGNIN_CSRF_COOKIE = "cc_signin_csrf"
SIGNIN_PATH = "/signin"
HOME_PATH = "/compliance/reports/connectors"


def context_of(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def current_session(request: Request) -> WebSession | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return resume_session(context_of(request), cookie) if cookie else None


def set_session_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )


def new_signin_token() -> str:
    return secrets.token_urlsafe(32)


def set_signin_cookie(response: Response, request: Request, token: str) -> None:
    """The double-submit token: one copy in this cookie, the same value in the form."""
    response.set_cookie(
        SIGNIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path=SIGNIN_PATH,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def signin_token_matches(request: Request, sent: str) -> bool:
    expected = request.cookies.get(SIGNIN_CSRF_COOKIE, "")
    return bool(expected) and hmac.compare_digest(expected.encode(), sent.encode())


def same_origin(request: Request) -> bool:
    """A form post whose browser names another origin is refused outright."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin in {f"http://{host}", f"https://{host}"}


def safe_next(target: str | None) -> str:
    """Only same-site paths may follow sign-in (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return HOME_PATH
    if target.startswith(SIGNIN_PATH):
        return HOME_PATH
    return target


def signin_url_for(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return f"{SIGNIN_PATH}?next={quote(path, safe='')}"
