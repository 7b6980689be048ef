"""``cloudconnectors report CONNECTOR``: a compliance report export (later)."""

from __future__ import annotations

import click

from cloudconnectors.cli.output import NotAvailable


@click.command()
@click.argument("connector")
@click.option("--framework", required=True, metavar="F", help="Framework ID, e.g. a CIS benchmark.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "html"]), default="json",
              show_default=True)
def report(connector: str, framework: str, fmt: str) -> None:
    """Evaluate CONNECTOR's latest inventory against FRAMEWORK and print the report."""
    raise NotAvailable("report: not available in this build yet")
