"""Bounds checked on JSON and TOML text *before* a parser sees it.

Python's parsers recurse once per nesting level, so a document nested a thousand deep ends in
``RecursionError`` (a 500) instead of a refusal, and an integer of thousands of digits trips
the interpreter's conversion limit with an error no person can place. These scanners read
the text once, without recursion, and say which bound was broken, so callers can answer a
422 naming their field. They only count brackets outside strings and comments; a document
they pass may still be invalid, which the real parser then reports.
"""

from __future__ import annotations

__all__ = ["MAX_DEPTH", "MAX_NUMBER_DIGITS", "json_problem", "toml_problem"]

# Our documents are a few levels deep (a rules list of tables, a key file, a connector).
MAX_DEPTH = 32
# Far beyond any real number (a 64-bit integer has at most 20 digits).
MAX_NUMBER_DIGITS = 100

OPENERS = frozenset("[{")
CLOSERS = frozenset("]}")


def _depth_rule(limit: int) -> str:
    return f"must not nest deeper than {limit} levels"


def _digits_rule(limit: int) -> str:
    return f"must not hold a number longer than {limit} digits"


def json_problem(text: str, max_depth: int = MAX_DEPTH,
                 max_digits: int = MAX_NUMBER_DIGITS) -> str | None:
    """The broken bound of a JSON text, or ``None``."""
    depth = run = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if "0" <= char <= "9":
            run += 1
            if run > max_digits:
                return _digits_rule(max_digits)
            continue
        run = 0
        if char == '"':
            in_string = True
        elif char in OPENERS:
            depth += 1
            if depth > max_depth:
                return _depth_rule(max_depth)
        elif char in CLOSERS:
            depth = max(depth - 1, 0)
    return None


def toml_problem(text: str, max_depth: int = MAX_DEPTH,
                 max_digits: int = MAX_NUMBER_DIGITS) -> str | None:
    """The broken bound of a TOML text, or ``None`` (strings of all four kinds and comments
    are skipped; underscores inside a number count as part of it)."""
    depth = run = 0
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = size if end < 0 else end
            continue
        if char in "\"'":
            i = _skip_toml_string(text, i)
            run = 0
            continue
        if "0" <= char <= "9" or (char == "_" and run):
            run += char != "_"
            if run > max_digits:
                return _digits_rule(max_digits)
        else:
            run = 0
            if char in OPENERS:
                depth += 1
                if depth > max_depth:
                    return _depth_rule(max_depth)
            elif char in CLOSERS:
                depth = max(depth - 1, 0)
        i += 1
    return None


def _skip_toml_string(text: str, start: int) -> int:
    """The index just past the string opening at ``start`` (or the end of an open one)."""
    quote = text[start]
    basic = quote == '"'
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    i = start + len(delimiter)
    while i < len(text):
        if basic and text[i] == "\\":
            i += 2
            continue
        if text.startswith(delimiter, i):
            i += len(delimiter)
            # A multi-line string may end in up to two extra quotes ("""a"""").
            while len(delimiter) == 3 and i < len(text) and text[i] == quote:
                i += 1
            return i
        if len(delimiter) == 1 and text[i] == "\n":
            return i
        i += 1
    return i
