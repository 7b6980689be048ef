"""How the CLI speaks: rich tables on stdout, one-line errors on stderr, fixed exit codes.

Exit codes: 0 done; 1 refused or failed (the reason is the one line on stderr); 2 usage
error; 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table

from cloudconnectors.domain.connector import Connector

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def console(stderr: bool = False) -> Console:
    """A console on the current streams (CliRunner swaps them), wide when not a terminal."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, width=None if stream.isatty() else 200, highlight=False)


def one_line(text: str) -> str:
    return " ".join(text.split())


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    click.echo(f"error: {one_line(message)}", err=True)
    sys.exit(code)


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, sort_keys=True, default=str))


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(*columns, box=None, pad_edge=False, header_style="bold")
    for row in rows:
        table.add_row(*("-" if cell is None else str(cell) for cell in row))
    console().print(table)


def when(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d %H:%M:%SZ") if moment else None


def connector_dict(connector: Connector) -> dict[str, Any]:
    """The same fields as the API's ConnectorOut: public credential parts only."""
    return {
        "id": connector.id,
        "name": connector.name,
        "provider": connector.provider.value,
        "run_frequency_minutes": connector.run_frequency_minutes,
        "status": connector.status.value,
        "discovery": connector.discovery.value if connector.discovery else None,
        "last_error": connector.last_error,
        "warning": connector.warning,
        "last_run_at": connector.last_run_at.isoformat() if connector.last_run_at else None,
        "next_run_at": connector.next_run_at.isoformat() if connector.next_run_at else None,
        "created_at": connector.created_at.isoformat(),
        "updated_at": connector.updated_at.isoformat(),
        "credentials": dict(connector.public_credentials),
        "projects": connector.scope,
        "inventory": connector.inventory,
        "regions": list(connector.regions),
        "vm_count": connector.vm_count,
        "asset_count": connector.asset_count,
        "kind": connector.kind,
        "parent_id": connector.parent_id,
        "organization": connector.organization,
        "member": connector.member,
        "gone_at": connector.gone_at.isoformat() if connector.gone_at else None,
        "members": _rollup_dict(connector),
        "refresh_requested_at": (connector.refresh_requested_at.isoformat()
                                 if connector.refresh_requested_at else None),
        "refresh_queued": connector.refresh_queued,
    }


def _rollup_dict(connector: Connector) -> dict[str, Any] | None:
    r = connector.members
    if r is None:
        return None
    return {"total": r.total, "online": r.online, "offline": r.offline, "pending": r.pending,
            "refreshing": r.refreshing, "gone": r.gone, "summary": r.summary}


def status_text(c: Connector) -> str:
    """The status, with the roll-up on an organization and "gone" on a departed member."""
    if c.members is not None:
        return f"{c.status.value} ({c.members.summary})"
    if c.gone_at is not None:
        return f"gone (was {c.status.value})"
    return c.status.value


CONNECTOR_COLUMNS = ("ID", "NAME", "PROVIDER", "STATUS", "DISCOVERY", "EVERY", "LAST RUN",
                     "NEXT RUN")


def connector_row(c: Connector, indent: str = "") -> list[Any]:
    return [c.id, indent + c.name, c.provider.value, status_text(c),
            c.discovery.value if c.discovery else None, f"{c.run_frequency_minutes}m",
            when(c.last_run_at), when(c.next_run_at)]


def print_connector(c: Connector) -> None:
    rows: list[tuple[str, Any]] = [
        ("ID", c.id), ("Name", c.name), ("Provider", c.provider.value),
        ("Status", c.status.value + (" (waiting for a poller)" if c.refresh_queued else "")),
        ("Discovery", c.discovery.value if c.discovery else None),
        ("Run frequency", f"{c.run_frequency_minutes} minutes"),
        ("Inventory", "full (every type and detail)" if c.inventory == "full"
         else "what the rules read"),
        ("Last run", when(c.last_run_at)), ("Next run", when(c.next_run_at)),
        ("Created", when(c.created_at)),
        ("Regions", ", ".join(c.regions) or None),
        ("Assets", f"{c.asset_count} ({c.vm_count} virtual machines)"),
    ]
    rows += [(f"Credentials {key}", value) for key, value in c.public_credentials.items()]
    if c.scope:
        rows += [(f"Projects {key}d", ", ".join(values))
                 for key, values in c.scope.items() if values]
    if c.organization is not None:
        rows.append(("Organization root", c.organization.get("root") or "(whole organization)"))
        if c.organization.get("member_role_name"):
            rows.append(("Member role", c.organization["member_role_name"]))
        for part in ("include", "exclude"):
            for key, values in (c.organization.get(part) or {}).items():
                if values:
                    rows.append((f"{part.capitalize()} {key}", ", ".join(values)))
    if c.members is not None:
        rows.append(("Members", c.members.summary))
    if c.member is not None:
        rows.append(("Member of", c.parent_id))
        rows.append(("Account", c.member.get("account")))
        rows.append(("Path", " / ".join(c.member.get("path") or []) or None))
        tags = c.member.get("tags") or {}
        rows.append(("Tags", ", ".join(f"{k}={v}" for k, v in tags.items()) or None))
    if c.gone_at is not None:
        rows.append(("Gone", f"{when(c.gone_at)}: {(c.member or {}).get('gone_reason')}"))
    if c.warning:
        rows.append(("Warning", c.warning))
    if c.last_error:
        rows.append(("Last error", c.last_error))
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, "-" if value is None else str(value))
    console().print(table)
