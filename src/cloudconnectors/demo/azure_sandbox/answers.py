"""The stand-in's answer type and the error bodies Microsoft's services send."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Answer", "aad_error", "arm_error", "graph_error", "ok"]


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        return json.dumps(self.body).encode()


def ok(body: Any) -> Answer:
    return Answer(200, body)


def arm_error(status: int, code: str, message: str) -> Answer:
    """ARM's ``{"error": {"code", "message"}}`` body."""
    return Answer(status, {"error": {"code": code, "message": message}})


def graph_error(status: int, code: str, message: str) -> Answer:
    inner = {"request-id": str(uuid.uuid4()), "date": "2026-01-01T00:00:00"}
    return Answer(status, {"error": {"code": code, "message": message, "innerError": inner}})


def aad_error(status: int, error: str, code: int, description: str) -> Answer:
    """The token endpoint's OAuth error body, with the AADSTS code as Entra ID sends it."""
    trace = str(uuid.uuid4())
    return Answer(status, {
        "error": error,
        "error_description": f"AADSTS{code}: {description}\r\nTrace ID: {trace}\r\n"
                             f"Correlation ID: {uuid.uuid4()}\r\nTimestamp: 2026-01-01 00:00:00Z",
        "error_codes": [code],
        "timestamp": "2026-01-01 00:00:00Z",
        "trace_id": trace,
        "correlation_id": str(uuid.uuid4()),
        "error_uri": f"https://login.microsoftonline.com/error?code={code}",
    })
