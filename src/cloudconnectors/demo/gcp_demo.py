"""The demo's Google Cloud: a two-project organization on the GCP stand-in.

``acme-analytics-demo`` holds the service account and a few VMs; ``acme-data-demo`` has the
Kubernetes Engine API turned off, so the connector goes Online with Success and its
checklist shows a real "API disabled" line with the exact ``gcloud`` command.

The stand-in runs in a child process (as the AWS emulator does), so serving Google's side
of a poll never competes with the portal for this process's interpreter.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from typing import Any

from cloudconnectors.config import ENV_PREFIX

HOME_PROJECT = "acme-analytics-demo"
DATA_PROJECT = "acme-data-demo"
DISABLED_API = "container.googleapis.com"
SERVICE_ACCOUNT = f"posture-reader@{HOME_PROJECT}.iam.gserviceaccount.com"
_START_TIMEOUT = 60.0


@dataclass
class GcpDemo:
    base_url: str
    token_uri: str
    credentials: dict[str, Any]
    vms: int
    _process: Any
    _stop: Any

    def environment(self) -> dict[str, str]:
        """What points the real provider at the stand-in (and nothing else)."""
        return {f"{ENV_PREFIX}GCP_TOKEN_URI": self.token_uri,
                f"{ENV_PREFIX}GCP_API_ENDPOINT": self.base_url}

    def stop(self) -> None:
        self._stop.set()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)

    def summary(self) -> str:
        return (f"Seeded GCP organization: projects {HOME_PROJECT} and {DATA_PROJECT}, "
                f"{self.vms} Compute Engine VMs; {DISABLED_API} is disabled in {DATA_PROJECT}.")


def _serve(queue: Any, stop: Any) -> None:
    from cloudconnectors.demo.gcp_sandbox import GcpStandIn, World, make_key_pair
    from cloudconnectors.demo.gcp_sandbox.seed import ProjectSpec, seed_organization

    world = World(page_limit=50)
    specs = [
        ProjectSpec(HOME_PROJECT, zones=("us-central1-a", "us-central1-b", "europe-west1-b"),
                    vms=3, each=2),
        ProjectSpec(DATA_PROJECT, zones=("europe-west1-b",), vms=1, each=1,
                    disabled=(DISABLED_API,)),
    ]
    seed_organization(world, specs)
    key = make_key_pair(SERVICE_ACCOUNT, HOME_PROJECT)
    world.add_account(key, projects=[HOME_PROJECT, DATA_PROJECT])
    with GcpStandIn(world) as server:
        queue.put((server.base_url, server.token_uri,
                   {"service_account_key": key.json_key(server.token_uri)},
                   sum(spec.vms for spec in specs)))
        stop.wait()


def start_gcp_demo() -> GcpDemo:
    spawn = multiprocessing.get_context("spawn")
    queue, stop = spawn.Queue(), spawn.Event()
    process = spawn.Process(target=_serve, args=(queue, stop), name="gcp-standin",
                            daemon=True)
    process.start()
    try:
        base_url, token_uri, credentials, vms = queue.get(timeout=_START_TIMEOUT)
    except Exception:
        process.terminate()
        raise
    return GcpDemo(base_url, token_uri, credentials, vms, process, stop)
