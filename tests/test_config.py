"""Settings from the environment: a bad number names its variable, for core and AWS knobs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudconnectors.config import load_settings
from cloudconnectors.providers.aws.options import AwsOptions


def test_a_bad_number_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDCONNECTORS_POLL_LEASE_SECONDS", "soon")
    with pytest.raises(ValueError, match="CLOUDCONNECTORS_POLL_LEASE_SECONDS must be a number"):
        load_settings()


def test_aws_knobs_parse_and_refuse_alike(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_CONCURRENCY", "8")
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_REGIONS", "us-east-1, eu-west-1")
    options = AwsOptions.from_settings(settings)
    assert options.concurrency == 8 and options.regions == ("us-east-1", "eu-west-1")
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_READ_TIMEOUT", "long")
    with pytest.raises(ValueError, match="CLOUDCONNECTORS_AWS_READ_TIMEOUT must be a number"):
        AwsOptions.from_settings(settings)


def test_ca_bundle_and_gcp_endpoint_come_from_the_environment(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load_settings(data_dir=tmp_path).ca_bundle is None
    monkeypatch.setenv("CLOUDCONNECTORS_CA_BUNDLE", str(tmp_path / "ca.pem"))
    monkeypatch.setenv("CLOUDCONNECTORS_GCP_API_ENDPOINT", "http://127.0.0.1:1/")
    settings = load_settings(data_dir=tmp_path)
    assert settings.ca_bundle == str(tmp_path / "ca.pem")
    assert settings.gcp_api_endpoint == "http://127.0.0.1:1/"


def test_trusted_proxies_are_addresses_or_networks(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    assert load_settings(data_dir=tmp_path).trusted_proxies == ()
    monkeypatch.setenv("CLOUDCONNECTORS_TRUSTED_PROXIES", "10.0.0.5, 192.168.0.0/16,::1")
    assert load_settings(data_dir=tmp_path).trusted_proxies == (
        "10.0.0.5", "192.168.0.0/16", "::1")
    monkeypatch.setenv("CLOUDCONNECTORS_TRUSTED_PROXIES", "proxy.internal")
    with pytest.raises(ValueError, match="CLOUDCONNECTORS_TRUSTED_PROXIES must list IP"):
        load_settings(data_dir=tmp_path)
