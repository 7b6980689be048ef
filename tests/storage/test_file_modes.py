"""Under the usual umask 022 the data directory is 0700 and the database files 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from cloudconnectors.config import load_settings
from cloudconnectors.services.context import AppContext


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_fresh_data_directory_and_database_are_private(tmp_path: Path, umask_022: None) -> None:
    data_dir = tmp_path / "fresh" / "data"
    settings = load_settings(data_dir=data_dir, secret_key=None,
                             database_url=f"sqlite:///{data_dir / 'cloudconnectors.db'}")
    ctx = AppContext.create(settings)
    try:
        with ctx.db.write() as session:  # a write, so the WAL and its index exist
            session.execute(text("CREATE TABLE probe (x INTEGER)"))
        with ctx.db.read() as session:
            session.execute(text("SELECT count(*) FROM probe"))
            files = {p.name: _mode(p) for p in data_dir.iterdir()}
    finally:
        ctx.close()
    assert _mode(data_dir) == 0o700
    assert {"cloudconnectors.db", "cloudconnectors.db-wal", "cloudconnectors.db-shm",
            "secret.key"} <= set(files)
    assert all(mode == 0o600 for mode in files.values()), files


def test_an_existing_world_readable_database_is_narrowed(tmp_path: Path,
                                                         umask_022: None) -> None:
    database = tmp_path / "old.db"
    database.touch(mode=0o644)
    settings = load_settings(data_dir=tmp_path / "d", secret_key="k" * 32,
                             database_url=f"sqlite:///{database}")
    AppContext.create(settings).close()
    assert _mode(database) == 0o600
