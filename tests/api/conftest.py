"""API fixtures: a moto server standing in for the platform's own AWS account."""

from __future__ import annotations

import dataclasses

import pytest

from cloudconnectors.services.context import AppContext
from tests.support.moto_server import AWS_TEST_ENV, MotoServer


@pytest.fixture(scope="session")
def moto_url(moto_server: MotoServer) -> str:
    return moto_server.url


@pytest.fixture
def aws_platform(ctx: AppContext, moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The platform has AWS credentials (moto's account); returns the endpoint."""
    for key, value in AWS_TEST_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    ctx.settings = dataclasses.replace(ctx.settings, aws_endpoint_url=moto_url)
    return moto_url


@pytest.fixture
def no_aws_credentials(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Nothing in the standard credential chain; a distinct endpoint defeats any cache."""
    empty = tmp_path_factory.mktemp("no-aws") / "none"
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    ctx.settings = dataclasses.replace(
        ctx.settings, aws_endpoint_url=f"http://127.0.0.1:9/no-credentials/{empty.parent.name}"
    )
