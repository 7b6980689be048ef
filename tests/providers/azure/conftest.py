"""Azure provider fixtures: the HTTPS stand-in (``tests.support.azure``) and settings for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudconnectors.config import Settings
from cloudconnectors.providers.base import PollContext
from tests.support.azure import AzureWorld, azure, azure_world, settings_for

__all__ = ["azure", "azure_world"]


@pytest.fixture
def settings(azure: AzureWorld, tmp_path: Path) -> Settings:
    return settings_for(azure, tmp_path)


@pytest.fixture
def context(settings: Settings) -> PollContext:
    return PollContext(settings, tenant_id="tenant-1", connector_id="conn-1")
