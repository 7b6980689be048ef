"""The service-account key is held to what Google issues: a real RSA key, Google's URLs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cloudconnectors.config import load_settings
from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.providers.base import parse_credentials
from cloudconnectors.providers.gcp.credentials import GcpCredentials
from tests.support.credentials import gcp_credentials, rsa_pem

EMAIL = "scanner@posture-demo-123.iam.gserviceaccount.com"


def official_key(**changes: Any) -> dict[str, Any]:
    """Every field of a key file as Google writes it."""
    key = gcp_credentials()["service_account_key"] | {
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
        + quote(EMAIL, safe=""),
        "universe_domain": "googleapis.com",
    }
    return key | changes


def parse(key: dict[str, Any], **settings: Any) -> GcpCredentials:
    parsed = parse_credentials(GcpCredentials, {"service_account_key": key},
                               load_settings(**settings))
    assert isinstance(parsed, GcpCredentials)
    return parsed


def refusal(key: dict[str, Any], **settings: Any) -> tuple[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse(key, **settings)
    problem = caught.value.problems[0]
    return problem.field, problem.rule


def test_a_key_as_google_issues_it_is_accepted_and_kept_whole() -> None:
    key = official_key()
    material = parse(key).secret_material()["service_account_key"]
    assert material == key


def test_an_rsa_key_in_pkcs1_form_is_accepted() -> None:
    loaded = serialization.load_pem_private_key(rsa_pem().encode(), password=None)
    pkcs1 = loaded.private_bytes(serialization.Encoding.PEM,
                                 serialization.PrivateFormat.TraditionalOpenSSL,
                                 serialization.NoEncryption()).decode()
    assert "BEGIN RSA PRIVATE KEY" in pkcs1
    assert parse(official_key(private_key=pkcs1)).service_account_key.private_key


def test_an_encrypted_key_is_refused() -> None:
    loaded = serialization.load_pem_private_key(rsa_pem().encode(), password=None)
    encrypted = loaded.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.BestAvailableEncryption(b"pw")).decode()
    assert refusal(official_key(private_key=encrypted)) == (
        "credentials.service_account_key.private_key",
        "must not be encrypted (use the key file as Google issued it)")


def _inconsistent_rsa_pem() -> str:
    """A well-formed RSA PEM whose CRT exponent does not fit its primes."""
    numbers = serialization.load_pem_private_key(rsa_pem().encode(), password=None)
    assert isinstance(numbers, rsa.RSAPrivateKey)
    n = numbers.private_numbers()
    broken = rsa.RSAPrivateNumbers(n.p, n.q, n.d, n.dmp1 ^ 2, n.dmq1, n.iqmp,
                                   n.public_numbers)
    return broken.private_key(unsafe_skip_rsa_key_validation=True).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


def test_an_entered_key_gets_the_full_rsa_check_and_a_stored_one_only_its_structure() -> None:
    """Entered keys are proven consistent once; a poll reopening the sealed key (authenticated
    encryption since) does not pay for that proof again."""
    key = official_key(private_key=_inconsistent_rsa_pem())
    assert refusal(key) == ("credentials.service_account_key.private_key",
                            "must be the PEM private key from the downloaded JSON key file")
    stored = parse_credentials(GcpCredentials, {"service_account_key": key}, load_settings(),
                               stored=True)
    assert isinstance(stored, GcpCredentials)
    with pytest.raises(ValidationFailed):  # structure is still checked for stored keys
        parse_credentials(GcpCredentials,
                          {"service_account_key": official_key(private_key="not a key")},
                          load_settings(), stored=True)


def test_an_oversized_key_is_refused_before_parsing() -> None:
    field, rule = refusal(official_key(private_key="A" * 9000))
    assert (field, rule) == ("credentials.service_account_key.private_key",
                             "must be at most 8192 characters")


def test_the_operator_configured_token_endpoint_may_be_plain_http() -> None:
    stand_in = "http://127.0.0.1:8099/token"
    key = official_key(token_uri=stand_in)
    assert parse(key, gcp_token_uri=stand_in).service_account_key.token_uri == stand_in
    assert refusal(key)[0] == "credentials.service_account_key.token_uri"


def test_a_raw_at_sign_in_the_certificate_url_is_accepted() -> None:
    url = "https://www.googleapis.com/robot/v1/metadata/x509/" + EMAIL
    assert parse(official_key(client_x509_cert_url=url)).service_account_key


@pytest.mark.parametrize("value", ["a note", 3, True, None, "v1.5"])
def test_unknown_plain_fields_are_kept(value: object) -> None:
    material = parse(official_key(extra_note=value)).secret_material()["service_account_key"]
    assert material.get("extra_note") == value


@pytest.mark.parametrize("value", ["file:///etc/passwd", "//evil/x", "\\\\host\\share",
                                   "10.0.0.1", "metadata.google.internal", ["a"], "x" * 300])
def test_unknown_fields_naming_a_place_or_holding_structure_are_refused(value: object) -> None:
    field, _ = refusal(official_key(extra_thing=value))
    assert field == "credentials.service_account_key.extra_thing"


@pytest.mark.parametrize(("name", "value"), [
    ("universe_domain", "googleapis.com.evil.io"),
    ("auth_uri", "https://accounts.google.com.evil.io/o/oauth2/auth"),
    ("auth_provider_x509_cert_url", "http://www.googleapis.com/oauth2/v1/certs"),
    ("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/"),
    ("token_uri", "https://oauth2.googleapis.com/token/../x"),
    ("private_key_id", "ab/cd"),
])
def test_official_fields_take_only_googles_values(name: str, value: str) -> None:
    assert refusal(official_key(**{name: value}))[0] == f"credentials.service_account_key.{name}"
