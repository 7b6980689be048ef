"""Results that never guess, end to end: real boto3 -> fault proxy -> moto, real storage.

A region that dies in the second poll keeps its assets (marked stale, with when they were
last read), the run names what was carried forward, the score holds still and the region's
controls read not evaluated, naming the region; a type listed empty is not applicable; an
attached AWS-managed AdministratorAccess fails CIS 1.16 like any attached policy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.composition import create_app
from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.domain.states import Status
from cloudconnectors.services import connectors, polling, reports
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.external_ids import issue_external_id
from tests.support.aws_seed import PLATFORM_ENV, account_session, seed_account
from tests.support.credentials import aws_credentials
from tests.support.fault_proxy import ERROR_500, FaultProxy, Rule
from tests.support.moto_server import MotoServer
from tests.support.people import Person, make_person, principal_of

CIS = "cis_aws_3_0_0"
REGIONS = ("eu-west-1", "us-east-1")
ACCOUNT = "818181818181"
VM = "AWS::EC2::Instance"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


@pytest.fixture
def aws(ctx: AppContext, fault_proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch) -> FaultProxy:
    """Every AWS client goes through the fault proxy; two regions."""
    for name, value in PLATFORM_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", fault_proxy.url)
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_REGIONS", ",".join(REGIONS))
    ctx.settings = dataclasses.replace(ctx.settings, aws_endpoint_url=fault_proxy.url)
    return fault_proxy


@pytest.fixture(scope="module")
def seeded(moto_server: MotoServer) -> str:
    """Two instances and two security groups per region; no EFS file system at all; the one
    user holds the AWS-managed AdministratorAccess."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in PLATFORM_ENV.items():
            mp.setenv(name, value)
        session = account_session(moto_server.url, ACCOUNT)
        seed_account(session, moto_server.url, REGIONS, instances=4, security_groups=4,
                     buckets=1, users=1)
        session.client("iam", region_name="us-east-1", endpoint_url=moto_server.url
                       ).attach_user_policy(UserName="user-000000", PolicyArn=ADMIN_ARN)
    return ACCOUNT


@pytest.fixture
def world(ctx: AppContext, aws: FaultProxy, seeded: str) -> Iterator[tuple[Person, str]]:
    admin = make_person(ctx, tenant="truth", role="admin")
    principal = principal_of(ctx, admin)
    connector = connectors.create_connector(
        ctx, principal, name="truth", provider="aws",
        credentials=aws_credentials(issue_external_id(ctx, principal), account=seeded))
    yield admin, connector.id


def _poll(ctx: AppContext, principal: Principal, connector_id: str) -> polling.PollSummary:
    summary = polling.poll_now(ctx, connector_id, Trigger.CLI)
    reports.evaluate_connector(ctx.db, principal.tenant_id, connector_id)
    return summary


def test_a_region_that_dies_keeps_its_assets_marked_and_is_never_judged(
        ctx: AppContext, aws: FaultProxy, world: tuple[Person, str]) -> None:
    admin, connector_id = world
    principal = principal_of(ctx, admin)
    first = _poll(ctx, principal, connector_id)
    before = reports.get_report(ctx.db, principal.tenant_id, connector_id, CIS)
    assert first.state is RunState.PARTIAL  # moto's Access Analyzer gap, nothing else

    aws.add(Rule(fault=ERROR_500, region="eu-west-1"))  # the region dies
    second = _poll(ctx, principal, connector_id)
    after = reports.get_report(ctx.db, principal.tenant_id, connector_id, CIS)

    # The connector is online, with a warning naming the region.
    assert second.status is Status.ONLINE and second.state is RunState.PARTIAL
    assert second.warning is not None and "eu-west-1" in second.warning

    with TestClient(create_app(ctx)) as client:
        auth = {"Authorization": f"Bearer {admin.token}"}
        vms = client.get("/api/v1/assets", params={"connector": connector_id, "type": VM},
                         headers=auth).json()["items"]
        stale = client.get("/api/v1/assets", params={"connector": connector_id,
                                                     "stale": "true"}, headers=auth).json()
        run = client.get(f"/api/v1/connectors/{connector_id}/runs",
                         headers=auth).json()["items"][0]
        bad = client.get("/api/v1/assets", params={"stale": "maybe"}, headers=auth)

    # eu-west-1's instances are still there, marked, with the time they were last read.
    assert sorted(v["region"] for v in vms) == ["eu-west-1", "eu-west-1",
                                                "us-east-1", "us-east-1"]
    for vm in vms:
        assert vm["stale"] is (vm["region"] == "eu-west-1")
        assert vm["last_read_at"] is not None
    eu = [v for v in vms if v["stale"]]
    fresh = [v for v in vms if not v["stale"]]
    assert eu[0]["last_read_at"] < fresh[0]["last_read_at"]
    assert stale["total"] >= 2 and {a["region"] for a in stale["items"]} == {"eu-west-1"}
    assert bad.status_code == 422 and "stale" in bad.text
    # The run names what it carried forward, and why.
    carried = {(u["region"], u["resource_type"]): u for u in run["unread"]}
    assert carried[("eu-west-1", VM)]["carried"] == 2
    assert carried[("eu-west-1", VM)]["last_read_at"] is not None
    assert "500" in carried[("eu-west-1", VM)]["reason"]
    assert "<" not in carried[("eu-west-1", VM)]["reason"]  # no raw page pasted

    # Nothing changed in the account: the score holds still.
    assert after.score == before.score
    # The region's controls read not evaluated, naming it; none says "not enabled" there.
    controls = {c.id: c for c in after.controls}
    for control_id in ("3.3", "5.2"):  # Config in every region; SG admin ports
        assert controls[control_id].status == "not_evaluated", control_id
        assert any("eu-west-1" in note for note in controls[control_id].notes), control_id


def test_a_type_listed_empty_is_not_applicable_and_aws_admin_policy_fails_1_16(
        ctx: AppContext, aws: FaultProxy, world: tuple[Person, str]) -> None:
    admin, connector_id = world
    principal = principal_of(ctx, admin)
    _poll(ctx, principal, connector_id)
    report = reports.get_report(ctx.db, principal.tenant_id, connector_id, CIS)
    efs = next(c for c in report.controls if "aws.efs.file_system_encrypted" in c.rules)
    assert efs.status == "not_applicable"
    assert "no EFS file systems in the inventory" in efs.notes
    # 1.16 audits every attached policy, AWS-managed ones included.
    admin_control = next(c for c in report.controls if c.id == "1.16")
    assert admin_control.status == "fail"
    assert [f.resource_id for f in admin_control.failing] == [ADMIN_ARN]
    # The header's automated / manual counts agree with the report's.
    by_status = report.controls_by_status
    assert by_status["manual"] == report.framework["manual_controls"]
    assert sum(by_status.values()) - by_status["manual"] == \
        report.framework["automated_controls"]
