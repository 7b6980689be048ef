"""What the stand-in knows: tenants, app registrations, subscriptions, resources and faults.

Resources are stored by ARM ID, and indexed by every collection path that lists them (a VM
appears under its resource group's ``.../virtualMachines`` and under the subscription-wide
``/subscriptions/{s}/providers/Microsoft.Compute/virtualMachines``), so paging is a slice.
All keys are lower-case: ARM paths are case-insensitive.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["App", "Fault", "ManagementGroup", "Role", "Subscription", "Token", "World"]

Record = dict[str, Any]

INVENTORY_ACTIONS = (
    "Microsoft.Compute/virtualMachines/read",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Network/networkInterfaces/read",
    "Microsoft.Network/publicIPAddresses/read",
    "Microsoft.Network/virtualNetworks/read",
    "Microsoft.Network/networkSecurityGroups/read",
)


class Role(StrEnum):
    READER = "reader"  # the built-in Reader role: */read
    INVENTORY = "inventory"  # a custom role with the six inventory actions only
    NONE = "none"  # no role assignment on the subscription


@dataclass
class App:
    """An app registration with one client secret, its role and its Graph app permissions."""

    client_id: str
    secret: str
    expired: bool = False
    role: Role = Role.READER
    graph: frozenset[str] = frozenset({"Directory.Read.All", "Policy.Read.All",
                                       "AuditLog.Read.All", "RoleManagement.Read.Directory",
                                       "Policy.Read.DeviceConfiguration"})
    # Management groups (names) where the app holds Reader; inherited by what is below.
    reader_at: set[str] = field(default_factory=set)
    # Subscriptions no role of the app reaches (the way a deny assignment fences one off).
    blocked: set[str] = field(default_factory=set)

    def actions(self) -> list[str]:
        if self.role is Role.READER:
            return ["*/read"]
        if self.role is Role.INVENTORY:
            return list(INVENTORY_ACTIONS)
        return []


@dataclass
class Fault:
    """Answers injected for requests whose path contains ``match`` (lower-case).

    ``status`` 429 comes with ``Retry-After: retry_after``; other statuses with an ARM error
    body. ``times`` answers are faulty, then the real answer follows (``-1``: always).
    ``delay`` seconds are slept before answering (timeouts)."""

    match: str
    status: int = 429
    times: int = 1
    retry_after: float = 1
    delay: float = 0.0
    hits: int = 0


@dataclass(frozen=True)
class Token:
    tenant: str
    client_id: str
    audience: str
    expires: float


@dataclass
class Subscription:
    id: str
    tenant: str
    name: str
    locations: list[str]
    group: str | None = None  # the management group (name) directly holding it
    tags: dict[str, str] = field(default_factory=dict)
    state: str = "Enabled"  # Warned, PastDue, Disabled, Deleted


@dataclass
class ManagementGroup:
    """A management group: ``name`` is its ID, ``parent`` the group holding it (None for
    the tenant root group)."""

    name: str
    tenant: str
    display_name: str
    parent: str | None = None


@dataclass
class World:
    """Everything the three servers share; thread-safe where requests mutate it."""

    tenants: dict[str, dict[str, App]] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    groups: dict[str, ManagementGroup] = field(default_factory=dict)  # by lower-case name
    records: dict[str, Record] = field(default_factory=dict)
    collections: dict[str, list[str]] = field(default_factory=dict)
    graph: dict[str, dict[str, list[Record]]] = field(default_factory=dict)  # tenant -> path
    faults: list[Fault] = field(default_factory=list)
    # Sent on every ARM answer as x-ms-ratelimit-remaining-subscription-reads when set.
    ratelimit_remaining: int | None = None
    page_size: int = 100
    tokens: dict[str, Token] = field(default_factory=dict)
    requests: int = 0
    busy_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- set-up ------------------------------------------------------------------------

    def add_app(self, tenant: str, app: App) -> App:
        self.tenants.setdefault(tenant.lower(), {})[app.client_id.lower()] = app
        return app

    def add_subscription(self, tenant: str, subscription_id: str, name: str,
                         locations: list[str]) -> Subscription:
        sub = Subscription(subscription_id.lower(), tenant.lower(), name, locations)
        self.subscriptions[sub.id] = sub
        self.tenants.setdefault(sub.tenant, {})
        return sub

    def add_group(self, tenant: str, name: str, display_name: str,
                  parent: str | None = None) -> ManagementGroup:
        group = ManagementGroup(name, tenant.lower(), display_name, parent)
        self.groups[name.lower()] = group
        return group

    def place(self, subscription_id: str, group: str, **tags: str) -> Subscription:
        """Put a subscription under ``group``, with ``tags``."""
        sub = self.subscriptions[subscription_id.lower()]
        sub.group = group
        sub.tags = dict(tags)
        return sub

    def group_chain(self, name: str | None) -> list[str]:
        """``name`` and the groups above it, nearest first (lower-case)."""
        chain: list[str] = []
        while name and name.lower() not in chain and name.lower() in self.groups:
            chain.append(name.lower())
            name = self.groups[name.lower()].parent
        return chain

    def reads_group(self, app: App, name: str) -> bool:
        """Reader at the group or at any group above it."""
        held = {g.lower() for g in app.reader_at}
        return any(g in held for g in self.group_chain(name))

    def add(self, record: Record, *also_listed_under: str) -> Record:
        """Store ``record`` (which has an ``id``) under its parent collection and the others."""
        key = record["id"].lower()
        self.records[key] = record
        parent = key.rsplit("/", 1)[0]
        for collection in (parent, *(c.lower() for c in also_listed_under)):
            self.collections.setdefault(collection, []).append(key)
        return record

    def add_graph(self, tenant: str, path: str, *records: Record) -> None:
        self.graph.setdefault(tenant.lower(), {}).setdefault(path, []).extend(records)

    # -- requests ----------------------------------------------------------------------

    def issue_token(self, tenant: str, client_id: str, audience: str) -> str:
        token = "sbx." + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = Token(tenant, client_id, audience, time.time() + 3600)
        return token

    def token(self, header: str | None, audience: str) -> Token | None:
        if not header or not header.startswith("Bearer "):
            return None
        found = self.tokens.get(header.removeprefix("Bearer ").strip())
        if found is None or found.audience != audience or found.expires < time.time():
            return None
        return found

    def app_of(self, token: Token) -> App | None:
        return self.tenants.get(token.tenant, {}).get(token.client_id)

    def fault_for(self, path: str) -> Fault | None:
        lowered = path.lower()
        with self.lock:
            for fault in self.faults:
                if fault.match in lowered and (fault.times < 0 or fault.hits < fault.times):
                    fault.hits += 1
                    return fault
        return None

    def count(self, seconds: float) -> None:
        with self.lock:
            self.requests += 1
            self.busy_seconds += seconds
