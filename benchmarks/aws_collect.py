"""Benchmark a full AWS poll against moto in server mode on loopback.

    python benchmarks/aws_collect.py                 # default scale
    python benchmarks/aws_collect.py --scale 0.1     # small

Starts moto itself, seeds one customer account (seeding time reported separately), runs
authenticate -> discover -> collect into a counting sink, and prints wall time, API calls,
assets/s, peak RSS, the emulator's ceiling for cheap calls, and how close the poll came to
that floor: poll seconds / (calls / ceiling). 1.0 would mean the poll was limited only by
the emulator.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import boto3  # noqa: E402
from tests.support.aws_seed import (  # noqa: E402
    PLATFORM_ENV,
    account_session,
    seed_account,
    seed_extras,
)
from tests.support.moto_server import start_moto  # noqa: E402
from tests.support.sinks import CountingSink  # noqa: E402

from cloudconnectors.config import load_settings  # noqa: E402
from cloudconnectors.providers.aws.credentials import AwsCredentials  # noqa: E402
from cloudconnectors.providers.aws.provider import AwsProvider  # noqa: E402
from cloudconnectors.providers.aws.session import AwsSession  # noqa: E402
from cloudconnectors.providers.base import PollContext  # noqa: E402

ACCOUNT = "333344445555"


def ceiling(endpoint: str, session: boto3.Session, seconds: float, threads: int) -> float:
    """Cheap calls per second the emulator answers, from a few threads in a tight loop."""
    clients = [session.client("ec2", region_name="us-east-1", endpoint_url=endpoint)
               for _ in range(threads)]
    for client in clients:
        client.describe_availability_zones()  # warm connections
    done = [0] * threads
    stop = time.monotonic() + seconds

    def loop(index: int) -> None:
        while time.monotonic() < stop:
            clients[index].describe_availability_zones()
            done[index] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.monotonic() - started)


def seed(endpoint: str, regions: list[str], counts: dict[str, int]) -> None:
    os.environ.update(PLATFORM_ENV)
    session = account_session(endpoint, ACCOUNT)
    seed_account(session, endpoint, regions, **counts)
    seed_extras(session, endpoint, regions[0], ACCOUNT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every count")
    parser.add_argument("--instances", type=int, default=2000)
    parser.add_argument("--buckets", type=int, default=500)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--security-groups", type=int, default=1000)
    parser.add_argument("--regions", default="us-east-1,eu-west-1,us-west-2,ap-southeast-1")
    parser.add_argument("--ceiling-seconds", type=float, default=4.0)
    parser.add_argument("--ceiling-threads", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2,
                        help="polls to run; the first also warms moto's per-service backends")
    parser.add_argument("--concurrency", type=int, help="CLOUDCONNECTORS_AWS_CONCURRENCY")
    args = parser.parse_args()

    os.environ.update(PLATFORM_ENV)
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    counts = {name: round(getattr(args, name) * args.scale)
              for name in ("instances", "buckets", "users", "security_groups")}
    moto = start_moto()
    try:
        # Seed in a child process so this process's peak RSS is the poll's own.
        t0 = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=seed, args=(moto.url, regions, counts))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"seeding failed with exit code {child.exitcode}")
        seeding = time.perf_counter() - t0
        seeder = account_session(moto.url, ACCOUNT)
        before = ceiling(moto.url, seeder, args.ceiling_seconds, args.ceiling_threads)

        extra = {"aws_regions": ",".join(regions)}
        if args.concurrency:
            extra["aws_concurrency"] = str(args.concurrency)
        settings = load_settings(data_dir=Path("/tmp/cc-bench"), aws_endpoint_url=moto.url,
                                 extra=extra)
        context = PollContext(settings, tenant_id="bench", connector_id="bench")
        creds = AwsCredentials(role_arn=f"arn:aws:iam::{ACCOUNT}:role/CloudConnectors",
                               external_id="bench-external-id")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        runs = []
        for _ in range(args.repeat):
            sink = CountingSink()
            cpu0 = time.process_time()
            t1 = time.perf_counter()
            session = AwsProvider().authenticate(creds, context)
            assert isinstance(session, AwsSession)
            discovered = session.discover_regions()
            session.collect(discovered, sink)
            poll = time.perf_counter() - t1
            cpu = time.process_time() - cpu0
            calls = session.meter.total_calls + 1  # + AssumeRole on the platform's client
            session.close()
            runs.append((poll, calls, session.meter.total_throttled, sink, cpu))

        after = ceiling(moto.url, seeder, args.ceiling_seconds, args.ceiling_threads)
        rate = (before + after) / 2  # the machine may be shared: bracket the polls
    finally:
        moto.stop()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scale            {args.scale} -> {counts} over {len(regions)} regions")
    print(f"seeding          {seeding:8.2f} s")
    print(f"emulator ceiling {rate:8.1f} cheap calls/s ({args.ceiling_threads} threads; "
          f"{before:.0f} before the polls, {after:.0f} after)")
    print(f"peak RSS         {peak_mb:8.1f} MB (benchmark process; {rss_before:.1f} MB "
          "before the first poll)")
    for number, (poll, calls, throttled, sink, cpu) in enumerate(runs, 1):
        outcomes = Counter(r.outcome.value for r in sink.results)
        floor = calls / rate
        label = "cold emulator" if number == 1 else "warm emulator"
        print(f"-- poll {number} ({label})")
        print(f"poll wall time   {poll:8.2f} s   (client CPU {cpu:.2f} s)")
        print(f"API calls        {calls:8d}   ({throttled} throttled answers)")
        print(f"assets           {sink.assets:8d}   ({sink.assets / poll:,.0f} assets/s)")
        print(f"collectors       {len(sink.results):8d}   {dict(outcomes)}")
        print(f"poll / floor     {poll / floor:8.2f}   (floor = calls / ceiling = {floor:.2f} s)")
    top = ", ".join(f"{t.split('::', 1)[1]}={n}" for t, n in runs[-1][3].by_type.most_common(6))
    print(f"largest types    {top}")


if __name__ == "__main__":
    main()
