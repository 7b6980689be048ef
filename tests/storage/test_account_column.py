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
