"""The default post-poll hooks: installed once by every entry point that polls."""

from __future__ import annotations

from cloudconnectors.composition import create_app
from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.hooks import evaluate_after_poll, install_default_hooks


def test_install_is_idempotent() -> None:
    polling.POST_POLL_HOOKS.clear()  # restored after the test (tests/conftest.py)
    install_default_hooks()
    install_default_hooks()
    assert list(polling.POST_POLL_HOOKS) == [evaluate_after_poll]


def test_the_app_installs_them(ctx: AppContext) -> None:
    polling.POST_POLL_HOOKS.clear()
    create_app(ctx)
    create_app(ctx)
    assert list(polling.POST_POLL_HOOKS) == [evaluate_after_poll]
