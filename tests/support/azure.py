"""The Azure stand-in for tests: one HTTPS sandbox per session, seeded with a directory,
app registrations in every role, a populated subscription and an empty one.

The server code ships in ``cloudconnectors.demo.azure_sandbox`` (the demo runs it too);
this module only arranges the world the tests need and the settings that point at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cloudconnectors.config import Settings, load_settings
from cloudconnectors.demo.azure_sandbox import App, AzureSandbox, Role, World
from cloudconnectors.demo.azure_sandbox.seed import Seeded, seed_subscription
from cloudconnectors.providers.azure.credentials import AzureCredentials

__all__ = ["AzureWorld", "azure_org", "azure_world", "credentials", "settings_for"]

TENANT = "7e1a0000-0000-4000-8000-00000000d1e7"
SUBSCRIPTION = "5ab50000-0000-4000-8000-000000000001"
EMPTY_SUBSCRIPTION = "5ab50000-0000-4000-8000-000000000002"
READER_APP = "a9900000-0000-4000-8000-000000000001"
INVENTORY_APP = "a9900000-0000-4000-8000-000000000002"
NO_GRAPH_APP = "a9900000-0000-4000-8000-000000000003"
EXPIRED_APP = "a9900000-0000-4000-8000-000000000004"
NO_ROLE_APP = "a9900000-0000-4000-8000-000000000005"
UNKNOWN_APP = "a9900000-0000-4000-8000-0000000000ff"
UNKNOWN_TENANT = "7e1a0000-0000-4000-8000-0000000000ff"
SECRET = "s3cret-value~not.the.id"
VMS = 5


@dataclass
class AzureWorld:
    sandbox: AzureSandbox
    ca_file: Path
    seeded: Seeded

    @property
    def world(self) -> World:
        return self.sandbox.world


def _world() -> tuple[World, Seeded]:
    world = World()
    world.page_size = 2  # small pages: every list of more than two items pages
    world.add_app(TENANT, App(READER_APP, SECRET))
    world.add_app(TENANT, App(INVENTORY_APP, SECRET, role=Role.INVENTORY, graph=frozenset()))
    world.add_app(TENANT, App(NO_GRAPH_APP, SECRET, graph=frozenset()))
    world.add_app(TENANT, App(EXPIRED_APP, SECRET, expired=True))
    world.add_app(TENANT, App(NO_ROLE_APP, SECRET, role=Role.NONE))
    seeded = seed_subscription(world, TENANT, SUBSCRIPTION, vms=VMS)
    world.add_subscription(TENANT, EMPTY_SUBSCRIPTION, "empty", ["eastus"])
    return world, seeded


@pytest.fixture(scope="session")
def azure_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzureWorld]:
    world, seeded = _world()
    with AzureSandbox(world) as sandbox:
        ca_file = sandbox.write_ca(tmp_path_factory.mktemp("azure-ca") / "ca.pem")
        yield AzureWorld(sandbox, ca_file, seeded)


@pytest.fixture
def azure(azure_world: AzureWorld) -> Iterator[AzureWorld]:
    """The session's sandbox, with this test's faults removed afterwards."""
    yield azure_world
    azure_world.world.faults.clear()
    azure_world.world.ratelimit_remaining = None


def settings_for(azure: AzureWorld, tmp_path: Path, **extra: str) -> Settings:
    options = {"azure_max_retries": "2", "azure_backoff_factor": "0.01",
               "azure_retry_after_cap": "2", "azure_read_timeout": "5", **extra}
    sandbox = azure.sandbox
    return load_settings(data_dir=tmp_path, azure_authority_host=sandbox.authority,
                         azure_management_endpoint=sandbox.management,
                         azure_graph_endpoint=sandbox.graph, ca_bundle=str(azure.ca_file),
                         extra=options)


def credentials(app: str = READER_APP, subscription: str = SUBSCRIPTION, *,
                tenant: str = TENANT, secret: str = SECRET) -> AzureCredentials:
    return AzureCredentials(application_id=app, directory_id=tenant,
                            authentication_key=secret, subscription_id=subscription)


#: The organization tree of ``azure_org``: groups (ID, display name, parent) below the tenant
#: root group (whose ID is the directory ID), and subscriptions (ID, name, group, tags, state).
ORG_GROUPS = (("mg-prod", "Production", TENANT), ("mg-prod-eu", "Production EU", "mg-prod"),
              ("mg-sandbox", "Sandbox", TENANT))
ORG_SUBSCRIPTIONS = (
    ("5ab50000-0000-4000-8000-0000000000a1", "prod-eu-app", "mg-prod-eu", {"env": "prod"},
     "Enabled"),
    ("5ab50000-0000-4000-8000-0000000000a2", "prod-eu-data", "mg-prod-eu", {"env": "prod"},
     "Enabled"),
    ("5ab50000-0000-4000-8000-0000000000a3", "prod-core", "mg-prod",
     {"env": "prod", "team": "core"}, "Enabled"),
    ("5ab50000-0000-4000-8000-0000000000a4", "sandbox-old", "mg-sandbox", {}, "Disabled"),
)


@contextmanager
def azure_org(tmp_path: Path) -> Iterator[AzureWorld]:
    """A sandbox of its own holding a management-group tree (two levels, pages of two):
    READER_APP holds Reader at the tenant root group, NO_GRAPH_APP Reader on subscriptions
    only. The populated SUBSCRIPTION sits directly under the root."""
    world, seeded = _world()
    world.add_group(TENANT, TENANT, "Tenant Root Group")
    for name, display, parent in ORG_GROUPS:
        world.add_group(TENANT, name, display, parent)
    world.place(SUBSCRIPTION, TENANT, costcenter="42")
    for sub_id, name, group, tags, state in ORG_SUBSCRIPTIONS:
        world.add_subscription(TENANT, sub_id, name, ["eastus"])
        world.place(sub_id, group, **tags).state = state
    world.tenants[TENANT][READER_APP].reader_at.add(TENANT)
    with AzureSandbox(world) as sandbox:
        ca_file = sandbox.write_ca(tmp_path / "azure-org-ca.pem")
        yield AzureWorld(sandbox, ca_file, seeded)
