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
from tests.support.azure import AzureWorld, azure_world, credentials
from tests.support.people import make_person, principal_of

__all__ = ["azure_world"]


def test_worker_polls_a_due_connector_and_stops_cleanly(
        ctx: AppContext, cli_env: dict[str, str], azure_world: AzureWorld) -> None:
    principal = principal_of(ctx, make_person(ctx))
    creds = credentials().secret_material()
    connector = create_connector(ctx, principal, name="sub", provider="azure",
                                 credentials=creds)
    env = {**os.environ, **cli_env, "PYTHONPATH": str(SRC),
           "CLOUDCONNECTORS_SCHEDULER_TICK_SECONDS": "0.2",
           **azure_world.sandbox.environment(azure_world.ca_file)}
    process = subprocess.Popen([sys.executable, "-m", "cloudconnectors", "worker", "--name",
                                "worker-under-test"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90  # a real poll of the stand-in, on a busy machine
        while get_connector(ctx, principal, connector.id).last_run_at is None:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the worker never polled the due connector"
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    polled = get_connector(ctx, principal, connector.id)
    # The worker polled the Azure stand-in through the real Azure provider.
    assert polled.status.value == "online", polled.last_error
    assert polled.discovery is not None and polled.discovery.value == "success"
    assert process.returncode == 0, stderr
    assert "stopping" in stderr
