"""Refuse request bodies over 1 MiB before they are read, and API bodies that are not JSON."""

from __future__ import annotations

import contextlib
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1024 * 1024


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _refuse(send, self.limit)
            return
        seen = 0
        exceeded = started = False

        async def limited_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # Frameworks may catch the read error and answer 400; the answer is 413 instead.
            nonlocal started
            if exceeded:
                if not started:
                    started = True
                    await _refuse(send, self.limit)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, limited_receive, guarded_send)
        if exceeded and not started:
            await _refuse(send, self.limit)


async def _refuse(send: Send, limit: int) -> None:
    await _send_json(send, 413, f"body: must be at most {limit} bytes")


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


JSON_METHODS = frozenset({"POST", "PUT", "PATCH"})


class JsonBodiesOnly:
    """An API write that carries a body must say it is JSON; anything else is 415."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in JSON_METHODS
            and scope["path"].startswith(self.prefix)
        ):
            headers = dict(scope.get("headers") or [])
            declared = headers.get(b"content-length")
            has_body = declared != b"0" and (
                declared is not None or b"transfer-encoding" in headers
            )
            media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if has_body and not (media == b"application/json" or media.endswith(b"+json")):
                await _send_json(send, 415, "content-type: must be application/json")
                return
        await self.app(scope, receive, send)
