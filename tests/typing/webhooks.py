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


def receive_with_a_webhook_built_once(body: bytes, header: str | None) -> None:
    webhook = chargeapi.Webhook(secret="whsec_x", tolerance=60, clock=datetime.now)
    assert_type(webhook.construct_event(body, header), chargeapi.Event)
    assert_type(webhook.verify_header(body, header), datetime)
    assert_type(webhook.verify_signature(body, header), bool)
    assert_type(chargeapi.Webhook.verify_signature(body, header, ["whsec_a", "whsec_b"]), bool)
    assert_type(webhook.tolerance, float)
    # Each form has its own signature: the instance holds the secret, the class takes it.
    webhook.construct_event(body, header, secret="whsec_x")  # type: ignore[call-arg]
    chargeapi.Webhook.construct_event(body, header)  # type: ignore[call-arg]
    webhook.verify_signature("text", header)  # type: ignore[arg-type]
    chargeapi.Webhook(secret=b"whsec_x")  # type: ignore[arg-type]


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
