"""Every example object of the API reference decodes, and ``to_dict()`` gives it back exactly.

The 16 examples below are copied verbatim from the reference (sections 6 and 7): a complete
object of each documented type, as the newer docs generation renders it. Expandable fields are
checked by putting the documented example of the related object in place of its ID.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

import chargeapi

EXAMPLES: dict[str, tuple[type[chargeapi.ChargeObject], str]] = {
    "event": (
        chargeapi.Event,
        r"""
{
  "id": "evt_NmNUTThiOjk3oAzDtQpWLV79AFhr78FT",
  "object": "event",
  "api_version": "2026-03-01",
  "created": "2026-05-02T00:15:38.499Z",
  "data": {
    "object": { "id": "rpt_cXNADyjylti5TA9JtivLG8LoGAVCXXGn", "object": "report", "status": "succeeded", "...": "..." },
    "previous_attributes": { "status": "processing" }
  },
  "livemode": false,
  "pending_webhooks": 1,
  "request": { "id": "req_EyT9KDgAXspoANAnxvmjQPlMoqclRg3j", "idempotency_key": "idem_6Qu8Ct9AyKLiCftseJA9vuu6a7Wq6NAI" },
  "type": "report.succeeded"
}
""",
    ),
    "webhook_endpoint": (
        chargeapi.WebhookEndpoint,
        r"""
{"id":"wh_ciX3YSgbziEUrUrZ7eUwNnAJm89uT45f","object":"webhook_endpoint","api_version":"2026-03-01","application":null,
 "created":"2026-04-01T00:25:13.233Z","description":null,"enabled_events":["report.succeeded","reservation.confirmed"],
 "livemode":false,"metadata":{},"secret":"whsec_b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA","status":"enabled",
 "url":"https://example.com/webhook/endpoint"}
""",
    ),
    "charging_session": (
        chargeapi.ChargingSession,
        r"""
{"id":"cs_l22tJO0CuTskKYpTv729awh03sRWnijk","object":"charging_session","amount_due":1842,"amount_paid":0,
 "charging_station":"chst_AEoFA0Hzg73oTdE4A78y1AwQ1qqB8aUZ","connector":"connector_a1","country":"FR",
 "created":"2026-04-01T01:27:11.867Z","currency":"eur","driver":"drv_IsyNzuUkgSd0RAThYiU4nmteVRpI7kPl",
 "energy_consumed":12480,"fleet":"flt_hoPDrnmp1zSdbAA5NanAPDIwSQg88sfy","payment_method":"pm_ItBHV1QUL1PAnNZmCFX2aBJdppmeiJTz",
 "session_ended":null,"session_limit":null,"session_started":"2026-04-01T01:32:56.030Z","status":"active",
 "updated":"2026-04-01T02:02:58.111Z","vehicle":"veh_KnqAScicQNI3X1Fj0RL79Y1H0TA2bVMt"}
""",
    ),
    "charging_station": (
        chargeapi.ChargingStation,
        r"""
{"id":"chst_iMb1nAbiUhyudabADX74SMtWaNhC4Z1t","object":"charging_station",
 "address":{"city":"Paris","country":"FR","line1":"10 Rue de la Paix","line2":"Batiment A","postal_code":"75002","state":"Ile-de-France"},
 "availability":{"connectors_available":3,"connectors_total":8,"opening_hours":[{"day":"mon","from":"08:00","until":"20:00"}],
   "range":[{"from":"2026-04-01T01:42:32.276Z","until":"2026-04-01T02:41:49.904Z"}]},
 "capabilities":{"24_7_access":false,"amenities":["cafe","restrooms","wifi"],"payment_methods":["credit_card","rfid"],
   "requires_membership":false,"reservable":true},
 "connectors":[{"id":"connector_a1","power":150,"status":"available","type":"CCS"},{"id":"connector_a2","power":150,"status":"occupied","type":"CCS"}],
 "created":"2026-04-01T00:41:56.862Z","location":{"latitude":48.8698,"longitude":2.3319},"name":"Example Station",
 "operator":"Example Operator","operator_contact":"support@example.com",
 "pricing":[{"currency":"eur","price":42,"step_size":1,"tax":"vat","type":"ENERGY"}],"status":"active","updated":"2026-04-01T01:41:54.099Z"}
