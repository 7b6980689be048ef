"""Azure connector credentials: the app registration and the subscription it reads."""

from __future__ import annotations

import re
from typing import Any

from pydantic import SecretStr, field_validator

from cloudconnectors.providers.base import ProviderCredentials

GUID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


GROUP_ID_PATTERN = re.compile(r"^[A-Za-z0-9_().-]{1,90}$")


class AzureCredentials(ProviderCredentials):
    """The app and the subscription it reads; a member of an organization connector also
    names the ``management_group`` holding its subscription (for the fix texts)."""

    account_field = "subscription_id"

    application_id: str
    directory_id: str
    authentication_key: SecretStr
    subscription_id: str
    management_group: str | None = None

    @field_validator("management_group")
    @classmethod
    def _group(cls, value: str | None) -> str | None:
        if value is not None and not GROUP_ID_PATTERN.fullmatch(value):
            raise ValueError("must be a management group ID: up to 90 letters, digits, "
                             "-, _, ., parentheses")
        return value

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
        view = {
            "application_id": self.application_id,
            "directory_id": self.directory_id,
            "subscription_id": self.subscription_id,
        }
        if self.management_group is not None:
            view["management_group"] = self.management_group
        return view

    def secret_material(self) -> dict[str, Any]:
        material = self.public_view()
        material["authentication_key"] = self.authentication_key.get_secret_value()
        return material
