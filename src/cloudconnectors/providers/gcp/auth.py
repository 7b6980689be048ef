"""Turn the stored key into google-auth credentials and prove them with one token exchange.

The key's ``token_uri`` was checked when the connector was saved (Google's, or the
operator's ``CLOUDCONNECTORS_GCP_TOKEN_URI``). A refused exchange (``invalid_grant``: bad
signature, deleted key, disabled account) is an :class:`AuthenticationFailed` that tells the
person to create a new key, and where.
"""

from __future__ import annotations

from typing import Any

from google.auth import exceptions as google_exceptions
from google.auth.transport.requests import Request
from google.oauth2 import service_account

from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.providers.gcp.transport import http_session

__all__ = ["SCOPE", "signed_in"]

SCOPE = "https://www.googleapis.com/auth/cloud-platform.read-only"


def _keys_page(email: str, project: str) -> str:
    return (f"https://console.cloud.google.com/iam-admin/serviceaccounts/details/"
            f"{email}/keys?project={project}")


def signed_in(key: dict[str, Any], ca_bundle: str | None) -> service_account.Credentials:
    email = str(key.get("client_email"))
    project = str(key.get("project_id"))
    try:
        credentials: service_account.Credentials = (
            service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                key, scopes=[SCOPE]))
    except (ValueError, KeyError) as exc:
        raise AuthenticationFailed(
            f"the service-account key of {email} cannot be read ({type(exc).__name__}). "
            f"Create a new JSON key for it ({_keys_page(email, project)}) and upload it "
            "to this connector.") from None
    try:
        credentials.refresh(Request(http_session(ca_bundle)))  # type: ignore[no-untyped-call]
    except google_exceptions.RefreshError as exc:
        detail = str(exc.args[0]) if exc.args else str(exc)
        raise AuthenticationFailed(
            f"Google refused the service-account key of {email} ({detail}). The key was "
            f"deleted or disabled, the account was disabled, or the key file is damaged. "
            f"Create a new JSON key ({_keys_page(email, project)}: Keys, Add key, Create new "
            "key, JSON), upload it to this connector, then press Refresh.") from None
    except google_exceptions.TransportError as exc:
        raise CollectionFailed(
            f"could not reach Google's token endpoint to sign in as {email}: {exc}. Check "
            "the platform's network access to oauth2.googleapis.com (or "
            "CLOUDCONNECTORS_GCP_TOKEN_URI and CLOUDCONNECTORS_CA_BUNDLE).") from None
    return credentials
