"""Every HTTP operation an app serves, with its full path, walked from ``app.routes``.

Newer FastAPI nests included routers (``iter_route_contexts`` flattens them with their
prefixes); older versions list ``APIRoute`` objects directly. The OpenAPI document is
cross-checked so a route this walk misses fails the caller loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.routing import APIRoute


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    route: APIRoute

    @property
    def body_required(self) -> bool:
        field = self.route.body_field
        if field is None:
            return False
        required = getattr(field, "required", None)
        return bool(field.field_info.is_required() if required is None else required)

    @property
    def query_names(self) -> set[str]:
        return {p.alias for p in self.route.dependant.query_params}


def _flat(app: FastAPI) -> Iterator[tuple[str, set[str], Any]]:
    iterate = getattr(fastapi_routing, "iter_route_contexts", None)
    if iterate is None:
        for route in app.routes:
            yield getattr(route, "path", ""), getattr(route, "methods", set()) or set(), route
        return
    for context in iterate(app.routes):
        yield context.path or "", context.methods or set(), context.original_route


def operations(app: FastAPI, prefix: str = "/api/") -> list[Operation]:
    found = [
        Operation(method, path, route)
        for path, methods, route in _flat(app)
        if isinstance(route, APIRoute) and path.startswith(prefix)
        for method in sorted(set(methods) - {"HEAD", "OPTIONS"})
    ]
    documented = {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items() if path.startswith(prefix)
        for method in item
    }
    missed = documented - {(op.method, op.path) for op in found}
    assert not missed, f"the route walk missed documented operations: {sorted(missed)}"
    assert found, "no API routes found"
    return found
