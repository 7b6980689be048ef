"""Three HTTPS servers on free loopback ports (authority, ARM, Graph) over one :class:`World`.

``AzureSandbox().start()`` runs them on daemon threads; ``environment(ca_file)`` gives the
``CLOUDCONNECTORS_*`` variables that point the connector at them.
"""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from types import TracebackType

from cloudconnectors.demo.azure_sandbox.answers import Answer, arm_error, graph_error
from cloudconnectors.demo.azure_sandbox.arm import handle_arm
from cloudconnectors.demo.azure_sandbox.graph import handle_graph
from cloudconnectors.demo.azure_sandbox.login import handle_login
from cloudconnectors.demo.azure_sandbox.tls import Tls, make_tls
from cloudconnectors.demo.azure_sandbox.world import World

__all__ = ["AzureSandbox"]

LOGIN, ARM, GRAPH = "login", "arm", "graph"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, role: str, world: World, tls: Tls, host: str) -> None:
        super().__init__((host, 0), _Handler)
        self.role = role
        self.world = world
        self.socket = tls.context.wrap_socket(self.socket, server_side=True)

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"https://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one TLS handshake per client connection
    # Headers and body leave in one write, without Nagle's delay (else ~40 ms per answer).
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        return None  # quiet: tests and the demo read answers, not access logs

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        started = time.perf_counter()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server = self.server
        world = server.world
        answer = self._fault(world) if server.role != LOGIN else None
        if answer is None:
            auth = self.headers.get("Authorization")
            if server.role == LOGIN:
                answer = handle_login(world, server.base, method, self.path, body)
            elif method != "GET":
                answer = arm_error(405, "MethodNotAllowed", "The stand-in is read-only.")
            elif server.role == ARM:
                answer = handle_arm(world, server.base, self.path, auth)
            else:
                answer = handle_graph(world, server.base, self.path, auth)
            if server.role == ARM and world.ratelimit_remaining is not None:
                answer.headers["x-ms-ratelimit-remaining-subscription-reads"] = str(
                    world.ratelimit_remaining)
        payload = answer.encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-ms-request-id", "00000000-0000-0000-0000-000000000000")
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        world.count(time.perf_counter() - started)

    def _fault(self, world: World) -> Answer | None:
        fault = world.fault_for(self.path)
        if fault is None:
            return None
        if fault.delay:
            time.sleep(fault.delay)
        if fault.status == 429:
            error = (arm_error if self.server.role == ARM else graph_error)(
                429, "TooManyRequests", "The request is being throttled as the limit has been "
                "reached for operation type - Read_ObservationWindow_00:05:00. For more "
                "information, see - https://aka.ms/srpthrottlinglimits")
            error.headers["Retry-After"] = f"{fault.retry_after:g}"
            return error
        if fault.status >= 500:
            return arm_error(fault.status, "InternalServerError",
                             "Encountered internal server error. Diagnostic information: "
                             "timestamp '20260101T000000Z'.")
        return None


class AzureSandbox:
    """``with AzureSandbox(world) as sandbox:`` serves ``sandbox.authority``, ``.management``
    and ``.graph`` until the block ends."""

    def __init__(self, world: World | None = None, host: str = "127.0.0.1") -> None:
        self.world = world or World()
        self.host = host
        self.tls: Tls | None = None
        self._servers: dict[str, _Server] = {}
        self._threads: list[Thread] = []

    def start(self) -> AzureSandbox:
        self.tls = make_tls((self.host,))
        for role in (LOGIN, ARM, GRAPH):
            server = _Server(role, self.world, self.tls, self.host)
            thread = Thread(target=server.serve_forever, name=f"azure-sandbox-{role}",
                            daemon=True)
            thread.start()
            self._servers[role] = server
            self._threads.append(thread)
        return self

    @property
    def authority(self) -> str:
        return self._servers[LOGIN].base

    @property
    def management(self) -> str:
        return self._servers[ARM].base

    @property
    def graph(self) -> str:
        return self._servers[GRAPH].base

    def write_ca(self, path: Path) -> Path:
        assert self.tls is not None, "start() first"
        return self.tls.write_ca(path)

    def environment(self, ca_file: Path) -> dict[str, str]:
        """The variables that send the Azure connector here, trusting ``ca_file``."""
        return {
            "CLOUDCONNECTORS_AZURE_AUTHORITY_HOST": self.authority,
            "CLOUDCONNECTORS_AZURE_MANAGEMENT_ENDPOINT": self.management,
            "CLOUDCONNECTORS_AZURE_GRAPH_ENDPOINT": self.graph,
            "CLOUDCONNECTORS_CA_BUNDLE": str(ca_file),
        }

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> AzureSandbox:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
