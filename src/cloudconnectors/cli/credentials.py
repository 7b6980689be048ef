"""Turn ``connectors add|edit`` flags into a provider's credentials object.

Secrets never come from the command line (other users can read it from the process list):
the Azure key is read from standard input and the GCP key from a file.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from cloudconnectors.domain.errors import ValidationFailed


@dataclass(frozen=True)
class CredentialFlags:
    role_arn: str | None = None
    external_id: str | None = None
    key_file: Path | None = None
    application_id: str | None = None
    directory_id: str | None = None
    subscription_id: str | None = None
    authentication_key_stdin: bool = False

    @property
    def any_given(self) -> bool:
        return any(
            value not in (None, False)
            for value in (self.role_arn, self.external_id, self.key_file, self.application_id,
                          self.directory_id, self.subscription_id,
                          self.authentication_key_stdin)
        )

    def foreign_to(self, provider: str) -> list[str]:
        """Flags that belong to another provider (refused rather than ignored)."""
        owners = {
            "--role-arn": ("aws", self.role_arn), "--external-id": ("aws", self.external_id),
            "--key-file": ("gcp", self.key_file),
            "--application-id": ("azure", self.application_id),
            "--directory-id": ("azure", self.directory_id),
            "--subscription-id": ("azure", self.subscription_id),
            "--authentication-key-stdin": ("azure", self.authentication_key_stdin or None),
        }
        return [flag for flag, (owner, value) in owners.items()
                if value is not None and owner != provider]


def credential_options(func: Any) -> Any:
    options = [
        click.option("--role-arn", help="AWS: the ARN of the role the platform assumes."),
        click.option("--external-id",
                     help="AWS: an External ID issued to this tenant (default: issue one now)."),
        click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="GCP: the service-account JSON key file."),
        click.option("--application-id", help="Azure: Application (client) ID."),
        click.option("--directory-id", help="Azure: Directory (tenant) ID."),
        click.option("--subscription-id", help="Azure: Subscription ID."),
        click.option("--authentication-key-stdin", is_flag=True,
                     help="Azure: read the Authentication Key (client secret) from stdin."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def read_key_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationFailed.single("key-file", f"cannot be read ({exc.strerror})") from None
    try:
        value = json.loads(text)
    except ValueError:
        raise ValidationFailed.single("key-file", "is not valid JSON") from None
    if not isinstance(value, dict):
        raise ValidationFailed.single("key-file", "must hold a JSON object")
    return value


def read_secret_stdin() -> str:
    return sys.stdin.read().strip()


def build(provider: str, flags: CredentialFlags, current: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    """Credentials for ``provider``; ``current`` (public view) fills gaps on edit."""
    foreign = flags.foreign_to(provider)
    if foreign:
        raise ValidationFailed.single(foreign[0], f"does not apply to {provider} connectors")
    current = current or {}
    if provider == "aws":
        credentials = {"role_arn": flags.role_arn or current.get("role_arn")}
        external_id = flags.external_id or current.get("external_id")
        if external_id:
            credentials["external_id"] = external_id
        if not credentials["role_arn"]:
            raise ValidationFailed.single("--role-arn", "is required for aws connectors")
        return credentials
    if provider == "gcp":
        if flags.key_file is None:
            raise ValidationFailed.single("--key-file", "is required for gcp connectors")
        return {"service_account_key": read_key_file(flags.key_file)}
    if not flags.authentication_key_stdin:
        raise ValidationFailed.single(
            "--authentication-key-stdin", "is required for azure connectors (pipe the secret)")
    return {
        "application_id": flags.application_id or current.get("application_id"),
        "directory_id": flags.directory_id or current.get("directory_id"),
        "subscription_id": flags.subscription_id or current.get("subscription_id"),
        "authentication_key": read_secret_stdin(),
    }
