"""Opening the app context from the environment, and how a CLI call names its tenant.

The CLI is the local operator: it works directly on the database named by
``CLOUDCONNECTORS_DATA_DIR`` / ``CLOUDCONNECTORS_DATABASE_URL`` with the key from
``CLOUDCONNECTORS_SECRET_KEY`` (or the key file), acting as an admin of one tenant: the one
named by ``--tenant NAME`` (or ``CLOUDCONNECTORS_TENANT``), else the only tenant there is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.users import operator_principal

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def app_context(polls: bool = False) -> Iterator[AppContext]:
    """The app context; ``polls=True`` for a command that polls (``scan``), so its snapshot is
    evaluated too. Other commands never load the poller and the rules behind those hooks."""
    if polls:
        from cloudconnectors.services.hooks import install_default_hooks

        install_default_hooks()
    ctx = AppContext.create()
    try:
        yield ctx
    finally:
        ctx.close()


@contextmanager
def operator(tenant: str | None, polls: bool = False
             ) -> Iterator[tuple[AppContext, Principal]]:
    with app_context(polls) as ctx:
        yield ctx, operator_principal(ctx, tenant)


def tenant_option(func: F) -> F:
    decorator = click.option(
        "--tenant",
        "tenant",
        metavar="NAME",
        envvar="CLOUDCONNECTORS_TENANT",
        help="Tenant to act in (default: the only tenant, if there is exactly one).",
    )
    return decorator(func)
