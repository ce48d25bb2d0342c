"""What the models decode to and encode back: exact types, timestamps, open enums, unknown
fields, expanded objects, the charging station example, immutability and decode errors."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
import respx

import chargeapi
from chargeapi import (
    Address,
    Availability,
    AvailabilityRange,
    Capabilities,
    ChargingSession,
    ChargingSessionStatus,
    ChargingStation,
    Connector,
    ConnectorStatus,
    Driver,
    Fleet,
    Location,
    OpeningHours,
    PaymentMethod,
    Pricing,
    Vehicle,
)

from .conftest import API, SEED_RESPONSE, STATION_EXAMPLE, seed_response

# The examples of the API reference, section 7, verbatim.
DRIVER_EXAMPLE: dict[str, Any] = {
    "id": "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3",
    "object": "driver",
    "created": "2026-04-01T00:14:04.075Z",
    "email": "example@example.com",
    "fleets": ["flt_eHX2bF02REQ3CkjidnUeY8nvq8yJiWA3"],
    "license_number": None,
    "metadata": {},
    "name": "Example Driver",
    "phone": None,
    "policy_ids": ["pol_jVkWoUmJo3AuAyK1sHuRrNAu3Cj7rxSn"],
    "preferences": {
        "charging_speed": "fast",
        "currency": "eur",
        "default_payment_method": None,
        "max_price_per_kwh": None,
        "notifications": True,
        "preferred_charging_stations": ["chst_qtwELQheAdAmnYLZ4F6RgJZet3f7ZbrA"],
        "preferred_cpos": ["example_operator"],
    },
    "status": "active",
    "updated": "2026-04-01T01:13:51.435Z",
    "vehicles": ["veh_ASPMuIbvn8wrb9un5Zg2sQAoDXAxWLHt"],
    "wallet_balance": 1875,
}
VEHICLE_EXAMPLE: dict[str, Any] = {
    "id": "veh_LYAsb3EGOvpMEVohGGwyONPPQTSO040H",
    "object": "vehicle",
    "battery_capacity": 82000,
    "charging_standard": "CCS",
    "created": "2026-04-01T00:39:14.467Z",
    "drivers": ["drv_FoGRbA1xhCCfIK7CrlcN5aExVR13Qjc3"],
    "fleet": "flt_uKWbgmcY1aNWVFxhxTNYNTLZro9tz4p2",
    "information": {"make": "Volvo", "model": "EX30", "year": "2025"},
    "metadata": {},
    "policy_ids": ["pol_Jkj1ZTjAH5bxAi05Y5x9qutaaYcH8sef"],
    "registration_plate": "AB-123-CD",
    "status": "active",
    "telemetry": "vtel_UWxuDZZAMbZTyDCSQ4kbKWbWqsSAnfJ0",
    "updated": "2026-04-01T01:24:26.833Z",
    "vin": "YV1XZK5V0S1234567",
}
ADDRESS_EXAMPLE: dict[str, Any] = STATION_EXAMPLE["address"]
FLEET_EXAMPLE: dict[str, Any] = {
    "id": "flt_nnMosKd4naheDFTiLmLhZ3Yw64xg9enI",
    "object": "fleet",
    "address": ADDRESS_EXAMPLE,
    "created": "2026-04-01T00:24:36.653Z",
    "description": None,
    "email": "example@example.com",
    "metadata": {},
    "metric_system": "international_system",
    "name": "Example Fleet",
    "phone": None,
    "policy_ids": ["pol_AGfBZOUmASNfvtGqjDwK8byoVlMzuAll"],
    "preferences": {
        "billing_cycle": "monthly",
        "default_currency": "eur",
        "default_payment_method": None,
        "notifications": True,
        "report_frequency": "weekly",
    },
    "status": "active",
    "timezone": "Europe/Paris",
    "total_drivers": 24,
    "total_energy_consumed_kwh": 4825.4,
    "total_sessions": 186,
    "total_vehicles": 18,
    "updated": "2026-04-01T01:24:44.642Z",
    "wallet_balance": 32150,
}
PAYMENT_METHOD_EXAMPLE: dict[str, Any] = {
    "id": "pm_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3",
    "object": "payment_method",
    "bank_account": None,
    "billing_details": {
        "address": ADDRESS_EXAMPLE,
        "email": "example@example.com",
        "name": "Example",
        "phone": "+33189000023",
    },
    "card": {
        "brand": "visa",
        "exp_month": 12,
        "exp_year": 2030,
        "fingerprint": "fp_card_example",
        "last4": "4242",
    },
    "created": "2026-04-01T00:10:56.540Z",
    "driver": None,
    "fleet": "flt_STpixc0H52WdIXZ4SeWaj9N4ekAbZUsS",
    "type": "card",
    "wallet": None,
}


def example(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(data)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def assert_utc(value: Any) -> None:
    assert type(value) is datetime
    assert value.tzinfo is not None
    assert value.utcoffset() == timedelta(0)


# -- the seed session -----------------------------------------------------------------------------


def test_seed_response_decodes_every_field_with_its_exact_type() -> None:
    session = ChargingSession.from_dict(seed_response())

    assert type(session) is ChargingSession
    assert session.id == "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY"
    assert session.object == "charging_session"
    for field in ("amount_due", "amount_paid", "energy_consumed"):
        assert type(getattr(session, field)) is int
    assert session.amount_due == 1842
    assert session.amount_paid == 0
    assert session.energy_consumed == 0
    assert session.charging_station == "chst_dxNYlw4nSLzUm4GWwPJ5ochwR3myCKsA"
    assert session.connector == "connector_a1"
    assert session.country == "FR"
    assert session.currency == "eur"
    for field in ("charging_station", "driver", "fleet", "payment_method", "vehicle"):
        assert type(getattr(session, field)) is str
        assert getattr(session, field) == SEED_RESPONSE[field]
    for field in ("created", "session_started", "updated"):
        assert_utc(getattr(session, field))
    assert session.created == utc(2026, 4, 1, 1, 9, 14, 87_000)
    assert session.session_started == utc(2026, 4, 1, 1, 15, 3, 983_000)
    assert session.updated == utc(2026, 4, 1, 1, 18, 50, 258_000)
    assert session.session_ended is None
    assert session.session_limit is None
    assert session.status == "active"
    assert session.status is ChargingSessionStatus.ACTIVE


def test_model_has_exactly_the_19_documented_fields() -> None:
    fields = [a.name for a in attrs.fields(ChargingSession) if not a.name.startswith("_")]

    assert sorted(fields) == sorted(SEED_RESPONSE)
    assert len(fields) == 19


def test_to_dict_gives_back_the_input_exactly() -> None:
    session = ChargingSession.from_dict(seed_response())

    assert session.to_dict() == SEED_RESPONSE
    assert ChargingSession.from_dict(session.to_dict()) == session


def test_ended_session_round_trips() -> None:
    data = seed_response()
    data.update(
        status="completed",
        session_ended="2026-04-01T02:00:00.000Z",
        session_limit=20000,
        energy_consumed=12480,
        fleet=None,
        country=None,
    )
    session = ChargingSession.from_dict(data)

    assert session.status is ChargingSessionStatus.COMPLETED
    assert session.session_ended == utc(2026, 4, 1, 2, 0, 0)
    assert type(session.session_limit) is int
    assert session.session_limit == 20000
    assert session.fleet is None
    assert session.country is None
    assert session.to_dict() == data


def test_session_limit_may_be_left_out() -> None:
    data = seed_response()
    del data["session_limit"]

    assert ChargingSession.from_dict(data).session_limit is None


# -- timestamps -----------------------------------------------------------------------------------


def test_unix_seconds_and_offsets_decode_to_the_same_utc_instant() -> None:
    instant = utc(2026, 4, 1, 1, 9, 14)
    variants = [
        int(instant.timestamp()),
        "2026-04-01T01:09:14Z",
        "2026-04-01T01:09:14.000Z",
        "2026-04-01T03:09:14+02:00",
        "2026-03-31T20:09:14-05:00",
    ]
    for value in variants:
        data = seed_response()
        data["created"] = value
        created = ChargingSession.from_dict(data).created
        assert_utc(created)
        assert created == instant, value


def test_offset_timestamp_keeps_milliseconds_and_encodes_back_as_utc_z() -> None:
    data = seed_response()
    data["updated"] = "2026-04-01T03:18:50.258+02:00"

    session = ChargingSession.from_dict(data)

    assert session.updated == utc(2026, 4, 1, 1, 18, 50, 258_000)
    assert session.to_dict()["updated"] == "2026-04-01T01:18:50.258Z"


def test_unix_timestamp_encodes_back_as_rfc3339() -> None:
    data = seed_response()
    data["created"] = 1775005754  # 2026-04-01T01:09:14Z

    assert ChargingSession.from_dict(data).to_dict()["created"] == "2026-04-01T01:09:14.000Z"


# -- open enums and unknown fields ----------------------------------------------------------------


def test_unknown_status_stays_a_plain_str() -> None:
    data = seed_response()
    data["status"] = "paused"

    session = ChargingSession.from_dict(data)

    assert type(session.status) is str
    assert session.status == "paused"
    assert session.to_dict()["status"] == "paused"


@pytest.mark.parametrize("status", ["active", "completed", "cancelled", "failed"])
def test_documented_statuses_become_enum_members(status: str) -> None:
    data = seed_response()
    data["status"] = status

    decoded = ChargingSession.from_dict(data).status

    assert isinstance(decoded, ChargingSessionStatus)
    assert decoded == status


def test_unknown_fields_are_ignored_but_returned_by_to_dict() -> None:
    data = seed_response()
    data["carbon_intensity"] = {"grams_per_kwh": 52, "source": "grid"}
    data["tags"] = ["night"]

    session = ChargingSession.from_dict(data)

    assert not hasattr(session, "carbon_intensity")
    assert not hasattr(session, "tags")
    assert session.to_dict() == data
    assert ChargingSession.from_dict(session.to_dict()) == session


def test_unknown_fields_of_nested_objects_are_returned_too() -> None:
    data = example(STATION_EXAMPLE)
    data["connectors"][0]["max_current"] = 200
    data["address"]["district"] = "2e"

    assert ChargingStation.from_dict(data).to_dict() == data


# -- expanded objects -----------------------------------------------------------------------------


def test_expanded_objects_decode_to_their_models() -> None:
    data = seed_response()
    data.update(
        driver=example(DRIVER_EXAMPLE),
        vehicle=example(VEHICLE_EXAMPLE),
        fleet=example(FLEET_EXAMPLE),
        payment_method=example(PAYMENT_METHOD_EXAMPLE),
        charging_station=example(STATION_EXAMPLE),
    )

    session = ChargingSession.from_dict(data)

    assert type(session.driver) is Driver
    assert type(session.vehicle) is Vehicle
    assert type(session.fleet) is Fleet
    assert type(session.payment_method) is PaymentMethod
    assert type(session.charging_station) is ChargingStation
    assert session.driver.id == DRIVER_EXAMPLE["id"]
    assert session.driver.wallet_balance == 1875
    assert session.driver.preferences is not None
    assert session.driver.preferences.preferred_cpos == ("example_operator",)
    assert session.vehicle.battery_capacity == 82000
    assert session.vehicle.fleet == VEHICLE_EXAMPLE["fleet"]
    assert session.vehicle.information is not None
    assert session.vehicle.information.model == "EX30"
    assert session.fleet.total_energy_consumed_kwh == 4825.4
    assert session.fleet.total_drivers == 24
    assert session.payment_method.card is not None
    assert session.payment_method.card.last4 == "4242"
    assert type(session.payment_method.card.exp_year) is int
    assert session.charging_station.connectors[0].id == "connector_a1"
    assert session.to_dict() == data


def test_only_expanded_fields_become_objects() -> None:
    data = seed_response()
    data["driver"] = example(DRIVER_EXAMPLE)

    session = ChargingSession.from_dict(data)

    assert type(session.driver) is Driver
    for field in ("charging_station", "fleet", "payment_method", "vehicle"):
        assert type(getattr(session, field)) is str


def test_nested_expansion_decodes_vehicle_fleet() -> None:
    data = seed_response()
    vehicle = example(VEHICLE_EXAMPLE)
    vehicle["fleet"] = example(FLEET_EXAMPLE)
    data["vehicle"] = vehicle

    session = ChargingSession.from_dict(data)

    assert type(session.vehicle) is Vehicle
    assert type(session.vehicle.fleet) is Fleet
    assert session.vehicle.fleet.name == "Example Fleet"


def test_expanded_driver_with_expanded_default_payment_method() -> None:
    driver = example(DRIVER_EXAMPLE)
    driver["preferences"]["default_payment_method"] = example(PAYMENT_METHOD_EXAMPLE)

    decoded = Driver.from_dict(driver)

    assert decoded.preferences is not None
    assert type(decoded.preferences.default_payment_method) is PaymentMethod
    assert decoded.to_dict() == driver


def test_object_of_another_type_in_an_expandable_field_is_refused() -> None:
    data = seed_response()
    data["driver"] = example(VEHICLE_EXAMPLE)

    with pytest.raises(ValueError, match="driver") as excinfo:
        ChargingSession.from_dict(data)

    assert "Vehicle" in str(excinfo.value)


@respx.mock
def test_retrieve_with_expand_returns_an_expanded_driver(client: chargeapi.Client) -> None:
    body = seed_response()
    body["driver"] = example(DRIVER_EXAMPLE)
    route = respx.get(f"{API}/v1/charging_sessions/{SEED_RESPONSE['id']}").respond(200, json=body)

    session = ChargingSession.retrieve(SEED_RESPONSE["id"], expand=["driver"], client=client)

    assert route.calls.last.request.url.params.get_list("expand") == ["driver"]
    assert type(session.driver) is Driver
    assert session.driver.email == "example@example.com"
    assert type(session.vehicle) is str


async def test_async_retrieve_with_expand_returns_expanded_objects(
    client: chargeapi.Client,
) -> None:
    body = seed_response()
    body["payment_method"] = example(PAYMENT_METHOD_EXAMPLE)
    body["charging_station"] = example(STATION_EXAMPLE)
    with respx.mock:
        respx.get(f"{API}/v1/charging_sessions/{SEED_RESPONSE['id']}").respond(200, json=body)

        session = await ChargingSession.retrieve_async(
            SEED_RESPONSE["id"], expand=["payment_method", "charging_station"], client=client
        )

    assert type(session.payment_method) is PaymentMethod
    assert type(session.charging_station) is ChargingStation
    assert session.to_dict() == body


# -- the charging station example -----------------------------------------------------------------


def test_station_example_decodes_fully() -> None:
    station = ChargingStation.from_dict(example(STATION_EXAMPLE))

    assert station.id == "chst_iMb1nAbiUhyudabADX74SMtWaNhC4Z1t"
    assert station.object == "charging_station"
    assert station.address == Address(
        city="Paris",
        country="FR",
        line1="10 Rue de la Paix",
        line2="Batiment A",
        postal_code="75002",
        state="Ile-de-France",
    )
    assert type(station.availability) is Availability
    assert station.availability.connectors_available == 3
    assert station.availability.connectors_total == 8
    assert station.availability.opening_hours == (
        OpeningHours(day="mon", from_="08:00", until="20:00"),
    )
    assert station.availability.range == (
        AvailabilityRange(
            from_=utc(2026, 4, 1, 1, 42, 32, 276_000), until=utc(2026, 4, 1, 2, 41, 49, 904_000)
        ),
    )
    assert type(station.capabilities) is Capabilities
    assert station.capabilities.access_24_7 is False
    assert station.capabilities.amenities == ("cafe", "restrooms", "wifi")
    assert station.capabilities.payment_methods == ("credit_card", "rfid")
    assert station.capabilities.requires_membership is False
    assert station.capabilities.reservable is True
    assert station.connectors == (
        Connector(id="connector_a1", power=150, status="available", type="CCS"),
        Connector(id="connector_a2", power=150, status="occupied", type="CCS"),
    )
    assert station.connectors[0].status is ConnectorStatus.AVAILABLE
    assert station.connectors[1].status is ConnectorStatus.OCCUPIED
    assert type(station.connectors[0].power) is float  # a documented number: 150 -> 150.0
    assert station.location == Location(latitude=48.8698, longitude=2.3319)
    assert type(station.location.latitude) is float
    assert station.name == "Example Station"
    assert station.operator == "Example Operator"
    assert station.operator_contact == "support@example.com"
    assert station.pricing == (
        Pricing(currency="eur", price=42, step_size=1, tax="vat", type="ENERGY"),
    )
    assert type(station.pricing[0].price) is int
    assert station.status == "active"
    assert station.created == utc(2026, 4, 1, 0, 41, 56, 862_000)
    assert station.updated == utc(2026, 4, 1, 1, 41, 54, 99_000)


def test_station_example_round_trips_exactly() -> None:
    station = ChargingStation.from_dict(example(STATION_EXAMPLE))

    encoded = station.to_dict()

    assert encoded == STATION_EXAMPLE
    assert encoded["capabilities"]["24_7_access"] is False
    assert "access_24_7" not in encoded["capabilities"]
    assert encoded["availability"]["opening_hours"][0]["from"] == "08:00"
    assert "from_" not in encoded["availability"]["range"][0]
    assert ChargingStation.from_dict(encoded) == station


def test_connector_power_keeps_a_fractional_kw() -> None:
    data = example(STATION_EXAMPLE)
    data["connectors"][0]["power"] = 7.4

    station = ChargingStation.from_dict(data)

    assert station.connectors[0].power == 7.4
    assert station.to_dict() == data


def test_24_7_access_uses_its_json_name_when_decoding() -> None:
    data = example(STATION_EXAMPLE)
    data["capabilities"]["24_7_access"] = True

    assert ChargingStation.from_dict(data).capabilities.access_24_7 is True


def test_missing_24_7_access_is_reported_by_its_json_name() -> None:
    # The message's path ("ChargingStation.capabilities....") must use the JSON key.
    data = example(STATION_EXAMPLE)
    del data["capabilities"]["24_7_access"]

    with pytest.raises(ValueError, match=r"ChargingStation\.capabilities\.24_7_access: missing"):
        ChargingStation.from_dict(data)


# -- money and energy stay integers --------------------------------------------------------------


@pytest.mark.parametrize("field", ["amount_due", "amount_paid", "energy_consumed", "session_limit"])
@pytest.mark.parametrize("value", [18.42, 1842.0, "1842", True])
def test_amounts_and_energy_must_be_json_integers(field: str, value: Any) -> None:
    data = seed_response()
    data[field] = value

    with pytest.raises(ValueError, match=field):
        ChargingSession.from_dict(data)


@pytest.mark.parametrize("value", [42.5, "42"])
def test_station_price_must_be_an_integer(value: Any) -> None:
    data = example(STATION_EXAMPLE)
    data["pricing"][0]["price"] = value

    with pytest.raises(ValueError, match="price"):
        ChargingStation.from_dict(data)


def test_large_amounts_stay_exact_ints() -> None:
    data = seed_response()
    data["amount_due"] = 2**53 + 1

    session = ChargingSession.from_dict(data)

    assert type(session.amount_due) is int
    assert session.amount_due == 2**53 + 1
    assert session.to_dict()["amount_due"] == 2**53 + 1


# -- frozen, slotted ------------------------------------------------------------------------------


def test_models_are_frozen() -> None:
    session = ChargingSession.from_dict(seed_response())
    station = ChargingStation.from_dict(example(STATION_EXAMPLE))

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        session.amount_due = 0  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        station.capabilities.reservable = False  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del session.status  # type: ignore[misc]
    assert session.amount_due == 1842


@pytest.mark.parametrize(
    "model", [ChargingSession, ChargingStation, Connector, Driver, Fleet, PaymentMethod, Vehicle]
)
def test_models_are_slotted(model: type[Any]) -> None:
    assert "__slots__" in model.__dict__


def test_no_new_attribute_can_be_set() -> None:
    session = ChargingSession.from_dict(seed_response())
    assert not hasattr(session, "__dict__")

    with pytest.raises((attrs.exceptions.FrozenInstanceError, AttributeError)):
        session.note = "x"  # type: ignore[attr-defined]


def test_equal_inputs_give_equal_models() -> None:
    one = ChargingSession.from_dict(seed_response())
    two = ChargingSession.from_dict(seed_response())

    assert one == two
    assert one != attrs.evolve(one, amount_due=1)


# -- decode errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount_due", "1842"),
        ("created", "yesterday"),
        ("created", None),
        ("object", "driver"),
        ("status", 5),
        ("vehicle", ["veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3"]),
    ],
)
def test_from_dict_with_bad_data_is_a_value_error_naming_the_field(field: str, value: Any) -> None:
    data = seed_response()
    data[field] = value

    with pytest.raises(ValueError, match=field) as excinfo:
        ChargingSession.from_dict(data)

    assert "ChargingSession" in str(excinfo.value)
    assert excinfo.value.__cause__ is None
    assert excinfo.value.__context__ is None or excinfo.value.__suppress_context__


def test_from_dict_with_a_missing_field_names_it() -> None:
    data = seed_response()
    del data["currency"]

    with pytest.raises(ValueError, match="currency") as excinfo:
        ChargingSession.from_dict(data)

    assert "missing" in str(excinfo.value)
    assert not isinstance(excinfo.value, KeyError)


def test_from_dict_names_a_nested_field() -> None:
    data = example(STATION_EXAMPLE)
    data["connectors"][1]["id"] = 2

    with pytest.raises(ValueError, match=r"connectors") as excinfo:
        ChargingStation.from_dict(data)

    assert "id" in str(excinfo.value)


@pytest.mark.parametrize("data", ["x", ["a"], 42, None])
def test_from_dict_of_no_mapping_is_a_type_error(data: Any) -> None:
    with pytest.raises(TypeError, match="dict"):
        ChargingSession.from_dict(data)


def test_from_dict_does_not_change_its_input() -> None:
    data = seed_response()
    data["driver"] = example(DRIVER_EXAMPLE)
    before = copy.deepcopy(data)

    ChargingSession.from_dict(data)

    assert data == before


def test_equal_sessions_hash_equal_so_they_can_live_in_sets() -> None:
    first = chargeapi.ChargingSession.from_dict(seed_response() | {"future_field": [1]})
    second = chargeapi.ChargingSession.from_dict(seed_response() | {"future_field": [1]})

    assert first == second
    assert len({first, second}) == 1


def test_unknown_fields_are_copied_in_and_out() -> None:
    source = seed_response() | {"future": {"x": [1]}}
    session = chargeapi.ChargingSession.from_dict(source)
    source["future"]["x"].append(2)  # the caller's dict changes ...
    out = session.to_dict()
    assert out["future"] == {"x": [1]}  # ... the frozen model does not
    out["future"]["x"].append(3)  # nor does editing what to_dict() gave back
    assert session.to_dict()["future"] == {"x": [1]}
