"""The GCP stand-in for tests: the demo's shipped server (``cloudconnectors.demo.
gcp_sandbox``) with a freshly generated key pair and a small seeded organization.

``gcp_lab(...)`` starts it on a free loopback port and yields a :class:`GcpLab` holding the
world (to disable APIs, deny permissions or script faults), the server (request counts),
the key and the settings that point the real provider at it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from cloudconnectors.config import Settings
from cloudconnectors.demo.gcp_sandbox import GcpStandIn, KeyPair, World, make_key_pair
from cloudconnectors.demo.gcp_sandbox.seed import ProjectSpec, seed_organization
from cloudconnectors.demo.gcp_sandbox.world import ORGANIZATION

__all__ = ["GcpLab", "ProjectSpec", "gcp_lab", "gcp_org_lab"]

HOME = "home-project-1"
EMAIL = f"posture-reader@{HOME}.iam.gserviceaccount.com"
_KEYS: dict[str, KeyPair] = {}


def key_pair(email: str = EMAIL, project: str = HOME) -> KeyPair:
    """One RSA key per identity for the whole session (generating one costs ~0.1 s)."""
    if email not in _KEYS:
        _KEYS[email] = make_key_pair(email, project)
    return _KEYS[email]


@dataclass
class GcpLab:
    world: World
    server: GcpStandIn
    key: KeyPair

    @property
    def credentials(self) -> dict[str, Any]:
        return {"service_account_key": self.key.json_key(self.server.token_uri)}

    def settings(self, base: Settings) -> Settings:
        return replace(base, gcp_token_uri=self.server.token_uri,
                       gcp_api_endpoint=self.server.base_url,
                       extra={**base.extra, "gcp_backoff_seconds": "0",
                              "gcp_retry_cap_seconds": "0.05"})


@contextmanager
def gcp_lab(specs: Sequence[ProjectSpec] = (ProjectSpec(HOME),), *, page_limit: int = 3,
            visible: Sequence[str] | None = None) -> Iterator[GcpLab]:
    """``visible``: the projects the key may see (default: all seeded ones)."""
    world = World(page_limit=page_limit)
    seed_organization(world, specs)
    key = key_pair()
    world.add_account(key, projects=list(visible if visible is not None
                                         else [s.project_id for s in specs]))
    with GcpStandIn(world) as server:
        yield GcpLab(world, server, key)


#: Folders of the organization tree: (folder number, display name, parent).
ORG_FOLDERS = (("201", "prod", ORGANIZATION), ("202", "prod-eu", "folders/201"),
               ("203", "sandbox", ORGANIZATION))
#: Its projects: the key's home at the top, two under prod (one nested), one pending deletion.
ORG_PROJECTS = (
    ProjectSpec(HOME, vms=1, each=0),
    ProjectSpec("prod-core-1", vms=1, each=0, parent="folders/201",
                labels={"env": "prod", "team": "core"}),
    ProjectSpec("prod-eu-app-1", vms=2, each=0, parent="folders/202", labels={"env": "prod"}),
    ProjectSpec("prod-eu-data-1", vms=0, each=0, parent="folders/202", labels={"env": "prod"}),
    ProjectSpec("prod-eu-web-1", vms=0, each=0, parent="folders/202"),
    ProjectSpec("sandbox-old-1", vms=0, each=0, parent="folders/203",
                state="DELETE_REQUESTED"),
)
#: The two list permissions roles/browser grants, bound at the organization.
HIERARCHY_LIST = ("resourcemanager.folders.list", "resourcemanager.projects.list")


@contextmanager
def gcp_org_lab(specs: Sequence[ProjectSpec] = ORG_PROJECTS,
                folders: Sequence[tuple[str, str, str]] = ORG_FOLDERS, *,
                page_limit: int = 2) -> Iterator[GcpLab]:
    """An organization tree (folders nested two deep, small pages) whose key holds the
    hierarchy list permissions at the organization and may read every project."""
    world = World(page_limit=page_limit)
    for number, name, parent in folders:
        world.add_folder(number, name, parent)
    seed_organization(world, specs)
    key = key_pair()
    world.add_account(key, projects=[s.project_id for s in specs])
    world.grant_at(key.email, ORGANIZATION, *HIERARCHY_LIST)
    with GcpStandIn(world) as server:
        yield GcpLab(world, server, key)
