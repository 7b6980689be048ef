"""Benchmark: how long the CLI takes to answer, against the floor of starting Python with click.

Times three commands as real processes, each run N times after one warm-up (so the OS file
cache is warm, as on a second call), and prints the median and the spread of the wall time:

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


def wall(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


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
        print(f"{'command':34} {'median':>8} {'min':>8} {'max':>8}  x floor   ({args.runs} runs)")
        for label, command in cases.items():
            times = wall(command, env, args.runs)
            median = statistics.median(times)
            floor = floor or median
            print(f"{label:34} {median * 1000:7.0f}ms {min(times) * 1000:7.0f}ms "
                  f"{max(times) * 1000:7.0f}ms  {median / floor:6.1f}")


if __name__ == "__main__":
    main()
