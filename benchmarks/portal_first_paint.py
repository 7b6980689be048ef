"""Portal first paint with 10,000 connectors in SQLite.

Measures, against a real uvicorn server and Debian's Chromium:
  * server time of the Connectors tab (HTML with the first page embedded) and of the list
    call (first page, a deep page, a search, a status filter);
  * in the browser: first paint, first contentful paint and the moment the table's rows are
    rendered (the page sets ``performance.mark("cc-table-rendered")``), plus the time from
    clicking Next to the next page's rows.

Run from the repository root:
    /work/main/.venv/bin/python benchmarks/portal_first_paint.py [--connectors 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import httpx  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from tests.web.live_server import CHROMIUM, CHROMIUM_ARGS, live_server  # noqa: E402
from tests.web.signin_helpers import PASSWORD, sign_in  # noqa: E402

from cloudconnectors.config import load_settings  # noqa: E402
from cloudconnectors.services.context import AppContext  # noqa: E402
from cloudconnectors.services.users import create_user  # noqa: E402
from cloudconnectors.storage.tables import ConnectorRow, SnapshotRow, TenantRow  # noqa: E402
from cloudconnectors.storage.tables.base import new_id, utcnow  # noqa: E402

EMAIL = "bench@acme.example"
PROVIDERS = ("aws", "gcp", "azure")
STATUSES = ("online", "online", "online", "offline", "pending", "refreshing")


def seed(ctx: AppContext, count: int) -> None:
    create_user(ctx, EMAIL, tenant="acme", role="admin", password=PASSWORD)
    with ctx.db.read() as session:
        tenant_id = session.query(TenantRow.id).scalar()
    now = utcnow()
    connectors, snapshots = [], []
    for i in range(count):
        cid = new_id()
        provider = PROVIDERS[i % 3]
        status = STATUSES[i % len(STATUSES)]
        snapshot_id = new_id() if status in ("online", "refreshing") else None
        if snapshot_id:
            snapshots.append({
                "id": snapshot_id, "tenant_id": tenant_id, "connector_id": cid,
                "state": "complete", "started_at": now, "completed_at": now,
                "asset_count": 40 + i % 300, "vm_count": i % 25,
                "type_counts": {}, "regions": ["us-east-1", "eu-west-1"],
            })
        connectors.append({
            "id": cid, "tenant_id": tenant_id, "name": f"{provider}-account-{i:05d}",
            "provider": provider, "run_frequency_minutes": 240, "status": status,
            "discovery": "success" if snapshot_id else None,
            "last_error": "AccessDenied: sts:AssumeRole refused" if status == "offline" else None,
            "credentials_public": {"role_arn": f"arn:aws:iam::{100000000000 + i}:role/CC"},
            "credentials_sealed": ctx.secrets.seal({"n": i}, bound_to=cid),
            "created_at": now, "updated_at": now, "next_run_at": now,
            "last_run_at": now if snapshot_id else None, "current_snapshot_id": snapshot_id,
        })
    with ctx.db.write() as session:
        session.execute(insert(ConnectorRow), connectors)
        if snapshots:
            session.execute(insert(SnapshotRow), snapshots)


def timed(client: httpx.Client, path: str, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        answer = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        answer.raise_for_status()
    samples = samples[1:]  # the first call warms caches
    return {"median_ms": statistics.median(samples), "max_ms": max(samples)}


def server_times(base: str, runs: int) -> dict[str, dict[str, float]]:
    with httpx.Client(base_url=base) as client:
        # The same form a person uses; the helper speaks the TestClient API, httpx fits it.
        answer = sign_in(client, EMAIL)  # type: ignore[arg-type]
        assert answer.status_code == 303, answer.text
        return {
            "GET /compliance/reports/connectors (HTML + first page)":
                timed(client, "/compliance/reports/connectors", runs),
            "GET /api/v1/connectors?limit=50":
                timed(client, "/api/v1/connectors?limit=50", runs),
            "GET /api/v1/connectors?limit=50&offset=9950":
                timed(client, "/api/v1/connectors?limit=50&offset=9950", runs),
            "GET /api/v1/connectors?limit=50&q=account-09":
                timed(client, "/api/v1/connectors?limit=50&q=account-09", runs),
            "GET /api/v1/connectors?limit=50&status=offline&provider=aws":
                timed(client, "/api/v1/connectors?limit=50&status=offline&provider=aws", runs),
        }


PAINT_JS = """() => {
  const paint = Object.fromEntries(
    performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const mark = performance.getEntriesByName('cc-table-rendered')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  return {fp: paint['first-paint'], fcp: paint['first-contentful-paint'],
          table: mark ? mark.startTime : null, ttfb: nav.responseStart,
          dcl: nav.domContentLoadedEventEnd,
          rows: document.querySelectorAll('#connector-rows tr').length};
}"""
NEXT_PAGE_JS = "id => document.querySelector('#connector-rows tr')?.dataset.id !== id"


def browser_times(base: str, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    results: list[dict[str, float]] = []
    next_page: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        # The portal forbids eval (CSP); Playwright's wait_for_function needs it, the page does not.
        context = browser.new_context(base_url=base, viewport={"width": 1400, "height": 900},
                                      bypass_csp=True)
        page = context.new_page()
        page.goto("/signin")
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("body[data-ready=true]")
        for i in range(runs + 1):
            tab = context.new_page()
            tab.goto("/compliance/reports/connectors")
            tab.wait_for_function("performance.getEntriesByName('cc-table-rendered').length > 0")
            tab.wait_for_function("performance.getEntriesByType('paint').length >= 2")
            sample = tab.evaluate(PAINT_JS)
            assert sample["rows"] == 50, sample
            first_id = tab.locator("#connector-rows tr").first.get_attribute("data-id")
            start = time.perf_counter()
            tab.get_by_role("button", name="Next page").click()
            tab.wait_for_function(NEXT_PAGE_JS, arg=first_id)
            if i:
                results.append(sample)
                next_page.append((time.perf_counter() - start) * 1000)
            tab.close()
        browser.close()
    return {
        "time to first byte (ms)": statistics.median(r["ttfb"] for r in results),
        "first paint (ms)": statistics.median(r["fp"] for r in results),
        "first contentful paint (ms)": statistics.median(r["fcp"] for r in results),
        "table rows rendered (ms)": statistics.median(r["table"] for r in results),
        "DOMContentLoaded (ms)": statistics.median(r["dcl"] for r in results),
        "Next page click to rows (ms)": statistics.median(next_page),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connectors", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp:
        data = Path(tmp)
        ctx = AppContext.create(load_settings(
            data_dir=data, database_url=f"sqlite:///{data / 'bench.db'}",
            secret_key="benchmark-secret-key-not-for-production"))
        started = time.perf_counter()
        seed(ctx, args.connectors)
        seeded_s = time.perf_counter() - started
        with live_server(ctx) as base:
            server = server_times(base, args.runs * 3)
            browser = browser_times(base, args.runs)
        ctx.close()
    if args.json:
        print(json.dumps({"connectors": args.connectors, "server": server, "browser": browser}))
        return
    print(f"{args.connectors} connectors in SQLite (seeded in {seeded_s:.1f} s); "
          f"medians of {args.runs} browser runs, {args.runs * 3} server runs\n")
    print("Server (wall time from the client, loopback):")
    for name, figures in server.items():
        print(f"  {name:<62} {figures['median_ms']:7.1f} ms  (max {figures['max_ms']:.1f})")
    print("\nBrowser (Chromium, headless; times from navigation start):")
    for name, value in browser.items():
        print(f"  {name:<62} {value:7.1f} ms")


if __name__ == "__main__":
    main()
