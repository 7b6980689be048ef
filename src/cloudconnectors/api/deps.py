"""Request dependencies: the app context and the authenticated principal.

A request is authenticated by a bearer token (API, CLI) or by the portal's session cookie;
a cookie-authenticated write must also carry the session's CSRF token in ``X-CSRF-Token``.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cloudconnectors.domain.errors import PermissionDenied
from cloudconnectors.services.access import require_admin
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.users import principal_for_token
from cloudconnectors.services.web_sessions import resume_session

SESSION_COOKIE = "cc_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="API token from `cloudconnectors users create`")


def get_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


ContextDep = Annotated[AppContext, Depends(get_context)]


def _unauthorized() -> HTTPException:
    return HTTPException(
        401,
        "authentication required: send 'Authorization: Bearer <token>'",
        headers={"WWW-Authenticate": "Bearer"},
    )


def get_principal(
    request: Request,
    ctx: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is not None:
        principal = principal_for_token(ctx, credentials.credentials)
        if principal is None:
            raise _unauthorized()
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        web_session = resume_session(ctx, cookie)
        if web_session is not None:
            if request.method not in SAFE_METHODS:
                sent = request.headers.get(CSRF_HEADER, "")
                if not hmac.compare_digest(sent, web_session.csrf_token):
                    raise HTTPException(403, f"{CSRF_HEADER}: missing or wrong CSRF token")
            return web_session.principal
    raise _unauthorized()


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_admin(principal: PrincipalDep) -> Principal:
    """The principal of a write: refused with 403 before the body is even validated."""
    try:
        require_admin(principal)
    except PermissionDenied as exc:
        raise HTTPException(403, str(exc)) from None
    return principal


AdminDep = Annotated[Principal, Depends(get_admin)]
