"""Refuse API JSON bodies nested too deep or holding absurdly long numbers, before parsing.

FastAPI parses the body itself and answers any parser failure other than a syntax error
with a bare "There was an error parsing the body": that is what a body nested a thousand
deep (``RecursionError``) or a 5,000-digit integer (the interpreter's conversion limit)
got. Checked here first, both get a 422 naming ``body`` and the bound, in the same shape
as every other refusal.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cloudconnectors.domain.nesting import json_problem

JSON_METHODS = frozenset({"POST", "PUT", "PATCH"})


class JsonBounds:
    def __init__(self, app: ASGIApp, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            scope["type"] == "http"
            and scope["method"] in JSON_METHODS
            and scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        # The size limit outside this middleware caps what is buffered here.
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = json_problem(body.decode("utf-8", errors="replace"))
        if problem is not None:
            await _refuse(send, problem)
            return
        await self.app(scope, _replay([body], None, receive), send)


def _replay(bodies: list[bytes], pending: Message | None, receive: Receive) -> Receive:
    """A receive that hands the buffered body back once, then defers to the real one."""
    queue: list[Message] = [{"type": "http.request", "body": b, "more_body": False}
                            for b in bodies]
    if pending is not None:
        queue.append(pending)

    async def replayed() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replayed


async def _refuse(send: Send, rule: str) -> None:
    body = json.dumps({"detail": f"body: {rule}",
                       "errors": [{"field": "body", "rule": rule}]}).encode()
    await send({"type": "http.response.start", "status": 422,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
