"""All HTTP to Azure: one azure-core pipeline per API (ARM, Graph) over one credential.

The pipeline is assembled here rather than taken from ``ARMPipelineClient``'s defaults on
purpose: the default adds ``ARMAutoResourceProviderRegistrationPolicy``, which answers a
409 "not registered" by POSTing a registration (a write, from a read-only posture tool), and
azure-core's stock retry waits on ``Retry-After`` without a cap. Policies, in order:
request ID, user agent, capped retry, then per attempt: bearer token (ARM's challenge-aware
policy for ARM), metering and pacing. HTTP logging is left out so no header is ever logged.

:class:`Rest` is the engine's only I/O: ``get`` one JSON document, ``pages`` of a list
following ``nextLink`` / ``@odata.nextLink``. A next link must stay on the endpoint it came
from: the bearer token is never sent to another host.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests
from azure.core.credentials import TokenCredential
from azure.core.pipeline.policies import (
    BearerTokenCredentialPolicy,
    HeadersPolicy,
    RequestIdPolicy,
    UserAgentPolicy,
)
from azure.core.pipeline.transport import RequestsTransport
from azure.core.rest import HttpRequest
from azure.mgmt.core import ARMPipelineClient
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy
from requests.adapters import HTTPAdapter

from cloudconnectors.providers.azure.faults import ApiError
from cloudconnectors.providers.azure.metering import Governor, MeterPolicy
from cloudconnectors.providers.azure.options import AzureOptions
from cloudconnectors.providers.azure.retry import CappedRetryPolicy
from cloudconnectors.providers.collecting import CallMeter

__all__ = ["Rest", "build_rest"]

USER_AGENT = "cloudconnectors/0.1"


class Rest:
    """GETs against one base URL through one pipeline client."""

    def __init__(self, client: ARMPipelineClient[Any, Any], base: str,
                 governor: Governor) -> None:
        self._client = client
        self.governor = governor
        self.base = base
        self._netloc = urlsplit(base).netloc.lower()

    def close(self) -> None:
        self._client.close()

    def url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        query = f"?{urlencode(dict(params), quote_via=quote)}" if params else ""
        return f"{self.base}{path}{query}"

    def get(self, url: str) -> dict[str, Any]:
        if urlsplit(url).netloc.lower() != self._netloc:
            raise ApiError(0, "ForeignLink", f"refused to follow a link to "
                           f"{urlsplit(url).netloc} (not {self._netloc})", url)
        response = self._client.send_request(HttpRequest("GET", url))
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = {}
        if response.status_code >= 400:
            error = body.get("error") if isinstance(body, dict) else None
            error = error if isinstance(error, dict) else {}
            raise ApiError(response.status_code, str(error.get("code") or response.status_code),
                           str(error.get("message") or response.reason or ""), url)
        if not isinstance(body, dict):
            raise ApiError(response.status_code, "UnexpectedBody", "the answer was not a JSON "
                           "object", url)
        return body

    def pages(self, url: str) -> Iterator[list[dict[str, Any]]]:
        """Each page's ``value``; follows ARM's ``nextLink`` and Graph's ``@odata.nextLink``
        (absolute URLs carrying their own api-version and skip token)."""
        next_url: str | None = url
        while next_url:
            body = self.get(next_url)
            value = body.get("value")
            yield [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
            link = body.get("nextLink") or body.get("@odata.nextLink")
            next_url = str(link) if link else None


def build_rest(credential: TokenCredential, base: str, scope: str, options: AzureOptions,
               meter: CallMeter, governor: Governor, verify: str | bool, *, arm: bool) -> Rest:
    retry = CappedRetryPolicy(
        cap=options.retry_after_cap, budget=options.throttle_budget,
        retry_total=options.max_retries, retry_connect=options.max_retries,
        retry_read=options.max_retries, retry_status=options.max_retries,
        retry_backoff_factor=options.backoff_factor, retry_backoff_max=options.backoff_max,
        timeout=(options.connect_timeout + options.read_timeout) * (options.max_retries + 1),
    )
    auth = (ARMChallengeAuthenticationPolicy(credential, scope) if arm
            else BearerTokenCredentialPolicy(credential, scope))
    session = requests.Session()  # one pooled connection per thread that may share it
    pool = options.concurrency + options.detail_concurrency + 2
    session.mount("https://", HTTPAdapter(pool_connections=2, pool_maxsize=pool))
    transport = RequestsTransport(session=session, session_owner=True,
                                  connection_verify=verify,
                                  connection_timeout=options.connect_timeout,
                                  read_timeout=options.read_timeout)
    policies = [RequestIdPolicy(), HeadersPolicy({"Accept": "application/json"}),
                UserAgentPolicy(USER_AGENT), retry, auth, MeterPolicy(meter, governor)]
    client: ARMPipelineClient[Any, Any] = ARMPipelineClient(
        base_url=base, policies=policies, transport=transport)
    return Rest(client, base, governor)
