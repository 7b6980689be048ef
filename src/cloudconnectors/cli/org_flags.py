"""The flags of an organization connector on ``connectors add`` (docs/organizations.md)."""

from __future__ import annotations

from typing import Any

import click

from cloudconnectors.cli.output import fail

__all__ = ["org_options", "take"]

_ORG_FLAGS = ("organization", "org_root", "member_role", "include_account", "exclude_account",
              "include_path", "exclude_path", "include_tag", "exclude_tag")


def org_options(command: Any) -> Any:
    """The flags of an organization connector, applied to ``add``."""
    for flag, help_text in reversed((
        ("--include-tag", "Organization: take members with this tag, KEY or KEY=VALUE (repeat)."),
        ("--exclude-tag", "Organization: never take members with this tag (repeat)."),
        ("--include-path", "Organization: take members under this OU/folder/group (repeat)."),
        ("--exclude-path", "Organization: never take members under it (repeat)."),
        ("--include-account", "Organization: take this member account (repeat)."),
        ("--exclude-account", "Organization: never take this member account (repeat)."),
    )):
        command = click.option(flag, multiple=True, help=help_text)(command)
    command = click.option("--member-role", help="AWS organization: the role name in every "
                           "member account (default CloudConnectorsMember).")(command)
    command = click.option("--org-root", help="Organization: the root to walk: an AWS root or "
                           "OU ID, GCP organizations/N or folders/N, an Azure management "
                           "group (default the whole organization).")(command)
    return click.option("--organization", is_flag=True, help="Make an organization "
                        "connector: one member connector per account it finds.")(command)


def take(flags: dict[str, Any]) -> dict[str, Any] | None:
    """Pop the organization flags out of ``flags``; None unless --organization was given."""
    values = {key: flags.pop(key, None) for key in _ORG_FLAGS}
    if not values["organization"]:
        if any(values[key] for key in _ORG_FLAGS[1:]):
            fail("the --org-root, --member-role, --include-*/--exclude-* account, path and tag "
                 "flags need --organization", 2)
        return None
    found: dict[str, Any] = {"root": values["org_root"] or ""}
    if values["member_role"]:
        found["member_role_name"] = values["member_role"]
    for part in ("include", "exclude"):
        found[part] = {f"{key}s": list(values[f"{part}_{key}"] or ())
                       for key in ("account", "path", "tag")}
    return found
