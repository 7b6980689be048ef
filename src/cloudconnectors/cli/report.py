"""``cloudconnectors report CONNECTOR``: a compliance report, to stdout or a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cloudconnectors.cli.output import print_json, print_table
from cloudconnectors.cli.runtime import operator, tenant_option
from cloudconnectors.services import compliance
from cloudconnectors.services import connectors as connector_service
from cloudconnectors.services import reports as service
from cloudconnectors.services.organization_reports import OrganizationReport, organization_report


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

    A connector polled but not evaluated yet is evaluated first. For an organization
    connector: one score per member, worst first, and the organization's score.
    """
    with operator(tenant) as (ctx, principal):
        found = connector_service.find_connector(ctx, principal, connector)
        if found.kind == "organization":
            rolled = organization_report(ctx, principal, found.id, framework)
            _print_organization(rolled, fmt)
            return
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


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _print_organization(rolled: OrganizationReport, fmt: str) -> None:
    rows: list[dict[str, Any]] = [
        {"connector_id": m.summary.connector_id, "name": m.summary.connector_name,
         "account": m.account, "status": "gone" if m.gone else m.status,
         "score": m.summary.score, "failed": m.summary.failed} for m in rolled.members]
    if fmt == "json":
        print_json({"organization_id": rolled.organization_id, "framework": rolled.framework,
                    "score": rolled.score, "passed": rolled.passed, "failed": rolled.failed,
                    "members": rows})
        return
    click.echo(f"{rolled.organization_name}: {_score(rolled.score)} over "
               f"{sum(1 for m in rolled.members if not m.gone)} member(s), worst first "
               f"({rolled.framework or 'no framework'})")
    print_table(("ACCOUNT", "NAME", "STATUS", "SCORE", "FAILED"),
                [[r["account"], r["name"], r["status"], _score(r["score"]), r["failed"]]
                 for r in rows])
