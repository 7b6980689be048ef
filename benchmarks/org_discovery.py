"""Organization discovery on GCP and Azure: one walk of a large tree on the stand-ins.

GCP: an organization of ``--folders`` folders (two levels) holding ``--members`` projects,
walked over Resource Manager v3 (folders and projects per container, pages of 100). Azure: a
management-group tree of ``--folders`` groups holding ``--members`` subscriptions, listed with
``descendants`` and ``GET /subscriptions`` (pages of 100). Both use the real provider code
(google-auth, azure-identity / azure-core) over loopback. Reports wall time, CPU time of this
process (the stand-in servers run in it too, so CPU includes their side), calls and members.

    .venv/bin/python benchmarks/org_discovery.py --members 500 --folders 40
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from cloudconnectors.config import load_settings
from cloudconnectors.demo.azure_sandbox import App, AzureSandbox
from cloudconnectors.demo.azure_sandbox import World as AzureWorld
from cloudconnectors.demo.gcp_sandbox import GcpStandIn, make_key_pair
from cloudconnectors.demo.gcp_sandbox import World as GcpWorld
from cloudconnectors.demo.gcp_sandbox.world import ORGANIZATION, Project
from cloudconnectors.providers.azure.credentials import AzureCredentials
from cloudconnectors.providers.azure.provider import AzureProvider
from cloudconnectors.providers.base import PollContext
from cloudconnectors.providers.gcp.credentials import GcpCredentials
from cloudconnectors.providers.gcp.provider import GcpProvider

TENANT = "7e1a0000-0000-4000-8000-00000000d1e7"
APP = "a9900000-0000-4000-8000-000000000001"
SECRET = "bench-secret"


def _containers(count: int) -> list[tuple[str, str | None]]:
    """(name, parent index or None for the root): a first level, then one below each."""
    first = max(1, count // 2)
    tree: list[tuple[str, str | None]] = [(str(300 + i), None) for i in range(first)]
    tree += [(str(300 + first + i), str(300 + i % first)) for i in range(count - first)]
    return tree


def bench_gcp(members: int, folders: int, data_dir: Path) -> dict[str, Any]:
    world = GcpWorld(page_limit=100)
    tree = _containers(folders)
    for number, parent in tree:
        world.add_folder(number, f"folder-{number}", f"folders/{parent}" if parent
                         else ORGANIZATION)
    parents = [ORGANIZATION, *(f"folders/{n}" for n, _ in tree)]
    for i in range(members):
        project_id = f"bench-project-{i:04d}"
        world.projects[project_id] = Project(project_id, str(200000000000 + i), set(),
                                             parent=parents[i % len(parents)],
                                             labels={"env": "prod" if i % 2 else "dev"})
    key = make_key_pair("bench@home-project-1.iam.gserviceaccount.com", "home-project-1")
    world.add_account(key, projects=["home-project-1"])
    world.grant_at(key.email, ORGANIZATION, "resourcemanager.folders.list",
                   "resourcemanager.projects.list")
    with GcpStandIn(world) as server:
        base = load_settings(data_dir=data_dir)
        settings = replace(base, gcp_token_uri=server.token_uri,
                           gcp_api_endpoint=server.base_url)
        context = PollContext(settings, tenant_id="bench", connector_id="gcp-org")
        credentials = GcpCredentials.model_validate(
            {"service_account_key": key.json_key(server.token_uri)},
            context={"settings": settings})
        provider = GcpProvider()
        wall, cpu = time.perf_counter(), time.process_time()
        session = provider.authenticate(credentials, context)
        found = provider.discover_members(session, ORGANIZATION)
        session.close()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert found.complete and len(found.members) == members
    return {"cloud": "gcp", "members": len(found.members), "containers": folders + 1,
            "calls": server.requests, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}


def bench_azure(members: int, groups: int, data_dir: Path) -> dict[str, Any]:
    world = AzureWorld()
    world.page_size = 100
    world.add_app(TENANT, App(APP, SECRET, reader_at={TENANT}))
    world.add_group(TENANT, TENANT, "Tenant Root Group")
    names = [TENANT]
    for number, parent in _containers(groups):
        world.add_group(TENANT, f"mg-{number}", f"group {number}",
                        f"mg-{parent}" if parent else TENANT)
        names.append(f"mg-{number}")
    for i in range(members):
        sub = f"5ab50000-0000-4000-8000-{i:012d}"
        world.add_subscription(TENANT, sub, f"sub-{i}", ["eastus"])
        world.place(sub, names[i % len(names)], env="prod" if i % 2 else "dev")
    with AzureSandbox(world) as sandbox:
        ca = sandbox.write_ca(data_dir / "ca.pem")
        settings = load_settings(data_dir=data_dir, azure_authority_host=sandbox.authority,
                                 azure_management_endpoint=sandbox.management,
                                 azure_graph_endpoint=sandbox.graph, ca_bundle=str(ca))
        context = PollContext(settings, tenant_id="bench", connector_id="azure-org")
        credentials = AzureCredentials(application_id=APP, directory_id=TENANT,
                                       authentication_key=SecretStr(SECRET),
                                       subscription_id="5ab50000-0000-4000-8000-000000000000")
        provider = AzureProvider()
        before = world.requests
        wall, cpu = time.perf_counter(), time.process_time()
        session = provider.authenticate(credentials, context)
        found = provider.discover_members(session, TENANT)
        session.close()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert found.complete and len(found.members) == members
    return {"cloud": "azure", "members": len(found.members), "containers": groups + 1,
            "calls": world.requests - before, "wall_s": round(wall, 3),
            "cpu_s": round(cpu, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--folders", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for bench in (bench_gcp, bench_azure):
            row = bench(args.members, args.folders, Path(tmp))
            row["peak_rss_mb"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            row["load"] = os.getloadavg()[0]
            print(json.dumps(row))


if __name__ == "__main__":
    main()
