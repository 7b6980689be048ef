"""Everything the portal loads ships in the package: no CDN, remote font or remote script."""

from __future__ import annotations

import re
from pathlib import Path

import cloudconnectors.web

WEB = Path(cloudconnectors.web.__file__).parent
REMOTE = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)
ALLOWED = {"//www.w3.org"}  # the SVG namespace name, never fetched


def test_no_asset_or_template_refers_to_another_origin() -> None:
    offenders = []
    for path in [*WEB.joinpath("static").rglob("*"), *WEB.joinpath("templates").rglob("*")]:
        if path.is_file():
            for match in REMOTE.finditer(path.read_text()):
                url = match.group(0).removeprefix("http:").removeprefix("https:")
                if url not in ALLOWED:
                    offenders.append(f"{path.relative_to(WEB)}: {match.group(0)}")
    assert not offenders


def test_every_provider_has_its_own_icon() -> None:
    for provider in ("aws", "gcp", "azure"):
        svg = WEB.joinpath("static", "icons", f"{provider}.svg").read_text()
        assert svg.startswith("<svg") and "<title>" in svg
