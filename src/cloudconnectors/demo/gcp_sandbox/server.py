"""The stand-in's HTTP server: a threaded server on a loopback port (see the package doc).

Routes: ``POST /token`` (JWT-bearer grant), ``GET /cloudresourcemanager/v3/projects:search``,
``GET /cloudresourcemanager/v3/folders?parent=`` and ``/v3/projects?parent=`` (the
organization tree, one level per call, ``showDeleted`` honoured),
``GET /serviceusage/v1/projects/{p}/services:batchGet``, ``POST /cloudresourcemanager/v3/
projects/{p}:testIamPermissions``, and every collection or record the :class:`World` holds.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cloudconnectors.demo.gcp_sandbox.tokens import GRANT_TYPE, GrantRefused, verify_assertion
from cloudconnectors.demo.gcp_sandbox.world import Collection, World

_BATCH_GET = re.compile(r"^serviceusage/v1/projects/([^/]+)/services:batchGet$")
_TEST_PERMS = re.compile(r"^cloudresourcemanager/v3/projects/([^/:]+):testIamPermissions$")
_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
_STATUS_TEXT = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                503: "UNAVAILABLE"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def error_body(status: int, message: str, reason: str | None = None,
               metadata: dict[str, str] | None = None,
               domain: str = "googleapis.com") -> dict[str, Any]:
    """Google's ``google.rpc.Status`` envelope, with an ErrorInfo detail when ``reason``."""
    error: dict[str, Any] = {"code": status, "message": message,
                             "status": _STATUS_TEXT.get(status, "UNKNOWN")}
    if reason:
        error["details"] = [{"@type": _ERROR_INFO, "reason": reason,
                             "domain": domain, "metadata": metadata or {}}]
    return {"error": error}


