"""``cloudconnectors users create|list``: people, their tenant and role."""

from __future__ import annotations

import sys

import click

from cloudconnectors.cli.output import print_json, print_table
from cloudconnectors.cli.runtime import app_context
from cloudconnectors.services import users as service


@click.group()
def users() -> None:
    """Create and list users."""


@users.command("create")
@click.argument("email")
@click.option("--tenant", required=True, metavar="NAME",
              help="The user's tenant; created if it does not exist.")
@click.option("--role", required=True, type=click.Choice(["admin", "viewer"]))
@click.option("--password-stdin", is_flag=True,
              help="Also set the portal password, read from standard input.")
def create(email: str, tenant: str, role: str, password_stdin: bool) -> None:
    """Create EMAIL in TENANT; prints a new API token as the last line."""
    password = None
    if password_stdin:
        password = sys.stdin.read().rstrip("\r\n")
    with app_context() as ctx:
        created = service.create_user(ctx, email, tenant=tenant, role=role, password=password)
    click.echo(f"Created {created.role.value} {created.email} in tenant {created.tenant_name}.")
    if password is not None:
        click.echo("Portal password set.")
    click.echo("API token (shown once; store it now):")
    click.echo(created.token)


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_users(as_json: bool) -> None:
    """Every user with their tenant and role."""
    with app_context() as ctx:
        rows = service.list_users(ctx)
    if as_json:
        print_json([{"email": e, "tenant": t, "role": r} for e, t, r in rows])
    else:
        print_table(("EMAIL", "TENANT", "ROLE"), rows)
