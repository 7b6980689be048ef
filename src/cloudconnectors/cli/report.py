"""``cloudconnectors report CONNECTOR``: a compliance report, to stdout or a file."""

from __future__ import annotations

from pathlib import Path

import click

from cloudconnectors.cli.runtime import operator, tenant_option
from cloudconnectors.services import compliance
from cloudconnectors.services import connectors as connector_service
from cloudconnectors.services import reports as service


@click.command()
@click.argument("connector")
@click.option("--framework", metavar="F",
              help="Framework ID (see `frameworks list`); default: the CIS benchmark of the "
              "connector's provider.")
@click.option("--format", "fmt", type=click.Choice(service.export_formats()), default="json",
              show_default=True)
@click.option("--account", metavar="PROJECT",
              help="Only this GCP project or Azure subscription of the connector.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
@tenant_option
def report(connector: str, framework: str | None, fmt: str, account: str | None,
           output: Path | None, tenant: str | None) -> None:
    """The report of CONNECTOR (ID or name) from its latest evaluation.

    A connector polled but not evaluated yet is evaluated first.
    """
    with operator(tenant) as (ctx, principal):
        found = connector_service.find_connector(ctx, principal, connector)
        framework_id = compliance.resolve_framework(ctx.db, principal.tenant_id, found.id,
                                                    framework)
        exported = service.export_report(ctx.db, principal.tenant_id, found.id, framework_id,
                                         fmt, evaluate_if_missing=True, account=account)
    if output is None:
        click.echo(exported.content, nl=not exported.content.endswith("\n"))
        return
    output.write_text(exported.content, encoding="utf-8")
    which = f" for {account}" if account else ""
    click.echo(f"Wrote the {framework_id} report of {found.name}{which} ({fmt}) to {output}.",
               err=True)
