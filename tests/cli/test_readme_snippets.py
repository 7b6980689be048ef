"""The README's set-up steps, copied out of README.md at test time (never duplicated here) and
run by bash as a reader would paste them, against a real ``serve`` process: once with the
platform's AWS identity (moto) and every step working, once without it, where the AWS steps
must stop with one clear line instead of a traceback or a saved error body."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cloudconnectors.services.connectors import list_connectors
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.users import operator_principal
from tests.cli.servers import serve_process
from tests.support.aws_seed import PLATFORM_ENV
from tests.support.credentials import gcp_credentials
from tests.support.moto_server import MOTO_ACCOUNT, MotoServer

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DEAD = "https://127.0.0.1:9"  # no cloud is reached: a poll of GCP or Azure fails at once
OFFLINE_CLOUDS = {"CLOUDCONNECTORS_GCP_TOKEN_URI": f"{DEAD}/token",
                  "CLOUDCONNECTORS_GCP_API_ENDPOINT": DEAD,
                  "CLOUDCONNECTORS_AZURE_AUTHORITY_HOST": DEAD,
                  "CLOUDCONNECTORS_AZURE_MANAGEMENT_ENDPOINT": DEAD,
                  "CLOUDCONNECTORS_AWS_REGIONS": "us-east-1"}


def readme_snippets(first: str, last: str) -> str:
    """The ``sh`` blocks from heading ``first`` to the end of section ``last``, in order,
    without the ones that start the server (``make run``)."""
    blocks: list[str] = []
    fence: str | None = None  # the language of the fenced block we are in
    body: list[str] = []
    inside = past_last = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if fence is not None:  # a "#" line in here is a shell comment, not a heading
            if not line.startswith("```"):
                body.append(line)
                continue
            if fence == "sh" and inside and "make run" not in "\n".join(body):
                blocks.append("\n".join(body))
            fence = None
        elif line.startswith("```"):
            fence, body = line[3:].strip(), []
        elif line.startswith("#"):
            if past_last:
                break
            inside = inside or line == first
            past_last = line == last
    assert blocks, f"no sh blocks between {first!r} and {last!r}"
    return "\n".join(blocks)


def run_as_reader(script: str, workdir: Path, env: dict[str, str], base: str
                  ) -> subprocess.CompletedProcess[str]:
    """bash in an empty folder whose ``.venv`` is this interpreter's, with PORT and HOST
    exported as after ``make run PORT=...``."""
    (workdir / ".venv").symlink_to(sys.prefix)
    host, port = base.removeprefix("http://").split(":")
    return subprocess.run(["bash", "-c", script], cwd=workdir, capture_output=True, text=True,
                          timeout=180, check=False,
                          env={**env, "HOST": host, "PORT": port, "PATH": os.environ["PATH"]})


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "reader"
    folder.mkdir()
    key = gcp_credentials("readme-project")["service_account_key"]
    (folder / "service-account.json").write_text(json.dumps(key))
    return folder


def test_the_readme_set_up_works_as_written(
        ctx: AppContext, cli_env: dict[str, str], moto_server: MotoServer, workdir: Path) -> None:
    env = {**cli_env, **PLATFORM_ENV, **OFFLINE_CLOUDS, "AWS_ENDPOINT_URL": moto_server.url}
    script = readme_snippets("## Quick start", "### List, show, edit, refresh, delete")
    assert "--fail-with-body" in script and "${EXTERNAL_ID:?" in script
    with serve_process(env) as base:
        done = run_as_reader(script, workdir, env, base)
    assert done.returncode == 0, done.stderr
    assert '"email":"admin@example.com"' in done.stdout.replace(" ", "")
    assert f'"platform_account_id":"{MOTO_ACCOUNT}"' in done.stdout.replace(" ", "")
    assert done.stdout.rstrip().endswith("204")
    [template] = [p for p in workdir.iterdir() if "cloudformation" in p.name]
    trust = json.loads(template.read_text())["Resources"]["CloudConnectorsRole"]["Properties"]
    external_id = trust["AssumeRolePolicyDocument"]["Statement"][0]["Condition"][
        "StringEquals"]["sts:ExternalId"]
    assert external_id.startswith("cc-")

    admin = operator_principal(ctx, "acme")
    left = {c.name: c for c in list_connectors(ctx, admin).items}
    assert set(left) == {"prod-aws", "prod-gcp"}  # prod-azure was edited, then deleted
    assert left["prod-aws"].public_credentials["external_id"] == external_id


def test_the_aws_steps_stop_with_one_line_without_the_platform_identity(
        cli_env: dict[str, str], workdir: Path) -> None:
    env = {**cli_env, **OFFLINE_CLOUDS}  # cli_env: no AWS credentials, a dead endpoint
    script = readme_snippets("## Quick start", "### AWS: issue an External ID, create the role, "
                             "then the connector")
    with serve_process(env) as base:
        done = run_as_reader(script, workdir, env, base)
    assert done.returncode != 0
    platform = json.loads(done.stdout[done.stdout.index('{"platform_account_id"'):]
                          .splitlines()[0])
    assert platform["aws"]["available"] is False and platform["gcp"]["apis"]
    last = done.stderr.strip().splitlines()[-1]
    assert "EXTERNAL_ID: no External ID was issued:" in last
    assert "the platform's AWS credentials were not found" in last
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in workdir.iterdir()) == [".venv", "service-account.json"]


def test_make_run_and_demo_take_port_and_host() -> None:
    done = subprocess.run(["make", "-n", "-C", str(ROOT), "run", "demo", "PORT=8123",
                           "HOST=0.0.0.0"], capture_output=True, text=True, timeout=60,
                          check=True)
    assert "cloudconnectors serve --host 0.0.0.0 --port 8123" in done.stdout
    assert "cloudconnectors demo --host 0.0.0.0 --port 8123" in done.stdout
