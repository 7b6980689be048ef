"""``cloudconnectors frameworks list``: the report frameworks of the tenant."""

from __future__ import annotations

import click

from cloudconnectors.cli.output import print_json, print_table
from cloudconnectors.cli.runtime import operator, tenant_option
from cloudconnectors.services import reports as service


@click.group()
def frameworks() -> None:
    """Compliance frameworks reports are built against."""


@frameworks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@tenant_option
def list_frameworks(as_json: bool, tenant: str | None) -> None:
    """Built-in benchmarks, plus `custom` when the tenant has custom rules."""
    with operator(tenant) as (ctx, principal):
        found = service.list_frameworks(ctx.db, principal.tenant_id)
    items = [{"id": f["id"], "name": f["name"], "version": f["version"],
              "provider": f["provider"], "controls": f["controls"],
              "automated": f["automated_controls"], "manual": f["manual_controls"]}
             for f in found]
    if as_json:
        print_json({"items": items})
        return
    print_table(("ID", "NAME", "VERSION", "PROVIDER", "CONTROLS", "AUTOMATED", "MANUAL"),
                [[i["id"], i["name"], i["version"], i["provider"] or "any", i["controls"],
                  i["automated"], i["manual"]] for i in items])
