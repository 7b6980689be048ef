"""AWS provider fixtures: platform credentials for moto, a seeded customer account.

The shared ``moto_server`` / ``fault_proxy`` fixtures come from ``tests.support.fixtures``,
registered for the whole suite in ``tests/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudconnectors.config import Settings
from cloudconnectors.providers.base import PollContext
from tests.providers.aws.polling import REGIONS, SEEDED_ACCOUNT, make_settings
from tests.support.aws_seed import PLATFORM_ENV, account_session, seed_account, seed_extras
from tests.support.fault_proxy import FaultProxy
from tests.support.moto_server import MotoServer


@pytest.fixture(autouse=True)
def platform_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PLATFORM_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "CLOUDCONNECTORS_AWS_REGIONS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def seeded_account(moto_server: MotoServer) -> str:
    """A customer account with instances in both test regions and one of most types."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in PLATFORM_ENV.items():
            mp.setenv(name, value)
        session = account_session(moto_server.url, SEEDED_ACCOUNT)
        seed_account(session, moto_server.url, REGIONS, instances=6, buckets=4, users=3,
                     security_groups=4)
        seed_extras(session, moto_server.url, "us-east-1", SEEDED_ACCOUNT)
    return SEEDED_ACCOUNT


@pytest.fixture
def settings(tmp_path: Path, fault_proxy: FaultProxy) -> Settings:
    return make_settings(tmp_path, fault_proxy.url)


@pytest.fixture
def context(settings: Settings) -> PollContext:
    return PollContext(settings, tenant_id="tenant-1", connector_id="conn-1")
