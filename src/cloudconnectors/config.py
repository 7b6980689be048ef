"""Settings read once from the environment.

Every endpoint the service talks to is configuration, so tests point the real SDK clients
at local servers instead of patching code.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

ENV_PREFIX = "CLOUDCONNECTORS_"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value not in (None, "") else default


def parse_number(raw: str | None, default: float, variable: str) -> float:
    """``raw`` as a number, ``default`` when unset; a bad value names its variable."""
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{variable} must be a number, got {raw!r}") from exc


def parse_networks(raw: str | None, variable: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks; a bad entry names its variable."""
    entries = tuple(part.strip() for part in (raw or "").split(",") if part.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ValueError(
                f"{variable} must list IP addresses or networks, got {entry!r}"
            ) from exc
    return entries


METRICS_TOKEN_MIN_CHARS = 32


def parse_metrics_token(raw: str | None) -> str | None:
    """The scraper's token: long enough not to be guessed; the error never echoes it."""
    if raw is None:
        return None
    if len(raw) < METRICS_TOKEN_MIN_CHARS or not raw.isascii() or not raw.isprintable():
        raise ValueError(
            f"{ENV_PREFIX}METRICS_TOKEN must be at least {METRICS_TOKEN_MIN_CHARS} printable "
            "ASCII characters (e.g. `openssl rand -hex 32`)")
    return raw


def _env_float(name: str, default: float) -> float:
    return parse_number(_env(name), default, ENV_PREFIX + name)


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build with :func:`load_settings`, pass explicitly."""

    data_dir: Path
    database_url: str
    secret_key: str | None = None
    # AWS: the platform's own identity comes from the standard credential chain;
    # AWS_ENDPOINT_URL (read by botocore itself) points every client at an emulator.
    aws_endpoint_url: str | None = None
    # GCP / Azure: operator-configured endpoints that a credential may name (SSRF guard).
    gcp_token_uri: str = "https://oauth2.googleapis.com/token"
    gcp_api_endpoint: str | None = None
    azure_authority_host: str = "https://login.microsoftonline.com"
    azure_management_endpoint: str = "https://management.azure.com"
    azure_graph_endpoint: str = "https://graph.microsoft.com"
    # A PEM file of CAs that outbound HTTPS to the GCP and Azure endpoints trusts (stand-ins
    # with a test CA); None: the system store.
    ca_bundle: str | None = None
    # Scheduler tuning.
    scheduler_tick_seconds: float = 1.0
    poll_lease_seconds: float = 300.0
    poll_concurrency: int = 4
    schedule_jitter_fraction: float = 0.1
    pending_grace_minutes: int = 15
    # Scale-out (Celery): unset broker = the embedded scheduler polls in-process.
    broker_url: str | None = None
    queue_prefix: str = "cloudconnectors"  # queues <prefix>.polls, <prefix>.evaluations
    poll_time_limit_seconds: float = 3000.0  # hard limit; the soft limit is 90% of it
    broker_visibility_timeout_seconds: float | None = None  # default: hard limit + 600
    republish_after_seconds: float = 900.0  # a queued run the broker may have lost
    tick_batch: int = 500
    # The bearer token a Prometheus scraper sends to GET /metrics (installation-wide figures,
    # so no tenant's user may read them); None: /metrics answers nobody.
    metrics_token: str | None = field(default=None, repr=False)
    # Inventory: complete snapshots kept per connector (for diffs), assets per insert batch.
    snapshots_kept: int = 10
    asset_batch_size: int = 500
    # Reverse proxies whose X-Forwarded-For / -Proto are believed (addresses or networks);
    # empty: nobody's, so a client cannot pick the address the sign-in throttle counts.
    trusted_proxies: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret.key"

    @property
    def visibility_timeout(self) -> float:
        """Longer than the longest poll, so the broker never redelivers a running poll."""
        if self.broker_visibility_timeout_seconds is not None:
            return self.broker_visibility_timeout_seconds
        return self.poll_time_limit_seconds + 600.0


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("cloudconnectors", appauthor=False))


def load_settings(**overrides: object) -> Settings:
    """Read settings from ``CLOUDCONNECTORS_*`` variables; keyword overrides win."""
    data_dir = Path(_env("DATA_DIR") or default_data_dir()).expanduser()
    database_url = _env("DATABASE_URL") or f"sqlite:///{data_dir / 'cloudconnectors.db'}"
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "secret_key": _env("SECRET_KEY"),
        "aws_endpoint_url": os.environ.get("AWS_ENDPOINT_URL") or None,
        "gcp_token_uri": _env("GCP_TOKEN_URI", "https://oauth2.googleapis.com/token"),
        "gcp_api_endpoint": _env("GCP_API_ENDPOINT"),
        "azure_authority_host": _env("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com"),
        "azure_management_endpoint": _env(
            "AZURE_MANAGEMENT_ENDPOINT", "https://management.azure.com"
        ),
        "azure_graph_endpoint": _env("AZURE_GRAPH_ENDPOINT", "https://graph.microsoft.com"),
        "ca_bundle": _env("CA_BUNDLE"),
        "scheduler_tick_seconds": _env_float("SCHEDULER_TICK_SECONDS", 1.0),
        "poll_lease_seconds": _env_float("POLL_LEASE_SECONDS", 300.0),
        "snapshots_kept": int(_env_float("SNAPSHOTS_KEPT", 10)),
        "trusted_proxies": parse_networks(_env("TRUSTED_PROXIES"), ENV_PREFIX + "TRUSTED_PROXIES"),
        "broker_url": _env("BROKER_URL"),
        "queue_prefix": _env("QUEUE_PREFIX", "cloudconnectors"),
        "poll_time_limit_seconds": _env_float("POLL_TIME_LIMIT_SECONDS", 3000.0),
        "broker_visibility_timeout_seconds": (
            _env_float("BROKER_VISIBILITY_TIMEOUT_SECONDS", 0.0) or None
        ),
        "republish_after_seconds": _env_float("REPUBLISH_AFTER_SECONDS", 900.0),
        "tick_batch": int(_env_float("TICK_BATCH", 500)),
        "metrics_token": parse_metrics_token(_env("METRICS_TOKEN")),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
