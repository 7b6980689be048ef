"""Azure-only tuning, read from ``CLOUDCONNECTORS_AZURE_*`` (or ``Settings.extra``).

Every field has a production default. The retry fields exist because azure-core's own
``RetryPolicy`` sleeps for whatever ``Retry-After`` says, with no cap: here a throttled
subscription waits at most ``retry_after_cap`` per answer and ``throttle_budget`` per poll,
then the collector is reported THROTTLED and the worker moves on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from cloudconnectors.config import ENV_PREFIX, Settings, parse_number

__all__ = ["AzureOptions"]


@dataclass(frozen=True)
class AzureOptions:
    # Resource types listed at once (ARM throttles per subscription, not per type).
    concurrency: int = 6
    # Threads shared by per-item sub-record reads (VM extensions, blob service, SQL TDE...).
    detail_concurrency: int = 8
    # Retries per call after the first attempt (429, 5xx, timeouts, connection errors).
    max_retries: int = 4
    # Longest single wait for a Retry-After; a longer ask ends the retries at once.
    retry_after_cap: float = 30.0
    # Total seconds one poll may spend waiting on Retry-After answers.
    throttle_budget: float = 120.0
    # Exponential backoff between retries without Retry-After: factor and ceiling.
    backoff_factor: float = 0.5
    backoff_max: float = 8.0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    # When x-ms-ratelimit-remaining-* drops to this, each further call first waits
    # ``ratelimit_pause`` seconds, until ARM reports more headroom again.
    ratelimit_low_water: int = 25
    ratelimit_pause: float = 1.0

    @classmethod
    def from_settings(cls, settings: Settings) -> AzureOptions:
        values: dict[str, float | int] = {}
        for spec in fields(cls):
            key = f"AZURE_{spec.name.upper()}"
            raw = settings.extra.get(key.lower()) or os.environ.get(ENV_PREFIX + key) or None
            default = getattr(cls(), spec.name)
            number = parse_number(raw, float(default), ENV_PREFIX + key)
            values[spec.name] = int(number) if isinstance(default, int) else number
        return cls(**values)  # type: ignore[arg-type]
