"""connectors add|list|show|edit|refresh|delete through the CLI, one provider at a time."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cloudconnectors.providers.aws.platform import platform_credentials_missing
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.storage.tables import ConnectorRow, ExternalIdRow
from cloudconnectors.storage.tables.base import utcnow
from tests.cli.conftest import Cli
from tests.support.credentials import AZURE_SECRET, FAKE_PEM, azure_credentials, gcp_credentials
from tests.support.people import make_person, principal_of

AZ = azure_credentials()
ROLE_ARN = "arn:aws:iam::111122223333:role/CloudConnectors"


def azure_args(name: str = "az") -> list[str]:
    return ["connectors", "add", "--name", name, "--provider", "azure",
            "--application-id", AZ["application_id"], "--directory-id", AZ["directory_id"],
            "--subscription-id", AZ["subscription_id"], "--authentication-key-stdin"]


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(gcp_credentials()["service_account_key"]))
    return path


@pytest.fixture
def tenant(ctx: AppContext) -> None:
    make_person(ctx, tenant="acme", role="admin")


@pytest.mark.usefixtures("tenant")
def test_lifecycle_of_each_provider(run: Cli, key_file: Path,
                                    platform_env: dict[str, str]) -> None:
    assert run(*azure_args(), input=AZURE_SECRET + "\n").code == 0
    gcp = run("connectors", "add", "--name", "gcp", "--provider", "gcp", "--key-file",
              str(key_file), "--run-frequency", "60")
    assert gcp.code == 0, gcp.stderr
    aws = run("connectors", "add", "--name", "aws", "--provider", "aws", "--role-arn", ROLE_ARN,
              env=platform_env)
    assert aws.code == 0, aws.stderr
    external_id = next(line.split(": ", 1)[1] for line in aws.stdout.splitlines()
                       if line.startswith("External ID: "))
    assert f"sts:ExternalId = {external_id}" in aws.stdout

    listed = json.loads(run("connectors", "list", "--json").stdout)
    assert listed["total"] == 3
    assert [c["name"] for c in listed["items"]] == ["aws", "az", "gcp"]
    by_name = {c["name"]: c for c in listed["items"]}
    assert by_name["gcp"]["run_frequency_minutes"] == 60
    assert by_name["aws"]["credentials"]["external_id"] == external_id
    assert all(c["status"] == "pending" for c in listed["items"])

    table = run("connectors", "list", "--provider", "gcp").stdout
    assert "gcp" in table and by_name["az"]["id"] not in table

    shown = json.loads(run("connectors", "show", by_name["gcp"]["id"], "--json").stdout)
    assert shown["credentials"] == {
        "client_email": "scanner@posture-demo-123.iam.gserviceaccount.com",
        "project_id": "posture-demo-123"}
    assert "Credentials subscription_id" in run("connectors", "show", "az").stdout

    edited = run("connectors", "edit", "aws", "--name", "aws-prod", "--run-frequency", "120",
                 "--role-arn", "arn:aws:iam::111122223333:role/Other")
    assert edited.code == 0, edited.stderr
    after = json.loads(run("connectors", "show", "aws-prod", "--json").stdout)
    assert after["run_frequency_minutes"] == 120
    assert after["credentials"]["role_arn"].endswith("role/Other")
    assert after["credentials"]["external_id"] == external_id

    refreshed = run("connectors", "refresh", "aws-prod")
    assert refreshed.code == 0 and "queued" in refreshed.stdout

    kept = run("connectors", "delete", "aws-prod", input="n\n")
    assert kept.code == 1 and "External ID dies with it" in kept.stderr
    assert kept.stderr.strip().endswith("error: aborted")
    gone = run("connectors", "delete", "aws-prod", "--yes")
    assert gone.code == 0 and "Deleted" in gone.stdout
    missing = run("connectors", "show", "aws-prod")
    assert missing.code == 1
    assert missing.stderr == "error: no connector with ID or name 'aws-prod'\n"


@pytest.mark.usefixtures("tenant")
def test_errors_are_one_line_with_the_field_and_rule(run: Cli, key_file: Path) -> None:
    cases = [
        (["--run-frequency", "59"], "run_frequency_minutes: minimum is 60"),
        (["--run-frequency", "1441"], "run_frequency_minutes: maximum is 1440"),
        (["--name", ""], "name: must not be empty"),
    ]
    for extra, expected in cases:
        done = run("connectors", "add", "--name", "g", "--provider", "gcp", "--key-file",
                   str(key_file), *extra)
        assert done.code == 1, done
        assert done.stderr == f"error: {expected}\n"
    bad_arn = run("connectors", "add", "--name", "a", "--provider", "aws", "--role-arn", "nope")
    assert bad_arn.code == 1 and bad_arn.stderr.startswith("error: credentials.role_arn: ")
    usage = run("connectors", "add", "--provider", "gcp")
    assert usage.code == 2 and usage.stderr == "error: Missing option '--name'. (see --help)\n"
    wrong_flag = run("connectors", "add", "--name", "g", "--provider", "gcp", "--key-file",
                     str(key_file), "--role-arn", ROLE_ARN)
    assert wrong_flag.stderr == "error: --role-arn: does not apply to gcp connectors\n"
    no_secret = run("connectors", "add", *azure_args("z")[2:-1])
    assert no_secret.code == 1 and "--authentication-key-stdin: is required" in no_secret.stderr
    bad_file = key_file.with_name("bad.json")
    bad_file.write_text("{not json " + FAKE_PEM)
    done = run("connectors", "add", "--name", "g", "--provider", "gcp", "--key-file",
               str(bad_file))
    assert done.stderr == "error: key-file: is not valid JSON\n"
    assert run(*azure_args("dup"), input="s\n").code == 0
    dup = run(*azure_args("dup"), input="s\n")
    assert dup.code == 1 and dup.stderr.startswith("error: name: a connector named 'dup'")
    for done in (bad_arn, usage, dup):
        assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_tenant_is_the_only_one_or_named(run: Cli, ctx: AppContext) -> None:
    none_yet = run("connectors", "list")
    assert none_yet.code == 1 and "no tenant exists yet" in none_yet.stderr
    make_person(ctx, tenant="red")
    assert run(*azure_args("r"), input="s\n").code == 0
    make_person(ctx, tenant="blue")
    ambiguous = run("connectors", "list")
    assert ambiguous.code == 1
    assert ambiguous.stderr == (
        "error: tenant: several tenants exist: choose one with --tenant NAME\n")
    red = json.loads(run("connectors", "list", "--json", "--tenant", "red").stdout)
    blue = json.loads(run("connectors", "list", "--json",
                          env={"CLOUDCONNECTORS_TENANT": "blue"}).stdout)
    assert red["total"] == 1 and blue["total"] == 0
    assert run("connectors", "show", "r", "--tenant", "blue").code == 1
    unknown = run("connectors", "list", "--tenant", "green")
    assert unknown.stderr == "error: tenant: no tenant named 'green'\n"


def test_aws_external_id_must_be_issued_to_this_tenant(run: Cli, ctx: AppContext,
                                                      platform_env: dict[str, str]) -> None:
    red = make_person(ctx, tenant="red")
    make_person(ctx, tenant="blue")
    foreign = issue_external_id(ctx, principal_of(ctx, red))
    done = run("connectors", "add", "--tenant", "blue", "--name", "a", "--provider", "aws",
               "--role-arn", ROLE_ARN, "--external-id", foreign)
    assert done.code == 1
    assert done.stderr.startswith("error: credentials.external_id: must be an External ID issued")
    issued = run("connectors", "external-id", "--tenant", "red", env=platform_env)
    assert issued.code == 0 and issued.last_line.startswith("cc-")
    ok = run("connectors", "add", "--tenant", "red", "--name", "a", "--provider", "aws",
             "--role-arn", ROLE_ARN, "--external-id", issued.last_line)
    assert ok.code == 0, ok.stderr


@pytest.mark.usefixtures("tenant")
def test_real_process_add_and_list(run_process: Cli) -> None:
    added = run_process(*azure_args("proc"), input=AZURE_SECRET)
    assert added.code == 0, added.stderr
    listed = run_process("connectors", "list")
    assert listed.code == 0 and "proc" in listed.stdout and "azure" in listed.stdout
    failed = run_process("connectors", "add", "--name", "x", "--provider", "gcp",
                         "--run-frequency", "59", "--key-file", "/nonexistent")
    assert failed.code == 1 and failed.stderr == "error: run_frequency_minutes: minimum is 60\n"


@pytest.mark.usefixtures("tenant")
def test_refresh_wait_reports_the_poll_outcome(run: Cli, ctx: AppContext) -> None:
    assert run(*azure_args("w"), input="s\n").code == 0
    waited = run("connectors", "refresh", "w", "--wait", "--timeout", "1")
    assert waited.code == 1 and "no poll finished within 0:00:01" in waited.stderr

    def finish_poll() -> None:  # stands in for the scheduler
        time.sleep(1.5)
        with ctx.db.write() as session:
            row = session.scalars(select(ConnectorRow).where(ConnectorRow.name == "w")).one()
            row.status, row.last_run_at = "offline", utcnow()
            row.last_error = "AADSTS7000215: invalid client secret; enter the current one"

    worker = threading.Thread(target=finish_poll)
    worker.start()
    done = run("connectors", "refresh", "w", "--wait", "--timeout", "30")
    worker.join()
    assert done.code == 1
    assert "Poll finished: offline" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == (
        "error: AADSTS7000215: invalid client secret; enter the current one")


@pytest.mark.usefixtures("tenant")
def test_aws_setup_without_the_platform_identity_is_refused_as_by_the_api(
        run: Cli, ctx: AppContext) -> None:
    """One rule for CLI and API (services.external_ids): no External ID, hence no AWS connector
    on an issued one, while the platform cannot name the account the role must trust."""
    added = run("connectors", "add", "--name", "aws", "--provider", "aws", "--role-arn", ROLE_ARN)
    issued = run("connectors", "external-id")
    for done in (added, issued):
        assert done.code == 1
        assert done.stderr == f"error: {platform_credentials_missing()}\n"
    with ctx.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ExternalIdRow)) == 0
    assert json.loads(run("connectors", "list", "--json").stdout)["total"] == 0


@pytest.mark.usefixtures("tenant")
def test_gcp_project_lists(run: Cli, key_file: Path) -> None:
    added = run("connectors", "add", "--name", "org", "--provider", "gcp", "--key-file",
                str(key_file), "--include-project", "prod-123", "--include-project", "dev-456")
    assert added.code == 0, added.stderr
    shown = json.loads(run("connectors", "show", "org", "--json").stdout)
    assert shown["projects"] == {"include": ["dev-456", "prod-123"], "exclude": []}
    table = run("connectors", "show", "org").stdout
    assert "Projects included" in table and "dev-456, prod-123" in table
    bad = run("connectors", "edit", "org", "--exclude-project", "BAD")
    assert bad.code == 1
    assert "projects.exclude[0]: must be a GCP project ID" in bad.stderr
    cleared = run("connectors", "edit", "org", "--all-projects")
    assert cleared.code == 0, cleared.stderr
    assert json.loads(run("connectors", "show", "org", "--json").stdout)["projects"] is None


@pytest.mark.usefixtures("tenant")
def test_inventory_setting(run: Cli, key_file: Path) -> None:
    added = run("connectors", "add", "--name", "inv", "--provider", "gcp", "--key-file",
                str(key_file), "--inventory", "full")
    assert added.code == 0, added.stderr
    assert json.loads(run("connectors", "show", "inv", "--json").stdout)["inventory"] == "full"
    assert "full (every type and detail)" in run("connectors", "show", "inv").stdout
    assert run("connectors", "edit", "inv", "--inventory", "rules").code == 0
    assert json.loads(run("connectors", "show", "inv", "--json").stdout)["inventory"] == "rules"
    bad = run("connectors", "edit", "inv", "--inventory", "most")
    assert bad.code == 2 and "'most' is not one of 'rules', 'full'" in bad.stderr


@pytest.mark.usefixtures("tenant")
def test_refresh_shows_refreshing_at_once_and_a_refresh_nobody_takes_goes_back(
        run: Cli, ctx: AppContext) -> None:
    assert run(*azure_args("q"), input="s\n").code == 0
    assert "queued" in run("connectors", "refresh", "q").stdout
    shown = run("connectors", "show", "q")
    assert "refreshing (waiting for a poller)" in shown.stdout
    listed = run("connectors", "list", "--status", "refreshing")
    assert listed.code == 0 and "q" in listed.stdout
    # A lease time of 1 s: the waiting CLI itself sees the refresh go back and says why.
    waited = run("connectors", "refresh", "q", "--wait", "--timeout", "30",
                 env={"CLOUDCONNECTORS_POLL_LEASE_SECONDS": "1"})
    assert waited.code == 1
    assert "not taken by any poller within 1 s" in waited.stderr
    after = run("connectors", "show", "q")
    assert "pending" in after.stdout and "not taken by any poller" in after.stdout
