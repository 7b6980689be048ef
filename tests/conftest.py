"""Fixtures every test package shares: a migrated database, an app context, an API client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.composition import create_app
from cloudconnectors.config import load_settings
from cloudconnectors.security.crypto import SecretBox
from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.db import Database
from tests.support.database import TestDatabases, databases
from tests.support.people import Person, make_person

pytest_plugins = ["tests.support.fixtures"]

TEST_SECRET_KEY = "test-secret-key-for-the-suite-only"


@pytest.fixture(scope="session", autouse=True)
def _model_cache_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Trimmed AWS models are cached per run (CLI subprocesses inherit the variable), never
    in the home directory of whoever runs the suite."""
    import os

    key = "CLOUDCONNECTORS_CACHE_DIR"
    saved = os.environ.get(key)
    os.environ[key] = str(tmp_path_factory.mktemp("model-cache"))
    yield
    if saved is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = saved


@pytest.fixture(autouse=True)
def _post_poll_hooks_per_test() -> Iterator[None]:
    """``create_app`` and the CLI install the default post-poll hooks process-wide; each test
    starts from the hooks it found, so whether a poll evaluates never depends on test order."""
    saved = list(polling.POST_POLL_HOOKS)
    yield
    polling.POST_POLL_HOOKS[:] = saved


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    yield from databases(tmp_path_factory.mktemp("db-template"))


@pytest.fixture
def ctx(test_databases: TestDatabases, tmp_path: Path) -> Iterator[AppContext]:
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=test_databases.fresh_url(tmp_path),
        secret_key=TEST_SECRET_KEY,
    )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    context = AppContext(settings=settings, db=Database(settings.database_url),
                         secrets=SecretBox.from_settings(settings))
    yield context
    context.close()


@pytest.fixture
def client(ctx: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(ctx)) as test_client:
        yield test_client


@pytest.fixture
def admin(ctx: AppContext) -> Person:
    return make_person(ctx, tenant="acme", role="admin")


@pytest.fixture
def viewer(ctx: AppContext) -> Person:
    return make_person(ctx, tenant="acme", role="viewer")
