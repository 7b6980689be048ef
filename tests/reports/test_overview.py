"""The tenant overview: one summary per connector from stored evaluations, in chunks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cloudconnectors.services import compliance
from cloudconnectors.services import reports as service
from cloudconnectors.storage.repositories import findings as repo
from tests.rules.fixtures import NOW, good_account

CIS = "cis_aws_3_0_0"


def test_summaries_match_reports_across_chunks(seeded, db, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    monkeypatch.setattr(repo, "RECENT_RUNS_CHUNK", 2)
    tenant = seeded.tenant()
    other = seeded.tenant("other")
    seeded.connector(other, name="theirs")
    ids = [seeded.connector(tenant, name=f"c{i}") for i in range(5)]
    for i, connector in enumerate(ids[:4]):
        for hours in range(i + 1):  # c0 evaluated once ... c3 four times
            seeded.snapshot(tenant, connector, good_account(), NOW + timedelta(hours=hours))
            service.evaluate_connector(db, tenant, connector)
    found = compliance.summaries(db, tenant, CIS, trend_limit=3)
    assert [s.connector_name for s in found] == ["c0", "c1", "c2", "c3", "c4"]
    assert [len(s.trend) for s in found] == [1, 2, 3, 3, 0]
    for summary in found[:4]:
        report = service.get_report(db, tenant, summary.connector_id, CIS)
        assert summary.score == report.score == 1.0
        assert summary.passed == report.results["pass"]
        assert summary.manual == report.results["manual"]
        assert summary.controls == report.controls_by_status
        assert summary.evaluated_at == report.evaluated_at
        assert summary.trend[-1].at == report.evaluated_at
        assert [p.at for p in summary.trend] == sorted(p.at for p in summary.trend)
    assert found[4].evaluated_at is None and found[4].score is None
