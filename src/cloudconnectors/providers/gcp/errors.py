"""Google's error envelope, read into one typed exception.

Google APIs answer errors with a ``google.rpc.Status`` JSON body::

    {"error": {"code": 403, "message": "...", "status": "PERMISSION_DENIED",
               "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason": "SERVICE_DISABLED", "domain": "googleapis.com",
                            "metadata": {"service": "compute.googleapis.com",
                                         "consumer": "projects/123"}}],
               "errors": [{"reason": "accessNotConfigured", "domain": "usageLimits"}]}}

The machine-readable reason is ErrorInfo's ``reason`` (never the message text); older APIs
(Cloud Storage, BigQuery) only carry the legacy ``errors[].reason``, which is mapped onto
the same names.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GoogleApiError", "parse_error"]

_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
# Legacy ``errors[].reason`` -> the ErrorInfo reason it means.
_LEGACY = {
    "accessNotConfigured": "SERVICE_DISABLED",
    "rateLimitExceeded": "RATE_LIMIT_EXCEEDED",
    "userRateLimitExceeded": "RATE_LIMIT_EXCEEDED",
    "quotaExceeded": "RATE_LIMIT_EXCEEDED",
    "forbidden": "IAM_PERMISSION_DENIED",
    "insufficientPermissions": "IAM_PERMISSION_DENIED",
}


class GoogleApiError(Exception):
    """One refused or failed request, after retries.

    ``reason`` is the ErrorInfo reason (``SERVICE_DISABLED``, ``IAM_PERMISSION_DENIED``,
    ``RATE_LIMIT_EXCEEDED``, ...) or None; ``metadata`` its metadata (``service``,
    ``consumer``, ``permission``, ``activationUrl``).
    """

    def __init__(self, status: int, message: str, *, reason: str | None = None,
                 status_text: str | None = None, metadata: dict[str, str] | None = None,
                 method: str = "GET", url: str = "", attempts: int = 1) -> None:
        self.status = status
        self.message = message
        self.reason = reason
        self.status_text = status_text
        self.metadata = metadata or {}
        self.method = method
        self.url = url
        self.attempts = attempts
        super().__init__(f"HTTP {status} {reason or status_text or ''}: {message}".strip())

    @property
    def code(self) -> str:
        return self.reason or self.status_text or str(self.status)


def parse_error(status: int, body: Any, **where: Any) -> GoogleApiError:
    """Read a response body (already JSON-decoded, or anything else) into the exception."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        text = str(body)[:200] if body else f"HTTP {status}"
        return GoogleApiError(status, text, **where)
    reason: str | None = None
    metadata: dict[str, str] = {}
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and detail.get("@type") == _ERROR_INFO:
            reason = str(detail.get("reason") or "") or None
            raw = detail.get("metadata") or {}
            metadata = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
            break
    if reason is None:
        for legacy in error.get("errors") or []:
            if isinstance(legacy, dict) and legacy.get("reason") in _LEGACY:
                reason = _LEGACY[str(legacy["reason"])]
                break
    status_text = error.get("status")
    return GoogleApiError(
        status, str(error.get("message") or f"HTTP {status}"), reason=reason,
        status_text=str(status_text) if status_text else None, metadata=metadata, **where)
