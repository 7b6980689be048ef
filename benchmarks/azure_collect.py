"""Benchmark a full Azure poll against the HTTPS stand-in on loopback.

    python benchmarks/azure_collect.py                # 5,000 VMs (+ a disk and a NIC each)
    python benchmarks/azure_collect.py --vms 500      # small

The stand-in runs in a child process (so it does not share this process's interpreter
lock), seeded with ``--vms`` virtual machines, each with an OS disk, a NIC and an
extension, plus one of every other collected type: at 5,000 VMs that is 5,000 VMs and
~10,000 other resources. The poll is the production path — ``ClientSecretCredential`` over
TLS, authenticate -> locations -> role check -> every declaration — into a counting sink.
Prints wall time, API calls, assets/s, peak RSS of this process, the stand-in's ceiling for
cheap calls (measured through the same client) and how close the poll came to that floor.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.support.sinks import CountingSink  # noqa: E402

from cloudconnectors.config import load_settings  # noqa: E402
from cloudconnectors.demo.azure_sandbox import App, AzureSandbox, World  # noqa: E402
from cloudconnectors.demo.azure_sandbox.seed import seed_subscription  # noqa: E402
from cloudconnectors.providers.azure.credentials import AzureCredentials  # noqa: E402
from cloudconnectors.providers.azure.provider import AzureProvider  # noqa: E402
from cloudconnectors.providers.azure.session import AzureSession  # noqa: E402
from cloudconnectors.providers.base import PollContext  # noqa: E402

TENANT = "7e1a0000-0000-4000-8000-0000000be7c0"
APP = "a9900000-0000-4000-8000-0000000be7c0"
SUBSCRIPTION = "5ab50000-0000-4000-8000-0000000be7c0"
SECRET = "benchmark-secret-value"


def serve(vms: int, conn: Connection) -> None:
    """Child process: seed, serve, report (endpoints, CA), then counts when told to stop."""
    world = World()
    world.add_app(TENANT, App(APP, SECRET))
    started = time.perf_counter()
    seeded = seed_subscription(world, TENANT, SUBSCRIPTION, vms=vms,
                               locations=("eastus", "westeurope", "northeurope"))
    seed_seconds = time.perf_counter() - started
    with AzureSandbox(world) as sandbox:
        assert sandbox.tls is not None
        conn.send({"authority": sandbox.authority, "management": sandbox.management,
                   "graph": sandbox.graph, "ca": sandbox.tls.ca_pem, "assets": seeded.assets,
                   "vms": seeded.counts["Microsoft.Compute/virtualMachines"],
                   "seed_seconds": seed_seconds})
        while True:
            message = conn.recv()
            if message == "counts":
                conn.send({"requests": world.requests, "busy": world.busy_seconds})
            elif message == "stop":
                return


def ceiling(session: AzureSession, seconds: float, threads: int) -> float:
    """Cheap calls per second the stand-in answers through the production client."""
    url = session.arm.url(f"/subscriptions/{SUBSCRIPTION}/locations",
                          {"api-version": "2022-12-01"})
    session.arm.get(url)
    done = [0] * threads
    stop = time.monotonic() + seconds

    def loop(index: int) -> None:
        while time.monotonic() < stop:
            session.arm.get(url)
            done[index] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=5000)
    parser.add_argument("--ceiling-seconds", type=float, default=3.0)
    args = parser.parse_args()

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(args.vms, child))
    server.start()
    info = parent.recv()
    with tempfile.TemporaryDirectory() as tmp:
        ca = Path(tmp) / "ca.pem"
        ca.write_bytes(info["ca"])
        settings = load_settings(data_dir=Path(tmp), azure_authority_host=info["authority"],
                                 azure_management_endpoint=info["management"],
                                 azure_graph_endpoint=info["graph"], ca_bundle=str(ca))
        context = PollContext(settings, "bench", "bench")
        creds = AzureCredentials(application_id=APP, directory_id=TENANT,
                                 authentication_key=SECRET, subscription_id=SUBSCRIPTION)
        provider = AzureProvider()
        sink = CountingSink()
        parent.send("counts")
        before = parent.recv()
        started = time.perf_counter()
        session = provider.authenticate(creds, context)
        assert isinstance(session, AzureSession)
        regions = session.discover_regions()
        session.collect(regions, sink)
        wall = time.perf_counter() - started
        parent.send("counts")
        after = parent.recv()
        calls = session.meter.total_calls
        rate = ceiling(session, args.ceiling_seconds, threads=8)
        session.close()
    parent.send("stop")
    server.join(timeout=10)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    problems = [r for r in sink.results if r.is_problem]
    served = after["requests"] - before["requests"]
    print(f"seeded: {info['vms']} VMs, {info['assets']} assets "
          f"({info['seed_seconds']:.1f} s, in the stand-in's process)")
    print(f"poll wall time:       {wall:.2f} s (sign-in, locations, role check, collection)")
    vms = sink.by_type["Microsoft.Compute/virtualMachines"]
    print(f"assets collected:     {sink.assets} ({vms} VMs)")
    print(f"API calls:            {calls} (ARM + Graph, retries included; stand-in served "
          f"{served} incl. token and OpenID calls)")
    print(f"assets/s:             {sink.assets / wall:.0f}")
    print(f"calls/s:              {calls / wall:.0f}")
    print(f"peak RSS (connector): {peak_mb:.0f} MB")
    print(f"stand-in ceiling:     {rate:.0f} cheap calls/s (8 threads, same client)")
    print(f"floor ratio:          {wall / (calls / rate):.2f} (poll s / (calls / ceiling))")
    print(f"stand-in busy:        {after['busy'] - before['busy']:.1f} s of handler time")
    print(f"problems:             {len(problems)}")
    for result in problems[:5]:
        print(f"  {result.resource_type} {result.region}: {result.outcome} {result.reason}")


if __name__ == "__main__":
    main()
