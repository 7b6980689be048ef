"""Benchmark: how long the CLI takes to answer, against the floor of starting Python with click.

Times three commands as real processes, each run N times after one warm-up (so the OS file
cache is warm, as on a second call), and prints the median and the spread of the wall time,
and the median CPU time (user + system; steadier than wall on a busy machine):

* ``python -c "import click"``: the floor (an interpreter and the CLI framework);
* ``cloudconnectors --help``: must import nothing but click, rich and the CLI itself;
* ``cloudconnectors connectors list``: opens a fresh SQLite database (migrated once before the
  timing starts) with one tenant, so it pays for SQLAlchemy but not for Alembic or boto3.

    PYTHONPATH=src python benchmarks/cli_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def wall(command: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system, from ``wait4``) of ``runs`` runs."""
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm-up
    times, cpus = [], []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed")
    return times, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cc-cli-bench-") as data_dir:
        env = {**os.environ, "PYTHONPATH": str(SRC), "CLOUDCONNECTORS_DATA_DIR": data_dir,
               "CLOUDCONNECTORS_DATABASE_URL": f"sqlite:///{data_dir}/cloudconnectors.db"}
        env.pop("CLOUDCONNECTORS_TENANT", None)
        cli = [sys.executable, "-m", "cloudconnectors"]
        subprocess.run([*cli, "users", "create", "bench@example.com", "--tenant", "bench",
                        "--role", "admin"], env=env, capture_output=True, check=True)
        cases = {
            'python -c "import click"': [sys.executable, "-c", "import click"],
            "cloudconnectors --help": [*cli, "--help"],
            "cloudconnectors connectors list": [*cli, "connectors", "list"],
        }
        floor = None
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{'command':34} {'median':>8} {'min':>8} {'max':>8}  x floor  {'CPU':>7}   "
              f"({args.runs} runs, load {load})")
        for label, command in cases.items():
            times, cpus = wall(command, env, args.runs)
            median = statistics.median(times)
            floor = floor or median
            print(f"{label:34} {median * 1000:7.0f}ms {min(times) * 1000:7.0f}ms "
                  f"{max(times) * 1000:7.0f}ms  {median / floor:6.1f}  "
                  f"{statistics.median(cpus) * 1000:5.0f}ms")


if __name__ == "__main__":
    main()
