"""Benchmark a full GCP poll against the stand-in on loopback.

    python benchmarks/gcp_collect.py                  # 20 projects, 10,000 VMs, ~10,000 others
    python benchmarks/gcp_collect.py --scale 0.1      # small

The stand-in (``cloudconnectors.demo.gcp_sandbox``) runs in a child process, seeded with an
organization of ``--projects`` projects holding ``--instances`` VMs over ``--zones`` zones
and about ``--others`` other resources; this process runs the real provider (google-auth
token exchange, AuthorizedSession, the engine) into a counting sink and prints wall time,
API calls, assets/s, peak RSS, the stand-in's measured request rate for a cheap
authenticated call, and poll / floor, where floor = calls / that rate.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import resource
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.support.sinks import CountingSink  # noqa: E402

from cloudconnectors.config import load_settings  # noqa: E402
from cloudconnectors.providers.base import PollContext  # noqa: E402
from cloudconnectors.providers.gcp.credentials import GcpCredentials  # noqa: E402
from cloudconnectors.providers.gcp.provider import GcpProvider  # noqa: E402
from cloudconnectors.providers.gcp.session import GcpSession  # noqa: E402

REGIONS = ("us-central1", "us-east1", "us-west1", "europe-west1", "europe-west4",
           "asia-east1", "asia-south1", "southamerica-east1", "australia-southeast1",
           "northamerica-northeast1")


def zones(count: int) -> list[str]:
    letters = "abc"
    return [f"{REGIONS[i // 3 % len(REGIONS)]}-{letters[i % 3]}" for i in range(count)]


def each_for(others: int) -> int:
    """The per-type count giving about ``others`` non-VM resources in one project."""
    n = 0
    while 3 * (n + 1) ** 2 + 27 * (n + 1) <= others:
        n += 1
    return max(n, 1)


def serve(queue: Any, stop: Any, projects: int, vms: int, zone_count: int, others: int,
          page_limit: int) -> None:
    """The child: seed, serve, report the request count when told to stop."""
    from cloudconnectors.demo.gcp_sandbox import GcpStandIn, World, make_key_pair
    from cloudconnectors.demo.gcp_sandbox.seed import ProjectSpec, seed_organization

    world = World(page_limit=page_limit)
    ids = [f"bench-project-{i:02d}" for i in range(projects)]
    per_project = vms // projects
    seed_organization(world, [ProjectSpec(p, zones=zones(zone_count), vms=per_project,
                                          each=each_for(others // projects)) for p in ids])
    key = make_key_pair(f"reader@{ids[0]}.iam.gserviceaccount.com", ids[0])
    world.add_account(key, projects=ids)
    with GcpStandIn(world) as server:
        queue.put((server.base_url, server.token_uri, key.json_key(server.token_uri)))
        stop.wait()
        queue.put(server.requests)


def request_rate(base_url: str, token: str, seconds: float, threads: int) -> float:
    """Cheap authenticated requests per second the stand-in answers (keep-alive clients)."""
    host, port = base_url.removeprefix("http://").split(":")
    done = [0] * threads
    deadline = time.monotonic() + seconds

    def loop(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.monotonic() < deadline:
            connection.request("GET", "/compute/compute/v1/projects/bench-project-00",
                               headers={"Authorization": f"Bearer {token}"})
            connection.getresponse().read()
            done[index] += 1
        connection.close()

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.monotonic() - started)


def stored(settings: Any, key: dict[str, Any], rss_before: float, seeding: float) -> None:
    """One poll through ``polling.poll_now`` into a fresh SQLite database."""
    import dataclasses
    import tempfile

    from cloudconnectors.services import polling
    from cloudconnectors.services.connectors import create_connector
    from cloudconnectors.services.context import AppContext
    from cloudconnectors.services.users import authenticate_password, create_user

    folder = Path(tempfile.mkdtemp(prefix="cc-gcp-bench-"))
    settings = dataclasses.replace(settings, data_dir=folder,
                                   database_url=f"sqlite:///{folder / 'bench.db'}",
                                   secret_key="bench-secret-key")
    ctx = AppContext.create(settings)
    create_user(ctx, "bench@example.com", tenant="bench", role="admin", password="p" * 12)
    principal = authenticate_password(ctx, "bench@example.com", "p" * 12)
    assert principal is not None
    connector = create_connector(ctx, principal, name="bench", provider="gcp",
                                 credentials={"service_account_key": key})
    t1 = time.perf_counter()
    summary = polling.poll_now(ctx, connector.id)
    poll = time.perf_counter() - t1
    ctx.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = (folder / "bench.db").stat().st_size / 2**20
    print(f"seeding          {seeding:8.2f} s (child process)")
    print(f"stored poll      {poll:8.2f} s   {summary.status.value}/"
          f"{summary.discovery.value if summary.discovery else None}, "
          f"{summary.asset_count} assets ({summary.asset_count / poll:,.0f} assets/s), "
          f"{summary.vm_count} VMs")
    print(f"peak RSS         {peak_mb:8.1f} MB (poll process; {rss_before:.1f} MB before)")
    print(f"database         {size:8.1f} MB SQLite in {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the counts")
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--instances", type=int, default=10_000)
    parser.add_argument("--zones", type=int, default=30)
    parser.add_argument("--others", type=int, default=10_000)
    parser.add_argument("--page-limit", type=int, default=100,
                        help="the stand-in's largest page (Compute allows 500)")
    parser.add_argument("--rate-seconds", type=float, default=3.0)
    parser.add_argument("--rate-threads", type=int, default=8)
    parser.add_argument("--concurrency", type=int, help="CLOUDCONNECTORS_GCP_CONCURRENCY")
    parser.add_argument("--store", action="store_true",
                        help="poll through the service into a SQLite snapshot (the real path: "
                        "connector, lease, snapshot writer, run history) instead of a "
                        "counting sink")
    args = parser.parse_args()

    vms = round(args.instances * args.scale)
    others = round(args.others * args.scale)
    spawn = multiprocessing.get_context("spawn")
    queue, stop = spawn.Queue(), spawn.Event()
    t0 = time.perf_counter()
    child = spawn.Process(target=serve, args=(queue, stop, args.projects, vms, args.zones,
                                              others, args.page_limit))
    child.start()
    try:
        base_url, token_uri, key = queue.get(timeout=600)
        seeding = time.perf_counter() - t0
        extra = {"gcp_concurrency": str(args.concurrency)} if args.concurrency else {}
        settings = load_settings(data_dir=Path("/tmp/cc-bench"), gcp_token_uri=token_uri,
                                 gcp_api_endpoint=base_url, extra=extra)
        context = PollContext(settings, tenant_id="bench", connector_id="bench")
        credentials = GcpCredentials.model_validate({"service_account_key": key},
                                                    context={"settings": settings})
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.store:
            stored(settings, key, rss_before, seeding)
            stop.set()
            return
        sink = CountingSink()
        cpu0 = time.process_time()
        t1 = time.perf_counter()
        session = GcpProvider().authenticate(credentials, context)
        assert isinstance(session, GcpSession)
        regions = session.discover_regions()
        session.collect(regions, sink)
        poll = time.perf_counter() - t1
        cpu = time.process_time() - cpu0
        calls = session.api.meter.total_calls + 1  # + the token exchange
        throttled = session.api.meter.total_throttled
        token = session.api._credentials.token
        session.close()
        rate = request_rate(base_url, str(token), args.rate_seconds, args.rate_threads)
        stop.set()
        served = queue.get(timeout=60)
    finally:
        stop.set()
        child.join(timeout=30)
        if child.is_alive():
            child.terminate()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    outcomes = Counter(r.outcome.value for r in sink.results)
    floor = calls / rate
    print(f"organization     {args.projects} projects, {vms} VMs over {args.zones} zones, "
          f"~{others} other resources (stand-in pages of {args.page_limit})")
    print(f"seeding          {seeding:8.2f} s (child process)")
    print(f"stand-in rate    {rate:8.1f} cheap requests/s ({args.rate_threads} threads)")
    print(f"peak RSS         {peak_mb:8.1f} MB (poll process; {rss_before:.1f} MB before)")
    print(f"poll wall time   {poll:8.2f} s   (client CPU {cpu:.2f} s)")
    print(f"API calls        {calls:8d}   ({throttled} throttled; the stand-in served "
          f"{served} requests, the rate probe included)")
    print(f"assets           {sink.assets:8d}   ({sink.assets / poll:,.0f} assets/s)")
    print(f"VMs              {sink.by_type['compute.googleapis.com/Instance']:8d}")
    print(f"collectors       {len(sink.results):8d}   {dict(outcomes)}")
    print(f"poll / floor     {poll / floor:8.2f}   (floor = calls / rate = {floor:.2f} s)")
    top = ", ".join(f"{t.split('/', 1)[1]}={n}" for t, n in sink.by_type.most_common(6))
    print(f"largest types    {top}")


if __name__ == "__main__":
    main()
