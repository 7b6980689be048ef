"""GCP connector credentials: the uploaded service-account JSON key.

The key is uploaded by a person and later read by the server to sign a token request, so
every field that names a place (``token_uri``, ``auth_uri``, the certificate URLs,
``universe_domain``) is a way to make the server call a host of the uploader's choosing
(SSRF). Each official field therefore accepts only the value Google writes into its keys,
the token endpoint may also be the one the operator configured (a local stand-in in tests,
which is why plain http is allowed for it alone), and an unknown field that carries a URL
or a structure is refused naming the field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import unquote

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from cloudconnectors.config import Settings
from cloudconnectors.providers.base import ProviderCredentials

OFFICIAL_TOKEN_URI = "https://oauth2.googleapis.com/token"
OFFICIAL_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
OFFICIAL_PROVIDER_CERT_URL = "https://www.googleapis.com/oauth2/v1/certs"
CLIENT_CERT_URL_PREFIX = "https://www.googleapis.com/robot/v1/metadata/x509/"
UNIVERSE_DOMAIN = "googleapis.com"
PROJECT_ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
EMAIL_PATTERN = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# A 4096-bit PKCS#8 PEM is about 3,300 characters; anything far larger is not a key.
PRIVATE_KEY_MAX_CHARS = 8_192
# Unknown fields may carry short plain text only (Google adds fields now and then).
UNKNOWN_FIELD_MAX_CHARS = 256
# A scheme ("x:..."), "//", a UNC share, a dotted host name or an IPv4 address.
URL_SIGNS = re.compile(
    r"(^[a-z][a-z0-9+.-]*:\S|//|\\\\|[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}|\d+\.\d+\.\d+\.\d+)",
    re.IGNORECASE | re.ASCII,
)
EMAIL_MAX_CHARS = 254


def allowed_token_uris(settings: Settings | None) -> set[str]:
    """Only Google's endpoint, or one the operator configured, is ever called (SSRF guard)."""
    uris = {OFFICIAL_TOKEN_URI}
    if settings is not None:
        uris.add(settings.gcp_token_uri)
    return uris


def _refuse(rule: str) -> PydanticCustomError:
    # A custom error type keeps pydantic's "Value error, " prefix out of our wording.
    return PydanticCustomError("gcp_key_rule", rule)


def check_rsa_private_key(pem: str, *, stored: bool = False) -> None:
    """Parse the PEM (cryptography) and insist on an unencrypted RSA private key.

    A key entered by a person gets OpenSSL's full RSA consistency check (tens of
    milliseconds of CPU). A key opened from storage (``stored``) was checked that way when it
    was entered and has been under authenticated encryption since, so only its structure is
    parsed again: a poll then spends no CPU proving the same key twice.
    """
    if len(pem) > PRIVATE_KEY_MAX_CHARS:
        raise _refuse(f"must be at most {PRIVATE_KEY_MAX_CHARS} characters")
    if not pem.isascii():
        raise _refuse("must be the PEM private key from the downloaded JSON key file")
    try:
        key = load_pem_private_key(
            pem.encode("ascii"), password=None, unsafe_skip_rsa_key_validation=stored)
    except TypeError as exc:  # password-protected
        raise _refuse("must not be encrypted (use the key file as Google issued it)") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise _refuse("must be the PEM private key from the downloaded JSON key file") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _refuse("must be an RSA private key (Google's service-account keys are RSA)")


def _exactly(value: str | None, official: str) -> str | None:
    if value is not None and value != official:
        raise _refuse(f"must be {official} (the value Google issues)")
    return value


def _harmless(value: object) -> object:
    """Plain scalars only: a string that names no scheme, host path or UNC share."""
    if value is None or isinstance(value, bool | int | float):
        return value
    plain = isinstance(value, str) and len(value) <= UNKNOWN_FIELD_MAX_CHARS
    if plain and URL_SIGNS.search(str(value)) is None:
        return value
    raise PydanticCustomError(
        "gcp_key_unknown_field",
        "is not a field of Google's key file and may only hold short plain text "
        "(no URL, host or structure)",
    )


# Fields Google may add later are kept, but only as harmless text (validated per field, so
# a refusal names the field).
UnknownField = Annotated[Any, AfterValidator(_harmless)]


