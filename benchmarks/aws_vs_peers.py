"""Benchmark: our AWS poll + CIS evaluation against Prowler and ScoutSuite, on one moto account.

    make bench-aws                                          # scales 1, 10, 30; ours only
    make bench-aws PROWLER=/work/peers/prowler-venv SCOUTSUITE=/work/peers/scout-venv
    .venv/bin/python benchmarks/aws_vs_peers.py --scale 1,10,30 \
        --prowler /work/peers/prowler-venv --scoutsuite /work/peers/scout-venv

Each peer lives in its own venv, never in ours: ``python3 -m venv /work/peers/prowler-venv &&
/work/peers/prowler-venv/bin/pip install prowler`` (and ``scoutsuite`` likewise).

For every scale it starts moto in server mode on a free loopback port, seeds the
deterministic misconfigured account of ``benchmarks/aws_account.py`` over three regions,
and puts a loopback counting proxy (``tests/support/fault_proxy.py`` with no rules) in front
of it. One job of ours is what a user runs: ``cloudconnectors scan`` then
``cloudconnectors report`` as two CLI processes on a fresh data directory (the user and the
connector are created before the clock starts). For each job it measures wall time, CPU
(user + system of the process tree, from ``wait4``), peak RSS (the largest process of the
tree) and the API calls the proxy forwarded. With ``--prowler VENV``, ``prowler aws
--compliance cis_3.0_aws`` runs against the same endpoint and regions, alternating with
ours; with ``--scoutsuite VENV``, ``scout aws`` (all its services and its default ruleset: it
has no CIS-only mode) does the same. Medians of ``--runs`` runs and the ratios are printed.
Our CLI keeps trimmed API models in the user's cache directory (``CLOUDCONNECTORS_CACHE_DIR``
to move it); the warm-up job fills it, as a user's first scan would.

The emulator's rate is measured through the same proxy before and after each scale (cheap
``DescribeAvailabilityZones`` calls from several threads): ``calls / rate`` is the floor no
client can beat on this machine, and ``wall / floor`` says how close a job came to it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.aws_account import seed_scaled_account  # noqa: E402
from benchmarks.aws_collect import ceiling  # noqa: E402
from tests.support.aws_seed import PLATFORM_ENV, account_session  # noqa: E402
from tests.support.fault_proxy import FaultProxy  # noqa: E402
from tests.support.moto_server import start_moto  # noqa: E402

ACCOUNT = "444455556666"
REGIONS = ("us-east-1", "eu-west-1", "us-west-2")
SECRET_KEY = "aws-vs-peers-benchmark-secret-key-0123456789"  # a throwaway data dir's key


@dataclass(frozen=True)
class Job:
    wall: float
    cpu: float
    rss_mib: float
    calls: int
    ok: bool
    detail: str = ""


# Peak RSS must be measured from a small parent: Linux folds the hiwater RSS of the memory a
# process execs from into its ``ru_maxrss``, and Python's subprocess spawns with vfork, so a
# child of this (large) benchmark process would report at least this process's own peak.
# The launcher is a fresh interpreter that forks and execs the command and reports the
# command's rusage alone.
_LAUNCHER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execvpe(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss,
               "cpu": usage.ru_utime + usage.ru_stime}, out)
"""


