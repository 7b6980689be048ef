"""The demo's Google Cloud: a two-project organization on the GCP stand-in.

``acme-analytics-demo`` holds the service account and a few VMs; ``acme-data-demo`` has the
Kubernetes Engine API turned off, so the connector goes Online with Success and its
checklist shows a real "API disabled" line with the exact ``gcloud`` command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cloudconnectors.config import ENV_PREFIX
from cloudconnectors.demo.gcp_sandbox import GcpStandIn, World, make_key_pair
from cloudconnectors.demo.gcp_sandbox.seed import ProjectSpec, seed_organization

HOME_PROJECT = "acme-analytics-demo"
DATA_PROJECT = "acme-data-demo"
DISABLED_API = "container.googleapis.com"
SERVICE_ACCOUNT = f"posture-reader@{HOME_PROJECT}.iam.gserviceaccount.com"


@dataclass
class GcpDemo:
    server: GcpStandIn
    credentials: dict[str, Any]

    def environment(self) -> dict[str, str]:
        """What points the real provider at the stand-in (and nothing else)."""
        return {f"{ENV_PREFIX}GCP_TOKEN_URI": self.server.token_uri,
                f"{ENV_PREFIX}GCP_API_ENDPOINT": self.server.base_url}

    def stop(self) -> None:
        self.server.stop()

    def summary(self) -> str:
        world = self.server.world
        vms = sum(len(c.items) for path, c in world.collections.items()
                  if path.endswith("/aggregated/instances"))
        return (f"Seeded GCP organization: projects {HOME_PROJECT} and {DATA_PROJECT}, "
                f"{vms} Compute Engine VMs; {DISABLED_API} is disabled in {DATA_PROJECT}.")


def start_gcp_demo() -> GcpDemo:
    world = World(page_limit=50)
    seed_organization(world, [
        ProjectSpec(HOME_PROJECT, zones=("us-central1-a", "us-central1-b", "europe-west1-b"),
                    vms=3, each=2),
        ProjectSpec(DATA_PROJECT, zones=("europe-west1-b",), vms=1, each=1,
                    disabled=(DISABLED_API,)),
    ])
    key = make_key_pair(SERVICE_ACCOUNT, HOME_PROJECT)
    world.add_account(key, projects=[HOME_PROJECT, DATA_PROJECT])
    server = GcpStandIn(world).start()
    return GcpDemo(server, {"service_account_key": key.json_key(server.token_uri)})
