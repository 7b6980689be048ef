"""Where each Google API request goes (DESIGN section 5, "Cloud endpoints").

Unset, every request goes to the API's public host, ``https://<label>.googleapis.com``.
With ``CLOUDCONNECTORS_GCP_API_ENDPOINT=<base>`` it goes to ``<base>/<label>/<path>``: the
first DNS label of the API's host becomes the first path segment, and the documented path,
query parameters and bodies stay as they are. That is the only seam tests and the demo's
sandbox use.
"""

from __future__ import annotations

__all__ = ["api_url"]


def api_url(base: str | None, label: str, path: str) -> str:
    """The URL of ``path`` (documented, without a leading slash) on the API ``label``.

    >>> api_url(None, "compute", "compute/v1/projects/p/zones")
    'https://compute.googleapis.com/compute/v1/projects/p/zones'
    >>> api_url("http://127.0.0.1:9000/", "storage", "storage/v1/b")
    'http://127.0.0.1:9000/storage/storage/v1/b'
    """
    path = path.lstrip("/")
    if base:
        return f"{base.rstrip('/')}/{label}/{path}"
    return f"https://{label}.googleapis.com/{path}"
