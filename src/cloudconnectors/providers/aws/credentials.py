"""AWS connector credentials: the customer's Role ARN and the External ID we issued."""

from __future__ import annotations

import re
from typing import Any

from pydantic import field_validator

from cloudconnectors.providers.base import ProviderCredentials

# ASCII only: without re.ASCII, \d and \w also take other scripts' digits and letters, which
# AWS refuses; fullmatch() so that a trailing newline does not slip past "$".
ROLE_ARN_PATTERN = re.compile(
    r"arn:aws(?:-cn|-us-gov)?:iam::(?P<account>\d{12}):role/(?P<name>[\w+=,.@/-]{1,512})",
    re.ASCII,
)
EXTERNAL_ID_PATTERN = re.compile(r"[\w+=,.@:/-]{2,1224}", re.ASCII)


class AwsCredentials(ProviderCredentials):
    account_field = "account_id"

    role_arn: str
    external_id: str

    @field_validator("role_arn")
    @classmethod
    def _role_arn_syntax(cls, value: str) -> str:
        if not ROLE_ARN_PATTERN.fullmatch(value):
            raise ValueError(
                "must be an IAM role ARN like arn:aws:iam::111122223333:role/CloudConnectors"
            )
        return value

    @field_validator("external_id")
    @classmethod
    def _external_id_syntax(cls, value: str) -> str:
        if not EXTERNAL_ID_PATTERN.fullmatch(value):
            raise ValueError("must be the External ID issued by POST /providers/aws/external-ids")
        return value

    @property
    def account_id(self) -> str:
        match = ROLE_ARN_PATTERN.match(self.role_arn)
        assert match is not None  # validated on construction
        return match.group("account")

    def issued_external_id(self) -> str | None:
        return self.external_id

    def public_view(self) -> dict[str, Any]:
        return {
            "role_arn": self.role_arn,
            "external_id": self.external_id,
            "account_id": self.account_id,
        }
