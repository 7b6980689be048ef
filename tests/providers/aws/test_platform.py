"""The platform's own identity and the client configuration seam."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from cloudconnectors.domain.errors import AuthenticationFailed
from cloudconnectors.providers.aws.options import AwsOptions
from cloudconnectors.providers.aws.platform import (
    client_config,
    keep_endpoint_host,
    make_client,
    platform_account_id,
    platform_session,
)
from tests.providers.aws.polling import PLATFORM_ACCOUNT, make_settings
from tests.support.fault_proxy import FaultProxy, Rule
from tests.support.moto_server import MotoServer


def test_platform_account_id(tmp_path: Path, fault_proxy: FaultProxy) -> None:
    assert platform_account_id(make_settings(tmp_path, fault_proxy.url)) == PLATFORM_ACCOUNT


def test_invalid_platform_credentials_say_how_to_fix(
    tmp_path: Path, fault_proxy: FaultProxy
) -> None:
    fault_proxy.add(Rule(action="GetCallerIdentity", fault="denied",
                         code="InvalidClientTokenId"))
    with pytest.raises(AuthenticationFailed) as refused:
        platform_account_id(make_settings(tmp_path, fault_proxy.url))
    assert "the platform's AWS credentials are invalid" in str(refused.value)
    assert "AWS_ACCESS_KEY_ID" in str(refused.value)


def test_missing_platform_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      fault_proxy: FaultProxy) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(AuthenticationFailed, match="credentials were not found") as missing:
        platform_account_id(make_settings(tmp_path, fault_proxy.url + "/"))
    assert "invalid" not in str(missing.value) and "AWS_ACCESS_KEY_ID" in str(missing.value)


def test_client_config_is_adaptive_and_bounded() -> None:
    options = AwsOptions(max_attempts=4, per_service=3, detail_concurrency=5)
    config = client_config(options)
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 4}
    assert config.max_pool_connections == 3 + 5 + 2
    assert config.connect_timeout == options.connect_timeout


def test_s3control_keeps_the_operator_endpoint_host(
    tmp_path: Path, moto_server: MotoServer
) -> None:
    """S3 Control would send to ``<account>.127.0.0.1``; with an override it must not."""
    settings = make_settings(tmp_path, moto_server.url)
    client = make_client(platform_session(settings), "s3control", "us-east-1", settings,
                         AwsOptions.from_settings(settings))
    block = {"BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": True,
             "RestrictPublicBuckets": False}
    # The provider's clients only read (their models keep the declared operations): write
    # with a plain client that gets the same host handling.
    writer = boto3.client("s3control", region_name="us-east-1", endpoint_url=moto_server.url)
    keep_endpoint_host(writer, moto_server.url)
    writer.put_public_access_block(AccountId=PLATFORM_ACCOUNT,
                                   PublicAccessBlockConfiguration=block)
    answer = client.get_public_access_block(AccountId=PLATFORM_ACCOUNT)
    assert answer["PublicAccessBlockConfiguration"] == block


def test_options_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_REGIONS", "us-east-1, eu-west-1")
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_CONCURRENCY", "7")
    from cloudconnectors.config import load_settings

    options = AwsOptions.from_settings(load_settings(data_dir=tmp_path))
    assert options.regions == ("us-east-1", "eu-west-1")
    assert options.concurrency == 7


@pytest.mark.parametrize("text", ["2026-12-02T23:31:57.000Z", "2026-12-02T23:31:57",
                                  "2026-12-02T23:31:57.123456+02:00",
                                  "Wed, 02 Dec 2026 23:31:57 GMT", "1733182317.5", "20261202"])
def test_fast_timestamps_read_as_botocore_reads_them(text: str) -> None:
    from botocore.utils import parse_timestamp

    from cloudconnectors.providers.aws.platform import fast_timestamp

    assert fast_timestamp(text) == parse_timestamp(text)
    assert fast_timestamp(text).utcoffset() == parse_timestamp(text).utcoffset()