""",
    ),
    "driver": (
        chargeapi.Driver,
        r"""
{"id":"drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3","object":"driver","created":"2026-04-01T00:14:04.075Z","email":"example@example.com",
 "fleets":["flt_eHX2bF02REQ3CkjidnUeY8nvq8yJiWA3"],"license_number":null,"metadata":{},"name":"Example Driver","phone":null,
 "policy_ids":["pol_jVkWoUmJo3AuAyK1sHuRrNAu3Cj7rxSn"],
 "preferences":{"charging_speed":"fast","currency":"eur","default_payment_method":null,"max_price_per_kwh":null,"notifications":true,
   "preferred_charging_stations":["chst_qtwELQheAdAmnYLZ4F6RgJZet3f7ZbrA"],"preferred_cpos":["example_operator"]},
 "status":"active","updated":"2026-04-01T01:13:51.435Z","vehicles":["veh_ASPMuIbvn8wrb9un5Zg2sQAoDXAxWLHt"],"wallet_balance":1875}
""",
    ),
    "vehicle": (
        chargeapi.Vehicle,
        r"""
{"id":"veh_LYAsb3EGOvpMEVohGGwyONPPQTSO040H","object":"vehicle","battery_capacity":82000,"charging_standard":"CCS",
 "created":"2026-04-01T00:39:14.467Z","drivers":["drv_FoGRbA1xhCCfIK7CrlcN5aExVR13Qjc3"],"fleet":"flt_uKWbgmcY1aNWVFxhxTNYNTLZro9tz4p2",
 "information":{"make":"Volvo","model":"EX30","year":"2025"},"metadata":{},"policy_ids":["pol_Jkj1ZTjAH5bxAi05Y5x9qutaaYcH8sef"],
 "registration_plate":"AB-123-CD","status":"active","telemetry":"vtel_UWxuDZZAMbZTyDCSQ4kbKWbWqsSAnfJ0",
 "updated":"2026-04-01T01:24:26.833Z","vin":"YV1XZK5V0S1234567"}
""",
    ),
    "vehicle_telemetry": (
        chargeapi.VehicleTelemetry,
        r"""
{"id":"vtel_QqrK9N8ew14uY0Qi7gHlQD0vWQ48hdBP","object":"vehicle_telemetry",
 "battery":{"capacity":82000,"level":78,"range":320000,"status":"charging","temperature":24.5,"updated":"2026-04-01T01:34:31.737Z"},
 "firmware_version":"v1.2.3","location":{"latitude":48.8698,"longitude":2.3319,"updated":"2026-04-01T01:34:40.112Z"},
 "odometer":{"unit":"KMS","updated":"2026-04-01T01:34:34.348Z","value":32540},"vehicle":"veh_eDmko7kTu3LBcfLJ3E5QslrtSRvbsyOZ"}
""",
    ),
    "fleet": (
        chargeapi.Fleet,
        r"""
{"id":"flt_nnMosKd4naheDFTiLmLhZ3Yw64xg9enI","object":"fleet",
 "address":{"city":"Paris","country":"FR","line1":"10 Rue de la Paix","line2":"Batiment A","postal_code":"75002","state":"Ile-de-France"},
 "created":"2026-04-01T00:24:36.653Z","description":null,"email":"example@example.com","metadata":{},"metric_system":"international_system",
 "name":"Example Fleet","phone":null,"policy_ids":["pol_AGfBZOUmASNfvtGqjDwK8byoVlMzuAll"],
 "preferences":{"billing_cycle":"monthly","default_currency":"eur","default_payment_method":null,"notifications":true,"report_frequency":"weekly"},
 "status":"active","timezone":"Europe/Paris","total_drivers":24,"total_energy_consumed_kwh":4825.4,"total_sessions":186,
 "total_vehicles":18,"updated":"2026-04-01T01:24:44.642Z","wallet_balance":32150}
