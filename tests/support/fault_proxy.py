"""A loopback HTTP proxy that injects cloud API faults in front of an emulator.

Point the SDK's endpoint at the proxy; it forwards every request to ``upstream`` unless a
:class:`Rule` matches, in which case it answers the fault itself in the wire shape the
request's protocol expects (so the real SDK parses a real error). Matching is generic: on a
request's *action* (``X-Amz-Target``, the ``Action`` form field, an rpc-v2 ``/operation/``
path segment), the signing *service*, path/method, or body fields - nothing AWS-only is
needed to add GCP or Azure rules (match ``path``/``method`` and give ``status``/``body``).

    proxy = FaultProxy(moto.url).start()
    proxy.add(Rule(action="AssumeRole", fields={"RoleArn": arn}, fault=DENIED))
    proxy.add(Rule(action="DescribeVpcs", fault=THROTTLE, times=3))
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["DENIED", "ERROR_500", "THROTTLE", "FaultProxy", "Request", "Rule"]

DENIED = "denied"
THROTTLE = "throttle"
ERROR_500 = "error500"

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/")
_RPC_V2 = re.compile(r"/service/[^/]+/operation/(?P<op>[^/?]+)")
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host",
        "proxy-connection", "te", "trailer", "upgrade", "expect"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    service: str | None  # SigV4 signing name (ec2, sts, s3, ...)
    region: str | None
    action: str | None
    protocol: str  # query | ec2 | json | rest-json | rest-xml | cbor
    fields: dict[str, Any]  # form or JSON body fields


@dataclass
class Rule:
    fault: str = DENIED
    action: str | None = None
    service: str | None = None
    region: str | None = None
    path: str | None = None  # regex searched in the path
    method: str | None = None
    query: str | None = None  # a query-string key that must be present (``policy``)
    fields: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # answer the fault for the first N matches; None: always
    code: str | None = None  # override the error code
    status: int | None = None  # override the HTTP status
    match: Callable[[Request], bool] | None = None
    hits: int = 0

    def matches(self, request: Request) -> bool:
        if self.action and request.action != self.action:
            return False
        if self.service and request.service != self.service:
            return False
        if self.region and request.region != self.region:
            return False
        if self.path and not re.search(self.path, request.path):
            return False
        if self.method and request.method != self.method:
            return False
        if self.query and self.query not in request.query:
            return False
        if any(str(request.fields.get(k)) != v for k, v in self.fields.items()):
            return False
        return self.match is None or self.match(request)


class FaultProxy:
    def __init__(self, upstream: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.upstream = urlsplit(upstream)
        self.rules: list[Rule] = []
        self.seen: list[tuple[str | None, str | None]] = []  # (service, action) forwarded+faulted
        self._lock = threading.Lock()
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.seen.clear()

    def pick(self, request: Request) -> Rule | None:
        with self._lock:
            self.seen.append((request.service, request.action))
            for rule in self.rules:
                if rule.matches(request) and (rule.times is None or rule.hits < rule.times):
                    rule.hits += 1
                    return rule
        return None


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = _describe(self.command, self.path, dict(self.headers.items()), body)
        rule = self.owner.pick(request)
        if rule is not None:
            status, headers, payload = _fault(rule, request)
        else:
            status, headers, payload = self._forward(body)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        upstream = self.owner.upstream
        conn = http.client.HTTPConnection(upstream.hostname or "127.0.0.1", upstream.port,
                                          timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            headers["Host"] = self.headers.get("Host", upstream.netloc)
            conn.request(self.command, self.path, body=body or None, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP]
            return response.status, kept, payload if self.command != "HEAD" else b""
        finally:
            conn.close()


def _describe(method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Request:
    lower = {k.lower(): v for k, v in headers.items()}
    parts = urlsplit(raw_path)
    query = parse_qs(parts.query, keep_blank_values=True)
    scope = _SCOPE.search(lower.get("authorization", ""))
    service = scope.group("service") if scope else None
    content_type = lower.get("content-type", "")
    fields: dict[str, Any] = {}
    action: str | None = None
    if "x-amz-target" in lower:
        protocol = "json"
        action = lower["x-amz-target"].rsplit(".", 1)[-1]
        try:
            loaded = json.loads(body or b"{}")
            fields = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            fields = {}
    elif "x-www-form-urlencoded" in content_type:
        protocol = "ec2" if service == "ec2" else "query"
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        action = fields.get("Action")
    elif (rpc := _RPC_V2.search(parts.path)) is not None:
        protocol, action = "cbor", rpc.group("op")
    elif service == "s3":
        protocol = "rest-xml"
    else:
        protocol = "rest-json"
    return Request(method, parts.path, query, lower, body, service,
                   scope.group("region") if scope else None, action, protocol, fields)


# (fault, protocol) -> (code, status); anything missing falls back to the protocol's default.
_CODES: dict[tuple[str, str], tuple[str, int]] = {
    (DENIED, "query"): ("AccessDenied", 403),
    (DENIED, "ec2"): ("UnauthorizedOperation", 403),
    (DENIED, "rest-xml"): ("AccessDenied", 403),
    (DENIED, "json"): ("AccessDeniedException", 400),
    (DENIED, "rest-json"): ("AccessDeniedException", 403),
    (DENIED, "cbor"): ("AccessDeniedException", 400),
    (THROTTLE, "query"): ("Throttling", 400),
    (THROTTLE, "ec2"): ("RequestLimitExceeded", 503),
    (THROTTLE, "rest-xml"): ("SlowDown", 503),
    (THROTTLE, "json"): ("ThrottlingException", 400),
    (THROTTLE, "rest-json"): ("TooManyRequestsException", 429),
    (THROTTLE, "cbor"): ("ThrottlingException", 400),
}


def _fault(rule: Rule, request: Request) -> tuple[int, list[tuple[str, str]], bytes]:
    code, status = _CODES.get((rule.fault, request.protocol), ("InternalFailure", 500))
    code, status = rule.code or code, rule.status or status
    message = f"injected {rule.fault} for {request.action or request.path}"
    request_id = str(uuid.uuid4())
    if request.protocol == "ec2":
        xml = (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>"
               f"</Error></Errors><RequestID>{request_id}</RequestID></Response>")
        return status, [("Content-Type", "text/xml")], xml.encode()
    if request.protocol == "query":
        xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>"
               f"{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
        return status, [("Content-Type", "text/xml")], xml.encode()
    if request.protocol == "rest-xml":
        xml = (f"<Error><Code>{code}</Code><Message>{message}</Message>"
               f"<RequestId>{request_id}</RequestId></Error>")
        return status, [("Content-Type", "application/xml")], xml.encode()
    headers = [("x-amzn-RequestId", request_id), ("x-amzn-ErrorType", code)]
    if request.protocol == "cbor":
        body = _cbor_text_map({"__type": code, "message": message})
        return status, [*headers, ("Content-Type", "application/cbor"),
                        ("smithy-protocol", "rpc-v2-cbor")], body
    payload = json.dumps({"__type": code, "message": message}).encode()
    return status, [*headers, ("Content-Type", "application/x-amz-json-1.1")], payload


def _cbor_text_map(values: dict[str, str]) -> bytes:
    """Just enough CBOR (RFC 8949) for an error body: a map of short text strings."""
    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        if n < 256:
            return bytes([major << 5 | 24, n])
        return bytes([major << 5 | 25]) + n.to_bytes(2, "big")

    out = bytearray(head(5, len(values)))
    for key, value in values.items():
        for text in (key, value):
            data = text.encode()
            out += head(3, len(data)) + data
    return bytes(out)
