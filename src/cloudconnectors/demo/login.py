"""``/demo-login?token=...``: a one-time link that signs the browser in as the demo admin.

Only the demo command adds this route; a normal server has no such path.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.web_sessions import start_session
from cloudconnectors.web.session import HOME_PATH, set_session_cookie

DEMO_LOGIN_PATH = "/demo-login"


class OneTimeLogin:
    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self._token = secrets.token_urlsafe(24)
        self._digest = hashlib.sha256(self._token.encode()).digest()
        self._used = False
        self._lock = threading.Lock()

    @property
    def token(self) -> str:
        return self._token

    def consume(self, offered: str) -> bool:
        digest = hashlib.sha256(offered.encode()).digest()
        with self._lock:
            if self._used or not hmac.compare_digest(digest, self._digest):
                return False
            self._used = True
            return True


def install_demo_login(app: FastAPI, ctx: AppContext, principal: Principal) -> OneTimeLogin:
    login = OneTimeLogin(principal)

    @app.get(DEMO_LOGIN_PATH, include_in_schema=False)
    def demo_login(request: Request, token: str = "") -> Response:
        if not login.consume(token):
            return HTMLResponse(
                "This demo sign-in link was already used or is wrong. Sign in with the demo "
                'e-mail and password printed in the console: <a href="/signin">sign in</a>.',
                status_code=403,
            )
        web_session = start_session(ctx, login.principal)
        response = RedirectResponse(HOME_PATH, status_code=303)
        set_session_cookie(response, request, web_session.cookie_value)
        return response

    return login
