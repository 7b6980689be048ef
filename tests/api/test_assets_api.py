"""GET /assets, /assets/{id} and /connectors/{id}/inventory/summary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from tests.fakes.connectors import make_gcp_connector
from tests.fakes.provider import FakeProvider, Plan, fake_provider
from tests.support.people import Person, make_person

VM = "compute.googleapis.com/Instance"
BUCKET = "storage.googleapis.com/Bucket"


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as provider:
        yield provider


@pytest.fixture
def polled(ctx: AppContext, admin: Person, fake: FakeProvider) -> tuple[str, str]:
    first = make_gcp_connector(ctx, admin)
    second = make_gcp_connector(ctx, admin)
    fake.plan = Plan(vms=2, others=1, regions=("eu-1", "us-1"))
    polling.poll_now(ctx, first)
    fake.plan = Plan(vms=1, others=3, regions=("ap-1",))
    polling.poll_now(ctx, second)
    return first, second


def get(client: TestClient, person: Person, path: str) -> dict:  # type: ignore[type-arg]
    answer = client.get(path, headers=person.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_list_filter_and_page(client: TestClient, viewer: Person,
                              polled: tuple[str, str]) -> None:
    first, _ = polled
    everything = get(client, viewer, "/api/v1/assets")
    assert everything["total"] == 10 and len(everything["items"]) == 10
    item = everything["items"][0]
    assert set(item) == {"id", "connector_id", "type", "region", "native_id", "name", "data",
                         "account"}
    assert item["account"] is None

    mine = get(client, viewer, f"/api/v1/assets?connector={first}")
    assert mine["total"] == 6 and {i["connector_id"] for i in mine["items"]} == {first}
    vms = get(client, viewer, f"/api/v1/assets?type={VM}")
    assert vms["total"] == 5 and {i["type"] for i in vms["items"]} == {VM}
    in_region = get(client, viewer, f"/api/v1/assets?connector={first}&region=us-1&type={VM}")
    assert in_region["total"] == 2
    assert {i["native_id"] for i in in_region["items"]} == {"compute-0", "compute-1"}
    assert get(client, viewer, "/api/v1/assets?region=nowhere") == {
        "items": [], "total": 0, "limit": 100, "offset": 0}

    pages = [get(client, viewer, f"/api/v1/assets?limit=3&offset={o}") for o in (0, 3, 6, 9)]
    ids = [i["id"] for p in pages for i in p["items"]]
    assert len(ids) == 10 and len(set(ids)) == 10
    assert ids == [i["id"] for i in everything["items"]]


def test_show_one_asset(client: TestClient, viewer: Person, polled: tuple[str, str]) -> None:
    first, second = polled
    listed = get(client, viewer, f"/api/v1/assets?connector={second}&type={BUCKET}")["items"]
    asset = listed[0]
    assert get(client, viewer, f"/api/v1/assets/{asset['id']}") == asset
    assert get(client, viewer, f"/api/v1/assets/{asset['id']}?connector={second}") == asset
    assert asset["data"]["region"] == "ap-1"
    wrong = client.get(f"/api/v1/assets/{asset['id']}?connector={first}", headers=viewer.headers)
    assert wrong.status_code == 404
    assert client.get("/api/v1/assets/deadbeef", headers=viewer.headers).status_code == 404


def test_asset_ids_are_stable_across_polls(
        ctx: AppContext, client: TestClient, viewer: Person, polled: tuple[str, str],
        fake: FakeProvider) -> None:
    first, _ = polled
    fake.plan = Plan(vms=2, others=1, regions=("eu-1", "us-1"))
    before = get(client, viewer, f"/api/v1/assets?connector={first}")["items"]
    polling.poll_now(ctx, first)
    after = get(client, viewer, f"/api/v1/assets?connector={first}")["items"]
    assert [a["id"] for a in before] == [a["id"] for a in after]
    assert before != after  # new snapshot, new data (generation)


def test_other_tenants_see_nothing(ctx: AppContext, client: TestClient,
                                   polled: tuple[str, str], viewer: Person) -> None:
    first, _ = polled
    stranger = make_person(ctx, tenant="globex", role="viewer")
    assert get(client, stranger, "/api/v1/assets")["total"] == 0
    answer = client.get(f"/api/v1/assets?connector={first}", headers=stranger.headers)
    assert answer.status_code == 404
    asset_id = get(client, viewer, "/api/v1/assets?limit=1")["items"][0]["id"]
    assert client.get(f"/api/v1/assets/{asset_id}", headers=stranger.headers).status_code == 404
    assert client.get(f"/api/v1/connectors/{first}/inventory/summary",
                      headers=stranger.headers).status_code == 404


@pytest.mark.parametrize(("query", "detail"), [
    ("limit=0", "limit: minimum is 1"),
    ("limit=1001", "limit: maximum is 1000"),
    ("offset=x", "offset: must be an integer"),
    ("type=" + "x" * 200, "type: must be at most 128 characters"),
])
def test_bad_query_names_the_parameter(client: TestClient, viewer: Person,
                                       query: str, detail: str) -> None:
    answer = client.get(f"/api/v1/assets?{query}", headers=viewer.headers)
    assert answer.status_code == 422 and answer.json()["detail"] == detail


def test_inventory_summary(ctx: AppContext, client: TestClient, admin: Person,
                           viewer: Person, polled: tuple[str, str]) -> None:
    first, _ = polled
    summary = get(client, viewer, f"/api/v1/connectors/{first}/inventory/summary")
    assert summary["asset_count"] == 6 and summary["vm_count"] == 4
    assert summary["by_type"] == {VM: 4, BUCKET: 2}
    assert summary["by_region"] == {"eu-1": 3, "us-1": 3}
    assert summary["regions"] == ["eu-1", "us-1"]
    assert summary["snapshot_id"] and summary["collected_at"]

    fresh = make_gcp_connector(ctx, admin)
    empty = get(client, viewer, f"/api/v1/connectors/{fresh}/inventory/summary")
    assert empty == {"connector_id": fresh, "snapshot_id": None, "collected_at": None,
                     "asset_count": 0, "vm_count": 0, "regions": [], "by_type": {},
                     "by_region": {}}


@pytest.mark.parametrize("path", [
    "/api/v1/assets/a%00b", "/api/v1/assets?connector=a%00b", "/api/v1/assets/x?connector=a%00b",
    "/api/v1/assets/" + "x" * 65, "/api/v1/connectors/a%00b/inventory/summary",
    "/api/v1/connectors/a%00b/runs", "/api/v1/connectors/a%00b/runs/r",
    "/api/v1/connectors/c/runs/r%00", "/api/v1/connectors/a%00b/diagnostics",
])
def test_impossible_ids_are_not_found(client: TestClient, viewer: Person, path: str) -> None:
    assert client.get(path, headers=viewer.headers).status_code == 404


def test_assets_name_their_project_and_filter_by_it(
        ctx: AppContext, client: TestClient, admin: Person, viewer: Person,
        fake: FakeProvider) -> None:
    connector = make_gcp_connector(ctx, admin)
    fake.plan = Plan(vms=1, others=0, regions=("eu-1",), accounts=("prod-1", "dev-2"))
    polling.poll_now(ctx, connector)
    both = get(client, viewer, f"/api/v1/assets?connector={connector}")["items"]
    # The same native ID in two projects is two resources, each naming its project.
    assert sorted((a["account"], a["native_id"]) for a in both) == [
        ("dev-2", "compute-0"), ("prod-1", "compute-0")]
    assert len({a["id"] for a in both}) == 2
    prod = get(client, viewer, f"/api/v1/assets?connector={connector}&account=prod-1")
    assert prod["total"] == 1 and prod["items"][0]["account"] == "prod-1"
    assert get(client, viewer, "/api/v1/assets?account=nowhere")["total"] == 0
    run = get(client, viewer, f"/api/v1/connectors/{connector}/runs")["items"][0]
    assert sorted(r["account"] for r in run["results"]) == ["dev-2", "dev-2", "prod-1", "prod-1"]


@pytest.mark.parametrize("name", ["type", "region", "account"])
def test_nul_in_a_filter_is_refused_by_name(client: TestClient, viewer: Person,
                                            name: str) -> None:
    answer = client.get(f"/api/v1/assets?{name}=a%00b", headers=viewer.headers)
    assert answer.status_code == 422
    assert answer.json()["detail"] == f"{name}: must not contain NUL characters"
