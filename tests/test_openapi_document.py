"""``chargeapi.testing.openapi_document()``: the documented API as OpenAPI 3.1.

Every expectation here is written from the API reference by hand (its section named in each
test), not read from the SDK: the document is built from the SDK's definitions, and these
tests are where the two are held against the docs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from chargeapi.testing import openapi_document

DOCUMENT = openapi_document()
SCHEMAS: dict[str, Any] = DOCUMENT["components"]["schemas"]
NULL = {"type": "null"}


def operation(method: str, path: str) -> dict[str, Any]:
    found: dict[str, Any] = DOCUMENT["paths"][path][method]
    return found


def body(method: str, path: str) -> dict[str, Any]:
    schema: dict[str, Any] = operation(method, path)["requestBody"]["content"]["application/json"][
        "schema"
    ]
    return schema


def query(method: str, path: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation(method, path)["parameters"] if p["in"] == "query"}


def prop(model: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = SCHEMAS[model]["properties"][name]
    return {k: v for k, v in found.items() if k != "description"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_it_is_openapi_3_1_json_with_all_61_operations() -> None:
    assert DOCUMENT["openapi"] == "3.1.0"
    assert DOCUMENT["servers"] == [{"url": "https://api.chargeapi.co"}]
    operations = [op for ops in DOCUMENT["paths"].values() for op in ops.values()]
    assert len(operations) == 61
    assert len({op["operationId"] for op in operations}) == 61
    assert json.loads(json.dumps(DOCUMENT)) == DOCUMENT


def test_each_call_gives_a_fresh_copy() -> None:
    changed = openapi_document()
    changed["paths"].clear()

    assert openapi_document()["paths"] == DOCUMENT["paths"]


def test_the_documented_methods_and_paths() -> None:  # sections 1, 6, 7
    expected = {
        ("post", "/v1/charging_sessions/{charging_session}/end"),
        ("post", "/v1/drivers/{driver}/attach"),
        ("get", "/v1/vehicles/{vehicle}/telemetry"),
        ("delete", "/v1/policies/{policy}"),
        ("post", "/v1/invoices/{invoice}/void"),
        ("post", "/v1/webhook_endpoints/{webhook_endpoint}"),
        ("get", "/v1/charging_stations"),
    }
    present = {(m, p) for p, ops in DOCUMENT["paths"].items() for m in ops}

    assert expected <= present
    assert ("delete", "/v1/drivers/{driver}") not in present  # only policies document a delete


def test_a_session_is_created_with_five_required_ids_and_an_optional_limit() -> None:  # 7.1
    schema = body("post", "/v1/charging_sessions")

    assert sorted(schema["required"]) == [
        "charging_station", "connector", "driver", "payment_method", "vehicle",
    ]  # fmt: skip
    assert schema["properties"]["driver"] == ref("DriverID")
    assert SCHEMAS["DriverID"]["pattern"].startswith("^drv_")
    assert schema["properties"]["session_limit"]["type"] == "integer"
    assert schema["properties"]["session_limit"]["minimum"] == 1
    assert schema["additionalProperties"] is False


def test_lists_take_limit_1_to_100_and_a_page_token() -> None:  # section 4
    params = query("get", "/v1/invoices")

    assert (params["limit"]["schema"]["minimum"], params["limit"]["schema"]["maximum"]) == (1, 100)
    assert params["page"]["schema"]["pattern"].startswith("^page_")
    assert params["status"]["schema"]["enum"][:5] == ["draft", "open", "paid", "overdue", "void"]


def test_a_list_answers_data_and_two_page_urls_only() -> None:  # section 4
    answer = operation("get", "/v1/drivers")["responses"]["200"]["content"]["application/json"]

    assert answer["schema"] == ref("DriverList")
    assert SCHEMAS["DriverList"]["required"] == ["data", "next_page_url", "previous_page_url"]
    assert SCHEMAS["DriverList"]["additionalProperties"] is False
    assert NULL in SCHEMAS["DriverList"]["properties"]["next_page_url"]["anyOf"]


def test_expand_is_repeated_with_the_documented_paths() -> None:  # section 5
    expand = query("get", "/v1/reservations/{reservation}")["expand"]

    assert (expand["style"], expand["explode"]) == ("form", True)
    paths = expand["schema"]["items"]["enum"]
    assert {"charging_station", "driver", "payment_method", "vehicle", "vehicle.fleet"} <= set(
        paths
    )
    assert "fleet" not in paths  # not in the docs' row for reservations


def test_ranges_from_the_docs() -> None:  # 7.11, 7.5
    estimation = body("post", "/v1/estimations")["properties"]

    assert (estimation["battery_level"]["minimum"], estimation["battery_level"]["maximum"]) == (
        0,
        100,
    )
    assert estimation["battery_target_level"]["minimum"] == 1
    assert prop("TelemetryBattery", "level")["maximum"] == 100


def test_attach_takes_exactly_one_of_driver_or_fleet() -> None:  # 7.7
    schema = body("post", "/v1/payment_methods/{payment_method}/attach")

    assert schema["oneOf"] == [{"required": ["driver"]}, {"required": ["fleet"]}]


def test_webhook_endpoints_need_an_event_and_an_https_url() -> None:  # section 6
    schema = body("post", "/v1/webhook_endpoints")

    assert sorted(schema["required"]) == ["enabled_events", "url"]
    assert schema["properties"]["enabled_events"]["minItems"] == 1
    assert schema["properties"]["url"]["pattern"] == "^https://"


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("Driver", "phone"),  # string | null
        ("Driver", "license_number"),  # string | null
        ("ChargingSession", "session_ended"),  # string | null
        ("ChargingSession", "country"),  # string | null
        ("Vehicle", "fleet"),  # string | null
        ("Invoice", "amount_due"),  # integer | null
        ("Invoice", "paid_at"),  # null in the draft example
        ("PaymentMethod", "card"),  # object | null
        ("Reservation", "failed_reason"),  # nullable
        ("WebhookEndpoint", "api_version"),  # string | null
        ("Report", "url"),  # null until it succeeded
    ],
)
def test_fields_the_docs_make_nullable_are_nullable(model: str, field: str) -> None:
    assert NULL in prop(model, field)["anyOf"]


@pytest.mark.parametrize(
    ("model", "field", "schema"),
    [
        ("Driver", "name", {"type": "string"}),
        ("Driver", "email", {"type": "string"}),
        ("Invoice", "period_start", ref("Timestamp")),
        ("Invoice", "due_date", ref("Timestamp")),
        ("Transaction", "amount", {"type": "integer"}),
        ("Fleet", "total_energy_consumed_kwh", {"type": "number"}),
        ("Address", "line2", {"type": "string"}),  # filled in every example
        ("AccountContact", "phone", {"type": "string"}),  # filled in the example
        ("Vehicle", "information", ref("VehicleInformation")),
    ],
)
def test_fields_the_docs_type_plainly_are_not_nullable(
    model: str, field: str, schema: dict[str, Any]
) -> None:
    assert prop(model, field) == schema
    assert field in SCHEMAS[model]["required"]


def test_timestamps_are_rfc_3339_utc_with_milliseconds() -> None:  # section 1
    import re

    pattern = re.compile(SCHEMAS["Timestamp"]["pattern"])

    assert pattern.fullmatch("2026-03-03T14:05:23.789Z")
    assert not pattern.fullmatch("2026-03-03T14:05:23Z")
    assert not pattern.fullmatch("185-03-03T14:05:23.789Z")


def test_an_expandable_field_is_its_id_or_the_object() -> None:  # section 5
    assert prop("ChargingSession", "driver") == {"anyOf": [ref("DriverID"), ref("Driver")]}
    assert prop("ChargingSession", "fleet") == {"anyOf": [ref("FleetID"), ref("Fleet"), NULL]}


def test_enums_listed_in_full_are_closed_and_examples_stay_open() -> None:  # 7.1, 7.2, 7.11
    assert prop("ChargingSession", "status") == {
        "enum": ["active", "completed", "cancelled", "failed"]
    }
    assert prop("Connector", "status")["type"] == "string"  # "available", "occupied" by example
    assert prop("EstimationCostItem", "type")["type"] == "string"  # "e.g. energy, session_fee"


def test_currencies_are_three_lowercase_letters() -> None:  # section 1, "Money"
    currency = {"type": "string", "pattern": "^[a-z]{3}$"}

    assert prop("Invoice", "currency") == currency
    assert prop("Account", "default_currency") == currency
    assert body("post", "/v1/estimations")["properties"]["currency"] == currency


def test_json_names_that_are_not_python_names() -> None:  # 7.2
    assert "24_7_access" in SCHEMAS["Capabilities"]["properties"]
    assert "from" in SCHEMAS["OpeningHours"]["properties"]


def test_every_error_status_answers_the_documented_error_object() -> None:  # section 2
    error = SCHEMAS["Error"]
    assert sorted(error["required"]) == sorted(
        ["object", "type", "code", "message", "param", "request", "status", "doc_url"]
    )
    responses = operation("post", "/v1/invoices/{invoice}/pay")["responses"]

    assert sorted(responses) == ["200", "400", "401", "402", "403", "404", "409", "429"]
    schema = responses["404"]["content"]["application/json"]["schema"]
    assert schema == {"allOf": [ref("Error"), {"properties": {"status": {"const": 404}}}]}
    assert "409" not in operation("get", "/v1/drivers/{driver}")["responses"]


def test_a_delete_answers_the_deleted_object() -> None:  # 7.8
    answer = operation("delete", "/v1/policies/{policy}")["responses"]["200"]
    schema = answer["content"]["application/json"]["schema"]

    assert schema == ref("DeletedObject")
    assert prop("DeletedObject", "deleted") == {"type": "boolean"}


def test_importing_chargeapi_testing_does_not_build_it() -> None:
    code = (
        "import sys, chargeapi, chargeapi.testing; "
        "print('chargeapi.testing._openapi' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.strip() == "False"
