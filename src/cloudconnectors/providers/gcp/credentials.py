"""GCP connector credentials: the uploaded service-account JSON key."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationInfo, field_validator

from cloudconnectors.config import Settings
from cloudconnectors.providers.base import ProviderCredentials

OFFICIAL_TOKEN_URI = "https://oauth2.googleapis.com/token"
PROJECT_ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def allowed_token_uris(settings: Settings | None) -> set[str]:
    """Only Google's endpoint, or one the operator configured, is ever called (SSRF guard)."""
    uris = {OFFICIAL_TOKEN_URI}
    if settings is not None:
        uris.add(settings.gcp_token_uri)
    return uris


class ServiceAccountKey(BaseModel):
    """The fields of Google's JSON key file that we rely on; other fields are kept."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str
    project_id: str
    private_key: SecretStr
    client_email: str
    private_key_id: str | None = None
    client_id: str | None = None
    token_uri: str = OFFICIAL_TOKEN_URI

    @field_validator("type")
    @classmethod
    def _is_service_account(cls, value: str) -> str:
        if value != "service_account":
            raise ValueError('must be "service_account" (upload a service-account JSON key)')
        return value

    @field_validator("project_id")
    @classmethod
    def _project_id(cls, value: str) -> str:
        if not PROJECT_ID_PATTERN.match(value):
            raise ValueError("must be a GCP project ID: 6-30 lowercase letters, digits, hyphens")
        return value

    @field_validator("private_key")
    @classmethod
    def _pem(cls, value: SecretStr) -> SecretStr:
        text = value.get_secret_value()
        if "-----BEGIN PRIVATE KEY-----" not in text or "-----END PRIVATE KEY-----" not in text:
            raise ValueError("must be the PEM private key from the downloaded JSON key file")
        return value

    @field_validator("client_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL_PATTERN.match(value):
            raise ValueError("must be the service account's e-mail address")
        return value

    @field_validator("token_uri")
    @classmethod
    def _token_uri(cls, value: str, info: ValidationInfo) -> str:
        settings = (info.context or {}).get("settings")
        if value not in allowed_token_uris(settings):
            raise ValueError(
                f"must be {OFFICIAL_TOKEN_URI} (or the token endpoint the operator configured)"
            )
        return value


class GcpCredentials(ProviderCredentials):
    account_field = "project_id"

    service_account_key: ServiceAccountKey

    def public_view(self) -> dict[str, Any]:
        key = self.service_account_key
        return {"client_email": key.client_email, "project_id": key.project_id}

    def secret_material(self) -> dict[str, Any]:
        key = self.service_account_key
        material = key.model_dump(mode="json")
        material["private_key"] = key.private_key.get_secret_value()
        return {"service_account_key": material}
