"""``cloudconnectors worker`` polls due connectors in its own process, then stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from cloudconnectors.services.connectors import create_connector, get_connector
from cloudconnectors.services.context import AppContext
from tests.cli.conftest import SRC
from tests.support.credentials import azure_credentials
from tests.support.people import make_person, principal_of


def test_worker_polls_a_due_connector_and_stops_cleanly(
        ctx: AppContext, cli_env: dict[str, str]) -> None:
    principal = principal_of(ctx, make_person(ctx))
    connector = create_connector(ctx, principal, name="sub", provider="azure",
                                 credentials=azure_credentials())
    env = {**os.environ, **cli_env, "PYTHONPATH": str(SRC),
           "CLOUDCONNECTORS_SCHEDULER_TICK_SECONDS": "0.2"}
    process = subprocess.Popen([sys.executable, "-m", "cloudconnectors", "worker", "--name",
                                "worker-under-test"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while get_connector(ctx, principal, connector.id).last_run_at is None:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the worker never polled the due connector"
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    polled = get_connector(ctx, principal, connector.id)
    # Azure collection has not shipped: the poll ends offline with a message saying so.
    assert polled.status.value == "offline"
    assert polled.last_error is not None and "not available" in polled.last_error
    assert process.returncode == 0, stderr
    assert "stopping" in stderr
