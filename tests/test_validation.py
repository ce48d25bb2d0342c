"""Caller input is checked before any I/O, and client configuration (arguments and environment)
is validated and applied as documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

import chargeapi

from .conftest import API, SEED_REQUEST, TEST_KEY, seed_response

SESSION = "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY"
STATION = "chst_dxNYlw4nSLzUm4GWwPJ5ochwR3myCKsA"
DRIVER = SEED_REQUEST["driver"]
VEHICLE = SEED_REQUEST["vehicle"]
FLEET = "flt_VPncsNUF64r6IMozGsQXGXBrA3USpxxb"
EMPTY_PAGE = {"data": [], "next_page_url": None, "previous_page_url": None}


@pytest.fixture
def wire() -> Iterator[respx.Route]:
    """Answers every request; tests assert it was never called (nothing left the process)."""
    with respx.mock(assert_all_called=False) as mock:
        yield mock.route().respond(200, json=seed_response())


def create(client: chargeapi.Client, **overrides: Any) -> chargeapi.ChargingSession:
    return chargeapi.ChargingSession.create(**{**SEED_REQUEST, "client": client, **overrides})


# -- IDs passed to create ---------------------------------------------------------------------------

BAD_IDS: list[tuple[Any, type[Exception]]] = [
    ("", ValueError),
    ("drv_", ValueError),
    ("drv_abc/def", ValueError),
    ("drv_abc?expand=driver", ValueError),
    ("drv_abc#frag", ValueError),
    ("drv_..", ValueError),
    ("drv_abc%2Fdef", ValueError),
    ("drv_abc def", ValueError),
    ("drv_abc\n", ValueError),
    ("drv_abcé", ValueError),
    ("drv_" + "a" * 300, ValueError),
    (123, TypeError),
    (None, TypeError),
    (b"drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc", TypeError),
]


@pytest.mark.parametrize(("value", "error"), BAD_IDS)
def test_bad_driver_id_is_refused_before_any_request(
    client: chargeapi.Client, wire: respx.Route, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^driver must be"):
        create(client, driver=value)

    assert wire.call_count == 0


@pytest.mark.parametrize(
    ("param", "wrong"),
    [
        ("charging_station", "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY"),
        ("driver", "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3"),
        ("payment_method", "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc"),
        ("vehicle", "flt_VPncsNUF64r6IMozGsQXGXBrA3USpxxb"),
    ],
)
def test_id_with_another_objects_prefix_names_param_and_expected_prefix(
    client: chargeapi.Client, wire: respx.Route, param: str, wrong: str
) -> None:
    prefix = {"charging_station": "chst_", "driver": "drv_", "payment_method": "pm_"}.get(
        param, "veh_"
    )

    with pytest.raises(ValueError, match=rf"^{param} must be") as excinfo:
        create(client, **{param: wrong})

    assert prefix in str(excinfo.value)
    assert wire.call_count == 0


@pytest.mark.parametrize("param", ["charging_station", "driver", "payment_method", "vehicle"])
@pytest.mark.parametrize("value", ["", None, 42])
def test_each_required_id_rejects_empty_none_and_int(
    client: chargeapi.Client, wire: respx.Route, param: str, value: Any
) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match=rf"^{param} must be") as excinfo:
        create(client, **{param: value})

    assert excinfo.value.param == param
    assert wire.call_count == 0


def test_model_object_instead_of_its_id_is_a_type_error_pointing_at_id(
    client: chargeapi.Client, wire: respx.Route
) -> None:
    driver = chargeapi.Driver.from_dict(
        {
            "id": DRIVER,
            "object": "driver",
            "created": "2026-04-01T00:14:04.075Z",
            "email": "example@example.com",
            "fleets": [],
            "metadata": {},
            "name": "Example Driver",
            "policy_ids": [],
            "preferences": {
                "charging_speed": "fast",
                "currency": "eur",
                "notifications": True,
                "preferred_charging_stations": [],
                "preferred_cpos": [],
            },
            "status": "active",
            "updated": "2026-04-01T01:13:51.435Z",
            "vehicles": [],
            "wallet_balance": 0,
        }
    )

    with pytest.raises(TypeError, match=r"^driver must be") as excinfo:
        create(client, driver=driver)

    assert ".id" in str(excinfo.value)
    assert "Driver" in str(excinfo.value)
    assert wire.call_count == 0


def test_session_object_passed_to_retrieve_points_at_id(
    client: chargeapi.Client, wire: respx.Route
) -> None:
    session = chargeapi.ChargingSession.from_dict(seed_response())

    with pytest.raises(TypeError, match=r"\.id"):
        chargeapi.ChargingSession.retrieve(session, client=client)  # type: ignore[arg-type]

    assert wire.call_count == 0


@pytest.mark.parametrize(
    ("value", "error"),
    [("", ValueError), ("connector/a1", ValueError), ("a1?x=1", ValueError), (1, TypeError)],
)
def test_bad_connector_is_refused(
    client: chargeapi.Client, wire: respx.Route, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^connector must be"):
        create(client, connector=value)

    assert wire.call_count == 0


async def test_async_create_validates_ids_before_any_request(
    client: chargeapi.Client, wire: respx.Route
) -> None:
    params = {**SEED_REQUEST, "vehicle": "veh_abc/../x"}

    with pytest.raises(ValueError, match=r"^vehicle must be"):
        await chargeapi.ChargingSession.create_async(**params, client=client)

    assert wire.call_count == 0


# -- session_limit ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, ValueError), (-1, ValueError), (1.5, TypeError), ("100", TypeError), (True, TypeError)],
)
def test_bad_session_limit_is_refused(
    client: chargeapi.Client, wire: respx.Route, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^session_limit must be"):
        create(client, session_limit=value)

    assert wire.call_count == 0


@pytest.mark.parametrize("value", [1, 50_000])
def test_positive_session_limit_is_sent_as_an_int(
    client: chargeapi.Client, wire: respx.Route, value: int
) -> None:
    create(client, session_limit=value)

    assert json.loads(wire.calls.last.request.content)["session_limit"] == value


# -- retrieve / end / station IDs ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["", STATION, "cs_", "cs_abc/end", "cs_abc?expand=driver", "cs_..", "cs_%2E%2E", "cs_ab cd"],
)
def test_retrieve_and_end_need_a_charging_session_id(
    client: chargeapi.Client, wire: respx.Route, value: str
) -> None:
    with pytest.raises(ValueError, match=r"^id must be a charging session ID") as excinfo:
        chargeapi.ChargingSession.retrieve(value, client=client)
    assert "cs_" in str(excinfo.value)

    with pytest.raises(ValueError, match=r"^id must be a charging session ID"):
        chargeapi.ChargingSession.end(value, client=client)

    assert wire.call_count == 0


async def test_async_end_needs_a_charging_session_id(
    client: chargeapi.Client, wire: respx.Route
) -> None:
    with pytest.raises(TypeError, match=r"^id must be"):
        await chargeapi.ChargingSession.end_async(None, client=client)  # type: ignore[arg-type]

    with pytest.raises(ValueError, match=r"^id must be"):
        await chargeapi.ChargingSession.retrieve_async(DRIVER, client=client)

    assert wire.call_count == 0


@pytest.mark.parametrize("value", [SESSION, "chst_", "chst_a/b", ""])
def test_station_retrieve_needs_a_charging_station_id(
    client: chargeapi.Client, wire: respx.Route, value: str
) -> None:
    with pytest.raises(ValueError, match=r"^id must be a charging station ID") as excinfo:
        chargeapi.ChargingStation.retrieve(value, client=client)

    assert "chst_" in str(excinfo.value)
    assert wire.call_count == 0


# -- list filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "named", "error"),
    [
        ({"driver": VEHICLE}, "driver", ValueError),
        ({"fleet": DRIVER}, "fleet", ValueError),
        ({"vehicle": FLEET}, "vehicle", ValueError),
        ({"driver": 7}, "driver", TypeError),
        ({"status": "active&limit=100"}, "status", ValueError),
        ({"status": ""}, "status", ValueError),
        ({"status": 1}, "status", TypeError),
        ({"limit": 0}, "limit", ValueError),
        ({"limit": 101}, "limit", ValueError),
        ({"limit": -5}, "limit", ValueError),
        ({"limit": "10"}, "limit", TypeError),
        ({"limit": True}, "limit", TypeError),
        ({"limit": 10.0}, "limit", TypeError),
    ],
)
def test_bad_list_filter_is_refused_before_any_request(
    client: chargeapi.Client,
    wire: respx.Route,
    params: dict[str, Any],
    named: str,
    error: type[Exception],
) -> None:
    with pytest.raises(error, match=rf"^{named} must"):
        chargeapi.ChargingSession.list(**params, client=client)

    assert wire.call_count == 0


@pytest.mark.parametrize("limit", [1, 100])
@respx.mock
def test_limit_bounds_are_accepted_and_sent_as_query(client: chargeapi.Client, limit: int) -> None:
    route = respx.get(f"{API}/v1/charging_sessions").respond(200, json=EMPTY_PAGE)

    chargeapi.ChargingSession.list(limit=limit, client=client)

    assert route.calls.last.request.url.params["limit"] == str(limit)


@respx.mock
def test_valid_list_filters_are_sent_as_query(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/charging_sessions").respond(200, json=EMPTY_PAGE)

    chargeapi.ChargingSession.list(
        driver=DRIVER, fleet=FLEET, vehicle=VEHICLE, status="completed", client=client
    )

    params = route.calls.last.request.url.params
    assert dict(params) == {
        "driver": DRIVER,
        "fleet": FLEET,
        "vehicle": VEHICLE,
        "status": "completed",
    }


@pytest.mark.parametrize(("limit", "error"), [(0, ValueError), (101, ValueError), ("5", TypeError)])
def test_station_list_limit_is_checked(
    client: chargeapi.Client, wire: respx.Route, limit: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^limit must"):
        chargeapi.ChargingStation.list(limit=limit, client=client)

    assert wire.call_count == 0


async def test_async_list_filters_are_checked_before_any_request(
    client: chargeapi.Client, wire: respx.Route
) -> None:
    with pytest.raises(ValueError, match=r"^limit must"):
        await chargeapi.ChargingSession.list_async(limit=101, client=client)

    with pytest.raises(ValueError, match=r"^fleet must"):
        await chargeapi.ChargingSession.list_async(fleet="flt_a/b", client=client)

    assert wire.call_count == 0


# -- expand -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expand", "sent"),
    [
        ("driver", ["driver"]),
        (["driver"], ["driver"]),
        (
            ["vehicle.fleet", "driver", "payment_method"],
            ["vehicle.fleet", "driver", "payment_method"],
        ),
        (("charging_station", "fleet"), ["charging_station", "fleet"]),
        ([], []),
    ],
)
@respx.mock
def test_expand_sends_one_repeated_param_per_path_in_order(
    client: chargeapi.Client, expand: Any, sent: list[str]
) -> None:
    route = respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(200, json=seed_response())

    chargeapi.ChargingSession.retrieve(SESSION, expand=expand, client=client)

    url = route.calls.last.request.url
    assert url.params.get_list("expand") == sent
    assert "expand%5B%5D" not in str(url)
    assert "expand[]" not in str(url)


async def test_async_expand_sends_repeated_params(client: chargeapi.Client) -> None:
    with respx.mock:
        route = respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(
            200, json=seed_response()
        )

        await chargeapi.ChargingSession.retrieve_async(
            SESSION, expand=["driver", "vehicle.fleet"], client=client
        )

    assert route.calls.last.request.url.params.get_list("expand") == ["driver", "vehicle.fleet"]


@pytest.mark.parametrize(
    ("expand", "error"),
    [
        ("Driver", ValueError),
        ("driver,vehicle", ValueError),
        ("expand[]", ValueError),
        ("", ValueError),
        ("driver.", ValueError),
        (".driver", ValueError),
        ("driver&limit=1", ValueError),
        ("../driver", ValueError),
        (["driver", 5], ValueError),
        (["driver", ""], ValueError),
        (5, TypeError),
        (None, TypeError),
    ],
)
def test_bad_expand_is_refused_before_any_request(
    client: chargeapi.Client, wire: respx.Route, expand: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^expand"):
        chargeapi.ChargingSession.retrieve(SESSION, expand=expand, client=client)

    assert wire.call_count == 0


# -- idempotency_key ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "error"),
    [
        ("", ValueError),
        ("k" * 256, ValueError),
        ("key\r\nX-Injected: 1", ValueError),
        ("key\nmore", ValueError),
        ("clé-unique", ValueError),
        (12345, TypeError),
    ],
)
def test_bad_idempotency_key_is_refused_before_any_request(
    client: chargeapi.Client, wire: respx.Route, key: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="idempotency_key"):
        create(client, idempotency_key=key)

    with pytest.raises(error, match="idempotency_key"):
        chargeapi.ChargingSession.end(SESSION, idempotency_key=key, client=client)

    assert wire.call_count == 0


@pytest.mark.parametrize(
    "key", ["5cf66d3e-8f65-4f18-a0ce-3a4972c2a1ee", "order 4711/start#1", "k" * 255]
)
def test_caller_idempotency_key_is_sent_verbatim(
    client: chargeapi.Client, wire: respx.Route, key: str
) -> None:
    create(client, idempotency_key=key)

    assert wire.calls.last.request.headers["Idempotency-Key"] == key


# -- client= ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["https://api.chargeapi.co", TEST_KEY, object()])
def test_client_of_the_wrong_type_is_a_type_error(wire: respx.Route, bad: Any) -> None:
    with pytest.raises(TypeError, match=r"^client must be a chargeapi.Client") as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=bad)
    assert TEST_KEY not in str(excinfo.value)

    with pytest.raises(TypeError, match=r"^client must be"):
        create(bad)

    with pytest.raises(TypeError, match=r"^client must be"):
        chargeapi.ChargingSession.list(client=bad)

    assert wire.call_count == 0


def test_httpx_client_passed_as_client_is_a_type_error(wire: respx.Route) -> None:
    with (
        httpx.Client() as http,
        pytest.raises(TypeError, match=r"^client must be a chargeapi.Client"),
    ):
        chargeapi.ChargingSession.retrieve(SESSION, client=http)  # type: ignore[arg-type]

    assert wire.call_count == 0


# -- client configuration: the API key ----------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "ch_sk_test_abc\r\nX-Injected: yes",
        "ch_sk_test_abc\ndef",
        "ch_sk_test_abc\x00def",
        "ch_sk_test_abcé",
    ],
)
def test_api_key_with_header_breaking_characters_is_refused_without_echoing_it(
    key: str,
) -> None:
    with pytest.raises(ValueError, match="api_key") as excinfo:
        chargeapi.Client(key)

    assert key.strip() not in str(excinfo.value)
    assert "ch_sk_test_abc" not in str(excinfo.value)


@pytest.mark.parametrize("key", [12345, b"ch_sk_test_abc", ["ch_sk_test_abc"]])
def test_api_key_that_is_no_str_is_a_type_error(key: Any) -> None:
    with pytest.raises(TypeError, match="api_key") as excinfo:
        chargeapi.Client(key)

    assert "ch_sk_test_abc" not in str(excinfo.value)


def test_blank_api_key_is_refused() -> None:
    with pytest.raises(ValueError, match="api_key"):
        chargeapi.Client("   ")


def test_no_api_key_anywhere_fails_at_call_time_before_any_request(wire: respx.Route) -> None:
    client = chargeapi.Client()  # constructing without a key is allowed

    with pytest.raises(chargeapi.ChargeAPIError, match="CHARGEAPI_API_KEY"):
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    with pytest.raises(chargeapi.ChargeAPIError, match="CHARGEAPI_API_KEY"):
        chargeapi.ChargingSession.retrieve(SESSION)  # the default client, from the env

    assert wire.call_count == 0


async def test_async_no_api_key_fails_before_any_request(wire: respx.Route) -> None:
    async with chargeapi.Client() as client:
        with pytest.raises(chargeapi.ChargeAPIError, match="CHARGEAPI_API_KEY") as excinfo:
            await chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=client)

    assert type(excinfo.value) is chargeapi.ChargeAPIError
    assert wire.call_count == 0


def test_env_api_key_is_sent_by_the_default_client_and_follows_env_changes(
    monkeypatch: pytest.MonkeyPatch, wire: respx.Route
) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_fromEnvOne")
    chargeapi.ChargingSession.retrieve(SESSION)
    assert wire.calls.last.request.headers["Authorization"] == "Bearer ch_sk_test_fromEnvOne"

    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_fromEnvTwo")
    chargeapi.ChargingSession.retrieve(SESSION)
    assert wire.calls.last.request.headers["Authorization"] == "Bearer ch_sk_test_fromEnvTwo"


def test_env_api_key_is_used_by_a_client_built_without_one(
    monkeypatch: pytest.MonkeyPatch, wire: respx.Route
) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_fromEnvOne")

    with chargeapi.Client() as client:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert wire.calls.last.request.headers["Authorization"] == "Bearer ch_sk_test_fromEnvOne"


def test_explicit_api_key_wins_over_env(monkeypatch: pytest.MonkeyPatch, wire: respx.Route) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_fromEnvOne")

    with chargeapi.Client(TEST_KEY) as client:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert wire.calls.last.request.headers["Authorization"] == f"Bearer {TEST_KEY}"


async def test_async_default_client_uses_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_fromEnvAsync")
    monkeypatch.setenv("CHARGEAPI_BASE_URL", "https://eu.chargeapi.example")
    with respx.mock:
        route = respx.get(f"https://eu.chargeapi.example/v1/charging_sessions/{SESSION}").respond(
            200, json=seed_response()
        )

        await chargeapi.ChargingSession.retrieve_async(SESSION)

    assert route.calls.last.request.headers["Authorization"] == "Bearer ch_sk_test_fromEnvAsync"


# -- client configuration: the base URL ---------------------------------------------------------


@respx.mock
def test_env_base_url_is_used_and_follows_env_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", TEST_KEY)
    one = respx.get(f"https://one.chargeapi.example/v1/charging_sessions/{SESSION}").respond(
        200, json=seed_response()
    )
    two = respx.get(f"https://two.chargeapi.example/v1/charging_sessions/{SESSION}").respond(
        200, json=seed_response()
    )

    monkeypatch.setenv("CHARGEAPI_BASE_URL", "https://one.chargeapi.example")
    chargeapi.ChargingSession.retrieve(SESSION)
    monkeypatch.setenv("CHARGEAPI_BASE_URL", "https://two.chargeapi.example/v1/")
    chargeapi.ChargingSession.retrieve(SESSION)

    assert one.call_count == 1
    assert two.call_count == 1


@respx.mock
def test_explicit_base_url_wins_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEAPI_BASE_URL", "https://env.chargeapi.example")
    route = respx.get(f"https://arg.chargeapi.example/v1/charging_sessions/{SESSION}").respond(
        200, json=seed_response()
    )

    with chargeapi.Client(TEST_KEY, base_url="https://arg.chargeapi.example") as client:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert route.call_count == 1


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.chargeapi.co",
        "https://api.chargeapi.co/",
        "https://api.chargeapi.co/v1",
        "https://api.chargeapi.co/v1/",
    ],
)
@respx.mock
def test_base_url_with_trailing_slash_or_v1_reaches_the_same_path(base_url: str) -> None:
    route = respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(200, json=seed_response())

    with chargeapi.Client(TEST_KEY, base_url=base_url) as client:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert str(route.calls.last.request.url) == f"{API}/v1/charging_sessions/{SESSION}"


@pytest.mark.parametrize(
    "base_url",
    [
        "http://api.chargeapi.co",
        "http://10.0.0.5:8080",
        "http://127.example.com",
        "http://127.0.0.1.nip.io",
    ],
)
def test_plain_http_base_url_is_refused_for_a_non_loopback_host(base_url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        chargeapi.Client(TEST_KEY, base_url=base_url)


@pytest.mark.parametrize(
    "base_url", ["ftp://api.chargeapi.co", "api.chargeapi.co", "https://", "https://x.co/?a=1"]
)
def test_malformed_base_url_is_refused(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        chargeapi.Client(TEST_KEY, base_url=base_url)


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:12111", "http://localhost:12111", "http://[::1]:12111"]
)
@respx.mock
def test_plain_http_base_url_is_allowed_on_loopback(base_url: str) -> None:
    route = respx.get(f"{base_url}/v1/charging_sessions/{SESSION}").respond(
        200, json=seed_response()
    )

    with chargeapi.Client(TEST_KEY, base_url=base_url) as client:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert route.call_count == 1


# -- client configuration: retries, timeout -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error"), [(-1, ValueError), ("2", TypeError), (True, TypeError)]
)
def test_bad_max_retries_is_refused(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="max_retries"):
        chargeapi.Client(TEST_KEY, max_retries=value)


@pytest.mark.parametrize("value", [0, -1, 0.0, float("nan")])
def test_non_positive_timeout_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="timeout"):
        chargeapi.Client(TEST_KEY, timeout=value)


@respx.mock
def test_max_retries_zero_makes_a_single_attempt() -> None:
    route = respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(503)

    with (
        chargeapi.Client(TEST_KEY, max_retries=0) as client,
        pytest.raises(chargeapi.InternalServerError),
    ):
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert route.call_count == 1