def run_measured(command: list[str], env: dict[str, str], cwd: Path | None = None
                 ) -> tuple[float, float, float, int, str]:
    """(wall s, CPU s, peak RSS MiB, exit code, stderr tail) of one process and its children."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch, "rusage.json")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), *command], env=env,
                       cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, check=False)
        wall = time.perf_counter() - started
        err.seek(0)
        tail = err.read().decode(errors="replace")[-600:]
        usage = json.loads(report.read_text())
    return wall, usage["cpu"], usage["maxrss"] / 1024, usage["code"], tail


def emulator_rate(endpoint: str, seconds: float = 3.0, threads: int = 8) -> float:
    """Cheap calls per second the emulator answers through ``endpoint``."""
    return ceiling(endpoint, account_session(endpoint, ACCOUNT), seconds, threads)


class Ours:
    """``scan`` + ``report`` as a user runs them, each job on a fresh data directory."""

    def __init__(self, moto_url: str, proxy: FaultProxy, python: str) -> None:
        self.moto_url = moto_url
        self.proxy = proxy
        self.python = python

    def _env(self, data_dir: str, endpoint: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDCONNECTORS_")}
        return {**env, **PLATFORM_ENV, "PYTHONPATH": str(ROOT / "src"),
                "AWS_ENDPOINT_URL": endpoint, "AWS_EC2_METADATA_DISABLED": "true",
                "CLOUDCONNECTORS_DATA_DIR": data_dir,
                "CLOUDCONNECTORS_DATABASE_URL": f"sqlite:///{data_dir}/cloudconnectors.db",
                "CLOUDCONNECTORS_SECRET_KEY": SECRET_KEY,
                "CLOUDCONNECTORS_AWS_REGIONS": ",".join(REGIONS)}

    def run(self) -> Job:
        cli = [self.python, "-m", "cloudconnectors"]
        with tempfile.TemporaryDirectory(prefix="cc-bench-aws-") as data_dir:
            setup = self._env(data_dir, self.moto_url)
            for args in (["users", "create", "bench@example.com", "--tenant", "bench",
                          "--role", "admin"],
                         ["connectors", "add", "--name", "bench", "--provider", "aws",
                          "--role-arn", f"arn:aws:iam::{ACCOUNT}:role/CloudConnectors"]):
                subprocess.run([*cli, *args], env=setup, capture_output=True, check=True)
            env = self._env(data_dir, self.proxy.url)
            before = len(self.proxy.seen)
            wall = cpu = rss = 0.0
            ok, detail = True, ""
            for args in (["scan", "bench"], ["report", "bench", "--format", "json",
                                             "--output", f"{data_dir}/report.json"]):
                w, c, r, code, tail = run_measured([*cli, *args], env)
                wall, cpu, rss = wall + w, cpu + c, max(rss, r)
                if code != 0:
                    ok, detail = False, f"{args[0]} exited {code}: {tail}"
            if ok:
                report = json.loads(Path(data_dir, "report.json").read_text())
                detail = _report_summary(report)
            return Job(wall, cpu, rss, len(self.proxy.seen) - before, ok, detail)


def _report_summary(report: dict[str, object]) -> str:
    """A short proof that the report was built: control statuses, counted."""
    controls = report.get("controls") or []
    statuses = Counter(str(c.get("status")) for c in controls if isinstance(c, dict))
    return ", ".join(f"{k}={v}" for k, v in sorted(statuses.items()))


class Prowler:
    """``prowler aws --compliance cis_3.0_aws`` from its own venv, on the same endpoint."""

    def __init__(self, venv: Path, proxy: FaultProxy, moto_url: str) -> None:
        self.executable = venv / "bin" / "prowler"
        if not self.executable.exists():
            raise SystemExit(f"--prowler: no {self.executable}")
        self.proxy = proxy
        creds = account_session(moto_url, ACCOUNT).get_credentials().get_frozen_credentials()
        self.creds = {"AWS_ACCESS_KEY_ID": creds.access_key,
                      "AWS_SECRET_ACCESS_KEY": creds.secret_key,
                      "AWS_SESSION_TOKEN": creds.token or ""}

    def run(self) -> Job:
        with tempfile.TemporaryDirectory(prefix="cc-bench-prowler-") as out:
            env = {**os.environ, **PLATFORM_ENV, **self.creds, "AWS_ENDPOINT_URL": self.proxy.url,
                   "AWS_EC2_METADATA_DISABLED": "true", "HOME": out}
            before = len(self.proxy.seen)
            wall, cpu, rss, code, tail = run_measured(
                [str(self.executable), "aws", "--compliance", "cis_3.0_aws",
                 "--region", *REGIONS, "--output-directory", out, "--no-banner",
                 "--output-formats", "csv"], env, cwd=Path(out))
            # Prowler exits 3 when checks fail, which a misconfigured account makes them do.
            ok = code in (0, 3)
            return Job(wall, cpu, rss, len(self.proxy.seen) - before, ok,
                       "" if ok else f"exit {code}: {tail}")


class ScoutSuite:
    """``scout aws`` (every service, its default ruleset) from its own venv, same endpoint."""

    def __init__(self, venv: Path, proxy: FaultProxy, moto_url: str) -> None:
        self.executable = venv / "bin" / "scout"
        if not self.executable.exists():
            raise SystemExit(f"--scoutsuite: no {self.executable}")
        self.proxy = proxy
        creds = account_session(moto_url, ACCOUNT).get_credentials().get_frozen_credentials()
        self.keys = ["--access-keys", "--access-key-id", creds.access_key,
                     "--secret-access-key", creds.secret_key,
                     *(["--session-token", creds.token] if creds.token else [])]

    def run(self) -> Job:
        with tempfile.TemporaryDirectory(prefix="cc-bench-scout-") as out:
            env = {**os.environ, **PLATFORM_ENV, "AWS_ENDPOINT_URL": self.proxy.url,
                   "AWS_EC2_METADATA_DISABLED": "true", "HOME": out}
            before = len(self.proxy.seen)
            wall, cpu, rss, code, tail = run_measured(
                [str(self.executable), "aws", *self.keys, "--regions", *REGIONS,
                 "--report-dir", out, "--no-browser", "--force", "--quiet"], env, cwd=Path(out))
            reports = list(Path(out).glob("scoutsuite-results/scoutsuite_results_*.js"))
            # ScoutSuite exits 200 when it finished but logged errors it handled (moto lacks
            # a few APIs); the results file is the proof that it got to the end.
            ok = code in (0, 200) and bool(reports)
            return Job(wall, cpu, rss, len(self.proxy.seen) - before, ok,
                       "" if ok else f"exit {code}: {tail}")


def median_job(jobs: list[Job]) -> Job:
    good = [j for j in jobs if j.ok] or jobs
    return Job(statistics.median(j.wall for j in good), statistics.median(j.cpu for j in good),
               statistics.median(j.rss_mib for j in good),
               round(statistics.median(j.calls for j in good)), all(j.ok for j in jobs),
               good[-1].detail)


def bench_scale(scale: int, runs: int, prowler_venv: Path | None, scout_venv: Path | None,
                python: str) -> None:
    moto = start_moto()
    proxy = FaultProxy(moto.url).start()
    try:
        os.environ.update(PLATFORM_ENV)
        started = time.perf_counter()
        counts = seed_scaled_account(account_session(moto.url, ACCOUNT), moto.url, ACCOUNT,
                                     REGIONS, scale)
        seeding = time.perf_counter() - started
        rates = [emulator_rate(proxy.url)]
        ours = Ours(moto.url, proxy, python)
        peers: dict[str, Prowler | ScoutSuite] = {}
        if prowler_venv:
            peers["prowler cis_3.0_aws"] = Prowler(prowler_venv, proxy, moto.url)
        if scout_venv:
            peers["scoutsuite"] = ScoutSuite(scout_venv, proxy, moto.url)
        ours.run()  # warm-up: moto builds its per-region backends on first use
        mine: list[Job] = []
        theirs: dict[str, list[Job]] = {label: [] for label in peers}
        for _ in range(runs):  # alternating: each tool sees the same machine state in turn
            mine.append(ours.run())
            for label, peer in peers.items():
                theirs[label].append(peer.run())
        rates.append(emulator_rate(proxy.url))
    finally:
        proxy.stop()
        moto.stop()
    rate = statistics.mean(rates)
    load = os.getloadavg()
    print(f"\n== scale {scale}: {counts} over {len(REGIONS)} regions "
          f"(seeded in {seeding:.1f} s)")
    print(f"emulator rate    {rate:7.1f} cheap calls/s through the proxy "
          f"({rates[0]:.0f} before, {rates[1]:.0f} after); load {load[0]:.2f} {load[1]:.2f}")
    _line("ours (scan+report)", median_job(mine), rate)
    for n, job in enumerate(mine, 1):
        if not job.ok:
            print(f"  run {n} failed: {job.detail}")
    print(f"  report controls: {median_job(mine).detail}")
    m = median_job(mine)
    for label, jobs in theirs.items():
        best = median_job(jobs)
        _line(label, best, rate)
        for n, job in enumerate(jobs, 1):
            if not job.ok:
                print(f"  run {n} failed: {job.detail}")
        print(f"  ratios ours/{label.split()[0]}: wall {m.wall / best.wall:.3f}  "
              f"CPU {m.cpu / best.cpu:.3f}  RSS {m.rss_mib / best.rss_mib:.3f}  "
              f"calls {m.calls / max(best.calls, 1):.3f}")


def _line(label: str, job: Job, rate: float) -> None:
    floor = job.calls / rate
    print(f"{label:20} wall {job.wall:6.2f} s  CPU {job.cpu:6.2f} s  peak RSS "
          f"{job.rss_mib:6.1f} MiB  calls {job.calls:5d}  floor {floor:5.2f} s  "
          f"wall/floor {job.wall / floor if floor else 0:5.2f}"
          f"{'' if job.ok else '  (FAILED)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", default="1,10,30", help="comma-separated scale factors")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool (median)")
    parser.add_argument("--prowler", type=Path, help="a venv with Prowler installed")
    parser.add_argument("--scoutsuite", type=Path, help="a venv with ScoutSuite installed")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter that runs our CLI (default: this one)")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')}  cpus {os.cpu_count()}  "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for scale in (int(s) for s in args.scale.split(",") if s.strip()):
        bench_scale(scale, args.runs, args.prowler, args.scoutsuite, args.python)


if __name__ == "__main__":
    main()
