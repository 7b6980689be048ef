"""``cloudconnectors scan CONNECTOR``: poll one connector now, in the foreground.

The poll is the same one the scheduler runs (``poll_now``, trigger ``cli``), observed by
:class:`~cloudconnectors.cli.scan_progress.ScanProgress`. At the end: a table per region
(assets, virtual machines, collector outcomes), the collectors that did not read fully with
the reason and the permission to grant, and one status line. ``--json`` prints the poll
summary instead. Exit 1 (with the one-line reason on stderr) when the connector ends
offline; 130 after Ctrl-C and 143 after SIGTERM, once the run is closed and the lease given
back. Credentials are never printed: only collector outcomes and the run's own messages.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import asdict
from enum import Enum
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from cloudconnectors.cli.output import console, fail, print_json
from cloudconnectors.cli.runtime import operator, tenant_option
from cloudconnectors.cli.scan_progress import OUTCOME_ORDER, ScanProgress
from cloudconnectors.cli.signals import (
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    Terminated,
    terminate_as_interrupt,
)
from cloudconnectors.domain.connector import Connector, ProviderName
from cloudconnectors.domain.runs import CollectorResult, Outcome, Trigger
from cloudconnectors.domain.states import Status
from cloudconnectors.providers.base import Access, DiagnosticItem
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.services import connectors as connector_service
from cloudconnectors.services import runs as run_service
from cloudconnectors.services.polling import PollSummary, connector_needs, poll_now

_COLUMNS = (Outcome.OK, Outcome.PARTIAL, Outcome.DENIED, Outcome.THROTTLED, Outcome.FAILED,
            Outcome.SKIPPED)
# Diagnostic item -> the ``connectors artifacts`` file that fixes it (AWS).
_ARTIFACT_FOR = {"aws.trust": "trust-policy", "aws.custom": "custom-policy",
                 "aws.eks_fargate": "eks-policy"}


@click.command()
@click.argument("connector")
@click.option("--json", "as_json", is_flag=True, help="Print the poll summary as JSON.")
@tenant_option
def scan(connector: str, as_json: bool, tenant: str | None) -> None:
    """Poll CONNECTOR (ID or name) now and print what was collected, region by region."""
    with operator(tenant, polls=True) as (ctx, principal):
        found = connector_service.find_connector(ctx, principal, connector)
        provider = get_provider(found.provider)
        live = sys.stderr.isatty()
        needs = connector_needs(ctx, principal.tenant_id, found.id)
        progress = ScanProgress(console(stderr=True),
                                lambda scope: provider.results_per_region(scope, needs,
                                                                          ctx.settings),
                                provider.vm_types, live=live, plain=not as_json)
        if not as_json and not live:
            click.echo(f"Polling {found.name} ({found.provider.value}, {found.id})...",
                       err=True)
        try:
            with progress, terminate_as_interrupt():
                summary = poll_now(ctx, found.id, Trigger.CLI, progress,
                                   tenant_id=principal.tenant_id)
        except KeyboardInterrupt as exc:  # the poll closed its run and released its lease
            click.echo("scan interrupted: the run was closed and the connector is free to "
                       "poll again", err=True)
            sys.exit(EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED)
        missing = [item for item in run_service.diagnose(ctx, principal, found.id).items
                   if item.access is Access.MISSING]
    if as_json:
        print_json(_as_json(found, summary, progress, missing))
    else:
        _print_summary(found, summary, progress, missing)
    if summary.status is Status.OFFLINE:
        fail(summary.error or "the poll failed; see `cloudconnectors connectors show`")


# -- JSON ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _as_json(found: Connector, summary: PollSummary, progress: ScanProgress,
             missing: list[DiagnosticItem]) -> dict[str, Any]:
    return {
        **_plain(asdict(summary)),
        "connector": {"id": found.id, "name": found.name, "provider": found.provider.value},
        "per_region": [
            {"region": region, "assets": progress.assets[region],
             "virtual_machines": progress.vms[region],
             "collectors": {o.value: n for o, n in _tally(progress.results, region).items()}}
            for region in progress.regions
        ],
        "problems": [_plain(asdict(r)) for r in _problems(progress.results)],
        "missing_permissions": [
            {"key": i.key, "title": i.title, "detail": i.detail, "fix": i.fix,
             "denied": list(i.denied)} for i in missing
        ],
    }


# -- text ----------------------------------------------------------------------------------


def _tally(results: list[CollectorResult], region: str) -> Counter[Outcome]:
    return Counter(r.outcome for r in results if r.region == region)


def _problems(results: list[CollectorResult]) -> list[CollectorResult]:
    rank = {outcome: n for n, outcome in enumerate(OUTCOME_ORDER)}
    return sorted((r for r in results if r.is_problem),
                  key=lambda r: (rank[r.outcome], r.service, r.resource_type, r.region))


def _generic(reason: str, region: str) -> str:
    return reason.replace(region, "<region>") if region else reason


def _grouped(problems: list[CollectorResult]) -> list[tuple[CollectorResult, list[str]]]:
    """The same problem in several regions is one row naming the regions."""
    groups: dict[tuple[Any, ...], tuple[CollectorResult, list[str]]] = {}
    for r in problems:
        key = (r.outcome, r.service, r.resource_type, r.permission,
               _generic(r.reason or "", r.region))
        groups.setdefault(key, (r, []))[1].append(r.region)
    return list(groups.values())


def _print_summary(found: Connector, summary: PollSummary, progress: ScanProgress,
                   missing: list[DiagnosticItem]) -> None:
    out = console()
    if progress.regions:
        table = Table("REGION", "ASSETS", "VMS", *(o.value.upper() for o in _COLUMNS),
                      box=None, pad_edge=False, header_style="bold", title_justify="left",
                      title="Collected, by region")
        for region in progress.regions:
            counts = _tally(progress.results, region)
            table.add_row(region, str(progress.assets[region]), str(progress.vms[region]),
                          *(str(counts[o]) for o in _COLUMNS))
        total = Counter(r.outcome for r in progress.results)
        table.add_row("total", str(sum(progress.assets.values())),
                      str(sum(progress.vms.values())), *(str(total[o]) for o in _COLUMNS),
                      style="bold")
        out.print(table)
    groups = _grouped(_problems(progress.results))
    if groups:
        table = Table("OUTCOME", "WHERE", "SERVICE", "TYPE", "REASON", "GRANT",
                      box=None, pad_edge=False, header_style="bold", title_justify="left",
                      title="Not read fully")
        for first, regions in groups:
            grant = first.permission if first.outcome in (Outcome.DENIED, Outcome.PARTIAL) \
                else None
            where = ", ".join(regions) if len(regions) <= 3 else f"{len(regions)} regions"
            table.add_row(first.outcome.value, where, first.service, Text(first.resource_type),
                          Text(_generic(first.reason or "-", first.region)), Text(grant or "-"))
        out.print()
        out.print(table)
    for item in missing:
        hint = _ARTIFACT_FOR.get(item.key) if found.provider is ProviderName.AWS else None
        where = (f" (the policy: cloudconnectors connectors artifacts {found.id} "
                 f"--kind {hint})") if hint else ""
        out.print(f"Missing: {item.title}: {item.detail}. {item.fix or ''}{where}",
                  highlight=False, markup=False, soft_wrap=True)
    discovery = summary.discovery.value if summary.discovery else "none"
    out.print(
        f"{found.name}: {summary.status.value}, discovery {discovery}; "
        f"{summary.asset_count} assets ({summary.vm_count} virtual machines) in "
        f"{len(summary.regions)} region(s); run {summary.run_id} {summary.state.value}",
        highlight=False, markup=False, soft_wrap=True,
    )
    if summary.warning:
        out.print(f"warning: {summary.warning}", highlight=False, markup=False, soft_wrap=True)
    if summary.status is Status.OFFLINE and found.provider is ProviderName.AWS:
        out.print(f"The role's setup files: cloudconnectors connectors artifacts {found.id} "
                  "--kind trust-policy|cloudformation", highlight=False, markup=False,
                  soft_wrap=True)