class GcpStandIn:
    """``with GcpStandIn(world) as server:`` serves on ``server.base_url`` until exit."""

    def __init__(self, world: World, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.world = world
        self.host = host
        self.port = port or _free_port()
        self.base_url = f"http://{host}:{self.port}"
        self.token_uri = f"{self.base_url}/token"
        self.tokens: dict[str, str] = {}  # access token -> service-account email
        self.requests = 0
        self.by_label: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> GcpStandIn:
        handler = type("Handler", (_Handler,), {"standin": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="gcp-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> GcpStandIn:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def count(self, path: str) -> None:
        label = path.split("/", 1)[0]
        with self._lock:
            self.requests += 1
            self.by_label[label] = self.by_label.get(label, 0) + 1

    def issue_token(self, email: str) -> str:
        token = "ya29." + secrets.token_urlsafe(24)
        with self._lock:
            self.tokens[token] = email
        return token


class _Handler(BaseHTTPRequestHandler):
    standin: GcpStandIn
    protocol_version = "HTTP/1.1"  # keep-alive, as Google's front ends do
    # Headers and body leave in one write, without Nagle's delay (else ~40 ms per answer
    # on a kept-alive connection).
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024

    def log_message(self, format: str, *args: Any) -> None:
        return

    # -- plumbing -------------------------------------------------------------------------

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = parts.path.lstrip("/")
        query = {k: v for k, v in parse_qs(parts.query).items()}
        body = self._body()
        self.standin.count(path)
        world = self.standin.world
        if path == "token" and method == "POST":
            self._token(body)
            return
        fault = world.take_fault(path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.status != 200:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            reason = "RATE_LIMIT_EXCEEDED" if fault.status == 429 else None
            self._send(fault.status, error_body(fault.status, "Quota exceeded for quota metric "
                                                "'Read requests' (scripted)" if reason else
                                                "The service is currently unavailable.",
                                                reason), headers)
            return
        email = self._caller()
        if email is None:
            self._send(401, error_body(401, "Request had invalid authentication credentials.",
                                       "ACCESS_TOKEN_TYPE_UNSUPPORTED"))
            return
        first = {k: v[0] for k, v in query.items()}
        if path == "cloudresourcemanager/v3/projects:search":
            self._search(email, first)
        elif path == "cloudresourcemanager/v3/folders" and method == "GET":
            self._child_folders(email, first)
        elif path == "cloudresourcemanager/v3/projects" and method == "GET":
            self._child_projects(email, first)
        elif match := _BATCH_GET.match(path):
            self._batch_get(email, match.group(1), query.get("names", []))
        elif (match := _TEST_PERMS.match(path)) and method == "POST":
            self._test_permissions(email, match.group(1), body)
        else:
            self._collection(email, path, first)

    def _caller(self) -> str | None:
        header = self.headers.get("Authorization") or ""
        if not header.startswith("Bearer "):
            return None
        return self.standin.tokens.get(header[len("Bearer "):])

    # -- routes ---------------------------------------------------------------------------

    def _token(self, body: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") != GRANT_TYPE:
            self._send(400, {"error": "unsupported_grant_type",
                             "error_description": "Invalid grant_type."})
            return
        assertion = form.get("assertion", "")
        try:
            unverified = json.loads(_unverified_segment(assertion, 1))
            account = self.standin.world.accounts.get(str(unverified.get("iss")))
            if account is None:
                raise GrantRefused("Invalid grant: account not found")
            verify_assertion(assertion, {account.key.key_id: account.key.public_pem},
                             disabled=account.disabled)
        except (GrantRefused, ValueError) as exc:
            self._send(400, {"error": "invalid_grant", "error_description": str(exc)})
            return
        token = self.standin.issue_token(account.key.email)
        self._send(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def _search(self, email: str, query: dict[str, str]) -> None:
        world = self.standin.world
        visible = [
            {"name": f"projects/{p.number}", "projectId": p.project_id, "state": "ACTIVE",
             "displayName": p.project_id, "parent": "organizations/100000000001"}
            for p in world.projects.values()
            if world.may(email, p.project_id, "resourcemanager.projects.get")
        ]
        page, token = _page(visible, query, "pageSize", world.page_limit)
        self._send(200, {"projects": page, **({"nextPageToken": token} if token else {})})

    def _parent_or_refuse(self, email: str, query: dict[str, str], permission: str) -> str | None:
        """The ``parent`` a list call names, when the caller may list under it; otherwise the
        403 Resource Manager answers (it does not tell a missing parent from a refused one)."""
        parent = query.get("parent") or ""
        if not re.fullmatch(r"(organizations|folders)/[0-9]+", parent):
            self._send(400, error_body(400, "Request contains an invalid argument: parent "
                                       "must be folders/{folder_id} or organizations/{org_id}"))
            return None
        if not self.standin.world.may_at(email, parent, permission):
            self._send(403, error_body(
                403, f"Permission '{permission}' denied on resource "
                f"'//cloudresourcemanager.googleapis.com/{parent}' (or it may not exist).",
                "IAM_PERMISSION_DENIED", {"permission": permission, "resource": parent},
                domain="cloudresourcemanager.googleapis.com"))
            return None
        return parent

    def _child_folders(self, email: str, query: dict[str, str]) -> None:
        parent = self._parent_or_refuse(email, query, "resourcemanager.folders.list")
        if parent is None:
            return
        world = self.standin.world
        deleted = query.get("showDeleted") == "true"
        found = sorted((f for f in world.folders.values() if f.parent == parent
                        and (deleted or f.state == "ACTIVE")), key=lambda f: f.display_name)
        records = [{"name": f.name, "parent": f.parent, "displayName": f.display_name,
                    "state": f.state, "createTime": "2024-01-01T00:00:00Z",
                    "etag": f"W/{f.name}"} for f in found]
        page, token = _page(records, query, "pageSize", world.page_limit)
        self._send(200, {**({"folders": page} if page else {}),
                         **({"nextPageToken": token} if token else {})})

    def _child_projects(self, email: str, query: dict[str, str]) -> None:
        parent = self._parent_or_refuse(email, query, "resourcemanager.projects.list")
        if parent is None:
            return
        world = self.standin.world
        deleted = query.get("showDeleted") == "true"
        found = [p for p in world.projects.values() if p.parent == parent
                 and (deleted or p.state == "ACTIVE")]
        records = [{"name": f"projects/{p.number}", "parent": p.parent,
                    "projectId": p.project_id, "state": p.state, "displayName": p.project_id,
                    "createTime": "2024-01-01T00:00:00Z", "etag": f"W/{p.number}",
                    **({"labels": dict(p.labels)} if p.labels else {})}
                   for p in sorted(found, key=lambda p: p.project_id)]
        page, token = _page(records, query, "pageSize", world.page_limit)
        self._send(200, {**({"projects": page} if page else {}),
                         **({"nextPageToken": token} if token else {})})

    def _batch_get(self, email: str, project: str, names: list[str]) -> None:
        world = self.standin.world
        found = world.projects.get(project)
        if found is None or not world.may(email, project, "serviceusage.services.get"):
            self._denied(project, "serviceusage.services.get")
            return
        if len(names) > 30:
            self._send(400, error_body(400, "Up to 30 names may be requested."))
            return
        services = []
        for name in names:
            service = name.rsplit("/", 1)[-1]
            services.append({
                "name": f"projects/{found.number}/services/{service}",
                "config": {"name": service, "title": service},
                "state": "ENABLED" if service in found.enabled else "DISABLED",
                "parent": f"projects/{found.number}"})
        self._send(200, {"services": services})

    def _test_permissions(self, email: str, project: str, body: bytes) -> None:
        world = self.standin.world
        if project not in world.projects:
            self._send(403, error_body(403, "The caller does not have permission",
                                       "IAM_PERMISSION_DENIED"))
            return
        asked = json.loads(body or b"{}").get("permissions") or []
        if len(asked) > 100:
            self._send(400, error_body(400, "At most 100 permissions may be tested."))
            return
        held = [p for p in asked if world.may(email, project, p)]
        self._send(200, {"permissions": held} if held else {})

    def _collection(self, email: str, path: str, query: dict[str, str]) -> None:
        world = self.standin.world
        found = world.lookup(path, query)
        if found is None:
            self._send(404, error_body(404, f"The resource '{path}' was not found"))
            return
        project = world.projects[found.project]
        if found.service not in project.enabled:
            self._send(403, error_body(
                403, f"{found.service} has not been used in project {project.number} before "
                "or it is disabled. Enable it by visiting https://console.developers.google"
                f".com/apis/api/{found.service}/overview?project={project.number} then retry.",
                "SERVICE_DISABLED",
                {"service": found.service, "consumer": f"projects/{project.number}",
                 "activationUrl": "https://console.developers.google.com/apis/api/"
                 f"{found.service}/overview?project={project.number}"}))
            return
        if not world.may(email, found.project, found.permission):
            self._denied(found.project, found.permission)
            return
        self._send(200, _answer(found, project.zones, project.unreachable, query,
                                world.page_limit, path))

    def _denied(self, project: str, permission: str) -> None:
        self._send(403, error_body(
            403, f"Permission '{permission}' denied on resource 'projects/{project}' (or it "
            "may not exist).", "IAM_PERMISSION_DENIED",
            {"permission": permission, "resource": f"projects/{project}"}))


def _unverified_segment(token: str, index: int) -> bytes:
    part = token.split(".")[index]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _page(items: list[dict[str, Any]], query: dict[str, str], size_param: str,
          limit: int) -> tuple[list[dict[str, Any]], str | None]:
    asked = query.get(size_param) or query.get("maxResults") or query.get("pageSize")
    size = min(limit, int(asked)) if asked and asked.isdigit() and int(asked) > 0 else limit
    token = query.get("pageToken") or ""
    start = int(token[4:]) if token.startswith("tok-") and token[4:].isdigit() else 0
    end = start + size
    return items[start:end], (f"tok-{end}" if end < len(items) else None)


def _scope(item: dict[str, Any]) -> str:
    for key, prefix in (("zone", "zones"), ("region", "regions")):
        value = item.get(key)
        if isinstance(value, str) and value:
            return f"{prefix}/{value.rsplit('/', 1)[-1]}"
    return "global"


def _answer(found: Collection, zones: list[str], unreachable: list[str],
            query: dict[str, str], limit: int, path: str) -> dict[str, Any]:
    if found.kind == "record":
        return dict(found.record or {})
    page, token = _page(found.items, query, "maxResults", limit)
    more = {"nextPageToken": token} if token else {}
    if found.kind == "list":
        return {found.key: page, **more} if page else dict(more)
    scopes: dict[str, dict[str, Any]] = {}
    for item in page:
        scopes.setdefault(_scope(item), {}).setdefault(found.key, []).append(item)
    for zone in zones:
        scopes.setdefault(f"zones/{zone}", {"warning": {
            "code": "NO_RESULTS_ON_PAGE",
            "message": f"There are no results for scope 'zones/{zone}' on this page.",
            "data": [{"key": "scope", "value": f"zones/{zone}"}]}})
    for scope in unreachable:
        scopes[scope] = {"warning": {"code": "UNREACHABLE",
                                     "message": f"Scope '{scope}' is unreachable.",
                                     "data": [{"key": "scope", "value": scope}]}}
    return {"kind": "compute#aggregatedList", "id": path.split("/", 1)[-1], "items": scopes,
            "selfLink": f"https://compute.googleapis.com/{path.split('/', 1)[-1]}", **more}


def measure_rate(standin: GcpStandIn, seconds: float = 2.0, threads: int = 8) -> float:
    """Cheap authenticated requests per second this server answers (for benchmarks)."""
    email = next(iter(standin.world.accounts))
    token = standin.issue_token(email)
    done = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def hammer() -> None:
        nonlocal done
        connection = http.client.HTTPConnection(standin.host, standin.port, timeout=10)
        while time.monotonic() < stop:
            connection.request("GET", "/cloudresourcemanager/v3/projects:search",
                               headers={"Authorization": f"Bearer {token}"})
            connection.getresponse().read()
            with lock:
                done += 1
        connection.close()

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done / (time.monotonic() - started)
