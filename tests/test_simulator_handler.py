"""The simulator's handler, driven in-process through httpx.MockTransport (sync and async)."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from chargeapi.testing import Simulator

BASE_URL = "https://api.chargeapi.co"
ID = re.compile(r"(cs|chst|drv|veh|pm|flt|req)_[A-Za-z0-9]{32}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
SESSION_KEYS = {
    "id", "object", "amount_due", "amount_paid", "charging_station", "connector", "country",
    "created", "currency", "driver", "energy_consumed", "fleet", "payment_method",
    "session_ended", "session_limit", "session_started", "status", "updated", "vehicle",
}  # fmt: skip
ERROR_KEYS = {"object", "type", "code", "message", "param", "request", "status", "doc_url"}


def http_client(sim: Simulator) -> httpx.Client:
    return httpx.Client(
        transport=httpx.MockTransport(sim.handle),
        base_url=BASE_URL,
        headers={"Authorization": f"Bearer {sim.api_key}", "Charge-Version": "2026-03-01"},
    )


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=0)


@pytest.fixture
def client(sim: Simulator) -> Iterator[httpx.Client]:
    with http_client(sim) as client:
        yield client


@pytest.fixture
async def async_client(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(sim.handle),
        base_url=BASE_URL,
        headers={"Authorization": f"Bearer {sim.api_key}"},
    ) as client:
        yield client


def create(client: httpx.Client, sim: Simulator, **overrides: Any) -> httpx.Response:
    return client.post("/v1/charging_sessions", json={**sim.sample_session_params(), **overrides})


def station(client: httpx.Client, station_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/charging_stations/{station_id}")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def connector_power(client: httpx.Client, session: dict[str, Any]) -> int:
    connectors = station(client, session["charging_station"])["connectors"]
    power: int = next(c["power"] for c in connectors if c["id"] == session["connector"])
    return power


def assert_error(response: httpx.Response, status: int, type_: str, code: str | None,
                 param: str | None) -> None:  # fmt: skip
    body = response.json()
    assert response.status_code == status
    assert set(body) == ERROR_KEYS
    assert (body["object"], body["type"], body["code"], body["param"], body["status"]) == (
        "error",
        type_,
        code,
        param,
        status,
    )
    assert ID.fullmatch(body["request"])
    assert response.headers["Request-Id"] == body["request"]
    if code is not None:
        assert body["doc_url"] == f"https://docs.chargeapi.co/errors#{code}"


# -- creating a session ---------------------------------------------------------------------


def test_create_returns_an_active_session_with_exactly_the_documented_keys(
    client: httpx.Client, sim: Simulator
) -> None:
    params = sim.sample_session_params()
    response = client.post("/v1/charging_sessions", json=params)
    session = response.json()
    assert response.status_code == 200
    assert set(session) == SESSION_KEYS
    assert ID.fullmatch(session["id"])
    assert session["id"].startswith("cs_")
    assert {k: session[k] for k in params} == params
    assert (session["object"], session["status"], session["energy_consumed"]) == (
        "charging_session",
        "active",
        0,
    )
    assert (session["amount_due"], session["amount_paid"], session["session_ended"]) == (0, 0, None)
    assert session["created"] == session["session_started"] == session["updated"]
    assert session["created"] == "2026-04-01T00:00:00.000Z"
    assert session["currency"] == "eur"


def test_create_takes_country_from_the_station_and_fleet_from_the_driver(
    client: httpx.Client, sim: Simulator
) -> None:
    session = create(client, sim).json()
    driver = client.get(f"/v1/drivers/{session['driver']}").json()
    assert session["country"] == station(client, session["charging_station"])["address"]["country"]
    assert session["fleet"] == (driver["fleets"][0] if driver["fleets"] else None)


def test_every_response_carries_a_request_id_header(client: httpx.Client) -> None:
    response = client.get("/v1/charging_stations")
    assert ID.fullmatch(response.headers["Request-Id"])


def test_create_marks_the_connector_occupied_on_the_station(
    client: httpx.Client, sim: Simulator
) -> None:
    params = sim.sample_session_params()
    before = station(client, params["charging_station"])
    client.post("/v1/charging_sessions", json=params)
    after = station(client, params["charging_station"])
    status = {c["id"]: c["status"] for c in after["connectors"]}
    assert status[params["connector"]] == "occupied"
    assert after["availability"]["connectors_available"] == (
        before["availability"]["connectors_available"] - 1
    )


def test_a_busy_connector_is_a_409_conflict(client: httpx.Client, sim: Simulator) -> None:
    params = sim.sample_session_params()
    assert client.post("/v1/charging_sessions", json=params).status_code == 200
    again = client.post("/v1/charging_sessions", json=params)
    assert_error(again, 409, "invalid_request_error", "charging_session_conflict", "connector")


@pytest.mark.parametrize(
    "param", ["charging_station", "connector", "driver", "payment_method", "vehicle"]
)
def test_a_missing_required_param_is_a_400_naming_it(
    client: httpx.Client, sim: Simulator, param: str
) -> None:
    params = sim.sample_session_params()
    del params[param]
    response = client.post("/v1/charging_sessions", json=params)
    assert_error(response, 400, "invalid_request_error", None, param)


def test_a_non_string_reference_is_a_400(client: httpx.Client, sim: Simulator) -> None:
    assert_error(create(client, sim, driver=42), 400, "invalid_request_error", None, "driver")


def test_an_unknown_body_param_is_a_400_naming_it(client: httpx.Client, sim: Simulator) -> None:
    response = create(client, sim, station="chst_x")
    assert_error(response, 400, "invalid_request_error", None, "station")


@pytest.mark.parametrize(
    ("param", "code"),
    [
        ("charging_station", "charging_station_not_found"),
        ("driver", "driver_not_found"),
        ("vehicle", "vehicle_not_found"),
        ("payment_method", "payment_method_not_found"),
    ],
)
def test_an_unknown_reference_is_a_404_with_its_code(
    client: httpx.Client, sim: Simulator, param: str, code: str
) -> None:
    response = create(client, sim, **{param: param[:3] + "_" + "x" * 32})
    assert_error(response, 404, "invalid_request_error", code, param)


def test_a_connector_the_station_lacks_is_a_404_on_connector(
    client: httpx.Client, sim: Simulator
) -> None:
    response = create(client, sim, connector="connector_z9")
    assert_error(
        response, 404, "invalid_request_error", "charging_session_dependency_not_found", "connector"
    )


@pytest.mark.parametrize("limit", [0, -5, "1000", 1.5, True])
def test_session_limit_must_be_a_positive_integer(
    client: httpx.Client, sim: Simulator, limit: object
) -> None:
    response = create(client, sim, session_limit=limit)
    assert_error(response, 400, "invalid_request_error", None, "session_limit")


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_a_400(client: httpx.Client, content: bytes) -> None:
    response = client.post(
        "/v1/charging_sessions", content=content, headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "invalid_request_error", None, None)


# -- the test clock -------------------------------------------------------------------------


def test_the_clock_starts_at_a_fixed_instant_and_moves_with_advance(sim: Simulator) -> None:
    assert sim.now == datetime(2026, 4, 1, tzinfo=UTC)
    sim.advance(90.5)
    assert sim.now == datetime(2026, 4, 1, 0, 1, 30, 500000, tzinfo=UTC)


def test_advance_accrues_energy_at_connector_power_and_bills_it(
    client: httpx.Client, sim: Simulator
) -> None:
    session = create(client, sim).json()
    power = connector_power(client, session)
    price = station(client, session["charging_station"])["pricing"][0]["price"]
    sim.advance(360)
    live = client.get(f"/v1/charging_sessions/{session['id']}").json()
    energy = power * 100  # kW for a tenth of an hour, in Wh
    assert live["energy_consumed"] == energy
    assert live["amount_due"] == round(energy * price / 1000)
    assert live["updated"] == "2026-04-01T00:06:00.000Z"
    assert live["status"] == "active"


def test_many_small_advances_equal_one_big_one(client: httpx.Client) -> None:
    results = []
    for step, steps in ((100.0, 1), (0.1, 1000)):
        sim = Simulator(seed=0)
        with http_client(sim) as c:
            session = create(c, sim).json()
            for _ in range(steps):
                sim.advance(step)
            results.append(c.get(f"/v1/charging_sessions/{session['id']}").json())
    assert results[0] == results[1]


def test_reaching_session_limit_completes_at_exactly_the_limit(
    client: httpx.Client, sim: Simulator
) -> None:
    session = create(client, sim, session_limit=5000).json()
    seconds_to_limit = 5000 * 3600 / (connector_power(client, session) * 1000)
    sim.advance(seconds_to_limit + 1)
    done = client.get(f"/v1/charging_sessions/{session['id']}").json()
    ended = datetime.fromisoformat(done["session_ended"])
    expected = datetime(2026, 4, 1, tzinfo=UTC).timestamp() + seconds_to_limit
    assert (done["status"], done["energy_consumed"], done["session_limit"]) == (
        "completed",
        5000,
        5000,
    )
    assert abs(ended.timestamp() - expected) < 0.001
    assert done["updated"] == done["session_ended"]
    connectors = station(client, session["charging_station"])["connectors"]
    assert {c["id"]: c["status"] for c in connectors}[session["connector"]] == "available"


def test_a_session_short_of_its_limit_stays_active(client: httpx.Client, sim: Simulator) -> None:
    session = create(client, sim, session_limit=10**9).json()
    sim.advance(60)
    live = client.get(f"/v1/charging_sessions/{session['id']}").json()
    assert live["status"] == "active"
    assert live["session_ended"] is None


# -- ending a session -----------------------------------------------------------------------


def test_end_completes_the_session_and_frees_the_connector(
    client: httpx.Client, sim: Simulator
) -> None:
    session = create(client, sim).json()
    sim.advance(120)
    response = client.post(f"/v1/charging_sessions/{session['id']}/end", json={})
    ended = response.json()
    assert response.status_code == 200
    assert (ended["status"], ended["session_ended"]) == ("completed", "2026-04-01T00:02:00.000Z")
    assert ended["energy_consumed"] == connector_power(client, session) * 1000 * 120 // 3600
    sim.advance(600)
    later = client.get(f"/v1/charging_sessions/{session['id']}").json()
    assert later["energy_consumed"] == ended["energy_consumed"]
    assert create(client, sim, charging_station=session["charging_station"],
                  connector=session["connector"]).status_code == 200  # fmt: skip


def test_ending_a_completed_session_is_a_409(client: httpx.Client, sim: Simulator) -> None:
    session_id = create(client, sim).json()["id"]
    client.post(f"/v1/charging_sessions/{session_id}/end", json={})
    again = client.post(f"/v1/charging_sessions/{session_id}/end", json={})
    assert_error(again, 409, "invalid_request_error", "charging_session_state_conflict", None)


def test_ending_an_unknown_session_is_a_404(client: httpx.Client) -> None:
    response = client.post("/v1/charging_sessions/cs_" + "x" * 32 + "/end", json={})
    assert_error(
        response, 404, "invalid_request_error", "charging_session_not_found", "charging_session"
    )


# -- retrieve and expand --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "kind"),
    [
        ("charging_sessions", "charging_session"),
        ("charging_stations", "charging_station"),
        ("drivers", "driver"),
        ("vehicles", "vehicle"),
        ("fleets", "fleet"),
        ("payment_methods", "payment_method"),
    ],
)
def test_retrieving_an_unknown_id_is_a_404_named_after_the_kind(
    client: httpx.Client, resource: str, kind: str
) -> None:
    response = client.get(f"/v1/{resource}/xyz_unknown")
    assert_error(response, 404, "invalid_request_error", f"{kind}_not_found", kind)


@pytest.mark.parametrize("resource", ["drivers", "vehicles", "fleets", "payment_methods"])
def test_listed_objects_can_be_retrieved_by_id(client: httpx.Client, resource: str) -> None:
    listed = client.get(f"/v1/{resource}").json()["data"]
    assert listed
    for obj in listed:
        assert client.get(f"/v1/{resource}/{obj['id']}").json() == obj


def test_station_has_the_documented_shape(client: httpx.Client) -> None:
    stations = client.get("/v1/charging_stations").json()["data"]
    assert 2 <= len(stations) <= 10
    for obj in stations:
        assert obj["id"].startswith("chst_")
        assert ID.fullmatch(obj["id"])
        assert "24_7_access" in obj["capabilities"]
        assert 2 <= len(obj["connectors"]) <= 4
        assert all(c["id"].startswith("connector_a") for c in obj["connectors"])
        assert {c["type"] for c in obj["connectors"]} <= {"CCS", "CHAdeMO", "Type2"}
        assert obj["pricing"][0].keys() == {"currency", "price", "step_size", "tax", "type"}
        assert obj["availability"]["connectors_total"] == len(obj["connectors"])
        assert TIMESTAMP.fullmatch(obj["created"])


def test_expand_replaces_ids_with_objects(client: httpx.Client, sim: Simulator) -> None:
    session = create(client, sim).json()
    fields = ["charging_station", "driver", "fleet", "payment_method", "vehicle"]
    response = client.get(
        f"/v1/charging_sessions/{session['id']}", params=[("expand", f) for f in fields]
    )
    expanded = response.json()
    for field in fields:
        if session[field] is not None:
            assert expanded[field]["id"] == session[field]
            assert expanded[field]["object"] == field


def test_nested_expand_follows_the_path(client: httpx.Client, sim: Simulator) -> None:
    session = create(client, sim).json()
    vehicle = client.get(f"/v1/vehicles/{session['vehicle']}").json()
    expanded = client.get(
        f"/v1/charging_sessions/{session['id']}", params={"expand": "vehicle.fleet"}
    ).json()
    assert expanded["driver"] == session["driver"]
    if vehicle["fleet"] is not None:
        assert expanded["vehicle"]["fleet"]["id"] == vehicle["fleet"]


@pytest.mark.parametrize("path", ["connector", "driver.name", "status", ""])
def test_an_unsupported_expand_is_a_400(client: httpx.Client, sim: Simulator, path: str) -> None:
    session_id = create(client, sim).json()["id"]
    response = client.get(f"/v1/charging_sessions/{session_id}", params={"expand": path})
    assert_error(response, 400, "invalid_request_error", "unsupported_expand_value", "expand")


def test_expand_on_a_list_applies_to_each_item(client: httpx.Client, sim: Simulator) -> None:
    for _ in range(3):
        create(client, sim)
    data = client.get("/v1/charging_sessions", params={"expand": "driver"}).json()["data"]
    assert len(data) == 3
    assert all(item["driver"]["object"] == "driver" for item in data)


# -- lists and pagination -------------------------------------------------------------------


def make_sessions(client: httpx.Client, sim: Simulator, count: int) -> list[str]:
    """Create (and end, to free the connector) `count` sessions; IDs oldest first."""
    ids = []
    for _ in range(count):
        session_id = create(client, sim).json()["id"]
        client.post(f"/v1/charging_sessions/{session_id}/end", json={})
        ids.append(session_id)
    return ids


def walk(client: httpx.Client, url: str) -> list[list[str]]:
    pages = []
    next_url: str | None = url
    while next_url is not None:
        body = client.get(next_url).json()
        pages.append([obj["id"] for obj in body["data"]])
        next_url = body["next_page_url"]
    return pages


def test_following_next_page_url_lists_everything_newest_first_once(
    client: httpx.Client, sim: Simulator
) -> None:
    ids = make_sessions(client, sim, 23)
    pages = walk(client, "/v1/charging_sessions?limit=5")
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert [i for page in pages for i in page] == ids[::-1]


def test_next_page_url_is_absolute_and_carries_filters_and_limit(
    client: httpx.Client, sim: Simulator
) -> None:
    make_sessions(client, sim, 4)
    body = client.get("/v1/charging_sessions", params={"status": "completed", "limit": 2}).json()
    url = httpx.URL(body["next_page_url"])
    assert str(url).startswith("https://api.chargeapi.co/v1/charging_sessions?page=page_")
    assert (url.params["status"], url.params["limit"]) == ("completed", "2")
    assert body["previous_page_url"] is None


def test_default_limit_is_ten(client: httpx.Client, sim: Simulator) -> None:
    make_sessions(client, sim, 12)
    body = client.get("/v1/charging_sessions").json()
    assert len(body["data"]) == 10
    assert httpx.URL(body["next_page_url"]).params["limit"] == "10"


def test_previous_page_url_leads_back_to_the_first_page(
    client: httpx.Client, sim: Simulator
) -> None:
    make_sessions(client, sim, 6)
    first = client.get("/v1/charging_sessions?limit=2").json()
    second = client.get(first["next_page_url"]).json()
    back = client.get(second["previous_page_url"]).json()
    assert back["data"] == first["data"]
    assert back["previous_page_url"] is None


def test_sessions_created_while_paging_do_not_shift_pages(
    client: httpx.Client, sim: Simulator
) -> None:
    ids = make_sessions(client, sim, 6)
    first = client.get("/v1/charging_sessions?limit=3").json()
    make_sessions(client, sim, 2)
    second = client.get(first["next_page_url"]).json()
    assert [s["id"] for s in second["data"]] == ids[2::-1]


def test_filters_select_matching_sessions(client: httpx.Client, sim: Simulator) -> None:
    make_sessions(client, sim, 5)
    active = create(client, sim).json()
    driver = active["driver"]
    by_driver = client.get("/v1/charging_sessions", params={"driver": driver}).json()["data"]
    by_status = client.get("/v1/charging_sessions", params={"status": "active"}).json()["data"]
    assert by_driver
    assert all(s["driver"] == driver for s in by_driver)
    assert [s["id"] for s in by_status] == [active["id"]]


@pytest.mark.parametrize("limit", ["0", "101", "ten", "1.5", "-1", ""])
def test_limit_outside_1_to_100_is_a_400(client: httpx.Client, limit: str) -> None:
    response = client.get("/v1/charging_sessions", params={"limit": limit})
    assert_error(response, 400, "invalid_request_error", None, "limit")


@pytest.mark.parametrize("page", ["garbage", "page_!!!", "page_YTpjc194eHg"])
def test_an_unknown_page_token_is_a_400(client: httpx.Client, page: str) -> None:
    response = client.get("/v1/charging_sessions", params={"page": page})
    assert_error(response, 400, "invalid_request_error", None, "page")


def test_an_invalid_status_filter_is_a_400(client: httpx.Client) -> None:
    response = client.get("/v1/charging_sessions", params={"status": "charging"})
    assert_error(response, 400, "invalid_request_error", None, "status")


def test_stations_list_newest_first(client: httpx.Client) -> None:
    data = client.get("/v1/charging_stations").json()["data"]
    created = [s["created"] for s in data]
    assert created == sorted(created, reverse=True)


# -- auth and routing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ch_sk_live_abc", "Bearer ch_sk_test_", "Basic ch_sk_test_abc", "ch_sk_test_x"],
)
def test_a_missing_or_non_test_key_is_a_401(sim: Simulator, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    with httpx.Client(transport=httpx.MockTransport(sim.handle), base_url=BASE_URL) as client:
        response = client.get("/v1/charging_stations", headers=headers)
    assert_error(response, 401, "authentication_error", None, None)


def test_any_test_key_is_accepted(sim: Simulator) -> None:
    with httpx.Client(transport=httpx.MockTransport(sim.handle), base_url=BASE_URL) as client:
        response = client.get(
            "/v1/charging_stations", headers={"Authorization": "Bearer ch_sk_test_anything"}
        )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/v1/nothing", "/v2/charging_sessions", "/v1/charging_sessions/cs_1/pause", "/"]
)
def test_an_unknown_route_is_a_404(client: httpx.Client, path: str) -> None:
    assert_error(client.get(path), 404, "invalid_request_error", None, None)


def test_a_wrong_method_is_a_405_with_allow(client: httpx.Client) -> None:
    response = client.delete("/v1/charging_sessions")
    assert_error(response, 405, "invalid_request_error", None, None)
    assert response.headers["Allow"] == "GET, POST"


# -- idempotency ----------------------------------------------------------------------------


def sessions(client: httpx.Client) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get("/v1/charging_sessions?limit=100").json()["data"]
    return data


def test_the_same_key_and_body_replays_the_first_outcome(
    client: httpx.Client, sim: Simulator
) -> None:
    params = sim.sample_session_params()
    headers = {"Idempotency-Key": "key-1"}
    first = client.post("/v1/charging_sessions", json=params, headers=headers)
    sim.advance(60)
    second = client.post("/v1/charging_sessions", json=params, headers=headers)
    assert (second.status_code, second.content) == (first.status_code, first.content)
    assert second.headers["Request-Id"] == first.headers["Request-Id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(sessions(client)) == 1


def test_an_error_outcome_is_replayed_too(client: httpx.Client, sim: Simulator) -> None:
    params = {**sim.sample_session_params(), "driver": "drv_" + "x" * 32}
    headers = {"Idempotency-Key": "key-err"}
    first = client.post("/v1/charging_sessions", json=params, headers=headers)
    second = client.post("/v1/charging_sessions", json=params, headers=headers)
    assert first.status_code == second.status_code == 404
    assert second.json()["request"] == first.json()["request"]


def test_the_same_key_with_another_body_is_an_idempotency_error(
    client: httpx.Client, sim: Simulator
) -> None:
    headers = {"Idempotency-Key": "key-2"}
    client.post("/v1/charging_sessions", json=sim.sample_session_params(), headers=headers)
    other = client.post("/v1/charging_sessions", json=sim.sample_session_params(), headers=headers)
    assert_error(other, 400, "idempotency_error", "idempotency_key_reused", "Idempotency-Key")
    assert len(sessions(client)) == 1


def test_the_same_key_on_another_path_is_an_idempotency_error(
    client: httpx.Client, sim: Simulator
) -> None:
    headers = {"Idempotency-Key": "key-3"}
    session_id = create(client, sim).json()["id"]
    client.post(f"/v1/charging_sessions/{session_id}/end", json={}, headers=headers)
    again = client.post("/v1/charging_sessions", json={}, headers=headers)
    assert_error(again, 400, "idempotency_error", "idempotency_key_reused", "Idempotency-Key")


def test_a_key_is_replayed_for_24_hours_of_the_test_clock_and_then_expires(
    client: httpx.Client, sim: Simulator
) -> None:
    """The docs: keys expire after 24 hours; after expiry the same key can be reused."""
    body = {"name": "Ada", "email": "ada@example.com"}
    headers = {"Idempotency-Key": "key-day"}
    first = client.post("/v1/drivers", json=body, headers=headers)
    assert first.status_code == 200, first.text
    sim.advance(24 * 3600 - 1)
    almost = client.post("/v1/drivers", json=body, headers=headers)
    assert almost.headers["Idempotent-Replayed"] == "true"
    assert almost.json()["id"] == first.json()["id"]

    sim.advance(1)
    later = client.post("/v1/drivers", json=body, headers=headers)
    assert later.status_code == 200, later.text
    assert "Idempotent-Replayed" not in later.headers
    assert later.json()["id"] != first.json()["id"]


def test_an_expired_key_may_carry_another_request(client: httpx.Client, sim: Simulator) -> None:
    headers = {"Idempotency-Key": "key-reuse"}
    client.post("/v1/charging_sessions", json=sim.sample_session_params(), headers=headers)
    sim.advance(24 * 3600)
    driver = client.post(
        "/v1/drivers", json={"name": "Ada", "email": "ada@example.com"}, headers=headers
    )
    assert driver.status_code == 200, driver.text
    assert driver.json()["object"] == "driver"


def test_key_order_in_the_body_does_not_break_a_replay(
    client: httpx.Client, sim: Simulator
) -> None:
    params = sim.sample_session_params()
    headers = {"Idempotency-Key": "key-4", "Content-Type": "application/json"}
    client.post("/v1/charging_sessions", json=params, headers=headers)
    reordered = dict(reversed(list(params.items())))
    again = client.post("/v1/charging_sessions", json=reordered, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_key_longer_than_255_characters_is_a_400(client: httpx.Client, sim: Simulator) -> None:
    response = client.post(
        "/v1/charging_sessions", json=sim.sample_session_params(),
        headers={"Idempotency-Key": "k" * 256},
    )  # fmt: skip
    assert_error(response, 400, "invalid_request_error", None, "Idempotency-Key")
    assert sessions(client) == []


# -- scripted faults ------------------------------------------------------------------------


def test_fail_next_answers_with_the_status_then_recovers(
    client: httpx.Client, sim: Simulator
) -> None:
    sim.fail_next(503, times=2)
    statuses = [client.get("/v1/charging_stations").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_a_5xx_fault_has_an_api_error_body(client: httpx.Client, sim: Simulator) -> None:
    sim.fail_next(500)
    assert_error(client.get("/v1/charging_stations"), 500, "api_error", None, None)


def test_a_429_fault_carries_rate_limit_code_and_retry_after(
    client: httpx.Client, sim: Simulator
) -> None:
    sim.fail_next(429, retry_after=2)
    response = client.get("/v1/charging_stations")
    assert_error(response, 429, "invalid_request_error", "rate_limit_exceeded", None)
    assert response.headers["Retry-After"] == "2"


def test_a_string_retry_after_is_sent_verbatim(client: httpx.Client, sim: Simulator) -> None:
    date = "Wed, 01 Apr 2026 00:00:05 GMT"
    sim.fail_next(503, retry_after=date)
    assert client.get("/v1/charging_stations").headers["Retry-After"] == date


def test_a_failed_request_has_no_effect(client: httpx.Client, sim: Simulator) -> None:
    sim.fail_next(503)
    assert create(client, sim).status_code == 503
    assert sessions(client) == []


def test_a_drop_before_processing_raises_and_creates_nothing(
    client: httpx.Client, sim: Simulator
) -> None:
    sim.drop_next()
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        create(client, sim)
    assert sessions(client) == []


def test_a_drop_after_processing_then_a_replay_yields_exactly_one_session(
    client: httpx.Client, sim: Simulator
) -> None:
    params = sim.sample_session_params()
    headers = {"Idempotency-Key": "retry-me"}
    sim.drop_next(after_processing=True)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/v1/charging_sessions", json=params, headers=headers)
    retry = client.post("/v1/charging_sessions", json=params, headers=headers)
    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert [s["id"] for s in sessions(client)] == [retry.json()["id"]]


def test_delay_next_answers_late(client: httpx.Client, sim: Simulator) -> None:
    sim.delay_next(0.1)
    start = time.monotonic()
    assert client.get("/v1/charging_stations").status_code == 200
    assert time.monotonic() - start >= 0.1


def test_faults_are_consumed_in_order(client: httpx.Client, sim: Simulator) -> None:
    sim.fail_next(429)
    sim.drop_next()
    sim.fail_next(502)
    first = client.get("/v1/charging_stations").status_code
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/v1/charging_stations")
    assert [first, *(client.get("/v1/drivers").status_code for _ in range(2))] == [429, 502, 200]


def test_requests_records_what_arrived(client: httpx.Client, sim: Simulator) -> None:
    sim.fail_next(503)
    create(client, sim)
    client.post(
        "/v1/charging_sessions", json=sim.sample_session_params(), headers={"Idempotency-Key": "k"}
    )
    posts = [r for r in sim.requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/v1/charging_sessions"] * 2
    assert [r.headers.get("Idempotency-Key") for r in posts] == [None, "k"]
    assert posts[0].headers["Charge-Version"] == "2026-03-01"
    assert posts[1].json()["connector"].startswith("connector_")


# -- determinism ----------------------------------------------------------------------------


def run_scenario(seed: int) -> list[Any]:
    sim = Simulator(seed=seed)
    with http_client(sim) as client:
        created = [create(client, sim).json() for _ in range(3)]
        sim.advance(1234.5)
        return [
            client.get("/v1/charging_stations").json(),
            client.get("/v1/drivers").json(),
            client.get("/v1/payment_methods").json(),
            client.get("/v1/charging_sessions").json(),
            created,
        ]


def test_the_same_seed_gives_the_same_account_and_session_ids() -> None:
    assert run_scenario(0) == run_scenario(0)


def test_another_seed_gives_other_ids() -> None:
    ids = [{s["id"] for s in run_scenario(seed)[0]["data"]} for seed in (0, 1)]
    assert not ids[0] & ids[1]


def test_sample_session_params_picks_a_new_free_connector_each_time(
    client: httpx.Client, sim: Simulator
) -> None:
    slots = set()
    while True:
        try:
            params = sim.sample_session_params()
        except RuntimeError:
            break
        assert create(client, sim, **params).status_code == 200
        slots.add((params["charging_station"], params["connector"]))
    connectors = sum(
        len(s["connectors"]) for s in client.get("/v1/charging_stations").json()["data"]
    )
    assert len(slots) == connectors >= 8


# -- async ----------------------------------------------------------------------------------


async def test_the_handler_serves_an_async_client(
    async_client: httpx.AsyncClient, sim: Simulator
) -> None:
    created = await async_client.post("/v1/charging_sessions", json=sim.sample_session_params())
    sim.advance(60)
    fetched = await async_client.get(f"/v1/charging_sessions/{created.json()['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["energy_consumed"] > 0


async def test_an_async_client_sees_a_drop_as_remote_protocol_error(
    async_client: httpx.AsyncClient, sim: Simulator
) -> None:
    sim.drop_next()
    with pytest.raises(httpx.RemoteProtocolError):
        await async_client.get("/v1/charging_stations")
