"""Everything ``cloudconnectors demo`` does: sandbox, seed, data, users, connectors, server."""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import socket
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from cloudconnectors.composition import create_app
from cloudconnectors.config import ENV_PREFIX, load_settings
from cloudconnectors.demo.azure import start_azure_sandbox
from cloudconnectors.demo.gcp_demo import GcpDemo, start_gcp_demo
from cloudconnectors.demo.login import DEMO_LOGIN_PATH, install_demo_login
from cloudconnectors.demo.sandbox import MotoSandbox, SandboxError
from cloudconnectors.demo.seed import REGIONS, seed_customer_account
from cloudconnectors.scheduler.embedded import EmbeddedScheduler
from cloudconnectors.services import connectors as connector_service
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.hooks import evaluate_after_poll, install_default_hooks
from cloudconnectors.services.polling import POST_POLL_HOOKS
from cloudconnectors.services.users import authenticate_password, create_user

ADMIN_EMAIL = "admin@demo.cloudconnectors.local"
VIEWER_EMAIL = "viewer@demo.cloudconnectors.local"
TENANT = "Acme (demo)"

DEMO_AZURE = {
    "application_id": "0a1b2c3d-0000-4000-8000-00000000a2ee",
    "directory_id": "0a1b2c3d-0000-4000-8000-0000000d1e7c",
    "authentication_key": "demo-secret-not-real",
    "subscription_id": "0a1b2c3d-0000-4000-8000-0000005ab5c2",
}


class DemoError(RuntimeError):
    """Raised with a one-line reason the command prints before exiting non-zero."""


@dataclass
class DemoOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path | None = None
    open_browser: bool = False


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _create_people(ctx: AppContext, password: str) -> Principal:
    create_user(ctx, ADMIN_EMAIL, tenant=TENANT, role="admin", password=password)
    create_user(ctx, VIEWER_EMAIL, tenant=TENANT, role="viewer", password=password)
    principal = authenticate_password(ctx, ADMIN_EMAIL, password)
    assert principal is not None
    return principal


def _create_connectors(
    ctx: AppContext, principal: Principal, endpoint: str, say: Callable[[str], None],
    gcp: GcpDemo,
) -> None:
    external_id = issue_external_id(ctx, principal)
    seeded = seed_customer_account(endpoint, external_id)
    instances = sum(len(v) for v in seeded.instances.values())
    say(f"Seeded AWS account {seeded.account_id}: {instances} EC2 instances in "
        f"{len(seeded.instances)} regions, {len(seeded.buckets)} S3 buckets, "
        f"{len(seeded.users)} IAM users, a CloudTrail trail and a KMS key.")
    connector_service.create_connector(
        ctx, principal, name="acme-production (AWS)", provider="aws",
        credentials={"role_arn": seeded.role_arn, "external_id": external_id},
        run_frequency_minutes=240,
    )
    connector_service.create_connector(
        ctx, principal, name="acme-analytics (Google Cloud)", provider="gcp",
        credentials=gcp.credentials, run_frequency_minutes=240,
    )
    connector_service.create_connector(
        ctx, principal, name="acme-corporate (Azure)", provider="azure",
        credentials=DEMO_AZURE, run_frequency_minutes=720,
    )


def _start_scheduler(ctx: AppContext, say: Callable[[str], None]) -> EmbeddedScheduler:
    scheduler = EmbeddedScheduler(ctx)
    scheduler.start()
    say("Embedded scheduler started: the first polls begin now.")
    return scheduler


Serve = Callable[["FastAPI", DemoOptions], None]


def _uvicorn_serve(app: FastAPI, options: DemoOptions) -> None:
    import uvicorn

    uvicorn.Server(
        uvicorn.Config(app, host=options.host, port=options.port, log_level="warning",
                       proxy_headers=False)  # the demo has no proxy in front
    ).run()