""",
    ),
    "payment_method": (
        chargeapi.PaymentMethod,
        r"""
{"id":"pm_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3","object":"payment_method","bank_account":null,
 "billing_details":{"address":{"city":"Paris","country":"FR","line1":"10 Rue de la Paix","line2":"Batiment A","postal_code":"75002","state":"Ile-de-France"},
   "email":"example@example.com","name":"Example","phone":"+33189000023"},
 "card":{"brand":"visa","exp_month":12,"exp_year":2030,"fingerprint":"fp_card_example","last4":"4242"},
 "created":"2026-04-01T00:10:56.540Z","driver":null,"fleet":"flt_STpixc0H52WdIXZ4SeWaj9N4ekAbZUsS","type":"card","wallet":null}
""",
    ),
    "policy": (
        chargeapi.Policy,
        r"""
{"id":"pol_BAmcmCVnWzqSlC5BFWKtpgHsOAo22N9N","object":"policy","created":"2026-04-01T00:39:10.282Z","description":null,"metadata":{},
 "mode":"enforcement","name":"Example Policy",
 "rules":{"allowed_operators":["example_operator"],"denied_operators":[],
   "geofences":[{"center":{"latitude":48.8698,"longitude":2.3319},"name":"Example Zone","radius_meters":1500}],
   "max_price_per_kwh":25,
   "time_windows":[{"days_of_week":["monday","tuesday","wednesday","thursday","friday"],"end_time":"18:00","start_time":"09:00"}]},
 "status":"active"}
""",
    ),
    "account": (
        chargeapi.Account,
        r"""
{"id":"acct_cdxZGYZlXIlJYGA3TaAkXFI2YnUXR6Bv","object":"account",
 "billing_details":{"billing_address":{"city":"Paris","country":"FR","line1":"10 Rue de la Paix","line2":"Batiment A","postal_code":"75002","state":"Ile-de-France"}},
 "business_type":null,"contact":{"email":"example@example.com","name":"Example","phone":"+33189000010"},
 "created":"2026-04-01T00:32:04.021Z","default_currency":"eur","description":null,"email":"example@example.com","metadata":{},
 "metric_system":"metric","name":"Example Account","plan":"professional",
 "preferences":{"billing_cycle":"monthly","default_currency":"eur","default_payment_method":null,"notifications":true,"report_frequency":"weekly","reporting_enabled":true},
 "registration_number":null,"status":"active","type":"business","updated":"2026-04-01T02:31:57.659Z","wallet_balance":42850}
""",
    ),
    "reservation": (
        chargeapi.Reservation,
        r"""
{"id":"res_nfJiRR1ok35nSfnIpS4tC7SAsUk0K3As","object":"reservation","cancellation_policy":{"free_until_before":1800,"type":"free_cancellation"},
 "charging_station":"chst_AwAMEuLnH0Umz3DhtEjEaHACtMcscDDY","confirmed_at":"2026-04-01T01:04:32.666Z","connector_type":["CCS"],
 "created":"2026-04-01T00:36:20.907Z","currency":"eur","driver":"drv_OAVzBPkaauGK3svjp2YxHyGkZxPjIuSB","earliest_start":null,
 "failed_reason":null,"ideal_end":"2026-04-01T03:06:35.302Z","ideal_start":"2026-04-01T01:36:39.198Z","latest_end":null,
 "location":{"latitude":48.8698,"longitude":2.3319,"radius":1500},"metadata":{},"payment_method":"pm_ifwG4OMNnEmqjpi7cP8EJvxiRZAzGOEX",
 "reservation_fee":1200,"reserved_end":"2026-04-01T03:06:19.700Z","reserved_start":"2026-04-01T01:36:39.901Z","status":"confirmed",
 "updated":"2026-04-01T01:10:19.775Z","vehicle":"veh_O3C7oq0HKOkNlpzokFN5eTTVWImdeLKy"}
