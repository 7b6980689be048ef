"""Benchmark one AWS organization poll on moto: the walk, then every member through the pool.

    python benchmarks/org_poll.py --members 50
    python benchmarks/org_poll.py --members 200 --pool 8

Starts moto, builds an organization of ``--members`` accounts over a few OUs in a child
process (each member gets the member role, an instance and a bucket; seeding is timed
apart), creates the organization connector through the service layer on a fresh SQLite
database, polls it (the walk), then lets the embedded scheduler's pool poll every member
exactly as ``serve`` does. Prints wall and CPU time (this process and moto), API calls,
throttled answers, the most members polled at once, and peak RSS. Per-member time should be
flat as ``--members`` grows (linear total) and concurrency never above ``--pool``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from sqlalchemy import func, select  # noqa: E402
from tests.support.aws_org import (  # noqa: E402
    MANAGEMENT_ROLE,
    Org,
    OrgMember,
    build_organization,
)
from tests.support.aws_seed import PLATFORM_ENV  # noqa: E402
from tests.support.moto_server import start_moto  # noqa: E402
from tests.support.people import make_person, principal_of  # noqa: E402

from cloudconnectors.config import load_settings  # noqa: E402
from cloudconnectors.domain.runs import Outcome, Trigger  # noqa: E402
from cloudconnectors.domain.states import Status  # noqa: E402
from cloudconnectors.scheduler.embedded import EmbeddedScheduler  # noqa: E402
from cloudconnectors.services import connectors, polling  # noqa: E402
from cloudconnectors.services.context import AppContext  # noqa: E402
from cloudconnectors.services.external_ids import issue_external_id  # noqa: E402
from cloudconnectors.storage.tables import ConnectorRow, PollRunRow  # noqa: E402
from cloudconnectors.storage.tables.runs import RunResultRow  # noqa: E402

OUS = ("prod", "staging", "dev", "sandbox")
REGION = "us-east-1"


def build(endpoint: str, members: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """The organization, then its members on a few threads (seeding is I/O on moto)."""
    os.environ.update(PLATFORM_ENV)
    org = build_organization(endpoint, OUS, (), (REGION,))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: org.add(OrgMember(
            f"member-{i:04d}", ou=OUS[i % len(OUS)], tags={"env": OUS[i % len(OUS)]},
            instances=1), (REGION,)), range(members)))
    out.put((org.management, org.root))


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of another process (moto), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--pool", type=int, default=4, help="poll_concurrency: members at once")
    parser.add_argument("--concurrency", type=int, default=8,
                        help="CLOUDCONNECTORS_AWS_CONCURRENCY: threads inside one member poll")
    args = parser.parse_args()

    os.environ.update(PLATFORM_ENV)
    os.environ["CLOUDCONNECTORS_AWS_REGIONS"] = REGION
    os.environ["CLOUDCONNECTORS_AWS_CONCURRENCY"] = str(args.concurrency)
    moto = start_moto(env={"MOTO_IAM_LOAD_MANAGED_POLICIES": "false"})
    work = Path(tempfile.mkdtemp(prefix="cc-org-bench-"))
    try:
        t0 = time.perf_counter()
        queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()  # type: ignore[type-arg]
        child = multiprocessing.get_context("spawn").Process(
            target=build, args=(moto.url, args.members, queue))
        child.start()
        management, root = queue.get()
        child.join()
        seeding = time.perf_counter() - t0
        os.environ["AWS_ENDPOINT_URL"] = moto.url
        settings = load_settings(data_dir=work, database_url=f"sqlite:///{work}/bench.db",
                                 secret_key="benchmark-only-secret-key-0123456789",
                                 aws_endpoint_url=moto.url, poll_concurrency=args.pool,
                                 scheduler_tick_seconds=0.2)
        ctx = AppContext.create(settings)
        principal = principal_of(ctx, make_person(ctx, tenant="bench", role="admin"))
        org = Org(moto.url, management, root, {}, {})
        parent = connectors.create_connector(
            ctx, principal, name="bench org", provider="aws",
            credentials={"role_arn": f"arn:aws:iam::{org.management}:role/{MANAGEMENT_ROLE}",
                         "external_id": issue_external_id(ctx, principal)},
            organization={"exclude": {"accounts": [org.management]}})

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        moto_cpu0, cpu0, t1 = cpu_of(moto.process.pid), time.process_time(), time.perf_counter()
        walk = polling.poll_now(ctx, parent.id, Trigger.CLI)
        walked = time.perf_counter() - t1
        scheduler = EmbeddedScheduler(ctx, max_concurrent=args.pool)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], len(scheduler.running))
                time.sleep(0.02)

        def settled() -> bool:
            with ctx.db.read() as session:
                left = session.scalar(select(func.count()).select_from(ConnectorRow).where(
                    ConnectorRow.parent_id == parent.id,
                    (ConnectorRow.next_run_at.is_not(None))
                    | (ConnectorRow.status == Status.REFRESHING.value)))
            return not left

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        scheduler.start()
        while not settled():
            time.sleep(0.2)
        scheduler.stop()
        done.set()
        total = time.perf_counter() - t1
        cpu = time.process_time() - cpu0
        moto_cpu = cpu_of(moto.process.pid) - moto_cpu0
        shown = connectors.get_connector(ctx, principal, parent.id)
        with ctx.db.read() as session:
            calls = session.scalar(select(func.sum(PollRunRow.api_calls))) or 0
            throttled = session.scalar(select(func.count()).select_from(RunResultRow).where(
                RunResultRow.outcome == Outcome.THROTTLED.value)) or 0
            assets = session.scalar(select(func.sum(PollRunRow.asset_count))) or 0
        ctx.close()
    finally:
        moto.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    members = shown.members
    print(f"members          {args.members} over {len(OUS)} OUs, 1 region; pool {args.pool}, "
          f"{args.concurrency} threads per member poll")
    print(f"seeding          {seeding:8.2f} s (child process)")
    print(f"walk             {walked:8.2f} s   {walk.status.value}, {walk.warning or 'no warning'}")
    print(f"organization     {total:8.2f} s wall (walk + every member), "
          f"{total / max(1, args.members):.3f} s per member")
    print(f"CPU              {cpu:8.2f} s platform process, {moto_cpu:.2f} s moto")
    print(f"members          {members.summary if members else '-'}")
    print(f"most at once     {peak[0]:8d}   (pool {args.pool})")
    print(f"API calls        {calls:8d}   ({calls / max(1, args.members):.0f} per member; "
          f"{throttled} collectors throttled)")
    print(f"assets           {assets:8d}")
    print(f"peak RSS         {peak_mb:8.1f} MB ({rss_before:.1f} MB before the poll)")
    print(f"load             {os.getloadavg()[0]:.2f} (1 min average at the end)")


if __name__ == "__main__":
    main()
