"""Assumed-role credentials that renew themselves, so a poll may outlive one session.

``sts:AssumeRole`` is called once up front (so a refusal surfaces at ``authenticate``) and
again by botocore shortly before the temporary credentials expire. The refreshable
credentials are handed to botocore through its public credential-resolver component.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import botocore.session
from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials

from cloudconnectors.providers.aws.platform import boto3_session

__all__ = ["assumed_role_session"]

_METHOD = "cloudconnectors-assume-role"


class _AssumedRoleProvider(CredentialProvider):
    METHOD = _METHOD
    CANONICAL_NAME = _METHOD

    def __init__(self, credentials: RefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> RefreshableCredentials:
        return self._credentials


def assumed_role_session(
    assume: Callable[[], dict[str, Any]], region: str
) -> boto3.Session:
    """``assume`` calls sts:AssumeRole and returns its ``Credentials``; it may raise."""

    def fetch() -> dict[str, Any]:
        answer = assume()
        return {
            "access_key": answer["AccessKeyId"],
            "secret_key": answer["SecretAccessKey"],
            "token": answer["SessionToken"],
            "expiry_time": answer["Expiration"].isoformat(),
        }

    credentials = RefreshableCredentials.create_from_metadata(
        metadata=fetch(), refresh_using=fetch, method=_METHOD
    )
    core = botocore.session.get_session()
    core.register_component("credential_provider",
                            CredentialResolver([_AssumedRoleProvider(credentials)]))
    return boto3_session(region, core)
