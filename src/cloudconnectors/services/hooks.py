"""The composition root of post-poll steps: what runs after every successful poll.

``install_default_hooks()`` is called by everything that polls (the API app, the CLI runtime
behind ``scan``, ``serve`` and ``worker`` before their scheduler starts, the demo); calling it
again changes nothing.
"""

from __future__ import annotations

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.polling import add_post_poll_hook
from cloudconnectors.services.reports import evaluate_connector

__all__ = ["evaluate_after_poll", "install_default_hooks"]


def evaluate_after_poll(ctx: AppContext, tenant_id: str, connector_id: str) -> None:
    """Evaluate the connector's new snapshot: findings history, scores, trend point."""
    evaluate_connector(ctx.db, tenant_id, connector_id)


def install_default_hooks() -> None:
    add_post_poll_hook(evaluate_after_poll)
