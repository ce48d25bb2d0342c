"""A user's webhook handler, checked by ``mypy --strict`` in CI (not run by pytest)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, assert_type

import chargeapi
from chargeapi.testing import Delivery, Simulator, sign_webhook


def receive(body: bytes, headers: dict[str, str]) -> None:
    try:
        event = chargeapi.Webhook.construct_event(
            payload=body,
            signature_header=headers.get("Charge-Signature"),
            secret=["whsec_new", "whsec_old"],
            tolerance=300,
        )
    except chargeapi.SignatureVerificationError as error:
        assert_type(error.reason, str | None)
        return
    assert_type(event, chargeapi.Event)
    assert_type(event.type, str)
    assert_type(event.created, datetime)
    assert_type(event.data.object, chargeapi.ChargeObject | dict[str, Any])
    assert_type(event.data.previous_attributes, dict[str, Any] | None)
    assert_type(event.request.idempotency_key, str | None)
    if isinstance(event.data.object, chargeapi.ChargingSession):
        assert_type(event.data.object.amount_due, int)
    signed_at = chargeapi.Webhook.verify_header(body, headers["Charge-Signature"], "whsec_x")
    assert_type(signed_at, datetime)
    assert_type(sign_webhook(body, "whsec_x"), str)


def deliveries_to(receiver_url: str) -> None:
    sim = Simulator(webhook_timeout=2.0)
    endpoint = sim.webhook_endpoint(receiver_url, ["charge.succeeded"], secret="whsec_x")
    assert_type(endpoint, dict[str, Any])
    deliveries = sim.deliveries
    assert_type(deliveries, list[Delivery])
    for delivery in deliveries:
        assert_type(delivery.status, int | None)
        assert_type(delivery.at, datetime)
        assert_type(delivery.next_attempt, datetime | None)
        if delivery.outcome == "failed":
            assert_type(delivery.error, str | None)
    assert_type(sim.redeliver("evt_x"), list[Delivery])
