"""A certificate authority made at run time, and a server certificate for loopback."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Tls", "make_tls"]


@dataclass(frozen=True)
class Tls:
    context: ssl.SSLContext
    ca_pem: bytes

    def write_ca(self, path: Path) -> Path:
        """Write the CA certificate (what ``CLOUDCONNECTORS_CA_BUNDLE`` points at)."""
        path.write_bytes(self.ca_pem)
        return path


def make_tls(hosts: tuple[str, ...] = ("127.0.0.1", "localhost")) -> Tls:
    try:
        import trustme
    except ImportError as exc:  # the [demo] and [dev] extras install it
        raise RuntimeError("the Azure sandbox needs trustme: pip install "
                           "'cloudconnectors[demo]'") from exc
    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(*hosts).configure_cert(context)
    return Tls(context, ca.cert_pem.bytes())
