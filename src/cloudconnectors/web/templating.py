"""Jinja2 templates shipped inside the package (autoescaped)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates

from cloudconnectors import __version__
from cloudconnectors.providers.azure.setup import guide as azure_guide

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.globals["version"] = __version__
# The Azure form's set-up guidance: steps, az commands and Bicep (no I/O: pure data).
templates.env.globals["azure_setup"] = azure_guide()


def json_for_script(value: Any) -> str:
    """JSON safe to place inside ``<script type="application/json">``."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