""",
    ),
    "estimation": (
        chargeapi.Estimation,
        r"""
{"id":"est_4wAzX6Td1H9rgSOK1F04h6t8dAhMvCZO","object":"estimation","battery_level":28,"battery_target_level":80,
 "charging_station":"chst_AW4FwwMQVwSaUWoKLgTZtlRjAUTdyA2t",
 "cost_breakdown":[{"cost":1542,"description":"Off-peak energy rate","quantity":18.25,"tax_percent":"20%","type":"energy","unit":"kWh","unit_price":85},
   {"cost":300,"description":"Session fee","quantity":null,"tax_percent":null,"type":"session_fee","unit":null,"unit_price":null}],
 "created":"2026-04-01T01:07:39.609Z","currency":"eur","estimated_duration":3600,"estimated_energy_kwh":18.25,
 "estimated_total_cost":1842,"valid_until":"2026-04-01T02:07:52.218Z","vehicle":"veh_gSUxpyILI2YhUOvd5jcGDyKA4sriI7t7"}
""",
    ),
    "invoice": (
        chargeapi.Invoice,
        r"""
{"id":"inv_x1QYytVkSXm5EPAsZCFVnnEW4DSSkY8K","object":"invoice","amount_due":2500,"amount_paid":null,"created":"2026-05-02T00:40:50.892Z",
 "currency":"eur","description":null,"due_date":"2026-05-09T00:41:23.968Z","fleet":"flt_FCnMkyIiidV4Go6AyA3EkQ8J3to4PYip",
 "line_items":[{"amount":1842,"description":"Charging sessions for March 2026","quantity":1,"unit_amount":1842},
   {"amount":658,"description":"Reservation fees","quantity":2,"unit_amount":329}],
 "metadata":{},"paid_at":null,"payment_method":null,"period_end":"2026-05-02T00:41:19.481Z","period_start":"2026-04-01T00:41:30.118Z","status":"draft"}
""",
    ),
    "transaction": (
        chargeapi.Transaction,
        r"""
{"id":"txn_Bn4hF4izCWt29CHG1jijO5YobJKdy8Of","object":"transaction","amount":1842,"charging_session":"cs_JOfFUrmbtCNKK0fA5OAuGy18dxlrNSp8",
 "created":"2026-04-01T03:27:23.812Z","currency":"eur","description":"Charge for charging session cs_JOfFUrmbtCNKK0fA5OAuGy18dxlrNSp8",
 "driver":"drv_xCY8p1p5O6tFt0ccymP2GAQ3Mtd3qfky","fleet":"flt_sAnhKFeQ0AVJkLyxdA39GAIrOzGtDFC2","payment_method":"pm_9lA2pgJi9fkAiAAGBAABCIO9qASX5egE",
 "status":"succeeded","type":"charge","vehicle":"veh_r9o8w3cvwxvKKkBRIcoxvUCJgiUYqnhb"}
""",
    ),
    "report": (
        chargeapi.Report,
        r"""
{"id":"rpt_HmS9nyVBU8YimkBftwAwPp5bqA31LyPd","object":"report","account":"acct_m1fAaBjTsocSgEAaAJMkNAG4dwP13R7X","created":"2026-05-02T00:37:49.915Z",
 "fleet":"flt_P8fIJXDlGlEq6KQsUDSvV7DW8OQlZxgO",
 "parameters":{"filters":{"vehicle":["veh_ZT57dmneTYSCr4PUAMg5p0Ynr5F85vpk"]},"group_by":"vehicle","period_end":"2026-05-02T00:37:39.058Z",
   "period_start":"2026-04-01T00:37:49.196Z","type":"charging_summary"},
 "size":48312,"status":"succeeded","succeeded_at":"2026-05-02T00:42:20.267Z","type":"csv",
 "url":"https://files.chargeapi.co/reports/rpt_HmS9nyVBU8YimkBftwAwPp5bqA31LyPd.csv"}
