"""``cloudconnectors rules list|upload|delete``: built-in rules and the tenant's own.

Uploading or deleting custom rules re-evaluates the tenant's connectors before returning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cloudconnectors.cli.output import print_json, print_table
from cloudconnectors.cli.runtime import operator, tenant_option
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.rules.custom import Format
from cloudconnectors.services import compliance
from cloudconnectors.services import reports as service


@click.group()
def rules() -> None:
    """Compliance rules: list the built-in and custom ones, upload or delete custom ones."""


@rules.command("list")
@click.option("--provider", type=click.Choice([p.value for p in ProviderName]),
              help="Only this provider's built-in rules.")
@click.option("--custom", "custom_only", is_flag=True, help="Only the tenant's custom rules.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@tenant_option
def list_rules(provider: str | None, custom_only: bool, as_json: bool,
               tenant: str | None) -> None:
    """Built-in rules, then the tenant's custom rules."""
    providers = [provider] if provider else [p.value for p in ProviderName]
    with operator(tenant) as (ctx, principal):
        custom = service.list_custom_rules(ctx.db, principal.tenant_id)
    builtin: list[dict[str, Any]] = [] if custom_only else [
        r for p in providers for r in compliance.rule_catalog(p)]
    if as_json:
        print_json({"items": builtin, "custom": custom})
        return
    rows = [[r["id"], "built-in", r["severity"], ", ".join(r["resource_types"]), r["title"]]
            for r in builtin]
    rows += [[s["id"], "custom", s["severity"], s["resource_type"], s["title"]]
             for s in custom]
    print_table(("ID", "KIND", "SEVERITY", "RESOURCE TYPES", "TITLE"), rows)


def _format_of(path: Path, given: str | None) -> Format:
    if given == "json" or (given is None and path.suffix.lower() == ".json"):
        return "json"
    return "toml"


@rules.command("upload")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["toml", "json"]),
              help="Default: json for a .json file, else toml.")
@tenant_option
def upload(file: Path, fmt: str | None, tenant: str | None) -> None:
    """Add or replace (by id) the custom rules in FILE; nothing is stored if any is invalid."""
    text = file.read_text(encoding="utf-8")
    with operator(tenant) as (ctx, principal):
        stored = service.upload_custom_rules(ctx.db, principal.tenant_id, text,
                                             _format_of(file, fmt))
        click.echo(f"Stored {len(stored)} custom rule(s): "
                   + ", ".join(s["id"] for s in stored))
        evaluated = compliance.reevaluate_tenant(ctx.db, principal.tenant_id)
    click.echo(f"Re-evaluated {len(evaluated)} connector(s).")


@rules.command("delete")
@click.argument("rule_id")
@tenant_option
def delete(rule_id: str, tenant: str | None) -> None:
    """Delete the custom rule RULE_ID; its findings stay in the history."""
    with operator(tenant) as (ctx, principal):
        service.delete_custom_rule(ctx.db, principal.tenant_id, rule_id)
        click.echo(f"Deleted custom rule {rule_id}.")
        evaluated = compliance.reevaluate_tenant(ctx.db, principal.tenant_id)
    click.echo(f"Re-evaluated {len(evaluated)} connector(s).")
