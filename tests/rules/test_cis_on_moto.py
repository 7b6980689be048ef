"""CIS AWS v3.0.0 end to end on emulated AWS: seed, poll, evaluate, compare to golden files.

Two customer accounts are seeded in moto (``tests/support/cis_seed.py``): a ``good`` one where
every control the emulator can represent passes, and a ``bad`` one where each fails while
every resource-level control also has a passing resource. Each is polled for real
(``services.polling.poll_now``: assume role -> discover regions -> collect into a snapshot)
and evaluated (``services.reports.evaluate_connector``); per-control outcomes must equal
``tests/rules/golden/cis_aws_{good,bad}.json``.

Regenerate after a deliberate change, then review the diff like code::

    CC_UPDATE_GOLDEN=1 /work/main/.venv/bin/python -m pytest -q tests/rules/test_cis_on_moto.py
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from cloudconnectors.domain.runs import Outcome, RunState, Trigger
from cloudconnectors.reports.model import ControlReport
from cloudconnectors.rules.frameworks import load_framework
from cloudconnectors.services import connectors, polling, reports, runs
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from tests.support.aws_seed import PLATFORM_ENV, account_session
from tests.support.cis_seed import REGIONS, seed_bad, seed_good
from tests.support.credentials import aws_credentials
from tests.support.moto_server import MotoServer
from tests.support.people import make_person, principal_of
from tests.support.sinks import MOTO_UNSUPPORTED

CIS = "cis_aws_3_0_0"
GOLDEN = Path(__file__).with_name("golden")
ACCOUNTS = {"good": ("303030303030", seed_good), "bad": ("404040404040", seed_bad)}

#: Controls with rules that moto 5.x cannot show both ways, why, and what each account gets.
NOT_REPRESENTABLE: dict[str, dict[str, str]] = {
    "1.4": {"good": "pass", "bad": "pass", "reason": "moto's GetAccountSummary always "
            "answers AccountAccessKeysPresent = 0 and its credential report has no "
            "<root_account> row: a root access key cannot be seeded."},
    "1.5": {"good": "fail", "bad": "fail", "reason": "moto's GetAccountSummary always "
            "answers AccountMFAEnabled = 0: root MFA cannot be turned on."},
    "1.12": {"good": "pass", "bad": "pass", "reason": "moto stamps users, passwords and "
             "access keys with the current time and has no last-used dates to set: "
             "credentials unused for 45 days cannot be seeded."},
    "1.14": {"good": "pass", "bad": "pass", "reason": "moto stamps CreateAccessKey with "
             "the current time: a key older than 90 days cannot be seeded."},
    "1.20": {"good": "not_evaluated", "bad": "not_evaluated", "reason": "moto does not "
             "implement IAM Access Analyzer (ListAnalyzers answers HTTP 500): the poll "
             "records the collector as failed and the rule answers MANUAL: not evaluated."},
    "2.1.2": {"good": "fail", "bad": "fail", "reason": "moto ignores MFADelete in "
              "PutBucketVersioning (and needs no MFA): GetBucketVersioning never reports "
              "MFADelete = Enabled."},
}

#: Controls judged per resource (one result per asset): the bad account must have both a
#: passing and a failing resource for each. The others answer once for the account.
PER_RESOURCE = frozenset({
    "1.10", "1.13", "1.15", "1.16", "1.18", "2.1.1", "2.1.4", "2.2.1", "2.3.1", "2.3.2",
    "2.3.3", "2.4.1", "3.2", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "5.1", "5.2", "5.3",
    "5.4", "5.6"})

_VOLATILE = (
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), "<access-key-id>"),
    (re.compile(r"\b(i|sg|vpc|acl|subnet|fs|fl)-[0-9a-f]{8,17}\b"), r"\1-<id>"),
)


def _stable(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _control_row(control: ControlReport) -> dict[str, Any]:
    row: dict[str, Any] = {"status": control.status}
    if control.automated:
        row.update(passed=control.passed, failed=control.failed, manual=control.manual,
                   not_applicable=control.not_applicable)
        row["failing"] = sorted(_stable(f"{f.region} {f.resource_name or f.resource_id}: "
                                        f"{f.reason}") for f in control.failing)
    if control.status in ("manual", "not_evaluated", "not_applicable"):
        row["notes"] = [_stable(n) for n in control.notes]
    return row


def _poll_and_evaluate(ctx: AppContext, account_id: str) -> tuple[Any, dict[str, Any]]:
    admin = make_person(ctx, tenant="cis-golden", role="admin")
    principal = principal_of(ctx, admin)
    connector = connectors.create_connector(
        ctx, principal, name=f"cis-{account_id}", provider="aws",
        credentials=aws_credentials(issue_external_id(ctx, principal), account=account_id))
    summary = polling.poll_now(ctx, connector.id, Trigger.CLI)
    run = runs.get_run(ctx, principal, connector.id, summary.run_id)
    reports.evaluate_connector(ctx.db, principal.tenant_id, connector.id)
    report = reports.get_report(ctx.db, principal.tenant_id, connector.id, CIS)
    return run, {c.id: _control_row(c) for c in report.controls}


@pytest.fixture
def aws_env(ctx: AppContext, moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """Platform credentials for moto, two regions, every client pointed at the emulator."""
    for name, value in PLATFORM_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.url)
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_REGIONS", ",".join(REGIONS))
    ctx.settings = dataclasses.replace(ctx.settings, aws_endpoint_url=moto_server.url)
    return moto_server.url


@pytest.mark.parametrize("which", sorted(ACCOUNTS))
def test_cis_controls_on_moto_match_golden(which: str, ctx: AppContext, aws_env: str) -> None:
    account_id, seed = ACCOUNTS[which]
    seed(account_session(aws_env, account_id), aws_env, account_id)

    run, controls = _poll_and_evaluate(ctx, account_id)

    # The poll went through; what moto does not implement is recorded on the run, nothing else.
    assert run.state is RunState.PARTIAL, run.error  # PARTIAL: the failed collectors below
    assert sorted(run.regions) == sorted(REGIONS)
    gaps = {(r.resource_type, r.region) for r in run.results
            if r.outcome is Outcome.FAILED and r.resource_type in MOTO_UNSUPPORTED}
    assert gaps == {(t, region) for t in MOTO_UNSUPPORTED for region in REGIONS}
    others = [r for r in run.results if r.outcome is not Outcome.OK
              and r.resource_type not in MOTO_UNSUPPORTED
              and not (r.outcome is Outcome.SKIPPED and "not known" in (r.reason or ""))]
    assert others == []

    # Every representable control: passes in the good account, fails in the bad one; the
    # bad account also has a passing resource for each per-resource control.
    framework = load_framework(CIS)
    for control in framework.controls:
        row = controls[control.id]
        if not control.automated:
            assert row["status"] == "manual", control.id
        elif control.id in NOT_REPRESENTABLE:
            assert row["status"] == NOT_REPRESENTABLE[control.id][which], control.id
        else:
            assert row["status"] == ("pass" if which == "good" else "fail"), (control.id, row)
            if which == "bad" and control.id in PER_RESOURCE:
                assert row["passed"] >= 1 and row["failed"] >= 1, (control.id, row)

    document = {
        "account": which,
        "regions": list(REGIONS),
        "regenerate": "CC_UPDATE_GOLDEN=1 /work/main/.venv/bin/python -m pytest -q "
                      "tests/rules/test_cis_on_moto.py",
        "not_representable_on_moto": {k: v["reason"] for k, v in NOT_REPRESENTABLE.items()},
        "collector_failures_on_moto": sorted(f"{t} {region}: {o}" for t, region, o in {
            (r.resource_type, r.region, r.outcome.value) for r in run.results
            if r.outcome is Outcome.FAILED}),
        "controls": controls,
    }
    golden = GOLDEN / f"cis_aws_{which}.json"
    if os.environ.get("CC_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(document, indent=1) + "\n")
    assert document == json.loads(golden.read_text())


def test_not_representable_controls_are_automated_and_documented() -> None:
    automated = {c.id for c in load_framework(CIS).controls if c.automated}
    assert set(NOT_REPRESENTABLE) <= automated
    assert automated >= PER_RESOURCE
    assert not PER_RESOURCE & {k for k, v in NOT_REPRESENTABLE.items() if v["bad"] != "fail"}
    doc = (Path(__file__).parents[2] / "docs" / "cis-aws.md").read_text().splitlines()
    for control in load_framework(CIS).controls:
        [row] = [line for line in doc if line.startswith(f"| {control.id} | ")]
        cell = row.rstrip(" |").rsplit("| ", 1)[1]
        if not control.automated:
            assert cell == "—", row
        elif control.id in NOT_REPRESENTABLE:
            assert cell.endswith("‡"), row
        else:
            assert cell == "pass + fail", row
