"""A local stand-in for the Google APIs the GCP connector reads.

It speaks the documented REST shapes (OAuth2 JWT-bearer token exchange with the RS256
signature verified, ``nextPageToken`` paging with small pages, Compute aggregated lists,
Google's error envelope with ErrorInfo, 429 with ``Retry-After``) over plain HTTP on a
loopback port, serving each API under ``/<first label of its host>/`` as
``CLOUDCONNECTORS_GCP_API_ENDPOINT`` expects. The tests and ``cloudconnectors demo`` run
the same server; what it holds is a :class:`World` seeded from a data description.
"""

from cloudconnectors.demo.gcp_sandbox.keys import KeyPair, make_key_pair
from cloudconnectors.demo.gcp_sandbox.server import GcpStandIn
from cloudconnectors.demo.gcp_sandbox.world import Fault, World

__all__ = ["Fault", "GcpStandIn", "KeyPair", "World", "make_key_pair"]
