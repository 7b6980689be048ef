"""Classify what an AWS call raised into an :class:`Outcome` (errors are data).

Pure: takes the exception, returns a :class:`Fault`. The engine decides what a fault means
for its collector (a refused list call is DENIED; a refused detail makes it PARTIAL).
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from cloudconnectors.domain.readable import readable
from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.aws.permissions import iam_action

__all__ = ["DENIED_CODES", "THROTTLING_CODES", "Fault", "classify", "error_code"]

DENIED_CODES = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
    "UnauthorizedAccess", "AuthorizationErrorException", "Forbidden", "ForbiddenException",
    "AccessDeniedFault", "UnauthorizedException", "NotAuthorized",
})
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "RequestLimitExceeded", "BandwidthLimitExceeded",
    "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException",
})
# The region (or the service in it) is not enabled for the account.
SKIP_CODES = frozenset({"OptInRequired", "SubscriptionRequiredException"})


@dataclass(frozen=True)
class Fault:
    outcome: Outcome
    code: str
    reason: str
    permission: str | None = None


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code") or "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return code or (str(status) if status else "Unknown")
    return type(exc).__name__


def classify(exc: BaseException, service: str) -> Fault:
    """Map one exception to an outcome, naming the IAM action when it was a refusal."""
    code = error_code(exc)
    if isinstance(exc, ClientError):
        operation = exc.operation_name
        message = readable(str(exc.response.get("Error", {}).get("Message") or "")) or ""
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if code in DENIED_CODES or status == 403:
            action = iam_action(service, operation)
            return Fault(Outcome.DENIED, code, f"{operation} was refused: {action} is not "
                         f"allowed for the role ({message})".rstrip(" ()"), action)
        if code in THROTTLING_CODES or status == 429:
            return Fault(Outcome.THROTTLED, code,
                         f"{operation} was still throttled after retries ({code})")
        if code in SKIP_CODES:
            return Fault(Outcome.SKIPPED, code, f"{operation}: the region is not enabled "
                         f"for the account ({code})")
        detail = message if message.startswith(code) else f"{code}: {message}" if message \
            else code
        return Fault(Outcome.FAILED, code, f"{operation} failed (HTTP {status}, {detail})")
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError):
        return Fault(Outcome.FAILED, code, f"timed out: {exc}")
    if isinstance(exc, EndpointConnectionError | ConnectionError):
        return Fault(Outcome.FAILED, code, f"could not reach the endpoint: {exc}")
    if isinstance(exc, BotoCoreError):
        return Fault(Outcome.FAILED, code, readable(str(exc)) or code)
    return Fault(Outcome.FAILED, code, f"unexpected {type(exc).__name__}: {readable(str(exc))}")
