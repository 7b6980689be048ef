"""Azure connector credentials: the app registration and the subscription it reads."""

from __future__ import annotations

import re
from typing import Any

from pydantic import SecretStr, field_validator

from cloudconnectors.providers.base import ProviderCredentials

GUID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


class AzureCredentials(ProviderCredentials):
    account_field = "subscription_id"

    application_id: str
    directory_id: str
    authentication_key: SecretStr
    subscription_id: str

    @field_validator("application_id", "directory_id", "subscription_id")
    @classmethod
    def _guid(cls, value: str) -> str:
        if not GUID_PATTERN.fullmatch(value):
            raise ValueError("must be a GUID like 00000000-0000-0000-0000-000000000000")
        return value.lower()

    @field_validator("authentication_key")
    @classmethod
    def _secret_present(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    def public_view(self) -> dict[str, Any]:
        return {
            "application_id": self.application_id,
            "directory_id": self.directory_id,
            "subscription_id": self.subscription_id,
        }

    def secret_material(self) -> dict[str, Any]:
        material = self.public_view()
        material["authentication_key"] = self.authentication_key.get_secret_value()
        return material
