"""API models trimmed to the operations the declarations call: less memory, cheaper clients.

botocore parses a service's whole API description for its first client (EC2's is ~20 MiB of
Python objects, with every operation, shape and documentation string) and keeps it for the
life of the process. A poll calls a handful of read operations per service, so the loader
shared by the provider's sessions keeps only those operations, the shapes they reach and no
documentation. The trim happens in place on the loader's cached copy, so the full
description becomes garbage at once. Services with no declaration (STS) load whole.
A client of a trimmed service has methods for the declared operations only, which the
engine's reader enforces anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from botocore.loaders import Loader

__all__ = ["TrimmedLoader", "prune"]

Operations = Mapping[str, frozenset[str]]  # boto3 service -> API operation names


class TrimmedLoader(Loader):
    """A botocore loader whose ``service-2`` models keep only ``operations()[service]``."""

    def __init__(self, operations: Callable[[], Operations]) -> None:
        super().__init__()
        self._operations = operations
        self._trimmed: set[int] = set()
        self._lock = threading.Lock()

    def load_service_model(self, service_name: str, type_name: str,
                           api_version: str | None = None) -> Any:
        model = super().load_service_model(service_name, type_name, api_version)
        if type_name != "service-2":
            return model
        keep = self._operations().get(service_name)
        if keep is None:
            return model
        with self._lock:
            if id(model) not in self._trimmed:  # the cached dict is the same object each time
                prune(model, keep)
                self._trimmed.add(id(model))
        return model


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
