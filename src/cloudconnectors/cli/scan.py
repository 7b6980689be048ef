"""``cloudconnectors scan CONNECTOR``: poll one connector now, in the foreground (later)."""

from __future__ import annotations

import click

from cloudconnectors.cli.output import NotAvailable


@click.command()
@click.argument("connector")
def scan(connector: str) -> None:
    """Poll CONNECTOR (ID or name) now and print its inventory summary."""
    raise NotAvailable("scan: not available in this build yet")
