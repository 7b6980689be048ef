"""The account a resource lives in survives storage and reaches the rules engine."""

from __future__ import annotations

from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import findings as findings_repo
from cloudconnectors.storage.tables import ConnectorRow
from tests.fakes.connectors import make_gcp_connector
from tests.fakes.provider import Plan, fake_provider
from tests.support.people import Person


def test_snapshot_items_carry_their_project(ctx: AppContext, admin: Person) -> None:
    connector = make_gcp_connector(ctx, admin)
    with fake_provider(plan=Plan(vms=1, others=1, regions=("eu-1",),
                                 accounts=("prod-1", None))):
        polling.poll_now(ctx, connector)
    with ctx.db.read() as session:
        row = session.get_one(ConnectorRow, connector)
        assert row.current_snapshot_id is not None
        items = list(findings_repo.iter_snapshot_items(session, row.current_snapshot_id))
    assert sorted((i.account or "", i.native_id) for i in items) == [
        ("", "compute-0"), ("", "storage-0"), ("prod-1", "compute-0"), ("prod-1", "storage-0")]


def test_an_api_disabled_counts_as_not_read(ctx: AppContext, admin: Person) -> None:
    from cloudconnectors.domain.runs import CollectorResult, Outcome, Trigger
    from cloudconnectors.storage.repositories import runs as runs_repo

    connector = make_gcp_connector(ctx, admin)
    with ctx.db.write() as session:
        tenant = session.get_one(ConnectorRow, connector).tenant_id
        run = runs_repo.create(session, tenant, connector, Trigger.CLI, "w")
        runs_repo.add_results(session, run.id, [
            CollectorResult("global", "sqladmin", "sqladmin.googleapis.com/Instance",
                            Outcome.SKIPPED, error_code="SERVICE_DISABLED",
                            permission="sqladmin.googleapis.com", account="p-1"),
            CollectorResult("eu-1", "ec2", "AWS::EC2::Instance", Outcome.SKIPPED,
                            error_code="OptInRequired"),
            CollectorResult("global", "dns", "dns.googleapis.com/Policy", Outcome.DENIED,
                            permission="dns.policies.list", account="p-1"),
        ])
        run_id = run.id
    with ctx.db.read() as session:
        denied, _ = findings_repo.run_denials_and_regions(session, run_id)
    assert denied == {("sqladmin.googleapis.com/Instance", "sqladmin.googleapis.com"),
                      ("dns.googleapis.com/Policy", "dns.policies.list")}
