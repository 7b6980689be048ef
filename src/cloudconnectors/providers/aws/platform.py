"""The platform's own AWS identity and the one place boto3 clients are built.

Every client in the provider comes from :func:`make_client`, so endpoint overrides (an
emulator in tests), timeouts, adaptive retries and connection pools are set once.
"""

from __future__ import annotations

import os
import re
import threading
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import botocore.session
import platformdirs
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from botocore.utils import parse_timestamp

from cloudconnectors.config import ENV_PREFIX, Settings
from cloudconnectors.domain.errors import AuthenticationFailed
from cloudconnectors.providers.aws.models import TrimmedLoader
from cloudconnectors.providers.aws.options import AwsOptions
from cloudconnectors.providers.rate_limit import TokenBucket, bucket

__all__ = [
    "assume_role_budget",
    "boto3_session",
    "client_config",
    "endpoint_override",
    "keep_endpoint_host",
    "make_client",
    "platform_account_id",
    "platform_credentials_missing",
    "platform_credentials_problem",
    "platform_session",
]

_ACCOUNT_PREFIX = re.compile(r"^\d{12}\.", re.ASCII)
_account_cache: dict[str | None, str] = {}
_account_lock = threading.Lock()


def _declared_operations() -> dict[str, frozenset[str]]:
    """Every operation the declarations (and region discovery) call, by service."""
    from cloudconnectors.providers.aws.resources import RESOURCES

    found: dict[str, set[str]] = {"ec2": {"DescribeRegions"}}
    for resource in RESOURCES:
        found.setdefault(resource.service, set()).update(resource.operations())
        for service, operation in resource.foreign_calls():
            found.setdefault(service, set()).add(operation)
    return {service: frozenset(ops) for service, ops in found.items()}


# API models are ~3 MB parsed per service; one loader shared by every session in the process
# parses each once instead of once per poll (its caches tolerate concurrent fills), and keeps
# only the operations the declarations call (``models.py``).
_LOADER = TrimmedLoader(cache(_declared_operations))


def model_cache_dir() -> Path:
    """Where trimmed API models are kept between processes: ``CLOUDCONNECTORS_CACHE_DIR``,
    else the user's cache directory. They depend on the installed botocore alone, not on a
    deployment's data, so every data directory of one installation shares them."""
    base = os.environ.get(ENV_PREFIX + "CACHE_DIR") or platformdirs.user_cache_dir(
        "cloudconnectors", appauthor=False)
    return Path(base).expanduser() / "aws-models"


def endpoint_override(settings: Settings) -> str | None:
    """The operator's endpoint for every AWS API, if any (an emulator, a VPC endpoint)."""
    return settings.aws_endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None


def client_config(options: AwsOptions) -> Config:
    """Adaptive retries (client-side rate limiting on throttles), bounded waits, pool sized
    to the threads that may share one client."""
    return Config(
        retries={"mode": "adaptive", "total_max_attempts": options.max_attempts},
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        max_pool_connections=options.max_pool_connections,
        user_agent_extra="cloudconnectors",
    )


def make_client(
    session: boto3.Session, service: str, region: str, settings: Settings, options: AwsOptions
) -> Any:
    """Build one client. ``boto3.Session`` is not thread-safe: callers hold a lock."""
    if _LOADER.cache_dir is None:
        _LOADER.cache_dir = model_cache_dir()
    endpoint = endpoint_override(settings)
    client = session.client(
        service, region_name=region, endpoint_url=endpoint, config=client_config(options)
    )
    if service == "s3control" and endpoint:
        keep_endpoint_host(client, endpoint)
    _share_budgets(client, service, options)
    return client


