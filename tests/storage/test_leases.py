"""The lease compare-and-set: exactly one winner, expiry, renewal and release."""

from __future__ import annotations

import threading
from datetime import timedelta

from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.db import Database
from cloudconnectors.storage.repositories import leases
from cloudconnectors.storage.tables.base import utcnow
from tests.fakes.connectors import connector_row, make_gcp_connector, set_columns
from tests.support.people import Person


def claim(ctx: AppContext, connector_id: str, owner: str, seconds: float = 60) -> bool:
    now = utcnow()
    with ctx.db.write() as session:
        return leases.claim(session, connector_id, owner, now + timedelta(seconds=seconds), now)


def test_claim_renew_release(ctx: AppContext, admin: Person) -> None:
    cid = make_gcp_connector(ctx, admin)
    assert claim(ctx, cid, "a")
    assert not claim(ctx, cid, "b")
    assert not claim(ctx, cid, "a")  # not re-entrant: a held lease is held
    with ctx.db.write() as session:
        assert not leases.renew(session, cid, "b", utcnow())
        assert leases.renew(session, cid, "a", utcnow() + timedelta(minutes=1))
        assert not leases.release(session, cid, "b")
        assert leases.release(session, cid, "a")
    assert connector_row(ctx, cid).lease_owner is None
    assert claim(ctx, cid, "b")


def test_expired_lease_can_be_taken(ctx: AppContext, admin: Person) -> None:
    cid = make_gcp_connector(ctx, admin)
    assert claim(ctx, cid, "a", seconds=-1)
    assert claim(ctx, cid, "b")
    with ctx.db.write() as session:
        assert not leases.renew(session, cid, "a", utcnow() + timedelta(minutes=1))


def test_due_lists_only_due_and_free(ctx: AppContext, admin: Person) -> None:
    now = utcnow()
    due_free, due_held, due_expired, later, refresh = (
        make_gcp_connector(ctx, admin) for _ in range(5))
    set_columns(ctx, later, next_run_at=now + timedelta(hours=1))
    set_columns(ctx, due_held, lease_owner="x", lease_expires_at=now + timedelta(minutes=1))
    set_columns(ctx, due_expired, lease_owner="x", lease_expires_at=now - timedelta(minutes=1))
    set_columns(ctx, refresh, refresh_requested_at=now)
    with ctx.db.read() as session:
        found = dict(leases.due(session, utcnow(), 10))
    assert found == {due_free: False, due_expired: False, refresh: True}


def test_racing_claims_have_one_winner(ctx: AppContext, admin: Person) -> None:
    ids = [make_gcp_connector(ctx, admin) for _ in range(5)]
    workers = 6
    engines = [Database(ctx.settings.database_url) for _ in range(workers)]
    barrier = threading.Barrier(workers)
    wins: dict[str, list[str]] = {cid: [] for cid in ids}
    lock = threading.Lock()

    def race(n: int) -> None:
        db = engines[n]
        barrier.wait()
        for cid in ids:
            now = utcnow()
            with db.write() as session:
                won = leases.claim(session, cid, f"w{n}", now + timedelta(minutes=1), now)
            if won:
                with lock:
                    wins[cid].append(f"w{n}")

    threads = [threading.Thread(target=race, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for db in engines:
        db.dispose()
    assert all(len(winners) == 1 for winners in wins.values()), wins
    for cid, (winner,) in wins.items():
        assert connector_row(ctx, cid).lease_owner == winner
