"""API models trimmed to the operations the declarations call: less memory, cheaper clients.

botocore parses a service's whole API description for its first client (EC2's is ~20 MiB of
Python objects, with every operation, shape and documentation string) and keeps it for the
life of the process. A poll calls a handful of read operations per service, so the loader
shared by the provider's sessions keeps only those operations, the shapes they reach and no
documentation. The trim happens in place on the loader's cached copy, so the full
description becomes garbage at once. Services with no declaration (STS) load whole.
A client of a trimmed service has methods for the declared operations only, which the
engine's reader enforces anyway.

The trimmed models are also kept on disk (``platform.model_cache_dir()``, keyed by the
botocore version and the kept operations), so a new process (a CLI ``scan``, a restarted
worker) reads a few kilobytes per service instead of parsing the whole descriptions again:
about 0.17 s of CPU for the services a CIS poll calls.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import botocore
from botocore.loaders import Loader

__all__ = ["TrimmedLoader", "prune"]

Operations = Mapping[str, frozenset[str]]  # boto3 service -> API operation names


class TrimmedLoader(Loader):
    """A botocore loader whose ``service-2`` models keep only ``operations()[service]``."""

    def __init__(self, operations: Callable[[], Operations]) -> None:
        super().__init__()
        self._operations = operations
        self._trimmed: set[int] = set()
        self._memo: dict[tuple[str, str | None], Any] = {}
        self._lock = threading.Lock()
        self.cache_dir: Path | None = None  # where trimmed models are kept; None: nowhere

    def load_service_model(self, service_name: str, type_name: str,
                           api_version: str | None = None) -> Any:
        keep = self._operations().get(service_name) if type_name == "service-2" else None
        if keep is None:
            return super().load_service_model(service_name, type_name, api_version)
        key = (service_name, api_version)
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        path = self._cache_path(service_name, api_version, keep)
        model = _read_cached(path) if path is not None else None
        if model is None:
            model = super().load_service_model(service_name, type_name, api_version)
            with self._lock:
                if id(model) not in self._trimmed:  # botocore caches the same dict object
                    prune(model, keep)
                    self._trimmed.add(id(model))
            if path is not None:
                _write_cached(path, model)
        with self._lock:
            return self._memo.setdefault(key, model)

    def _cache_path(self, service: str, api_version: str | None,
                    keep: frozenset[str]) -> Path | None:
        if self.cache_dir is None or self._has_custom_models():
            return None
        digest = hashlib.sha256("\n".join(sorted(keep)).encode()).hexdigest()[:16]
        return (self.cache_dir / f"botocore-{botocore.__version__}"
                / f"{service}-{api_version or 'latest'}-{digest}.json")

    def _has_custom_models(self) -> bool:
        """Models a user keeps under ``~/.aws/models`` override botocore's: read those as
        they are now rather than from a copy."""
        user_path = Path(self.CUSTOMER_DATA_PATH)
        return any(Path(p) == user_path and user_path.is_dir() for p in self.search_paths)


def _read_cached(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            model = json.load(handle)
    except (OSError, ValueError):
        return None  # absent, unreadable or half-written by a crash: load the original
    return model if isinstance(model, dict) and "operations" in model else None


def _write_cached(path: Path, model: Any) -> None:
    """Atomic (a temporary file renamed over), so concurrent workers never read half a file;
    a read-only data directory only costs the speed-up."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(model, handle, separators=(",", ":"))
        Path(temporary).replace(path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def prune(model: dict[str, Any], keep: frozenset[str]) -> None:
    """Drop, in place, every operation not in ``keep``, every shape none of the kept ones
    reaches, and all documentation."""
    operations = model.get("operations", {})
    shapes = model.get("shapes", {})
    kept = {name: operations[name] for name in sorted(keep) if name in operations}
    needed: set[str] = set()
    stack = [ref["shape"] for op in kept.values()
             for ref in (op.get("input"), op.get("output"), *op.get("errors", ())) if ref]
    while stack:
        name = stack.pop()
        if name in needed or name not in shapes:
            continue
        needed.add(name)
        shape = shapes[name]
        stack.extend(member["shape"] for member in shape.get("members", {}).values())
        stack.extend(shape[part]["shape"] for part in ("member", "key", "value")
                     if part in shape)
    operations.clear()
    operations.update(kept)
    for name in [n for n in shapes if n not in needed]:
        del shapes[name]
    for entry in (*operations.values(), *shapes.values()):
        entry.pop("documentation", None)
        for member in entry.get("members", {}).values():
            member.pop("documentation", None)
    model.pop("documentation", None)
