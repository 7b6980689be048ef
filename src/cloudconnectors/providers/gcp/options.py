"""GCP-only tuning, read from ``CLOUDCONNECTORS_GCP_*`` (or ``Settings.extra``).

Every field has a production default; tests and benchmarks shorten retries through the
environment. Kept beside the provider so the other clouds never carry these knobs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cloudconnectors.config import ENV_PREFIX, Settings, parse_number

__all__ = ["GcpOptions"]


@dataclass(frozen=True)
class GcpOptions:
    # Threads running (project, resource type) collectors.
    concurrency: int = 16
    # At most this many collectors of one project run at once.
    per_project: int = 8
    # At most this many collectors of one API run at once (over all projects).
    per_api: int = 8
    # Threads shared by per-item reads (a bucket's IAM policy, a dataset's record).
    detail_concurrency: int = 8
    # Total attempts per request, the first included (429, 5xx, timeouts are retried).
    max_attempts: int = 5
    # The first backoff; it doubles per attempt, with jitter, up to ``retry_cap``.
    backoff_seconds: float = 0.5
    # No wait is ever longer than this, whatever Retry-After asks for.
    retry_cap: float = 30.0
    timeout: float = 30.0
    # Items asked for per page (maxResults / pageSize), where the API takes it.
    page_size: int = 500

    @classmethod
    def from_settings(cls, settings: Settings) -> GcpOptions:
        def number(name: str, default: float) -> float:
            key = f"GCP_{name}"
            raw = settings.extra.get(key.lower()) or os.environ.get(ENV_PREFIX + key) or None
            return parse_number(raw, default, ENV_PREFIX + key)

        d = cls()
        return cls(
            concurrency=max(1, int(number("CONCURRENCY", d.concurrency))),
            per_project=max(1, int(number("PER_PROJECT", d.per_project))),
            per_api=max(1, int(number("PER_API", d.per_api))),
            detail_concurrency=max(1, int(number("DETAIL_CONCURRENCY", d.detail_concurrency))),
            max_attempts=max(1, int(number("MAX_ATTEMPTS", d.max_attempts))),
            backoff_seconds=max(0.0, number("BACKOFF_SECONDS", d.backoff_seconds)),
            retry_cap=max(0.0, number("RETRY_CAP_SECONDS", d.retry_cap)),
            timeout=max(0.1, number("TIMEOUT_SECONDS", d.timeout)),
            page_size=max(1, int(number("PAGE_SIZE", d.page_size))),
        )