def _share_budgets(client: Any, service: str, options: AwsOptions) -> None:
    """Make every HTTP attempt of ``client`` (retries included) wait for the process-wide
    budgets it draws on: all AWS calls, and the Organizations API's own."""
    budgets = []
    if options.api_rate > 0:
        budgets.append(bucket("aws:api", options.api_rate))
    if service == "organizations" and options.organizations_rate > 0:
        budgets.append(bucket("aws:organizations", options.organizations_rate,
                              max(1.0, options.organizations_rate * 2)))
    for budget in budgets:
        client.meta.events.register("before-send", lambda budget=budget, **_: budget.take())


def assume_role_budget(options: AwsOptions) -> TokenBucket:
    """The platform's sts:AssumeRole budget, shared by every connector polled in the process."""
    return bucket("aws:assume-role", options.assume_role_rate)


def keep_endpoint_host(client: Any, endpoint: str) -> None:
    """S3 Control's endpoint rules put ``{AccountId}.`` in front of the host, which cannot
    resolve for an operator endpoint such as ``127.0.0.1:5000``. With an override we send
    to the configured host as given; the rewrite runs before signing so the signature covers
    the host actually used. Real AWS endpoints (no override) are left untouched."""
    configured = urlsplit(endpoint).netloc

    def strip_account_prefix(request: Any, **_: Any) -> None:
        parts = urlsplit(request.url)
        if parts.netloc != configured and _ACCOUNT_PREFIX.sub("", parts.netloc) == configured:
            request.url = urlunsplit(parts._replace(netloc=configured))

    client.meta.events.register_first("before-sign.s3-control", strip_account_prefix)


def fast_timestamp(value: Any) -> Any:
    """botocore's timestamp parsing, without dateutil for the ISO 8601 text most answers
    carry (``datetime.fromisoformat`` gives the same instant, zone and precision at a tenth
    of the cost); epoch numbers, RFC 822 dates and anything odd go to botocore's parser."""
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return parse_timestamp(value)


def boto3_session(region: str, core: botocore.session.Session | None = None) -> boto3.Session:
    """A boto3 session on ``core`` (default: a fresh botocore session with the standard
    credential chain) that shares the process-wide model loader and parses timestamps with
    :func:`fast_timestamp`."""
    core = core or botocore.session.get_session()
    core.register_component("data_loader", _LOADER)
    core.get_component("response_parser_factory").set_parser_defaults(
        timestamp_parser=fast_timestamp)
    session = boto3.Session(botocore_session=core, region_name=region)
    # boto3 appends its own data path to the loader on every session; keep the list short.
    paths = _LOADER.search_paths
    paths[:] = list(dict.fromkeys(paths))
    return session


def platform_session(settings: Settings) -> boto3.Session:
    """The platform's own session from the standard credential chain."""
    return boto3_session(AwsOptions.from_settings(settings).home_region)


def platform_account_id(settings: Settings) -> str:
    """The account users must trust in their role; cached for the process."""
    key = endpoint_override(settings)
    with _account_lock:
        if key in _account_cache:
            return _account_cache[key]
    options = AwsOptions.from_settings(settings)
    session = platform_session(settings)
    try:
        sts = make_client(session, "sts", options.home_region, settings, options)
        account = str(sts.get_caller_identity()["Account"])
    except NoCredentialsError:
        raise AuthenticationFailed(platform_credentials_missing()) from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        reason = f"{error.get('Code', 'Error')}: {error.get('Message', '')}".strip()
        raise AuthenticationFailed(platform_credentials_problem(reason)) from None
    except BotoCoreError as exc:
        raise AuthenticationFailed(platform_credentials_problem(str(exc))) from None
    with _account_lock:
        _account_cache[key] = account
    return account


_HOW_TO_SET = ("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or run on an "
               "instance/task role) for the platform's own account, then restart the service.")


def platform_credentials_missing() -> str:
    """The message for a platform that has no AWS identity at all."""
    return f"the platform's AWS credentials were not found. {_HOW_TO_SET}"


def platform_credentials_problem(reason: str) -> str:
    """The message for a platform whose own AWS identity is missing or refused."""
    return f"the platform's AWS credentials are invalid: {reason}. {_HOW_TO_SET}"
