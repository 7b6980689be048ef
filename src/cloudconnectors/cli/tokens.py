"""``cloudconnectors tokens create|revoke EMAIL``: API tokens of a user."""

from __future__ import annotations

import click

from cloudconnectors.cli.runtime import app_context
from cloudconnectors.services import users as service


@click.group()
def tokens() -> None:
    """Create and revoke API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--label", default="cli", show_default=True, help="A note to tell tokens apart.")
def create(email: str, label: str) -> None:
    """Issue a new API token for EMAIL; the token is the last line printed."""
    with app_context() as ctx:
        token = service.create_token(ctx, email, label=label)
    click.echo(f"New API token for {email.strip().lower()} (shown once; store it now):")
    click.echo(token)


@tokens.command("revoke")
@click.argument("email")
def revoke(email: str) -> None:
    """Revoke every API token of EMAIL."""
    with app_context() as ctx:
        count = service.revoke_tokens(ctx, email)
    click.echo(f"Revoked {count} API token(s) of {email.strip().lower()}.")
