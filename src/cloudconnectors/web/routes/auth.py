"""Sign-in and sign-out.

Both forms are protected against cross-site posting: sign-in by a double-submit token (a
cookie plus the same value in the form, since there is no session yet), sign-out by the
session's own CSRF token. Every session starts fresh on sign-in, so a planted cookie value
never becomes a signed-in session.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cloudconnectors.api.deps import SESSION_COOKIE
from cloudconnectors.services import signin_throttle
from cloudconnectors.services.users import authenticate_password
from cloudconnectors.services.web_sessions import end_session, start_session
from cloudconnectors.web.session import (
    SIGNIN_CSRF_COOKIE,
    SIGNIN_PATH,
    clear_session_cookie,
    context_of,
    current_session,
    new_signin_token,
    safe_next,
    same_origin,
    set_session_cookie,
    set_signin_cookie,
    signin_token_matches,
)
from cloudconnectors.web.templating import templates

router = APIRouter(include_in_schema=False)

WRONG_CREDENTIALS = "That e-mail and password do not match an account. Check both and try again."
THROTTLED_FOR = {"account": "for this e-mail", "client": "from your network address"}
EXPIRED_FORM = "This sign-in form has expired. We loaded a fresh one: please sign in again."


def _signin_page(
    request: Request, *, next_path: str, email: str = "", error: str | None = None, status: int
) -> HTMLResponse:
    token = new_signin_token()
    response = templates.TemplateResponse(
        request,
        "signin.html",
        {"next_path": next_path, "email": email, "error": error, "csrf_token": token},
        status_code=status,
        headers={"cache-control": "no-store"},
    )
    set_signin_cookie(response, request, token)
    return response


@router.get(SIGNIN_PATH, response_class=HTMLResponse)
def signin_form(request: Request, next: str | None = None) -> Response:
    if current_session(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _signin_page(request, next_path=safe_next(next), status=200)


@router.post(SIGNIN_PATH, response_class=HTMLResponse)
def signin(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    next_path = safe_next(next)
    if not same_origin(request) or not signin_token_matches(request, csrf_token):
        return _signin_page(
            request, next_path=next_path, email=email, error=EXPIRED_FORM, status=403
        )
    if not email.strip() or not password:
        return _signin_page(
            request,
            next_path=next_path,
            email=email,
            error="Enter both your e-mail address and your password.",
            status=400,
        )
    # The connection's own address: forwarded headers count only from a configured proxy.
    client = request.client.host if request.client else "unknown"
    ctx = context_of(request)
    refused = signin_throttle.refusal(ctx.db, email, client)
    if refused is not None:
        minutes = max(1, round(refused.retry_after_seconds / 60))
        return _signin_page(
            request,
            next_path=next_path,
            email=email,
            error=f"Too many failed sign-ins {THROTTLED_FOR[refused.scope]}. Wait {minutes} "
            f"minute{'' if minutes == 1 else 's'} and try again.",
            status=429,
        )
    principal = authenticate_password(ctx, email, password)
    if principal is None:
        signin_throttle.failed(ctx.db, email, client)
        return _signin_page(
            request, next_path=next_path, email=email, error=WRONG_CREDENTIALS, status=401
        )
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        end_session(ctx, old)
    web_session = start_session(ctx, principal)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(response, request, web_session.cookie_value)
    response.delete_cookie(SIGNIN_CSRF_COOKIE, path=SIGNIN_PATH)
    return response


@router.post("/signout")
def signout(
    request: Request, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    web_session = current_session(request)
    if web_session is not None:
        if not same_origin(request) or not hmac.compare_digest(
            web_session.csrf_token.encode(), csrf_token.encode()
        ):
            return HTMLResponse(
                "Sign-out refused: the request did not carry this session's CSRF token. "
                "Use the Sign out button in the portal.",
                status_code=403,
            )
        end_session(context_of(request), web_session.cookie_value)
    response = RedirectResponse(SIGNIN_PATH, status_code=303)
    clear_session_cookie(response, request)
    return response
