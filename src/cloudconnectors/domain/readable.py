"""Error text is for people: an upstream body in HTML or XML becomes one readable line.

Clouds and emulators answer some failures with a whole web page (moto's 500 page for a
service it does not implement, a proxy's 502) or an XML error document. Pasted raw into a
run, the CLI or the portal it hides what happened. :func:`readable` keeps the sense: the
``<Message>`` of an XML error, else the page's ``<title>`` and first heading, else the text
without tags; whitespace collapsed, cut at a sentence or at :data:`LIMIT` characters.
Plain text passes through unchanged but for the whitespace and the limit.
"""

from __future__ import annotations

import html
import re

__all__ = ["LIMIT", "readable"]

LIMIT = 240

_MARKUP = re.compile(r"<\s*(!doctype|html|\?xml|head|body|title|h1|error|errors|response)\b",
                     re.IGNORECASE)
_ELEMENT = r"<\s*{name}\b[^>]*>(.*?)<\s*/\s*{name}\s*>"
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def _element(text: str, name: str) -> str | None:
    found = re.search(_ELEMENT.format(name=name), text, re.IGNORECASE | re.DOTALL)
    if found is None:
        return None
    inner = _squash(_TAG.sub(" ", found.group(1)))
    return inner or None


def _squash(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    stop = head.rfind(". ")
    return head[: stop + 1] if stop > limit // 2 else head.rstrip() + "…"


def readable(text: str | None, limit: int = LIMIT) -> str | None:
    """One readable line from ``text``; None stays None. See the module docstring."""
    if text is None:
        return None
    start = text.find("<")
    if start == -1 or not _MARKUP.search(text):
        return _cut(_squash(text), limit)
    prefix = _squash(text[:start]).rstrip(":").strip()
    markup = text[start:]
    parts = [p for p in (_element(markup, "Message"), _element(markup, "Code")) if p]
    if not parts:
        title, heading = _element(markup, "title"), _element(markup, "h1")
        parts = [title] if title else []
        if heading and not (title and heading in title):
            parts.append(heading)
    if not parts:
        body = _squash(_TAG.sub(" ", re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ",
                                            markup)))
        parts = [body] if body else []
    line = ": ".join(parts) if parts else "an HTML or XML error page"
    if prefix and not line.startswith(prefix):
        line = f"{prefix}: {line}"
    return _cut(line, limit)
