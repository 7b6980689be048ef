"""The demo's Azure subscription: the HTTPS stand-in, seeded, trusted through a CA file.

The stand-in (``azure_sandbox``) is the same one the tests use. The demo's app registration
has Reader on the subscription and both Graph permissions, so its connector goes Online
with Success; the CA certificate is written into the demo's data folder and named by
``CLOUDCONNECTORS_CA_BUNDLE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cloudconnectors.demo.azure_sandbox import App, AzureSandbox, World
from cloudconnectors.demo.azure_sandbox.seed import Seeded, seed_subscription

__all__ = ["AzureDemo", "start_azure_sandbox"]


@dataclass
class AzureDemo:
    sandbox: AzureSandbox
    seeded: Seeded
    environment: dict[str, str]

    def describe(self) -> str:
        counts = self.seeded.counts
        vms = counts.get("Microsoft.Compute/virtualMachines", 0)
        return (f"Azure stand-in (HTTPS, CA made at start) on {self.sandbox.management}: "
                f"subscription {self.seeded.subscription_id} with {vms} virtual machines and "
                f"{self.seeded.assets - vms} other resources.")

    def stop(self) -> None:
        self.sandbox.stop()


def start_azure_sandbox(credentials: Mapping[str, str], data_dir: Path) -> AzureDemo:
    world = World()
    tenant = credentials["directory_id"]
    world.add_app(tenant, App(credentials["application_id"], credentials["authentication_key"]))
    seeded = seed_subscription(world, tenant, credentials["subscription_id"], vms=6)
    sandbox = AzureSandbox(world).start()
    ca_file = sandbox.write_ca(data_dir / "azure-sandbox-ca.pem")
    return AzureDemo(sandbox, seeded, sandbox.environment(ca_file))