""",
    ),
}

#: Every object type the reference documents (its ID prefix table, less request/page tokens).
DOCUMENTED_TYPES = {
    "account",
    "charging_session",
    "charging_station",
    "driver",
    "estimation",
    "event",
    "fleet",
    "invoice",
    "payment_method",
    "policy",
    "report",
    "reservation",
    "transaction",
    "vehicle",
    "vehicle_telemetry",
    "webhook_endpoint",
}


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLES[name][1])
    return data


def test_there_is_one_example_of_every_documented_object_type() -> None:
    assert set(EXAMPLES) == DOCUMENTED_TYPES
    assert {example(name)["object"] for name in EXAMPLES} == DOCUMENTED_TYPES


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_documented_example_decodes_and_round_trips_exactly(name: str) -> None:
    model, _ = EXAMPLES[name]
    data = example(name)
    obj = model.from_dict(data)
    assert type(obj) is model
    assert obj.to_dict() == data
    # Same JSON text too: no key in another spelling, no number of another value. A documented
    # number is a float, so a whole one (a power of 150) may come back as 150.0: the same JSON
    # number, written the way JSON writers agree on for it.
    assert _json_text(obj.to_dict()) == _json_text(data)
    assert model.from_dict(obj.to_dict()) == obj


def _json_text(data: Any) -> str:
    def whole(value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, dict):
            return {k: whole(v) for k, v in value.items()}
        if isinstance(value, list):
            return [whole(v) for v in value]
        return value

    return json.dumps(whole(data), sort_keys=True)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_documented_example_has_no_field_the_model_does_not_know(name: str) -> None:
    model, _ = EXAMPLES[name]
    data = example(name)
    if name == "event":  # the docs elide the event's report snapshot with a "..." key
        data["data"]["object"].pop("...")
    obj = model.from_dict(data)
    unknown = [path for path in _unknown_paths(obj)]
    assert unknown == []


def _unknown_paths(obj: Any, path: str = "$") -> list[str]:
    found: list[str] = []
    if isinstance(obj, chargeapi.ChargeObject):
        found += [f"{path}.{key}" for key in obj._unknown]
        for attribute in type(obj).__attrs_attrs__:  # type: ignore[attr-defined]
            if not attribute.name.startswith("_"):
                found += _unknown_paths(getattr(obj, attribute.name), f"{path}.{attribute.name}")
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            found += _unknown_paths(item, f"{path}[{i}]")
    return found


# (object, dotted attribute path, the Python type its documented example value must decode to)
TYPED_VALUES = [
    ("account", "wallet_balance", int),
    ("account", "created", datetime),
    ("account", "type", chargeapi.AccountType),
    ("account", "metric_system", chargeapi.AccountMetricSystem),
    ("charging_session", "amount_due", int),
    ("charging_session", "energy_consumed", int),
    ("charging_session", "status", chargeapi.ChargingSessionStatus),
    ("charging_session", "session_started", datetime),
    ("charging_station", "pricing.0.price", int),
    ("charging_station", "connectors.0.power", float),
    ("charging_station", "availability.range.0.from_", datetime),
    ("driver", "wallet_balance", int),
    ("driver", "status", chargeapi.DriverStatus),
    ("vehicle", "battery_capacity", int),
    ("vehicle", "status", chargeapi.VehicleStatus),
    ("vehicle", "charging_standard", chargeapi.ChargingStandard),
    ("vehicle_telemetry", "battery.capacity", int),
    ("vehicle_telemetry", "battery.level", float),
    ("vehicle_telemetry", "battery.range", float),
    ("vehicle_telemetry", "battery.temperature", float),
    ("vehicle_telemetry", "battery.updated", datetime),
    ("fleet", "total_energy_consumed_kwh", float),
    ("fleet", "wallet_balance", int),
    ("fleet", "metric_system", chargeapi.FleetMetricSystem),
    ("payment_method", "type", chargeapi.PaymentMethodType),
    ("payment_method", "card.exp_month", int),
    ("policy", "mode", chargeapi.PolicyMode),
    ("policy", "status", chargeapi.PolicyStatus),
    ("policy", "rules.max_price_per_kwh", int),
    ("policy", "rules.geofences.0.radius_meters", float),
    ("reservation", "reservation_fee", int),
    ("reservation", "status", chargeapi.ReservationStatus),
    ("reservation", "location.radius", float),
    ("reservation", "ideal_start", datetime),
    ("estimation", "estimated_total_cost", int),
    ("estimation", "estimated_energy_kwh", float),
    ("estimation", "cost_breakdown.0.unit_price", int),
    ("estimation", "cost_breakdown.0.quantity", float),
    ("invoice", "amount_due", int),
    ("invoice", "line_items.0.unit_amount", int),
    ("invoice", "status", chargeapi.InvoiceStatus),
    ("invoice", "period_start", datetime),
    ("transaction", "amount", int),
    ("transaction", "status", chargeapi.TransactionStatus),
    ("transaction", "type", chargeapi.TransactionType),
    ("report", "size", int),
    ("report", "status", chargeapi.ReportStatus),
    ("report", "parameters.period_end", datetime),
    ("webhook_endpoint", "status", chargeapi.WebhookEndpointStatus),
    ("webhook_endpoint", "livemode", bool),
    ("event", "created", datetime),
    ("event", "pending_webhooks", int),
]


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
    return obj


@pytest.mark.parametrize(("name", "path", "kind"), TYPED_VALUES)
def test_documented_value_decodes_to_its_documented_type(name: str, path: str, kind: type) -> None:
    model, _ = EXAMPLES[name]
    value = _get(model.from_dict(example(name)), path)
    assert type(value) is kind, f"{name}.{path} is {type(value).__name__}"


# (object, its expandable field, the object type the field expands to): the docs' expand table
# (section 5) and the nested paths it names (vehicle.fleet; preferences.default_payment_method).
EXPANDABLE = [
    ("account", "preferences.default_payment_method", "payment_method"),
    ("charging_session", "charging_station", "charging_station"),
    ("charging_session", "driver", "driver"),
    ("charging_session", "fleet", "fleet"),
    ("charging_session", "payment_method", "payment_method"),
    ("charging_session", "vehicle", "vehicle"),
    ("driver", "preferences.default_payment_method", "payment_method"),
    ("estimation", "charging_station", "charging_station"),
    ("estimation", "vehicle", "vehicle"),
    ("fleet", "preferences.default_payment_method", "payment_method"),
    ("payment_method", "driver", "driver"),
    ("payment_method", "fleet", "fleet"),
    ("report", "account", "account"),
    ("report", "fleet", "fleet"),
    ("reservation", "charging_station", "charging_station"),
    ("reservation", "driver", "driver"),
    ("reservation", "payment_method", "payment_method"),
    ("reservation", "vehicle", "vehicle"),
    ("transaction", "charging_session", "charging_session"),
    ("vehicle", "fleet", "fleet"),
]


@pytest.mark.parametrize(("name", "path", "expanded"), EXPANDABLE)
def test_expandable_field_decodes_the_expanded_object(name: str, path: str, expanded: str) -> None:
    data = example(name)
    *parents, field = path.split(".")
    holder = data
    for parent in parents:
        holder = holder[parent]
    holder[field] = example(expanded)
    model, _ = EXAMPLES[name]
    obj = model.from_dict(data)
    value = _get(obj, path)
    assert type(value) is EXAMPLES[expanded][0]
    assert value.to_dict() == example(expanded)
    assert obj.to_dict() == data
