"""The web portal: server-rendered page shells, sign-in/sign-out, and static assets.

Pages are thin: the browser reads and writes through the same ``/api/v1`` routes the CLI
uses, authenticated by the portal's session cookie plus the ``X-CSRF-Token`` header.
"""

from cloudconnectors.web.mount import mount_web

__all__ = ["mount_web"]
