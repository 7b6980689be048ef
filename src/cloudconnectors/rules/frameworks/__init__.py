"""Compliance frameworks as data: each JSON file maps controls to rule IDs.

JSON (not TOML) because the package data globs ship ``*.json``; the files are edited by hand
and checked by the contract tests (every control resolves, manual controls give a reason).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cloudconnectors.domain.errors import NotFound

#: Built-in frameworks: id -> data file beside this module. Explicit, like every registry.
BUILTIN: dict[str, str] = {
    "cis_aws_3_0_0": "cis_aws_3_0_0.json",
    "cis_gcp_4_0_0": "cis_gcp_4_0_0.json",
    "cis_azure_5_0_0": "cis_azure_5_0_0.json",
}
CUSTOM_FRAMEWORK_ID = "custom"


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    section: str
    rules: tuple[str, ...]
    level: int | None = None
    manual_reason: str | None = None
    #: How the benchmark itself marks the control ("automated" / "manual"), when it says.
    #: Independent of ``automated`` (whether we have rules): CIS GCP marks 3.9 manual, yet
    #: the collected SSL policies decide it.
    assessment: str | None = None

    @property
    def automated(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str
    provider: str | None
    description: str
    controls: tuple[Control, ...]

    @property
    def rule_ids(self) -> frozenset[str]:
        return frozenset(r for c in self.controls for r in c.rules)

    def summary(self) -> dict[str, Any]:
        automated = sum(1 for c in self.controls if c.automated)
        return {"id": self.id, "name": self.name, "version": self.version,
                "provider": self.provider, "description": self.description,
                "controls": len(self.controls), "automated_controls": automated,
                "manual_controls": len(self.controls) - automated}


def parse_framework(raw: dict[str, Any]) -> Framework:
    controls = tuple(
        Control(id=str(c["id"]), title=str(c["title"]), section=str(c.get("section", "")),
                rules=tuple(c.get("rules", ())), level=c.get("level"),
                manual_reason=c.get("manual_reason"), assessment=c.get("assessment"))
        for c in raw["controls"])
    return Framework(id=raw["id"], name=raw["name"], version=str(raw["version"]),
                     provider=raw.get("provider"), description=raw.get("description", ""),
                     controls=controls)


@cache
def load_framework(framework_id: str) -> Framework:
    """A built-in framework; NotFound names the known ones."""
    filename = BUILTIN.get(framework_id)
    if filename is None:
        raise NotFound(f"framework {framework_id!r} does not exist; known: "
                       + ", ".join(sorted(BUILTIN)))
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return parse_framework(json.loads(text))


def builtin_frameworks() -> list[Framework]:
    return [load_framework(fid) for fid in BUILTIN]
