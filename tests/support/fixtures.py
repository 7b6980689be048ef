"""Pytest fixtures shared by provider tests: a moto server and a fault proxy in front.

Register once in ``tests/conftest.py`` with ``pytest_plugins = ["tests.support.fixtures"]``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fault_proxy import FaultProxy
from tests.support.moto_server import MotoServer, start_moto

__all__ = ["fault_proxy", "moto_server"]


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = start_moto()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fault_proxy(moto_server: MotoServer) -> Iterator[FaultProxy]:
    """A fresh proxy (no rules) per test, forwarding to the session's moto server."""
    proxy = FaultProxy(moto_server.url).start()
    try:
        yield proxy
    finally:
        proxy.stop()
