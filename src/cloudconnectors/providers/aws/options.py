"""AWS-only tuning, read from ``CLOUDCONNECTORS_AWS_*`` (or ``Settings.extra``).

Kept beside the provider rather than in the shared ``Settings`` so the other clouds never
carry AWS knobs. Every field has a production default; tests and benchmarks narrow regions
and retries through the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cloudconnectors.config import ENV_PREFIX, Settings, parse_number

__all__ = ["INVENTORY_CHOICES", "AwsOptions"]

INVENTORY_CHOICES = ("rules", "full")


@dataclass(frozen=True)
class AwsOptions:
    # Only these regions are polled (after discovery) when set; empty means all enabled ones.
    regions: tuple[str, ...] = ()
    # Region used for global calls (STS, IAM, S3 list, DescribeRegions).
    home_region: str = "us-east-1"
    # Worker threads running (region, resource type) collectors.
    concurrency: int = 24
    # At most this many collectors of one service run at once (one client, one rate limit).
    per_service: int = 6
    # At most this many collectors in one region run at once.
    per_region: int = 12
    # Threads shared by per-item detail calls (S3 bucket policy, KMS rotation, ...).
    detail_concurrency: int = 16
    # Total attempts per call, the first included (adaptive retry mode).
    max_attempts: int = 6
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    # Budgets shared by every session in the process (calls per second; 0: unlimited), so an
    # organization's members polled at once stay under quotas that belong to one identity:
    # the platform's sts:AssumeRole calls, the management account's Organizations API calls,
    # and (off by default) every AWS call the process makes.
    assume_role_rate: float = 20.0
    organizations_rate: float = 8.0
    api_rate: float = 0.0
    # ``rules``: read only what the rules can read (PollContext.needs); ``full``: every
    # declared type and detail, for a complete inventory.
    inventory: str = "rules"

    @property
    def max_pool_connections(self) -> int:
        """One HTTP connection per thread that may share a client at once, plus headroom."""
        return self.per_service + self.detail_concurrency + 2

    @classmethod
    def from_settings(cls, settings: Settings) -> AwsOptions:
        def raw(name: str) -> str | None:
            key = f"AWS_{name}"
            value = settings.extra.get(key.lower()) or os.environ.get(ENV_PREFIX + key)
            return value or None

        def number(name: str, default: float) -> float:
            return parse_number(raw(name), default, f"{ENV_PREFIX}AWS_{name}")

        defaults = cls()
        regions = tuple(r.strip() for r in (raw("REGIONS") or "").split(",") if r.strip())
        inventory = (raw("INVENTORY") or defaults.inventory).strip().lower()
        if inventory not in INVENTORY_CHOICES:
            raise ValueError(f"{ENV_PREFIX}AWS_INVENTORY must be one of "
                             f"{', '.join(INVENTORY_CHOICES)}, not {inventory!r}")
        return cls(
            regions=regions,
            home_region=raw("HOME_REGION") or defaults.home_region,
            concurrency=int(number("CONCURRENCY", defaults.concurrency)),
            per_service=int(number("PER_SERVICE", defaults.per_service)),
            per_region=int(number("PER_REGION", defaults.per_region)),
            detail_concurrency=int(number("DETAIL_CONCURRENCY", defaults.detail_concurrency)),
            max_attempts=int(number("MAX_ATTEMPTS", defaults.max_attempts)),
            connect_timeout=number("CONNECT_TIMEOUT", defaults.connect_timeout),
            read_timeout=number("READ_TIMEOUT", defaults.read_timeout),
            assume_role_rate=number("ASSUME_ROLE_RATE", defaults.assume_role_rate),
            organizations_rate=number("ORGANIZATIONS_RATE", defaults.organizations_rate),
            api_rate=number("API_RATE", defaults.api_rate),
            inventory=inventory,
        )
