"""The simulator's whole API over raw HTTP, in-process: routing from the operations table, seeded
objects, validation, expand, idempotency and pagination for every endpoint.

Requests are written by hand (paths, bodies); the only things read from the SDK's table are
which operations exist and their parameter names (to send odd values for each).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import httpx
import pytest

from chargeapi._operations import table
from chargeapi.testing import Simulator
from chargeapi.testing._endpoints import HANDLERS
from chargeapi.testing._routes import Router, compile_template
from chargeapi.testing._store import Session

BASE_URL = "https://api.chargeapi.co"
TEST_KEY = "ch_sk_test_simapi"
ERROR_KEYS = {"object", "type", "code", "message", "param", "request", "status", "doc_url"}
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
ROWS = table()

# kind -> (collection path, path parameter name, ID prefix), written out from the reference.
KINDS: dict[str, tuple[str, str, str]] = {
    "account": ("/v1/accounts", "account", "acct_"),
    "charging_session": ("/v1/charging_sessions", "charging_session", "cs_"),
    "charging_station": ("/v1/charging_stations", "charging_station", "chst_"),
    "driver": ("/v1/drivers", "driver", "drv_"),
    "vehicle": ("/v1/vehicles", "vehicle", "veh_"),
    "fleet": ("/v1/fleets", "fleet", "flt_"),
    "payment_method": ("/v1/payment_methods", "payment_method", "pm_"),
    "policy": ("/v1/policies", "policy", "pol_"),
    "reservation": ("/v1/reservations", "reservation", "res_"),
    "estimation": ("/v1/estimations", "estimation", "est_"),
    "invoice": ("/v1/invoices", "invoice", "inv_"),
    "transaction": ("/v1/transactions", "transaction", "txn_"),
    "report": ("/v1/reports", "report", "rpt_"),
    "webhook_endpoint": ("/v1/webhook_endpoints", "webhook_endpoint", "wh_"),
}
RESOURCE_OF = {
    "account": "Account",
    "charging_session": "ChargingSession",
    "charging_station": "ChargingStation",
    "driver": "Driver",
    "vehicle": "Vehicle",
    "fleet": "Fleet",
    "payment_method": "PaymentMethod",
    "policy": "Policy",
    "reservation": "Reservation",
    "estimation": "Estimation",
    "invoice": "Invoice",
    "transaction": "Transaction",
    "report": "Report",
    "webhook_endpoint": "WebhookEndpoint",
}
LISTED = [k for k in KINDS if k not in ("account", "estimation", "charging_session")]


def api_client(sim: Simulator) -> httpx.Client:
    return httpx.Client(
        transport=httpx.MockTransport(sim.handle),
        base_url=BASE_URL,
        headers={"Authorization": f"Bearer {TEST_KEY}"},
    )


@pytest.fixture
def api(sim: Simulator) -> Iterator[httpx.Client]:
    with api_client(sim) as client:
        yield client


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(
    response: httpx.Response, status: int, code: str | None, param: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert response.status_code == status, body
    assert set(body) == ERROR_KEYS
    assert (body["object"], body["code"], body["param"], body["status"]) == (
        "error",
        code,
        param,
        status,
    )
    assert body["request"].startswith("req_")
    if code is not None:
        assert body["doc_url"] == f"https://docs.chargeapi.co/errors#{code}"
    return body


def first(api: httpx.Client, path: str, **params: str) -> dict[str, Any]:
    data = ok(api.get(path, params=params))["data"]
    assert data, f"{path} {params} listed nothing"
    found: dict[str, Any] = data[0]
    return found


def listed(api: httpx.Client, path: str, **params: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = ok(api.get(path, params={"limit": "100", **params}))["data"]
    return data


def event_types(sim: Simulator) -> list[str]:
    return [e["type"] for e in sim.events]


# -- routing from the operations table ------------------------------------------------------


def test_every_table_row_has_a_handler_and_every_handler_a_row() -> None:
    rows = {(row.resource.__name__, row.action) for row in ROWS}
    assert sorted(rows - set(HANDLERS)) == []  # operations the simulator does not serve
    assert sorted(set(HANDLERS) - rows) == []  # handlers no operation routes to
    assert len(rows) == len(ROWS) == 61


def test_templates_compile_to_matchers_that_capture_the_id() -> None:
    pattern, param = compile_template("/v1/reservations/{reservation}/confirm")
    assert param == "reservation"
    match = pattern.fullmatch("/v1/reservations/res_123/confirm")
    assert match is not None
    assert match["reservation"] == "res_123"
    assert pattern.fullmatch("/v1/reservations/res_123") is None
    assert pattern.fullmatch("/v1/reservations/a/b/confirm") is None
    assert compile_template("/v1/policies")[1] == ""


class _Row:
    def __init__(self, resource: type[Any], action: str, method: str, path: str) -> None:
        self.resource, self.action, self.method, self.path = resource, action, method, path


class Thing:
    pass


def test_a_router_serves_exactly_its_rows() -> None:
    def endpoint(call: Any) -> dict[str, Any]:
        return {"id": call.object_id, "param": call.param}

    router = Router(
        [
            _Row(Thing, "retrieve", "GET", "/v1/things/{thing}"),
            _Row(Thing, "zap", "POST", "/v1/things/{thing}/zap"),
        ],
        {("Thing", "retrieve"): endpoint},
    )
    route, object_id = router.resolve("GET", "/v1/things/th_1")
    assert (route.key, object_id, route.param) == (("Thing", "retrieve"), "th_1", "thing")
    from chargeapi.testing._errors import ApiError

    with pytest.raises(ApiError) as unknown:
        router.resolve("GET", "/v1/others/th_1")
    assert unknown.value.status == 404
    with pytest.raises(ApiError) as wrong:
        router.resolve("DELETE", "/v1/things/th_1")
    assert (wrong.value.status, wrong.value.headers) == (405, {"Allow": "GET"})
    route, _ = router.resolve("POST", "/v1/things/th_1/zap")
    with pytest.raises(ApiError) as missing:
        route.endpoint(None)  # type: ignore[arg-type]
    assert missing.value.status == 501


def test_unknown_paths_and_methods_are_json_errors(api: httpx.Client) -> None:
    assert_error(api.get("/v1/unicorns"), 404, None, None)
    assert_error(api.get("/v1/drivers/drv_1/zap"), 404, None, None)
    response = api.put("/v1/drivers")
    assert_error(response, 405, None, None)
    assert response.headers["Allow"] == "GET, POST"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.resource.__name__}.{r.action}")
def test_every_operation_refuses_an_unknown_parameter_by_name(api: httpx.Client, row: Any) -> None:
    path = re.sub(r"\{\w+\}", "xx_unknown", row.path)
    if row.method == "POST":
        response = api.post(path, json={"bogus_param": 1})
    else:
        response = api.request(row.method, path, params={"bogus_param": "1"})
    body = response.json()
    assert response.status_code in (400, 404), body
    if response.status_code == 400:
        assert body["param"] == "bogus_param"
    else:  # a retrieve checks the ID first: the object of the URL does not exist
        assert body["code"].endswith("_not_found")


# -- seeded objects -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", LISTED)
def test_every_listed_kind_is_seeded_and_retrievable(api: httpx.Client, kind: str) -> None:
    path, _, prefix = KINDS[kind]
    data = listed(api, path)
    assert data
    for obj in data:
        assert obj["id"].startswith(prefix)
        assert len(obj["id"]) == len(prefix) + 32
        assert obj["object"] == kind
        assert not any(key.startswith("_") for key in obj)
        assert ok(api.get(f"{path}/{obj['id']}")) == obj


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_id_is_a_404_named_after_the_path_parameter(
    api: httpx.Client, kind: str
) -> None:
    path, param, prefix = KINDS[kind]
    if ("GET", "retrieve") not in {
        (r.method, r.action) for r in ROWS if r.resource.__name__ == RESOURCE_OF[kind]
    }:
        pytest.fail(f"{kind} has no retrieve row")
    assert_error(api.get(f"{path}/{prefix}{'x' * 32}"), 404, f"{kind}_not_found", param)


def test_the_same_seed_gives_the_same_objects_and_another_seed_others() -> None:
    def snapshot(seed: int) -> list[Any]:
        with api_client(Simulator(seed=seed)) as api:
            return [listed(api, KINDS[k][0]) for k in LISTED]

    assert snapshot(3) == snapshot(3)
    assert snapshot(3) != snapshot(4)


def test_every_seeded_vehicle_has_telemetry(api: httpx.Client) -> None:
    for vehicle in listed(api, "/v1/vehicles"):
        telemetry = ok(api.get(f"/v1/vehicles/{vehicle['id']}/telemetry"))
        assert (telemetry["id"], telemetry["vehicle"]) == (vehicle["telemetry"], vehicle["id"])
        assert telemetry["battery"]["capacity"] == vehicle["battery_capacity"]
        assert 0 <= telemetry["battery"]["level"] <= 100


# -- pagination -----------------------------------------------------------------------------


def test_a_walk_over_ten_thousand_sessions_serves_every_one_once(sim: Simulator) -> None:
    # Stored directly: creating 10,000 through the API is not what this checks.
    store = sim._store
    for n in range(10_000):
        session = Session(
            id=f"cs_{n:032d}", charging_station="chst_x", connector="connector_a1",
            driver="drv_x", vehicle="veh_x", payment_method="pm_x", fleet=None, country="FR",
            currency="eur", price=42, step_size=1, power_kw=22, session_limit=None,
            created=Fraction(n), updated=Fraction(n), status="completed",
        )  # fmt: skip
        store.sessions_collection.put(session.id, session)
    seen: list[str] = []
    with api_client(sim) as api:
        url: str | None = "/v1/charging_sessions?limit=100"
        while url is not None:
            page = ok(api.get(url))
            seen.extend(s["id"] for s in page["data"])
            url = page["next_page_url"]
    assert seen == [f"cs_{n:032d}" for n in reversed(range(10_000))]


def test_a_filtered_walk_keeps_its_filter_and_pages_both_ways(api: httpx.Client) -> None:
    driver = first(api, "/v1/drivers")["id"]
    everything = [t["id"] for t in listed(api, "/v1/transactions", driver=driver)]
    assert len(everything) >= 2
    page = ok(api.get("/v1/transactions", params={"driver": driver, "limit": "1"}))
    assert f"driver={driver}" in page["next_page_url"]
    second = ok(api.get(page["next_page_url"]))
    assert [t["id"] for t in page["data"] + second["data"]] == everything[:2]
    back = ok(api.get(second["previous_page_url"]))
    assert [t["id"] for t in back["data"]] == everything[:1]
    assert back["previous_page_url"] is None


# -- idempotency ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "driver",
        "vehicle",
        "fleet",
        "policy",
        "webhook_endpoint",
        "account",
        "payment_method",
        "reservation",
        "invoice",
        "report",
        "estimation",
    ],
)
def test_a_replayed_create_creates_one_object_of_the_documented_shape(
    api: httpx.Client, kind: str
) -> None:
    station = first(api, "/v1/charging_stations")
    driver = first(api, "/v1/drivers")
    bodies: dict[str, dict[str, Any]] = {
        "driver": {"name": "Ada", "email": "ada@example.com"},
        "vehicle": {"vin": "VF1AG000000000001", "battery_capacity": 52000, "charging_standard": "CCS"},
        "fleet": {"name": "Night Couriers"},
        "policy": {"mode": "suggestion", "name": "Cheap", "rules": {"max_price_per_kwh": 30}},
        "webhook_endpoint": {"enabled_events": ["charge.succeeded"], "url": "https://example.com/hook"},
        "account": {"name": "Sub account", "type": "individual"},
        "payment_method": {"type": "card", "card": {"number": "4242424242424242", "exp_month": 1, "exp_year": 2030}},
        "reservation": {
            "connector_type": ["CCS"],
            "driver": driver["id"],
            "vehicle": driver["vehicles"][0],
            "ideal_start": "2026-04-02T10:00:00.000Z",
            "ideal_end": "2026-04-02T11:00:00.000Z",
            "location": {**station["location"], "radius": 1500},
        },
        "invoice": {"period_start": "2026-03-01T00:00:00Z", "period_end": "2026-04-01T00:00:00Z"},
        "report": {"parameters": {"type": "charging_summary", "period_start": "2026-03-01T00:00:00Z", "period_end": "2026-04-01T00:00:00Z"}},
        "estimation": {
            "charging_station": station["id"],
            "vehicle": next(v["id"] for v in listed(api, "/v1/vehicles") if v["charging_standard"] in {c["type"] for c in station["connectors"]}),
            "battery_level": 10,
            "battery_target_level": 90,
        },
    }  # fmt: skip
    path = KINDS[kind][0]
    headers = {"Idempotency-Key": f"create-{kind}"}
    once = api.post(path, json=bodies[kind], headers=headers)
    twice = api.post(path, json=bodies[kind], headers=headers)
    assert ok(once) == ok(twice)
    assert twice.headers["Idempotent-Replayed"] == "true"
    created = once.json()
    assert created["id"].startswith(KINDS[kind][2])
    assert set(created) == DOCUMENTED_KEYS[kind]
    assert ok(api.get(f"{path}/{created['id']}")) == created


# -- robustness: odd input is a 4xx JSON error, never a 5xx ---------------------------------

ODD_VALUES: list[Any] = [None, True, 0, -1, 10**20, 1.5, "", "x", [], [None], {}, {"x": []}]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.resource.__name__}.{r.action}")
def test_odd_values_for_every_parameter_never_break_the_simulator(
    api: httpx.Client, row: Any
) -> None:
    names = [
        name
        for name in row.signature.parameters
        if name not in ("id", "vehicle_id", "client", "idempotency_key")
    ]
    kind = next((k for k, v in RESOURCE_OF.items() if v == row.resource.__name__), None)
    object_id = "xx_unknown"
    if kind in KINDS and kind != "charging_session" and kind in LISTED:
        object_id = first(api, KINDS[kind][0])["id"]
    elif row.resource.__name__ == "VehicleTelemetry":
        object_id = first(api, "/v1/vehicles")["id"]
    path = re.sub(r"\{\w+\}", object_id, row.path)
    for name in names:
        for value in ODD_VALUES:
            if row.method == "POST":
                response = api.post(path, json={name: value})
            else:
                response = api.request(row.method, path, params={name: str(value)})
            assert response.status_code < 500, (name, value, response.text)
            if response.status_code >= 400:
                assert set(response.json()) == ERROR_KEYS


# -- documented shapes ----------------------------------------------------------------------

# The top-level keys of each NEW example object in the reference (sections 6 and 7), by hand.
DOCUMENTED_KEYS: dict[str, set[str]] = {
    "account": {
        "id", "object", "billing_details", "business_type", "contact", "created",
        "default_currency", "description", "email", "metadata", "metric_system", "name", "plan",
        "preferences", "registration_number", "status", "type", "updated", "wallet_balance",
    },
    "charging_station": {
        "id", "object", "address", "availability", "capabilities", "connectors", "created",
        "location", "name", "operator", "operator_contact", "pricing", "status", "updated",
    },
    "driver": {
        "id", "object", "created", "email", "fleets", "license_number", "metadata", "name",
        "phone", "policy_ids", "preferences", "status", "updated", "vehicles", "wallet_balance",
    },
    "vehicle": {
        "id", "object", "battery_capacity", "charging_standard", "created", "drivers", "fleet",
        "information", "metadata", "policy_ids", "registration_plate", "status", "telemetry",
        "updated", "vin",
    },
    "fleet": {
        "id", "object", "address", "created", "description", "email", "metadata",
        "metric_system", "name", "phone", "policy_ids", "preferences", "status", "timezone",
        "total_drivers", "total_energy_consumed_kwh", "total_sessions", "total_vehicles",
        "updated", "wallet_balance",
    },
    "payment_method": {
        "id", "object", "bank_account", "billing_details", "card", "created", "driver", "fleet",
        "type", "wallet",
    },
    "policy": {
        "id", "object", "created", "description", "metadata", "mode", "name", "rules", "status",
    },
    "reservation": {
        "id", "object", "cancellation_policy", "charging_station", "confirmed_at",
        "connector_type", "created", "currency", "driver", "earliest_start", "failed_reason",
        "ideal_end", "ideal_start", "latest_end", "location", "metadata", "payment_method",
        "reservation_fee", "reserved_end", "reserved_start", "status", "updated", "vehicle",
    },
    "estimation": {
        "id", "object", "battery_level", "battery_target_level", "charging_station",
        "cost_breakdown", "created", "currency", "estimated_duration", "estimated_energy_kwh",
        "estimated_total_cost", "valid_until", "vehicle",
    },
    "invoice": {
        "id", "object", "amount_due", "amount_paid", "created", "currency", "description",
        "due_date", "fleet", "line_items", "metadata", "paid_at", "payment_method", "period_end",
        "period_start", "status",
    },
    "transaction": {
        "id", "object", "amount", "charging_session", "created", "currency", "description",
        "driver", "fleet", "payment_method", "status", "type", "vehicle",
    },
    "report": {
        "id", "object", "account", "created", "fleet", "parameters", "size", "status",
        "succeeded_at", "type", "url",
    },
    "webhook_endpoint": {
        "id", "object", "api_version", "application", "created", "description",
        "enabled_events", "livemode", "metadata", "secret", "status", "url",
    },
    "vehicle_telemetry": {
        "id", "object", "battery", "firmware_version", "location", "odometer", "vehicle",
    },
}  # fmt: skip


@pytest.mark.parametrize("kind", LISTED)
def test_every_listed_object_has_exactly_the_documented_keys(api: httpx.Client, kind: str) -> None:
    for obj in listed(api, KINDS[kind][0]):
        assert set(obj) == DOCUMENTED_KEYS[kind], obj["id"]
        for key in ("created", "updated"):
            if key in obj:
                assert TIMESTAMP.fullmatch(obj[key])


def test_telemetry_has_exactly_the_documented_keys(api: httpx.Client) -> None:
    vehicle = first(api, "/v1/vehicles")
    telemetry = ok(api.get(f"/v1/vehicles/{vehicle['id']}/telemetry"))
    assert set(telemetry) == DOCUMENTED_KEYS["vehicle_telemetry"]
    assert set(telemetry["battery"]) == {
        "capacity", "level", "range", "status", "temperature", "updated",
    }  # fmt: skip
