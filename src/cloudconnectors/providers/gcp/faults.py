"""Classify a failed Google API call into an :class:`Outcome` (errors are data).

Pure. The ErrorInfo reason decides, never the message text:

* ``SERVICE_DISABLED`` (or legacy ``accessNotConfigured``) -> SKIPPED: the API is off in
  the project, its types are *not read*; ``permission`` carries the API's service name.
* ``IAM_PERMISSION_DENIED`` or any other 403 -> DENIED, naming the permission (ErrorInfo's
  ``permission`` metadata when Google gives it, else the declared one).
* 429 or ``RATE_LIMIT_EXCEEDED`` (after the transport's retries) -> THROTTLED.
* 5xx, timeouts, unreachable, anything else -> FAILED.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.gcp.errors import GoogleApiError

__all__ = ["SERVICE_DISABLED", "Fault", "classify", "enable_command"]

SERVICE_DISABLED = "SERVICE_DISABLED"


@dataclass(frozen=True)
class Fault:
    outcome: Outcome
    code: str
    reason: str
    permission: str | None = None


def enable_command(service: str, project: str) -> str:
    return f"gcloud services enable {service} --project {project}"


def classify(exc: BaseException, *, project: str, service: str, permission: str) -> Fault:
    """``service`` is the API's service name (``compute.googleapis.com``), ``permission``
    the one the call needs (``compute.instances.list``)."""
    if not isinstance(exc, GoogleApiError):
        return Fault(Outcome.FAILED, type(exc).__name__,
                     f"unexpected {type(exc).__name__}: {exc}")
    if exc.reason == SERVICE_DISABLED:
        disabled = exc.metadata.get("service") or service
        return Fault(Outcome.SKIPPED, SERVICE_DISABLED,
                     f"{disabled} is disabled in project {project}, so it was not read; "
                     f"enable it: {enable_command(disabled, project)}", disabled)
    if exc.status == 403 or exc.reason == "IAM_PERMISSION_DENIED":
        needed = exc.metadata.get("permission") or permission
        return Fault(Outcome.DENIED, exc.reason or "PERMISSION_DENIED",
                     f"{needed} is not granted on project {project} ({exc.message})", needed)
    if exc.status == 429 or exc.reason == "RATE_LIMIT_EXCEEDED":
        return Fault(Outcome.THROTTLED, exc.reason or "RESOURCE_EXHAUSTED",
                     f"still throttled after {exc.attempts} attempts ({exc.message})")
    if exc.status == 0:
        return Fault(Outcome.FAILED, exc.code, f"{exc.message} after {exc.attempts} attempts")
    return Fault(Outcome.FAILED, exc.code,
                 f"HTTP {exc.status} after {exc.attempts} attempts: {exc.message}")