def run_demo(
    options: DemoOptions, say: Callable[[str], None] = print, serve: Serve | None = None
) -> None:
    """Set everything up, then ``serve`` the app (uvicorn by default) until it returns."""
    if not _port_free(options.host, options.port):
        raise DemoError(f"port {options.port} on {options.host} is in use; pick another "
                        "with --port")
    created_dir = options.data_dir is None
    data_dir = options.data_dir or Path(tempfile.mkdtemp(prefix="cloudconnectors-demo-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    if any(data_dir.glob("*.db")):
        raise DemoError(f"{data_dir} already holds a database; the demo needs an empty folder")
    with ExitStack() as stack:
        if created_dir:
            stack.callback(shutil.rmtree, data_dir, True)
        sandbox = MotoSandbox()
        try:
            sandbox.start()
        except SandboxError as exc:
            raise DemoError(str(exc)) from exc
        stack.callback(sandbox.stop)
        say(f"AWS emulator (moto) listening on {sandbox.endpoint}")
        try:
            azure = start_azure_sandbox(DEMO_AZURE, data_dir)
        except RuntimeError as exc:  # trustme missing: the [demo] extra is not installed
            raise DemoError(str(exc)) from exc
        stack.callback(azure.stop)
        os.environ.update(azure.environment)
        say(azure.describe())
        os.environ.pop("AWS_PROFILE", None)
        os.environ.pop("AWS_SESSION_TOKEN", None)
        os.environ.update(sandbox.platform_environment())
        gcp = start_gcp_demo()
        stack.callback(gcp.stop)
        say(f"GCP stand-in listening on {gcp.base_url}")
        say(gcp.summary())
        os.environ.update(gcp.environment())
        # The sandbox account has resources in these regions only: poll just them.
        os.environ.setdefault(f"{ENV_PREFIX}AWS_REGIONS", ",".join(REGIONS))
        settings = load_settings(
            data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'cloudconnectors.db'}"
        )
        ctx = AppContext.create(settings)
        stack.callback(ctx.close)
        password = secrets.token_urlsafe(9)
        principal = _create_people(ctx, password)
        _create_connectors(ctx, principal, sandbox.endpoint, say, gcp)
        if evaluate_after_poll not in POST_POLL_HOOKS:  # the demo's polls produce reports
            install_default_hooks()
            stack.callback(POST_POLL_HOOKS.remove, evaluate_after_poll)
        stack.callback(_start_scheduler(ctx, say).stop)
        app = create_app(ctx)
        _announce(app, ctx, options, principal, password, data_dir, say)
        for line in cli_exports(data_dir, sandbox.platform_environment()):
            say(line)
        say("  Press Ctrl+C to stop. " + ("The sandbox and this temporary folder are removed."
                                          if created_dir else "The data folder is kept."))
        (serve or _uvicorn_serve)(app, options)


def cli_exports(data_dir: Path, platform_env: dict[str, str]) -> list[str]:
    """How to point the CLI of another shell at this demo: its data folder (database and key)
    and the emulator as the platform's AWS (so ``scan`` and ``connectors external-id`` work)."""
    aws = " ".join(f"{key}={shlex.quote(value)}" for key, value in platform_env.items()
                   if key != "AWS_DEFAULT_REGION")
    regions = f"{ENV_PREFIX}AWS_REGIONS={','.join(REGIONS)}"
    return [
        "  Use the CLI against this demo from another shell (e.g. `cloudconnectors connectors "
        "list`) after:",
        f"    export {ENV_PREFIX}DATA_DIR={shlex.quote(str(data_dir))}",
        f"    export {aws} {regions}",
    ]


def _announce(app: FastAPI, ctx: AppContext, options: DemoOptions, principal: Principal,
              password: str, data_dir: Path, say: Callable[[str], None]) -> None:
    login = install_demo_login(app, ctx, principal)
    base = f"http://{options.host}:{options.port}"
    say("")
    say(f"Cloud Connectors demo is running at {base}/")
    say(f"  Open this one-time link to sign in as the demo admin: "
        f"{base}{DEMO_LOGIN_PATH}?token={login.token}")
    say(f"  Or sign in with {ADMIN_EMAIL} (admin) or {VIEWER_EMAIL} (viewer), "
        f"password: {password}")
    say(f"  Data folder: {data_dir}")
    if options.open_browser:
        link = f"{base}{DEMO_LOGIN_PATH}?token={login.token}"
        threading.Timer(1.0, webbrowser.open, [link]).start()