class ServiceAccountKey(BaseModel):
    """Google's JSON key file: the official fields, each held to the value Google issues."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, UnknownField] = Field(init=False)

    type: str
    project_id: str
    private_key: SecretStr
    client_email: str
    private_key_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{1,128}$")
    client_id: str | None = Field(default=None, pattern=r"^[0-9]{1,32}$")
    token_uri: str = OFFICIAL_TOKEN_URI
    auth_uri: str | None = None
    auth_provider_x509_cert_url: str | None = None
    client_x509_cert_url: str | None = None
    universe_domain: str | None = None

    @field_validator("type")
    @classmethod
    def _is_service_account(cls, value: str) -> str:
        if value != "service_account":
            raise _refuse('must be "service_account" (upload a service-account JSON key)')
        return value

    @field_validator("project_id")
    @classmethod
    def _project_id(cls, value: str) -> str:
        if not PROJECT_ID_PATTERN.fullmatch(value):
            raise _refuse("must be a GCP project ID: 6-30 lowercase letters, digits, hyphens")
        return value

    @field_validator("private_key")
    @classmethod
    def _rsa_pem(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        check_rsa_private_key(value.get_secret_value(),
                              stored=bool((info.context or {}).get("stored")))
        return value

    @field_validator("client_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if len(value) > EMAIL_MAX_CHARS or not EMAIL_PATTERN.fullmatch(value):
            raise _refuse("must be the service account's e-mail address")
        return value

    @field_validator("token_uri")
    @classmethod
    def _token_uri(cls, value: str, info: ValidationInfo) -> str:
        settings = (info.context or {}).get("settings")
        if value not in allowed_token_uris(settings):
            raise _refuse(
                f"must be {OFFICIAL_TOKEN_URI} (or the token endpoint the operator configured)"
            )
        return value

    @field_validator("auth_uri")
    @classmethod
    def _auth_uri(cls, value: str | None) -> str | None:
        return _exactly(value, OFFICIAL_AUTH_URI)

    @field_validator("auth_provider_x509_cert_url")
    @classmethod
    def _provider_certs(cls, value: str | None) -> str | None:
        return _exactly(value, OFFICIAL_PROVIDER_CERT_URL)

    @field_validator("universe_domain")
    @classmethod
    def _universe(cls, value: str | None) -> str | None:
        return _exactly(value, UNIVERSE_DOMAIN)

    @field_validator("client_x509_cert_url")
    @classmethod
    def _client_certs(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        email = info.data.get("client_email")
        rest = value.removeprefix(CLIENT_CERT_URL_PREFIX)
        if rest == value or email is None or unquote(rest) != email:
            raise _refuse(f"must be {CLIENT_CERT_URL_PREFIX}<the key's client_email>")
        return value


CONTAINER_PATTERN = re.compile(r"^(organizations|folders)/[0-9]{1,32}$")


class GcpCredentials(ProviderCredentials):
    """The key, and for a member of an organization connector the one ``project`` it reads
    (instead of every project the key can see) and the ``container`` (folder or organization)
    that holds it."""

    account_field = "project_id"

    service_account_key: ServiceAccountKey
    project: str | None = None
    container: str | None = None

    @field_validator("project")
    @classmethod
    def _member_project(cls, value: str | None) -> str | None:
        if value is not None and not PROJECT_ID_PATTERN.fullmatch(value):
            raise _refuse("must be a GCP project ID: 6-30 lowercase letters, digits, hyphens")
        return value

    @field_validator("container")
    @classmethod
    def _member_container(cls, value: str | None) -> str | None:
        if value is not None and not CONTAINER_PATTERN.fullmatch(value):
            raise _refuse("must be organizations/<number> or folders/<number>")
        return value

    def public_view(self) -> dict[str, Any]:
        key = self.service_account_key
        if self.project is None:
            return {"client_email": key.client_email, "project_id": key.project_id}
        return {"client_email": key.client_email, "project_id": self.project,
                "key_project_id": key.project_id,
                **({"container": self.container} if self.container else {})}

    def secret_material(self) -> dict[str, Any]:
        key = self.service_account_key
        material = key.model_dump(mode="json", exclude_none=True)
        material["private_key"] = key.private_key.get_secret_value()
        pinned = {"project": self.project, "container": self.container}
        return {"service_account_key": material,
                **{k: v for k, v in pinned.items() if v is not None}}
