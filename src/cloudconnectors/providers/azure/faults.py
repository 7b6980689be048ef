"""What went wrong, as data: ARM and Graph error bodies and Entra ID sign-in errors.

Pure functions. :func:`classify` turns an exception from a read into a :class:`Fault`
(DENIED names the ARM action from ``AuthorizationFailed``'s message, or the declared
permission); :func:`sign_in_problem` turns a token failure into the message a person reads
on an offline connector: which setting is wrong and how to fix it, never the secret and
never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from azure.core.exceptions import (
    AzureError,
    ServiceRequestError,
    ServiceRequestTimeoutError,
    ServiceResponseError,
    ServiceResponseTimeoutError,
)

from cloudconnectors.domain.runs import Outcome

__all__ = ["ApiError", "Fault", "classify", "sign_in_problem"]

_ACTION = re.compile(r"perform action '([^']+)'")
_AADSTS = re.compile(r"AADSTS(\d+)")
DENIED_CODES = frozenset({"AuthorizationFailed", "Authorization_RequestDenied", "AccessDenied",
                          "Forbidden", "LinkedAuthorizationFailed"})
# Nothing to read: the resource provider was never registered in the subscription (so it
# holds no resources of its kinds), or the feature is not offered there.
SKIP_CODES = frozenset({"MissingSubscriptionRegistration", "SubscriptionNotRegistered",
                        "FeatureNotSupportedForSubscription", "NoRegisteredProviderFound"})
ABSENT_CODES = frozenset({"ResourceNotFound", "NotFound", "Request_ResourceNotFound",
                          "ParentResourceNotFound", "ResourceGroupNotFound"})


class ApiError(Exception):
    """A non-2xx answer from ARM or Graph, with the error body's code and message."""

    def __init__(self, status: int, code: str, message: str, url: str) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.url = url


@dataclass(frozen=True)
class Fault:
    outcome: Outcome
    code: str
    reason: str
    permission: str | None = None


def classify(exc: BaseException, permission: str) -> Fault:
    """``permission`` is what the read needs (ARM action or Graph permission)."""
    if isinstance(exc, ApiError):
        message = exc.message.split(" If access was recently granted")[0].strip()
        if exc.code in DENIED_CODES or exc.status == 403:
            named = _ACTION.search(exc.message)
            action = named.group(1) if named else permission
            return Fault(Outcome.DENIED, exc.code or "403",
                         f"{action} is not granted to the app ({exc.code})", action)
        if exc.status == 429:
            return Fault(Outcome.THROTTLED, exc.code or "429",
                         "still throttled after the capped retries (HTTP 429 "
                         f"{exc.code}); the next poll tries again")
        if exc.code in SKIP_CODES:
            return Fault(Outcome.SKIPPED, exc.code,
                         f"the resource provider is not registered in the subscription, so "
                         f"it holds none of these ({exc.code})")
        return Fault(Outcome.FAILED, exc.code or str(exc.status),
                     f"HTTP {exc.status} {exc.code}: {message}".rstrip(": "))
    if isinstance(exc, ServiceRequestTimeoutError | ServiceResponseTimeoutError):
        return Fault(Outcome.FAILED, "Timeout", "timed out after the retries")
    if isinstance(exc, ServiceRequestError | ServiceResponseError):
        return Fault(Outcome.FAILED, "ConnectionError",
                     f"could not reach the endpoint after the retries ({type(exc).__name__})")
    if isinstance(exc, AzureError):
        return Fault(Outcome.FAILED, type(exc).__name__, _first_line(str(exc)))
    return Fault(Outcome.FAILED, type(exc).__name__, f"unexpected {type(exc).__name__}")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:300] if text.strip() else "no detail"


def sign_in_problem(message: str, application_id: str, directory_id: str,
                    authority: str) -> str:
    """The fix for a failed client-credentials sign-in, from the library's error text."""
    found = _AADSTS.search(message)
    code = found.group(1) if found else None
    where = (f"the app registration {application_id} in directory {directory_id}")
    if code == "7000215":
        return (f"Microsoft Entra ID refused the client secret of {where} (AADSTS7000215: "
                "invalid client secret). Paste the secret's Value, not its Secret ID: in the "
                "Azure portal open App registrations > the app > Certificates & secrets, "
                "create a new client secret if the value is no longer shown, and save it as "
                "the connector's Authentication Key; then press Refresh.")
    if code == "7000222":
        return (f"The client secret of {where} has expired (AADSTS7000222). Create a new "
                "one under App registrations > the app > Certificates & secrets > New client "
                "secret, save its Value as the connector's Authentication Key, then press "
                "Refresh.")
    if code == "700016":
        return (f"Microsoft Entra ID does not know the application {application_id} in "
                f"directory {directory_id} (AADSTS700016). Check the Application (client) ID "
                "on the app registration's Overview page, and that the Directory (tenant) ID "
                "is the directory the app was registered in; then press Refresh.")
    if code in ("90002", "900023", "90013") or "Unable to get authority configuration" in \
            message or "Tenant '" in message:
        return (f"Microsoft Entra ID does not know the directory {directory_id} at "
                f"{authority}" + (f" (AADSTS{code})" if code else "") + ". Use the Directory "
                "(tenant) ID from the app registration's Overview page (a GUID), then press "
                "Refresh.")
    if code:
        return (f"Microsoft Entra ID refused to sign in {where} (AADSTS{code}). See "
                f"https://login.microsoftonline.com/error?code={code}, fix the app "
                "registration, then press Refresh.")
    return (f"could not sign in {where} at {authority}: {_first_line(message)}. Check the "
            "platform's network access to Microsoft Entra ID (or "
            "CLOUDCONNECTORS_AZURE_AUTHORITY_HOST and CLOUDCONNECTORS_CA_BUNDLE), then press "
            "Refresh.")
