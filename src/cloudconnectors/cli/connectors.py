"""``cloudconnectors connectors ...``: add, list, show, edit, refresh, delete.

A connector is addressed by its ID or its name, inside the tenant chosen by ``--tenant``.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cloudconnectors.cli import credentials as flags_to
from cloudconnectors.cli.org_flags import org_options
from cloudconnectors.cli.org_flags import take as take_organization
from cloudconnectors.cli.output import (
    CONNECTOR_COLUMNS,
    connector_dict,
    connector_row,
    console,
    fail,
    print_connector,
    print_json,
    print_table,
)
from cloudconnectors.cli.runtime import operator, tenant_option
from cloudconnectors.domain.connector import (
    INVENTORY_CHOICES,
    INVENTORY_DEFAULT,
    RUN_FREQUENCY_DEFAULT,
    Connector,
    ProviderName,
    validate_fields,
)
from cloudconnectors.domain.states import Status
from cloudconnectors.services import connectors as service

if TYPE_CHECKING:
    from cloudconnectors.services.context import AppContext, Principal
    from cloudconnectors.services.external_ids import IssuedExternalId

# ``connectors list`` and ``show`` answer at once: what only adding, editing or the setup
# files need (pydantic credential models, the AWS declarations, the platform's STS client)
# is imported inside those commands. Kept equal to ``ArtifactKind`` by a test.
ARTIFACT_KINDS = ("trust-policy", "custom-policy", "eks-policy", "cloudformation",
                  "organization-policy", "member-stackset")

PROVIDERS = click.Choice([p.value for p in ProviderName])
STATUSES = click.Choice([s.value for s in Status])


@click.group()
def connectors() -> None:
    """Manage connectors (AWS accounts, GCP projects, Azure subscriptions)."""


def _issue_for(ctx: AppContext, principal: Principal, role_arn: str) -> IssuedExternalId:
    from cloudconnectors.providers.aws.credentials import AwsCredentials
    from cloudconnectors.providers.base import parse_credentials
    from cloudconnectors.services.external_ids import issue_for_new_role

    # Check the role ARN first so a typo does not spend an External ID; the issuing itself
    # is the API's rule (refused without the platform's AWS account).
    parse_credentials(AwsCredentials, {"role_arn": role_arn, "external_id": "placeholder"},
                      ctx.settings)
    return issue_for_new_role(ctx, principal)


@connectors.command("add")
@click.option("--name", required=True, help="1-100 printable characters, unique in the tenant.")
@click.option("--provider", required=True, type=PROVIDERS)
@click.option("--run-frequency", type=int, default=RUN_FREQUENCY_DEFAULT, show_default=True,
              help="Minutes between polls (60-1440).")
@flags_to.credential_options
@click.option("--include-project", "include", multiple=True,
              help="GCP: read only these projects (repeat; default every visible one).")
@click.option("--exclude-project", "exclude", multiple=True,
              help="GCP: never read these projects (repeat).")
@click.option("--inventory", type=click.Choice(INVENTORY_CHOICES), default=INVENTORY_DEFAULT,
              show_default=True, help="rules: read only what the compliance rules read; "
              "full: every resource type and detail (more API calls).")
@org_options
@tenant_option
def add(name: str, provider: str, run_frequency: int, tenant: str | None,
        include: tuple[str, ...], exclude: tuple[str, ...], inventory: str,
        **credential_flags: object) -> None:
    """Add a connector; for AWS without --external-id, one is issued and printed. With
    --organization it is an organization connector (docs/organizations.md)."""
    organization = take_organization(credential_flags)
    flags = flags_to.CredentialFlags(**credential_flags)  # type: ignore[arg-type]
    validate_fields(name=name, provider=provider, run_frequency_minutes=run_frequency)
    with operator(tenant) as (ctx, principal):
        credentials = flags_to.build(provider, flags)
        issued = None
        if provider == "aws" and "external_id" not in credentials:
            issued = _issue_for(ctx, principal, credentials["role_arn"])
            credentials["external_id"] = issued.external_id
        connector = service.create_connector(
            ctx, principal, name=name, provider=provider, credentials=credentials,
            run_frequency_minutes=run_frequency, projects=_project_lists(include, exclude),
            organization=organization, inventory=inventory)
    click.echo(f"Added {connector.provider.value} connector {connector.name} ({connector.id}); "
               "status pending, first poll due now.")
    if issued:
        click.echo(f"External ID: {issued.external_id}")
        from cloudconnectors.services import platform

        click.echo(platform.trust_policy_hint(issued.platform_account_id, issued.external_id))


def _project_lists(include: tuple[str, ...],
                   exclude: tuple[str, ...]) -> dict[str, list[str]] | None:
    if not include and not exclude:
        return None
    return {"include": list(include), "exclude": list(exclude)}


@connectors.command("list")
@click.option("--provider", type=PROVIDERS)
@click.option("--status", type=STATUSES)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--tree", is_flag=True, help="Organizations with their members beneath them "
              "(an organization is shown when it or one of its members matches).")
@click.option("--parent", help="Only the members of this organization connector (ID or name).")
@tenant_option
def list_connectors(provider: str | None, status: str | None, as_json: bool, tree: bool,
                    parent: str | None, tenant: str | None) -> None:
    """Connectors of the tenant, by name."""
    with operator(tenant) as (ctx, principal):
        parent_id = service.find_connector(ctx, principal, parent).id if parent else None
        if tree and parent_id is None:
            rows = _tree(ctx, principal, provider, status)
            items = [c for c, _indent in rows]
        else:
            items = _all(ctx, principal, provider=provider, status=status, parent=parent_id)
            rows = [(c, "") for c in items]
    if as_json:
        print_json({"items": [connector_dict(c) for c in items], "total": len(items)})
    else:
        print_table(CONNECTOR_COLUMNS, [connector_row(c, indent) for c, indent in rows])


def _all(ctx: AppContext, principal: Principal, **filters: Any) -> list[Connector]:
    items: list[Connector] = []
    while True:
        page = service.list_connectors(ctx, principal, limit=500, offset=len(items), **filters)
        items.extend(page.items)
        if not page.items or len(items) >= page.total:
            return items


def _tree(ctx: AppContext, principal: Principal, provider: str | None,
          status: str | None) -> list[tuple[Connector, str]]:
    rows: list[tuple[Connector, str]] = []
    for top in _all(ctx, principal, provider=provider, status=status, parent="", tree=True):
        rows.append((top, ""))
        if top.kind == "organization":
            rows += [(member, "  └ ") for member in _all(
                ctx, principal, provider=provider, status=status, parent=top.id)]
    return rows


@connectors.command("show")
@click.argument("connector")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@tenant_option
def show(connector: str, as_json: bool, tenant: str | None) -> None:
    """One connector (by ID or name), with its last error and how to fix it."""
    with operator(tenant) as (ctx, principal):
        found = service.find_connector(ctx, principal, connector)
    if as_json:
        print_json(connector_dict(found))
    else:
        print_connector(found)


@connectors.command("edit")
@click.argument("connector")
@click.option("--name", help="New name.")
@click.option("--run-frequency", type=int, help="Minutes between polls (60-1440).")
@flags_to.credential_options
@click.option("--include-project", "include", multiple=True,
              help="GCP: read only these projects (repeat; replaces both lists).")
@click.option("--exclude-project", "exclude", multiple=True,
              help="GCP: never read these projects (repeat; replaces both lists).")
@click.option("--all-projects", is_flag=True, help="GCP: clear the project lists.")
@click.option("--inventory", type=click.Choice(INVENTORY_CHOICES),
              help="rules: read only what the compliance rules read; full: everything.")
@tenant_option
def edit(connector: str, name: str | None, run_frequency: int | None, tenant: str | None,
         include: tuple[str, ...], exclude: tuple[str, ...], all_projects: bool,
         inventory: str | None, **credential_flags: object) -> None:
    """Rename, reschedule, rotate the credentials, change the project lists or what a poll
    reads."""
    flags = flags_to.CredentialFlags(**credential_flags)  # type: ignore[arg-type]
    with operator(tenant) as (ctx, principal):
        found = service.find_connector(ctx, principal, connector)
        changes: dict[str, object] = {}
        if name is not None:
            changes["name"] = name
        if run_frequency is not None:
            changes["run_frequency_minutes"] = run_frequency
        if flags.any_given:
            changes["credentials"] = flags_to.build(
                found.provider.value, flags, found.public_credentials)
        if all_projects or include or exclude:
            changes["projects"] = None if all_projects else _project_lists(include, exclude)
        if inventory is not None:
            changes["inventory"] = inventory
        if not changes:
            fail("nothing to change: pass --name, --run-frequency, new credentials, project "
                 "lists or --inventory", 2)
        updated = service.update_connector(ctx, principal, found.id, **changes)
    click.echo(f"Updated connector {updated.name} ({updated.id}).")


@connectors.command("refresh")
@click.argument("connector")
@click.option("--wait", is_flag=True, help="Wait for the poll to finish.")
@click.option("--timeout", type=click.FloatRange(1, 86400), default=900, show_default=True,
              help="Seconds to wait with --wait.")
@tenant_option
def refresh(connector: str, wait: bool, timeout: float, tenant: str | None) -> None:
    """Ask for a poll now (a connector already refreshing starts nothing new)."""
    with operator(tenant) as (ctx, principal):
        found = service.find_connector(ctx, principal, connector)
        result = service.request_refresh(ctx, principal, found.id)
        if result.queued:
            click.echo(f"Refresh of {found.name} queued.")
        else:
            click.echo(f"{found.name} is already refreshing; no second poll started.")
        if wait:
            _wait_for_poll(ctx, principal, found.id, timeout)


def _wait_for_poll(ctx: AppContext, principal: Principal, connector_id: str,
                   timeout: float) -> None:
    before = service.get_connector(ctx, principal, connector_id).last_run_at
    deadline = time.monotonic() + timeout
    finished: Connector | None = None
    # The spinner is transient: it is erased when the block ends, before anything else is
    # printed, so no spinner text is left in front of the result line.
    with console(stderr=True).status("Polling...") as progress:
        while finished is None and time.monotonic() < deadline:
            current = service.get_connector(ctx, principal, connector_id)
            progress.update("Waiting for a poller..." if current.refresh_queued
                            else f"Polling... status {current.status.value}")
            if current.status is not Status.REFRESHING:
                if current.last_run_at == before:  # no poller took it: back to what it was
                    fail(current.warning or "the refresh was not taken by any poller")
                finished = current
            else:
                time.sleep(1)
    if finished is None:
        fail(f"no poll finished within {timedelta(seconds=int(timeout))}; is "
             "`cloudconnectors serve` (or a worker) running?")
    click.echo(f"Poll finished: {finished.status.value}"
               + (f" ({finished.last_error})" if finished.last_error else ""))
    if finished.status is Status.OFFLINE:
        fail(finished.last_error or "the poll failed")


@connectors.command("delete")
@click.argument("connector")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@tenant_option
def delete(connector: str, yes: bool, tenant: str | None) -> None:
    """Delete a connector with its poll history and inventory."""
    with operator(tenant) as (ctx, principal):
        found = service.find_connector(ctx, principal, connector)
        warning = f"Deleting {found.name} ({found.id}) also deletes its poll history."
        if found.provider is ProviderName.AWS:
            warning += (" Its External ID dies with it: a re-added connector gets a new one, "
                        "so the role's trust policy must be changed.")
        click.echo(f"warning: {warning}", err=True)
        if not yes:
            click.confirm("Delete it?", abort=True, err=True)
        service.delete_connector(ctx, principal, found.id)
    click.echo(f"Deleted connector {found.name}.")


@connectors.command("external-id")
@tenant_option
def external_id(tenant: str | None) -> None:
    """Issue an External ID ahead of creating the AWS role (printed as the last line)."""
    from cloudconnectors.services import platform
    from cloudconnectors.services.external_ids import issue_for_new_role

    with operator(tenant) as (ctx, principal):
        issued = issue_for_new_role(ctx, principal)
    click.echo(platform.trust_policy_hint(issued.platform_account_id, issued.external_id))
    click.echo(issued.external_id)



@connectors.command("artifacts")
@click.argument("connector")
@click.option("--kind", required=True, type=click.Choice(ARTIFACT_KINDS),
              help="Which setup file of the AWS role.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the file here instead of printing it.")
@tenant_option
def artifacts(connector: str, kind: str, output: str | None, tenant: str | None) -> None:
    """Print (or save) an AWS connector's setup file, filled with its External ID."""
    with operator(tenant) as (ctx, principal):
        found = service.find_connector(ctx, principal, connector)
        from cloudconnectors.services.aws_artifacts import ArtifactKind, connector_artifact

        artifact = connector_artifact(ctx, principal, found.id, ArtifactKind(kind))
    text = json.dumps(artifact.document, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"Wrote {artifact.kind.value} of {found.name} to {output}.", err=True)
