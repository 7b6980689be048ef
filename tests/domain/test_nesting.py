"""The pre-parse bounds: deep nesting and huge numbers are caught, strings and comments not."""

from __future__ import annotations

import pytest

from cloudconnectors.domain.nesting import json_problem, toml_problem

DEEP = "must not nest deeper than 32 levels"
LONG = "must not hold a number longer than 100 digits"


@pytest.mark.parametrize(("text", "problem"), [
    ('{"a": [1, {"b": 2}]}', None),
    ("[" * 32 + "]" * 32, None),
    ("[" * 33 + "]" * 33, DEEP),
    ('{"a": ' * 1000 + "1" + "}" * 1000, DEEP),
    ('{"s": "' + "[" * 500 + '"}', None),
    ('{"s": "\\"' + "{" * 500 + '"}', None),
    ('{"n": ' + "9" * 100 + "}", None),
    ('{"n": ' + "9" * 101 + "}", LONG),
    ('{"n": "' + "9" * 5000 + '"}', None),
])
def test_json(text: str, problem: str | None) -> None:
    assert json_problem(text) == problem


@pytest.mark.parametrize(("text", "problem"), [
    ('[[rules]]\nid = "custom.x"\n', None),
    ("a = " + "[" * 500 + "]" * 500, DEEP),
    ("a = " + "{b = " * 500 + "1" + "}" * 500, DEEP),
    ('a = "' + "[" * 500 + '"', None),
    ("a = '" + "[" * 500 + "'", None),
    ('a = """\n' + "[" * 500 + '\n"""', None),
    ("a = '''\n" + "{" * 500 + "'''", None),
    ("# " + "[" * 500 + "\nb = 1", None),
    ('a = "\\"[[[" \nb = [1]', None),
    ("n = " + "1_000" * 30, LONG),
    ("n = " + "9" * 5000, LONG),
])
def test_toml(text: str, problem: str | None) -> None:
    assert toml_problem(text) == problem
