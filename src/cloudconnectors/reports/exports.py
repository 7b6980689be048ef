"""Report exports: JSON, CSV, self-contained HTML, OCSF Detection Finding (class 2004).

Every exporter is a pure function of the report (and, for OCSF, the rules' metadata) to text.
``EXPORTERS`` is the explicit list the API and CLI offer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from cloudconnectors import __version__ as package_version
from cloudconnectors.reports.model import FindingState, FindingView, Report
from cloudconnectors.rules.model import RuleInfo

CSV_COLUMNS = ("control_id", "control_title", "section", "control_status", "rule_id",
               "resource_type", "region", "resource_id", "resource_name", "severity",
               "finding_state", "reason", "first_seen", "last_seen", "account")
HTML_ROWS = 500  # failing resources shown per control in HTML; the other exports list all
OCSF_VERSION = "1.3.0"
OCSF_SEVERITY = {"informational": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}
OCSF_ACTIVITY = {FindingState.OPEN: (1, "Create"), FindingState.REOPENED: (2, "Update"),
                 FindingState.FIXED: (3, "Close")}
OCSF_STATUS = {FindingState.OPEN: (1, "New"), FindingState.REOPENED: (99, "Reopened"),
               FindingState.FIXED: (4, "Resolved")}


def to_json(report: Report, rules: Mapping[str, RuleInfo] | None = None) -> str:
    return json.dumps(report.to_dict(), indent=2, sort_keys=False)


def to_csv(report: Report, rules: Mapping[str, RuleInfo] | None = None) -> str:
    """One row per failing resource; a control with none gets one row with its status."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for control in report.controls:
        head = [control.id, control.title, control.section, control.status]
        if not control.failing:
            writer.writerow([*head, ";".join(control.rules), "", "", "", "", "", "",
                             "; ".join(control.notes), "", "", report.account or ""])
        for f in control.failing:
            writer.writerow([*head, f.rule_id, f.resource_type, f.region, f.resource_id,
                             f.resource_name or "", f.severity, f.state.value, f.reason,
                             f.first_seen.isoformat(), f.last_seen.isoformat(),
                             f.account or ""])
    return out.getvalue()


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("cloudconnectors.reports", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["pct"] = lambda v: "n/a" if v is None else f"{v * 100:.1f}%"
    env.filters["when"] = lambda v: "" if v is None else v.strftime("%Y-%m-%d %H:%M UTC")
    return env


def _sparkline(report: Report, width: int = 240, height: int = 40) -> str:
    points = [p.score for p in report.trend if p.score is not None]
    if len(points) < 2:
        return ""
    step = width / (len(points) - 1)
    return " ".join(f"{i * step:.1f},{height - s * height:.1f}" for i, s in enumerate(points))


def to_html(report: Report, rules: Mapping[str, RuleInfo] | None = None) -> str:
    """A single file: inline CSS and SVG, no scripts, no remote assets."""
    return _environment().get_template("report.html").render(
        report=report, rules=rules or {}, sparkline=_sparkline(report), html_rows=HTML_ROWS)


def _ms(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp() * 1000)


def _finding_uid(report: Report, f: FindingView) -> str:
    raw = f"{report.connector_id}\x1f{f.rule_id}\x1f{f.resource_key}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def ocsf_finding(report: Report, f: FindingView, rule: RuleInfo | None,
                 controls: list[str]) -> dict[str, Any]:
    activity_id, activity = OCSF_ACTIVITY[f.state]
    status_id, status = OCSF_STATUS[f.state]
    severity_id = OCSF_SEVERITY.get(f.severity, 0)
    title = rule.title if rule else f.rule_id
    event: dict[str, Any] = {
        "class_uid": 2004, "class_name": "Detection Finding",
        "category_uid": 2, "category_name": "Findings",
        "activity_id": activity_id, "activity_name": activity,
        "type_uid": 2004 * 100 + activity_id,
        "type_name": f"Detection Finding: {activity}",
        "severity_id": severity_id, "severity": f.severity.capitalize(),
        "status_id": status_id, "status": status, "status_detail": f.reason,
        "message": f"{title}: {f.reason}",
        "time": _ms(f.fixed_at if f.state is FindingState.FIXED else f.last_seen),
        "metadata": {"version": OCSF_VERSION, "event_code": f.rule_id,
                     "uid": _finding_uid(report, f),
                     "product": {"name": "Cloud Connectors", "vendor_name": "Cloud Connectors",
                                 "version": package_version}},
        "finding_info": {
            "uid": _finding_uid(report, f), "title": title,
            "desc": rule.rationale if rule else "",
            "first_seen_time": _ms(f.first_seen), "last_seen_time": _ms(f.last_seen),
            "created_time": _ms(f.first_seen), "modified_time": _ms(f.last_seen),
            "analytic": {"uid": f.rule_id, "name": title, "type_id": 1, "type": "Rule"},
            "types": [f"{report.framework['name']} {report.framework['version']}"],
        },
        "resources": [{"uid": f.resource_id, "name": f.resource_name or f.resource_id,
                       "type": f.resource_type, "region": f.region,
                       "cloud_partition": report.provider}],
        "cloud": {"provider": report.provider.upper(), "region": f.region,
                  **({"account": {"uid": uid}} if (uid := f.account or report.account_uid)
                     else {})},
        "remediation": {"desc": rule.remediation if rule else ""},
        "unmapped": {"compliance": {
            "framework": report.framework["id"], "version": report.framework["version"],
            "controls": controls}, "connector_id": report.connector_id,
            "finding_state": f.state.value, "times_reopened": f.times_reopened},
    }
    return event


def to_ocsf(report: Report, rules: Mapping[str, RuleInfo] | None = None) -> str:
    """A JSON array of OCSF Detection Findings: open, reopened, and fixed (as Close)."""
    rules = rules or {}
    cited: dict[str, list[str]] = {}
    for control in report.controls:
        for rule_id in control.rules:
            cited.setdefault(rule_id, []).append(control.id)
    findings = [f for c in report.controls for f in c.failing] + list(report.fixed)
    seen: set[tuple[str, str]] = set()
    events = []
    for f in findings:
        if (f.rule_id, f.resource_key) in seen:
            continue
        seen.add((f.rule_id, f.resource_key))
        events.append(ocsf_finding(report, f, rules.get(f.rule_id), cited.get(f.rule_id, [])))
    return json.dumps(events, indent=2)


Exporter = Callable[[Report, Mapping[str, RuleInfo] | None], str]
EXPORTERS: dict[str, tuple[Exporter, str]] = {
    "json": (to_json, "application/json"),
    "csv": (to_csv, "text/csv"),
    "html": (to_html, "text/html"),
    "ocsf": (to_ocsf, "application/json"),
}
