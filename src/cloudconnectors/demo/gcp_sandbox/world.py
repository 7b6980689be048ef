"""What the stand-in holds: service accounts, projects, their APIs and grants, and every
documented collection, keyed by the path the stand-in serves it under.

A collection is keyed by ``<label>/<documented path>`` (``compute/compute/v1/projects/p/
global/networks``) and knows the project it belongs to, the API's service name and the
permission its call needs, so the server can answer SERVICE_DISABLED or
IAM_PERMISSION_DENIED exactly as Google does. Seeding lives in ``seed.py``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from cloudconnectors.demo.gcp_sandbox.keys import KeyPair

Kind = Literal["list", "aggregated", "record"]


@dataclass
class Fault:
    """Requests whose path contains ``match`` are answered ``status`` ``times`` times
    (429 with ``Retry-After``, or a 5xx) before the real answer; with ``delay`` the answer
    (the real one when ``status`` is 200) comes only after that many seconds; the first
    ``after`` matching requests are let through (a listing that fails on a later page)."""

    match: str
    status: int = 429
    times: int = 1
    retry_after: str | None = "0"
    delay: float = 0.0
    after: int = 0  # let this many matching requests through first (a later page fails)


@dataclass
class Collection:
    project: str
    service: str
    permission: str
    kind: Kind
    key: str = "items"  # the list's key in a page (the per-scope key when aggregated)
    items: list[dict[str, Any]] = field(default_factory=list)
    record: dict[str, Any] | None = None


@dataclass
class Project:
    project_id: str
    number: str
    enabled: set[str]
    zones: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # aggregated scopes that time out


@dataclass
class Account:
    key: KeyPair
    disabled: bool = False
    projects: set[str] = field(default_factory=set)  # projects it may see
    denied: dict[str, set[str]] = field(default_factory=dict)  # project -> permissions


class World:
    """Thread-safe enough for the server: seeded before it starts, read while it runs
    (faults and tokens are the only state that changes, under a lock)."""

    def __init__(self, page_limit: int = 50) -> None:
        self.page_limit = page_limit
        self.projects: dict[str, Project] = {}
        self.accounts: dict[str, Account] = {}
        self.collections: dict[str, Collection] = {}
        self.faults: list[Fault] = []
        self.lock = threading.Lock()

    # -- identities and grants ----------------------------------------------------------------

    def add_account(self, key: KeyPair, *, projects: list[str] | None = None) -> Account:
        account = Account(key, projects=set(projects or [key.project_id]))
        self.accounts[key.email] = account
        return account

    def deny(self, email: str, project: str, *permissions: str) -> None:
        self.accounts[email].denied.setdefault(project, set()).update(permissions)

    def disable_api(self, project: str, service: str) -> None:
        self.projects[project].enabled.discard(service)

    def may(self, email: str, project: str, permission: str) -> bool:
        account = self.accounts.get(email)
        if account is None or project not in account.projects:
            return False
        return permission not in account.denied.get(project, set())

    # -- collections --------------------------------------------------------------------------

    def collection(self, path: str, project: str, service: str, permission: str,
                   kind: Kind = "list", key: str = "items") -> list[dict[str, Any]]:
        """The (new or existing) collection served at ``path``; append items to it."""
        found = self.collections.get(path)
        if found is None:
            found = Collection(project, service, permission, kind, key)
            self.collections[path] = found
        return found.items

    def record(self, path: str, project: str, service: str, permission: str,
               record: dict[str, Any]) -> None:
        self.collections[path] = Collection(project, service, permission, "record",
                                            record=record)

    def lookup(self, path: str, query: dict[str, str]) -> Collection | None:
        found = self.collections.get(path)
        if found is None and "project" in query:  # Cloud Storage: ``b?project=p``
            found = self.collections.get(f"{path}?project={query['project']}")
        return found

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.match in path:
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    fault.times -= 1
                    return fault
        return None
