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

__all__ = ["GcpLab", "ProjectSpec", "gcp_lab"]

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
