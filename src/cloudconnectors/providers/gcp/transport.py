"""All HTTP to Google APIs: google-auth's ``AuthorizedSession`` over the documented REST.

One :class:`GoogleApi` per poll. It keeps one ``AuthorizedSession`` per thread (a
``requests.Session`` is not meant to be shared) over one credentials object, builds every
URL with :func:`endpoints.api_url`, retries 429, 5xx, ``RATE_LIMIT_EXCEEDED`` and timeouts
with exponential backoff that honours ``Retry-After`` and never waits longer than the cap,
counts every attempt in the :class:`CallMeter`, and raises :class:`GoogleApiError` for
whatever is left. Paging lives here too: ``nextPageToken`` loops and Compute's aggregated
``items`` maps.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import requests
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession, Request

from cloudconnectors.providers.collecting import CallMeter
from cloudconnectors.providers.gcp.endpoints import api_url
from cloudconnectors.providers.gcp.errors import GoogleApiError, parse_error
from cloudconnectors.providers.gcp.options import GcpOptions

__all__ = ["GoogleApi", "http_session", "retry_after_seconds"]

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_RETRY_REASONS = frozenset({"RATE_LIMIT_EXCEEDED"})
USER_AGENT = "cloudconnectors (+gcp connector)"


def http_session(ca_bundle: str | None) -> requests.Session:
    """A plain session trusting ``ca_bundle`` (CLOUDCONNECTORS_CA_BUNDLE) when given."""
    session = requests.Session()
    if ca_bundle:
        session.verify = ca_bundle
    session.headers["User-Agent"] = USER_AGENT
    return session


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class GoogleApi:
    def __init__(self, credentials: Credentials, *, base_url: str | None,
                 ca_bundle: str | None, options: GcpOptions, meter: CallMeter,
                 sleep: Any = time.sleep) -> None:
        self._credentials = credentials
        self._base = base_url
        self._ca_bundle = ca_bundle
        self._options = options
        self.meter = meter
        self._sleep = sleep
        self._local = threading.local()
        self._sessions: list[AuthorizedSession] = []
        self._lock = threading.Lock()

    def _session(self) -> AuthorizedSession:
        session: AuthorizedSession | None = getattr(self._local, "session", None)
        if session is None:
            auth = Request(http_session(self._ca_bundle))
            session = AuthorizedSession(  # type: ignore[no-untyped-call]
                self._credentials, auth_request=auth)
            if self._ca_bundle:
                session.verify = self._ca_bundle
            session.headers["User-Agent"] = USER_AGENT
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def request(self, method: str, api: str, path: str, *,
                params: Mapping[str, Any] | None = None,
                body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One documented call, retried as the module docstring says; the JSON answer."""
        url = api_url(self._base, api, path)
        attempts = self._options.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                response = self._session().request(  # type: ignore[no-untyped-call]
                    method, url, params=params, json=body, timeout=self._options.timeout)
            except (requests.Timeout, requests.ConnectionError) as exc:
                self.meter.record()
                if attempt < attempts:
                    self._sleep(self._backoff(attempt, None))
                    continue
                raise GoogleApiError(0, f"{type(exc).__name__}: {exc}", reason="TIMEOUT"
                                     if isinstance(exc, requests.Timeout) else "UNREACHABLE",
                                     method=method, url=url, attempts=attempt) from None
            status = response.status_code
            if status < 400:
                self.meter.record()
                if not response.content:
                    return {}
                answer: dict[str, Any] = response.json()
                return answer
            error = parse_error(status, _json_or_text(response), method=method, url=url,
                                attempts=attempt)
            throttled = status == 429 or error.reason in _RETRY_REASONS
            self.meter.record(throttled=throttled)
            if (status in _RETRY_STATUS or throttled) and attempt < attempts:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                self._sleep(self._backoff(attempt, wait))
                continue
            raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, asked: float | None) -> float:
        cap = self._options.retry_cap
        if asked is not None:
            return min(asked, cap)
        base = self._options.backoff_seconds * 2.0 ** (attempt - 1)
        return min(cap, base * (0.5 + random.random() / 2))

    def get(self, api: str, path: str, **params: Any) -> dict[str, Any]:
        return self.request("GET", api, path, params=params or None)

    def pages(self, api: str, path: str, *, params: Mapping[str, Any] | None = None,
              page_size_param: str | None = "pageSize") -> Iterator[dict[str, Any]]:
        """Every page of a list call, following ``nextPageToken``."""
        query = dict(params or {})
        if page_size_param:
            query[page_size_param] = self._options.page_size
        while True:
            page = self.request("GET", api, path, params=query)
            yield page
            token = page.get("nextPageToken")
            if not token:
                return
            query["pageToken"] = token

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()  # type: ignore[no-untyped-call]


def _json_or_text(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:500]
