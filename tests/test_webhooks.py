"""Webhook deliveries: Charge-Signature verification, the Event model, sign_webhook, and the
example receiver (verify, dedupe by event id, 2xx only after accepting) over loopback HTTP.

Signatures here are computed by hand with ``hmac`` (and one fixed vector from ``openssl dgst``),
never by the code under test.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import http.client
import json
import math
import os
import pickle
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi import Event, SignatureVerificationError, Webhook
from chargeapi.testing import sign_webhook

from .conftest import SEED_RESPONSE

SECRET = "whsec_b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA"  # the endpoint example's secret
OLD_SECRET = "whsec_Old0RotatedAwayYesterday000000"
NOW = datetime(2026, 5, 2, 0, 15, 40, 250000, tzinfo=UTC)
STAMP = "2026-05-02T00:15:38.499Z"  # two seconds before NOW

# The Event object of the API reference (section 6), verbatim.
EVENT_EXAMPLE: dict[str, Any] = {
    "id": "evt_NmNUTThiOjk3oAzDtQpWLV79AFhr78FT",
    "object": "event",
    "api_version": "2026-03-01",
    "created": "2026-05-02T00:15:38.499Z",
    "data": {
        "object": {
            "id": "rpt_cXNADyjylti5TA9JtivLG8LoGAVCXXGn",
            "object": "report",
            "status": "succeeded",
            "...": "...",
        },
        "previous_attributes": {"status": "processing"},
    },
    "livemode": False,
    "pending_webhooks": 1,
    "request": {
        "id": "req_EyT9KDgAXspoANAnxvmjQPlMoqclRg3j",
        "idempotency_key": "idem_6Qu8Ct9AyKLiCftseJA9vuu6a7Wq6NAI",
    },
    "type": "report.succeeded",
}
# As the delivery example sends it: compact JSON, in the docs' key order.
PAYLOAD = json.dumps(EVENT_EXAMPLE, separators=(",", ":")).encode()


def hmac_hex(secret: str, stamp: str, payload: bytes) -> str:
    return hmac.new(secret.encode(), stamp.encode() + b"." + payload, hashlib.sha256).hexdigest()


def header(payload: bytes = PAYLOAD, secret: str = SECRET, stamp: str = STAMP) -> str:
    return f"t={stamp},v1={hmac_hex(secret, stamp, payload)}"


def stamp_at(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def construct(
    payload: bytes = PAYLOAD,
    signature: str | None = None,
    secret: str | list[str] = SECRET,
    **kwargs: Any,
) -> Event:
    kwargs.setdefault("now", NOW)
    return Webhook.construct_event(
        payload, header(payload) if signature is None else signature, secret, **kwargs
    )


def event_payload(**changes: Any) -> bytes:
    event = copy.deepcopy(EVENT_EXAMPLE)
    event.update(changes)
    return json.dumps(event, separators=(",", ":")).encode()


# -- a valid delivery ------------------------------------------------------------------------


def test_a_valid_delivery_gives_the_event_with_every_documented_field() -> None:
    event = construct()

    assert isinstance(event, Event)
    assert event.id == "evt_NmNUTThiOjk3oAzDtQpWLV79AFhr78FT"
    assert event.object == "event"
    assert event.api_version == "2026-03-01"
    assert event.created == datetime(2026, 5, 2, 0, 15, 38, 499000, tzinfo=UTC)
    assert event.type == "report.succeeded"
    assert event.livemode is False
    assert event.pending_webhooks == 1
    assert event.request is not None
    assert event.request.id == "req_EyT9KDgAXspoANAnxvmjQPlMoqclRg3j"
    assert event.request.idempotency_key == "idem_6Qu8Ct9AyKLiCftseJA9vuu6a7Wq6NAI"
    assert event.data.previous_attributes == {"status": "processing"}
    # The docs' example elides the report ("...": "..."): it still decodes, and round-trips.
    assert isinstance(event.data.object, chargeapi.Report)
    assert event.data.object.status == chargeapi.ReportStatus.SUCCEEDED
    assert event.to_dict() == EVENT_EXAMPLE


def test_a_fixed_vector_from_openssl_verifies() -> None:
    # printf '%s' '2026-03-03T14:05:23.789Z.{"id":"evt_1"}' | openssl dgst -sha256 -hmac "$SECRET"
    signature = (
        "t=2026-03-03T14:05:23.789Z,"
        "v1=4c40b901e19a179b32bd22f23eaa06ee6fcbe2f900ee6c681bd5909ad4f9b5d8"
    )
    now = datetime(2026, 3, 3, 14, 6, tzinfo=UTC)

    signed_at = Webhook.verify_header(b'{"id":"evt_1"}', signature, SECRET, now=now)

    assert signed_at == datetime(2026, 3, 3, 14, 5, 23, 789000, tzinfo=UTC)


def test_request_fields_may_be_null_and_the_timestamp_may_carry_an_offset() -> None:
    payload = event_payload(request={"id": None, "idempotency_key": None})
    stamp = "2026-05-02T02:15:38.499+02:00"  # the same instant as STAMP

    event = construct(payload, header(payload, stamp=stamp))

    assert event.request == chargeapi.EventRequest(id=None, idempotency_key=None)


def test_a_bytearray_body_is_accepted_like_bytes() -> None:
    assert construct(bytearray(PAYLOAD), header(PAYLOAD)).id == EVENT_EXAMPLE["id"]


# -- failures that say which check failed --------------------------------------------------


def failure(**kwargs: Any) -> SignatureVerificationError:
    with pytest.raises(SignatureVerificationError) as caught:
        construct(**kwargs)
    assert isinstance(caught.value, chargeapi.ChargeAPIError)
    return caught.value


def test_a_tampered_body_fails() -> None:
    tampered = PAYLOAD.replace(b'"livemode":false', b'"livemode":true ')

    error = failure(payload=tampered, signature=header(PAYLOAD))

    assert error.reason == "no_matching_signature"
    assert "No signature" in str(error)


def test_a_wrong_secret_fails() -> None:
    error = failure(secret="whsec_NotTheEndpointsSecret00000000")

    assert error.reason == "no_matching_signature"
    assert "secret" in str(error)


def test_a_re_serialised_body_fails() -> None:
    # What a framework hands you after parsing: same data, other bytes.
    reserialised = json.dumps(json.loads(PAYLOAD)).encode()
    assert reserialised != PAYLOAD

    error = failure(payload=reserialised, signature=header(PAYLOAD))

    assert error.reason == "no_matching_signature"
    assert "raw request body" in str(error)


@pytest.mark.parametrize(
    "secrets",
    [[SECRET, OLD_SECRET], [OLD_SECRET, SECRET], (OLD_SECRET, SECRET)],
    ids=["new-first", "old-first", "tuple"],
)
def test_rotation_any_of_two_secrets_may_match(secrets: list[str]) -> None:
    signed_with_old = header(secret=OLD_SECRET)
    signed_with_new = header(secret=SECRET)

    assert construct(signature=signed_with_old, secret=secrets).id == EVENT_EXAMPLE["id"]
    assert construct(signature=signed_with_new, secret=secrets).id == EVENT_EXAMPLE["id"]


def test_rotation_a_retired_secret_no_longer_verifies() -> None:
    error = failure(signature=header(secret=OLD_SECRET), secret=[SECRET])

    assert error.reason == "no_matching_signature"


@pytest.mark.parametrize("position", ["first", "last"])
def test_any_of_several_v1_values_may_match(position: str) -> None:
    good = hmac_hex(SECRET, STAMP, PAYLOAD)
    other = hmac_hex(OLD_SECRET, STAMP, PAYLOAD)
    values = [good, other, "0" * 64] if position == "first" else ["0" * 64, other, good]
    signature = f"t={STAMP}," + ",".join(f"v1={v}" for v in values)

    assert construct(signature=signature).id == EVENT_EXAMPLE["id"]


def test_several_v1_values_none_matching_fails() -> None:
    signature = f"t={STAMP},v1={'a' * 64},v1={hmac_hex(OLD_SECRET, STAMP, PAYLOAD)}"

    assert failure(signature=signature).reason == "no_matching_signature"


def test_schemes_other_than_v1_are_ignored() -> None:
    signature = f"t={STAMP},v0={'f' * 64},v1={hmac_hex(SECRET, STAMP, PAYLOAD)},v2=future"

    assert construct(signature=signature).id == EVENT_EXAMPLE["id"]


def test_a_stale_timestamp_fails() -> None:
    stamp = stamp_at(NOW - timedelta(seconds=301))

    error = failure(signature=header(stamp=stamp))

    assert error.reason == "timestamp_outside_tolerance"
    assert "301 s ago" in str(error)
    assert "300 s" in str(error)


def test_a_future_timestamp_fails() -> None:
    stamp = stamp_at(NOW + timedelta(seconds=301))

    error = failure(signature=header(stamp=stamp))

    assert error.reason == "timestamp_outside_tolerance"
    assert "301 s in the future" in str(error)


@pytest.mark.parametrize("seconds", [-300, 300])
def test_exactly_the_tolerance_either_way_still_verifies(seconds: int) -> None:
    stamp = stamp_at(NOW + timedelta(seconds=seconds))

    assert construct(signature=header(stamp=stamp)).id == EVENT_EXAMPLE["id"]


def test_the_tolerance_is_configurable() -> None:
    stamp = stamp_at(NOW - timedelta(seconds=301))

    assert construct(signature=header(stamp=stamp), tolerance=600).id == EVENT_EXAMPLE["id"]
    error = failure(signature=header(stamp=STAMP), tolerance=1)
    assert error.reason == "timestamp_outside_tolerance"


def test_the_wall_clock_is_used_by_default() -> None:
    stamp = stamp_at(datetime.now(UTC))

    event = Webhook.construct_event(PAYLOAD, header(stamp=stamp), SECRET)

    assert event.id == EVENT_EXAMPLE["id"]
    with pytest.raises(SignatureVerificationError):
        Webhook.construct_event(PAYLOAD, header(), SECRET)  # STAMP is months old


def test_a_stale_forgery_is_reported_as_a_bad_signature_not_as_stale() -> None:
    # "outside the tolerance" then always means: authentic, but old (a replay or a clock).
    stamp = stamp_at(NOW - timedelta(hours=1))

    error = failure(signature=header(stamp=stamp, secret=OLD_SECRET))

    assert error.reason == "no_matching_signature"


GOOD_V1 = hmac_hex(SECRET, STAMP, PAYLOAD)


@pytest.mark.parametrize(
    "signature",
    [
        "garbage",
        f"v1={GOOD_V1}",  # no t
        f"t={STAMP}",  # no v1
        f"t={STAMP},{GOOD_V1}",  # a bare value is no v1
        f"t={STAMP},t={STAMP},v1={GOOD_V1}",  # two t
        f"t=1777680938,v1={GOOD_V1}",  # UNIX seconds, not RFC 3339
        f"t=2026-05-02,v1={GOOD_V1}",  # a date only
        f"t=2026-05-02T00:15:38.499,v1={GOOD_V1}",  # no offset
        f"t=2026-13-02T00:15:38.499Z,v1={GOOD_V1}",  # month 13
        f"t=2026-05-02T00:15:38.499Z,v1={GOOD_V1}".replace("0", "\u0660", 1),  # an Arabic digit
        f"t={STAMP};v1={GOOD_V1}",  # wrong separator
    ],
)
def test_a_malformed_header_fails(signature: str) -> None:
    error = failure(signature=signature)

    assert error.reason == "header_malformed"
    assert "Malformed Charge-Signature header" in str(error)


# -- leniency, as stripe and openai: what cannot be a signature is skipped -----------------


@pytest.mark.parametrize(
    "unparseable",
    [
        GOOD_V1[:-2],  # 62 hex characters
        GOOD_V1 + "00",  # 66
        "z" * 64,  # not hex
        "é" + GOOD_V1[1:],  # not ASCII
        "",  # empty
    ],
    ids=["short", "long", "not-hex", "not-ascii", "empty"],
)
@pytest.mark.parametrize("position", ["before", "after"])
def test_an_unparseable_v1_beside_a_matching_one_is_skipped(
    unparseable: str, position: str
) -> None:
    values = [unparseable, GOOD_V1] if position == "before" else [GOOD_V1, unparseable]
    signature = f"t={STAMP}," + ",".join(f"v1={v}" for v in values)

    assert construct(signature=signature).id == EVENT_EXAMPLE["id"]
    assert Webhook.verify_signature(PAYLOAD, signature, SECRET, now=NOW) is True


def test_only_unparseable_v1_values_is_no_matching_signature() -> None:
    signature = f"t={STAMP},v1={'z' * 64},v1={GOOD_V1[:-2]}"

    error = failure(signature=signature)

    assert error.reason == "no_matching_signature"
    assert "No signature in the Charge-Signature header matches" in str(error)
    assert "2 v1 value(s) skipped" in str(error)


@pytest.mark.parametrize(
    "signature",
    [
        f"t={STAMP},,v1={GOOD_V1}",  # an empty item
        f"t={STAMP},v1={GOOD_V1},",  # a trailing comma
        f"t={STAMP},{'a' * 64},v1={GOOD_V1}",  # a bare value
        f" t={STAMP} , v1={GOOD_V1} ",  # spaces around items
        f"t={STAMP},v1={GOOD_V1.upper()}",  # upper-case hex
    ],
)
def test_stray_items_are_skipped_like_the_peers(signature: str) -> None:
    assert construct(signature=signature).id == EVENT_EXAMPLE["id"]


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-05-02t00:15:38.499z",
        "2026-05-02t00:15:38.499Z",
        "2026-05-02T00:15:38.499z",
        "2026-05-02t02:15:38.499+02:00",
        "2026-05-02T00:15:38Z",  # no fraction
        "2026-05-02T00:15:38.499000123Z",  # nanoseconds
        "2026-05-02T00:15:38.499-00:00",  # RFC 3339's "offset unknown"
    ],
)
def test_rfc_3339_timestamps_in_either_case_and_any_precision_verify(stamp: str) -> None:
    # Signed over t exactly as sent: the case and the digits are part of the signed string.
    signature = f"t={stamp},v1={hmac_hex(SECRET, stamp, PAYLOAD)}"

    signed_at = Webhook.verify_header(PAYLOAD, signature, SECRET, now=NOW)

    assert (
        abs((signed_at - datetime(2026, 5, 2, 0, 15, 38, 499000, tzinfo=UTC)).total_seconds()) < 1
    )
    assert construct(signature=signature).id == EVENT_EXAMPLE["id"]


def test_a_lower_case_timestamp_is_signed_as_sent_not_upper_cased() -> None:
    stamp = "2026-05-02t00:15:38.499z"
    signed_upper = f"t={stamp},v1={hmac_hex(SECRET, stamp.upper(), PAYLOAD)}"

    assert failure(signature=signed_upper).reason == "no_matching_signature"


@pytest.mark.parametrize(
    "secret",
    [SECRET + "\n", f"  {SECRET}\r\n", f"\t{SECRET}", [OLD_SECRET, SECRET + "\n"]],
    ids=["newline", "spaces-crlf", "tab", "in-a-list"],
)
def test_secrets_are_stripped_like_the_api_key(secret: str | list[str]) -> None:
    # A secret read from a file or a mounted secret keeps its trailing newline.
    assert construct(secret=secret).id == EVENT_EXAMPLE["id"]
    assert Webhook(secret).construct_event(PAYLOAD, header(), now=NOW).id == EVENT_EXAMPLE["id"]


def test_whitespace_inside_a_secret_is_kept() -> None:
    assert failure(secret=SECRET[:10] + " " + SECRET[10:]).reason == "no_matching_signature"


# -- Webhook(secret=...): built once, reused -------------------------------------------------


def test_a_webhook_built_once_verifies_many_deliveries() -> None:
    webhook = Webhook(secret=SECRET)
    other = event_payload(id="evt_0therEventIdXXXXXXXXXXXXXXXXXXXX")

    first = webhook.construct_event(PAYLOAD, header(), now=NOW)
    second = webhook.construct_event(other, header(other), now=NOW)

    assert (first.id, second.id) == (EVENT_EXAMPLE["id"], "evt_0therEventIdXXXXXXXXXXXXXXXXXXXX")
    assert webhook.verify_header(PAYLOAD, header(), now=NOW) == datetime(
        2026, 5, 2, 0, 15, 38, 499000, tzinfo=UTC
    )
    assert webhook.verify_signature(PAYLOAD, header(), now=NOW) is True
    assert webhook.verify_signature(PAYLOAD + b" ", header(), now=NOW) is False


def test_a_webhook_instance_fails_like_the_static_form() -> None:
    webhook = Webhook([OLD_SECRET, SECRET], tolerance=10)

    with pytest.raises(SignatureVerificationError) as caught:
        webhook.construct_event(PAYLOAD, header(secret="whsec_x"), now=NOW)
    assert caught.value.reason == "no_matching_signature"
    with pytest.raises(SignatureVerificationError) as caught:
        webhook.construct_event(PAYLOAD, header(), now=NOW + timedelta(seconds=12))
    assert caught.value.reason == "timestamp_outside_tolerance"
    assert webhook.tolerance == 10
    assert (
        webhook.construct_event(PAYLOAD, header(secret=OLD_SECRET), now=NOW).id
        == EVENT_EXAMPLE["id"]
    )


def test_a_webhooks_clock_replaces_the_wall_clock_and_now_replaces_both() -> None:
    webhook = Webhook(SECRET, clock=lambda: NOW)

    assert webhook.construct_event(PAYLOAD, header()).id == EVENT_EXAMPLE["id"]
    with pytest.raises(SignatureVerificationError) as caught:
        webhook.construct_event(PAYLOAD, header(), now=NOW + timedelta(hours=1))
    assert caught.value.reason == "timestamp_outside_tolerance"
    with pytest.raises(SignatureVerificationError):
        Webhook(SECRET).construct_event(PAYLOAD, header())  # the wall clock: STAMP is old


def test_a_clock_that_gives_a_naive_datetime_is_named() -> None:
    webhook = Webhook(SECRET, clock=lambda: datetime(2026, 5, 2))

    with pytest.raises(
        chargeapi.InvalidParameterError, match="clock must return an aware"
    ) as caught:
        webhook.construct_event(PAYLOAD, header())
    assert caught.value.param == "clock"


def test_a_webhooks_repr_hides_the_secret() -> None:
    webhook = Webhook([SECRET, OLD_SECRET], tolerance=60)

    assert repr(webhook) == "chargeapi.Webhook(secret=<2 hidden>, tolerance=60)"
    assert not hasattr(webhook, "__dict__")


# -- verify_signature: a bool for code that only checks ----------------------------------------


@pytest.mark.parametrize(
    ("payload", "signature", "verifies"),
    [
        (PAYLOAD, header(), True),
        (PAYLOAD + b" ", header(), False),  # tampered
        (PAYLOAD, header(secret=OLD_SECRET), False),  # wrong secret
        (PAYLOAD, header(stamp="2026-05-01T00:15:38.499Z"), False),  # stale
        (PAYLOAD, None, False),  # missing
        (PAYLOAD, "", False),  # empty
        (PAYLOAD, "garbage", False),  # malformed
    ],
    ids=["valid", "tampered", "wrong-secret", "stale", "missing", "empty", "malformed"],
)
def test_verify_signature_answers_true_or_false(
    payload: bytes, signature: str | None, verifies: bool
) -> None:
    assert Webhook.verify_signature(payload, signature, SECRET, now=NOW) is verifies
    assert Webhook(SECRET).verify_signature(payload, signature, now=NOW) is verifies


def test_verify_signature_still_raises_for_bad_arguments() -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        Webhook.verify_signature(PAYLOAD.decode(), header(), SECRET, now=NOW)  # type: ignore[arg-type]
    assert caught.value.param == "payload"
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        Webhook.verify_signature(PAYLOAD, header(), "", now=NOW)
    assert caught.value.param == "secret"


def test_a_malformed_header_is_shown_truncated() -> None:
    error = failure(signature="x" * 5000)

    assert len(str(error)) < 500


@pytest.mark.parametrize("signature", ["", "   "])
def test_an_empty_header_fails(signature: str) -> None:
    error = failure(signature=signature)

    assert error.reason == "header_missing"
    assert "No Charge-Signature header" in str(error)


def test_a_missing_header_passed_as_none_fails() -> None:
    with pytest.raises(SignatureVerificationError) as caught:
        Webhook.construct_event(PAYLOAD, None, SECRET, now=NOW)

    assert caught.value.reason == "header_missing"


def test_the_payload_is_parsed_only_after_it_verifies() -> None:
    not_json = b"\xff{not json"

    with pytest.raises(SignatureVerificationError):
        construct(payload=not_json, signature=header(PAYLOAD))
    with pytest.raises(ValueError, match="correctly signed but is not JSON") as caught:
        construct(payload=not_json, signature=header(not_json))
    assert not isinstance(caught.value, SignatureVerificationError)
    assert caught.value.__cause__ is None


def test_an_authentic_payload_that_is_no_event_is_a_clear_value_error() -> None:
    listed = b"[1, 2]"
    with pytest.raises(ValueError, match="JSON list, not an Event"):
        construct(payload=listed, signature=header(listed))


def test_an_authentic_payload_without_id_type_or_snapshot_is_no_event() -> None:
    bare = b'{"id": "evt_x", "object": "event", "data": {"previous_attributes": {}}}'
    with pytest.raises(ValueError, match=r"not an Event: no type, data\.object$"):
        construct(payload=bare, signature=header(bare))


def test_an_authentic_event_off_the_documented_shape_is_still_delivered() -> None:
    # Like an API response (lenient by default): the field keeps what was sent, and the
    # handler gets its event rather than a delivery that fails on every retry.
    drifted = event_payload(created="yesterday")

    event = construct(payload=drifted, signature=header(drifted))

    assert event.id == "evt_NmNUTThiOjk3oAzDtQpWLV79AFhr78FT"
    assert event.created == "yesterday"
    assert event.to_dict() == json.loads(drifted)


def test_verify_header_does_not_parse_and_returns_the_signed_time() -> None:
    body = b"not even json"
    signed_at = Webhook.verify_header(body, header(body), SECRET, now=NOW)

    assert signed_at == datetime(2026, 5, 2, 0, 15, 38, 499000, tzinfo=UTC)
    with pytest.raises(SignatureVerificationError):
        Webhook.verify_header(body + b"!", header(body), SECRET, now=NOW)


# -- what the errors never show ---------------------------------------------------------------


def everything_shown(error: BaseException) -> str:
    """All an error tracker could capture: message, repr, attributes, frames and their locals.

    The frames start where the SDK was called: this test's own frame holds the secret itself.
    """
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    assert tb is not None
    error = error.with_traceback(tb)
    formatted = traceback.TracebackException.from_exception(error, capture_locals=True)
    return "\n".join([str(error), repr(error), repr(vars(error)), *formatted.format()])


@pytest.mark.parametrize(
    "case",
    ["wrong-secret", "tampered", "stale", "malformed", "rotation"],
)
def test_no_failure_shows_the_secret_or_the_expected_signature(case: str) -> None:
    tampered = PAYLOAD + b" "
    stale = stamp_at(NOW - timedelta(hours=1))
    payload, signature, secret = {
        "wrong-secret": (PAYLOAD, header(secret=OLD_SECRET), SECRET),
        "tampered": (tampered, header(), SECRET),
        "stale": (PAYLOAD, header(stamp=stale), SECRET),
        "malformed": (PAYLOAD, "t=now,v1=abc", SECRET),
        "rotation": (PAYLOAD, header(secret="whsec_x"), [SECRET, OLD_SECRET]),
    }[case]
    expected_v1 = hmac_hex(SECRET, STAMP, tampered)

    with pytest.raises(SignatureVerificationError) as caught:
        Webhook.construct_event(payload, signature, secret, now=NOW)

    shown = everything_shown(caught.value)
    assert "b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA" not in shown
    assert "Old0RotatedAwayYesterday" not in shown
    assert expected_v1 not in shown
    assert "hidden" in shown  # the frames hold the secrets, but only as a hidden repr


def sdk_frames_locals(error: BaseException) -> list[tuple[str, str, str]]:
    """(function, local name, repr and str of its value) for every frame of ``error``'s
    traceback below this test file's own frames (which hold the secret themselves)."""
    found = []
    tb = error.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_filename != __file__:
            for name, value in frame.f_locals.items():
                found.append((frame.f_code.co_name, name, f"{value!r} {value!s}"))
        tb = tb.tb_next
    return found


SECRET_PART = "b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA"
STATIC_AND_BOUND: dict[str, Callable[..., Any]] = {
    "static": Webhook.construct_event,
    "bound": lambda payload, signature, secret, **kw: Webhook(
        secret, tolerance=kw.pop("tolerance", 300)
    ).construct_event(payload, signature, **kw),
}


@pytest.mark.parametrize("form", ["static", "bound"])
@pytest.mark.parametrize(
    ("payload", "signature", "secret", "extra"),
    [
        (PAYLOAD, header(secret=OLD_SECRET), SECRET + "\n", {}),  # wrong secret
        (PAYLOAD + b" ", header(), [SECRET, OLD_SECRET], {}),  # tampered
        (PAYLOAD, header(stamp="2026-05-01T00:15:38.499Z"), SECRET, {}),  # stale
        (PAYLOAD, "t=now,v1=abc", SECRET, {}),  # malformed
        (PAYLOAD, None, SECRET, {}),  # missing
        (PAYLOAD, header(), [SECRET, 7], {}),  # a bad secret beside a good one
        (PAYLOAD, header(), [SECRET, " "], {}),  # an empty secret beside a good one
        (PAYLOAD, header(), SECRET, {"tolerance": -1}),
        (PAYLOAD, header(), SECRET, {"now": datetime(2026, 5, 2)}),
        (PAYLOAD.decode(), header(), SECRET, {}),  # a str payload
        (PAYLOAD, header().encode(), SECRET, {}),  # a bytes header
        (b"[1]", header(b"[1]"), SECRET, {}),  # authentic, but no Event
    ],
    ids=[
        "wrong-secret",
        "tampered",
        "stale",
        "malformed",
        "missing",
        "bad-secret-type",
        "empty-secret",
        "bad-tolerance",
        "naive-now",
        "str-payload",
        "bytes-header",
        "not-an-event",
    ],
)
def test_no_frame_of_any_raised_error_holds_the_secret_in_its_locals(
    form: str, payload: Any, signature: Any, secret: Any, extra: dict[str, Any]
) -> None:
    expected = ValueError if payload == b"[1]" else chargeapi.ChargeAPIError
    with pytest.raises(expected) as caught:
        STATIC_AND_BOUND[form](payload, signature, secret, **{"now": NOW, **extra})

    frames = sdk_frames_locals(caught.value)
    assert frames, "the error was raised inside the SDK"
    assert [
        (f, n) for f, n, shown in frames if SECRET_PART in shown or "Old0Rotated" in shown
    ] == []
    assert SECRET_PART not in str(caught.value)
    assert SECRET_PART not in repr(caught.value)
    assert "Old0Rotated" not in "".join(everything_shown(caught.value))


def test_the_error_pickles_with_its_reason() -> None:
    error = failure(signature="")

    copied = pickle.loads(pickle.dumps(error))

    assert type(copied) is SignatureVerificationError
    assert copied.reason == "header_missing"
    assert str(copied) == str(error)


# -- bad arguments: a clear TypeError / ValueError naming the parameter ------------------------


def test_a_str_payload_is_refused_with_advice_to_pass_the_raw_bytes() -> None:
    with pytest.raises(TypeError, match=r"payload must be bytes, not str.*raw request body"):
        Webhook.construct_event(PAYLOAD.decode(), header(), SECRET, now=NOW)  # type: ignore[arg-type]


def test_a_parsed_payload_is_refused() -> None:
    with pytest.raises(TypeError, match="payload must be the raw request body as bytes, got dict"):
        Webhook.construct_event(EVENT_EXAMPLE, header(), SECRET, now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "param", "match"),
    [
        ({"secret": []}, "secret", "secret must not be an empty sequence"),
        ({"secret": ""}, "secret", "secret must not be empty"),
        ({"secret": " \n"}, "secret", "secret must not be empty"),
        ({"secret": [SECRET, " "]}, "secret", "secret must not be empty"),
        ({"secret": SECRET.encode()}, "secret", "secret must be a str or a sequence of str"),
        ({"secret": None}, "secret", "secret must be a str or a sequence of str"),
        ({"secret": [SECRET, 7]}, "secret", "got a int in it"),
        ({"tolerance": -1}, "tolerance", "tolerance must be a finite number"),
        ({"tolerance": math.inf}, "tolerance", "tolerance must be a finite number"),
        ({"tolerance": math.nan}, "tolerance", "tolerance must be a finite number"),
        ({"tolerance": True}, "tolerance", "tolerance must be a number"),
        ({"tolerance": "300"}, "tolerance", "tolerance must be a number"),
        ({"now": datetime(2026, 5, 2)}, "now", "now must be an aware datetime"),
        ({"now": 1777680938}, "now", "now must be a datetime"),
        ({"signature": b"t=x,v1=y"}, "signature_header", "signature_header must be"),
        ({"payload": "{}", "signature": header()}, "payload", "payload must be bytes, not str"),
    ],
)
def test_bad_arguments_raise_invalid_parameter_error_naming_the_parameter(
    kwargs: dict[str, Any], param: str, match: str
) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match=match) as caught:
        construct(**kwargs)

    # Still the ValueError / TypeError that code written before catches, and a ChargeAPIError.
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, chargeapi.ChargeAPIError)
    assert caught.value.param == param


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"secret": [SECRET, 7]}, "secret"),
        ({"secret": [SECRET, " "]}, "secret"),
        ({"secret": SECRET, "tolerance": -1}, "tolerance"),
        ({"secret": SECRET, "clock": "now"}, "clock"),
    ],
)
def test_building_a_webhook_with_bad_arguments_names_them(
    kwargs: dict[str, Any], param: str
) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        Webhook(**kwargs)

    assert caught.value.param == param


# -- unknown event types and the object inside --------------------------------------------


def test_an_unknown_event_type_decodes_its_object_by_the_object_field() -> None:
    payload = event_payload(
        type="charging_session.paused",
        data={"object": SEED_RESPONSE, "previous_attributes": {"status": "active"}},
    )

    event = construct(payload, header(payload))

    assert event.type == "charging_session.paused"
    assert type(event.type) is str
    assert isinstance(event.data.object, chargeapi.ChargingSession)
    assert event.data.object.id == SEED_RESPONSE["id"]
    assert event.data.object.amount_due == 1842
    assert json.loads(payload) == event.to_dict()


def test_an_object_without_an_object_field_is_decoded_by_its_id_prefix() -> None:
    driver = {"id": "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3", "name": "Example Driver"}
    payload = event_payload(type="driver.updated", data={"object": driver})

    event = construct(payload, header(payload))

    assert isinstance(event.data.object, chargeapi.Driver)
    assert event.data.object.name == "Example Driver"
    assert event.data.previous_attributes is None


def test_a_sparse_known_object_decodes_and_round_trips() -> None:
    reservation = {
        "id": "res_uRf6BBr4TN6TUAQe0XZr4wkTDlV8zwWD",
        "object": "reservation",
        "status": "confirmed",
        "brand_new_field": {"nested": [1, 2]},
    }
    payload = event_payload(type="reservation.confirmed", data={"object": reservation})

    event = construct(payload, header(payload))

    assert event.type == "reservation.confirmed"
    assert isinstance(event.data.object, chargeapi.Reservation)
    assert event.data.object.status == "confirmed"
    assert event.to_dict()["data"]["object"] == reservation


def test_an_object_of_no_known_type_at_all_stays_a_dict() -> None:
    thing = {"id": "zzz_1", "object": "hologram", "colour": "blue"}
    payload = event_payload(type="hologram.projected", data={"object": thing})

    assert construct(payload, header(payload)).data.object == thing


def test_a_known_object_in_another_versions_shape_still_decodes_keeping_what_was_sent() -> None:
    # A snapshot is rendered with the event's own api_version: it must still reach the handler
    # as the model, the odd field kept as sent (and logged), and give back exactly what came.
    session = {**SEED_RESPONSE, "amount_due": "18.42"}
    payload = event_payload(type="charging_session.updated", data={"object": session})

    decoded = construct(payload, header(payload)).data.object

    assert isinstance(decoded, chargeapi.ChargingSession)
    assert decoded.amount_due == "18.42"
    assert decoded.to_dict() == session


def test_a_known_object_that_fits_its_model_is_decoded() -> None:
    payload = event_payload(type="charging_session.updated", data={"object": SEED_RESPONSE})

    decoded = construct(payload, header(payload)).data.object
    assert isinstance(decoded, chargeapi.ChargingSession)
    assert decoded.amount_due == 1842


def test_event_from_dict_decodes_without_any_signature() -> None:
    # For events read from your own queue or database after they were verified once.
    event = Event.from_dict(EVENT_EXAMPLE)

    assert event == construct()
    assert hash(event) == hash(construct())


# -- sign_webhook ---------------------------------------------------------------------------


def test_sign_webhook_gives_the_fixed_vector() -> None:
    signed = sign_webhook(
        b'{"id":"evt_1"}', SECRET, timestamp=datetime(2026, 3, 3, 14, 5, 23, 789999, tzinfo=UTC)
    )

    assert signed == (
        "t=2026-03-03T14:05:23.789Z,"
        "v1=4c40b901e19a179b32bd22f23eaa06ee6fcbe2f900ee6c681bd5909ad4f9b5d8"
    )


def test_sign_webhook_signs_now_by_default_and_construct_event_accepts_it() -> None:
    before = datetime.now(UTC) - timedelta(milliseconds=1)
    signed = sign_webhook(PAYLOAD, SECRET)
    stamp = signed.split(",")[0].removeprefix("t=")

    assert before <= datetime.fromisoformat(stamp) <= datetime.now(UTC)
    assert Webhook.construct_event(PAYLOAD, signed, SECRET).id == EVENT_EXAMPLE["id"]


def test_sign_webhook_converts_other_offsets_to_utc() -> None:
    paris = datetime(2026, 5, 2, 2, 15, 38, 499000, tzinfo=timezone(timedelta(hours=2)))

    assert sign_webhook(PAYLOAD, SECRET, timestamp=paris) == header()  # t=...00:15:38.499Z


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((PAYLOAD.decode(), SECRET), TypeError),
        ((PAYLOAD, b"whsec_x"), TypeError),
        ((PAYLOAD, ""), ValueError),
        ((PAYLOAD, " \n"), ValueError),
    ],
)
def test_sign_webhook_refuses_bad_arguments(args: tuple[Any, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        sign_webhook(*args)


def test_sign_webhook_strips_the_secret_as_the_verifier_does() -> None:
    stamp = datetime(2026, 5, 2, 0, 15, 38, 499000, tzinfo=UTC)

    assert sign_webhook(PAYLOAD, SECRET + "\n", timestamp=stamp) == header()


def test_sign_webhook_refuses_a_naive_timestamp() -> None:
    with pytest.raises(ValueError, match="aware"):
        sign_webhook(PAYLOAD, SECRET, timestamp=datetime(2026, 5, 2))


# -- the example receiver, over loopback HTTP -------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "webhook_receiver.py"


@pytest.fixture
def receiver(receiver_module: ModuleType, handled: list[Event]) -> Iterator[Any]:
    with receiver_module.WebhookReceiver(SECRET, handled.append, clock=lambda: NOW) as running:
        yield running


@pytest.fixture
def post(receiver: Any) -> Iterator[Callable[..., httpx.Response]]:
    with httpx.Client(trust_env=False, timeout=10) as http:

        def deliver(payload: bytes = PAYLOAD, signature: str | None = None) -> httpx.Response:
            headers = {"Content-Type": "application/json"}
            headers["Charge-Signature"] = header(payload) if signature is None else signature
            return http.post(receiver.url, content=payload, headers=headers)

        yield deliver


def test_the_receiver_listens_on_loopback(receiver: Any) -> None:
    assert receiver.url.startswith("http://127.0.0.1:")
    assert receiver.url.endswith("/webhooks")


def test_the_receiver_accepts_a_valid_delivery_and_hands_over_the_event(
    post: Callable[..., httpx.Response], handled: list[Event]
) -> None:
    answer = post()

    assert answer.status_code == 200
    assert answer.json() == {"message": "accepted"}
    assert [e.id for e in handled] == [EVENT_EXAMPLE["id"]]
    assert handled[0] == Event.from_dict(EVENT_EXAMPLE)


def test_a_duplicate_delivery_is_acknowledged_but_handled_once(
    receiver: Any, post: Callable[..., httpx.Response], handled: list[Event]
) -> None:
    first, second = post(), post()
    # The same event, redelivered later with a fresh signature, is still a duplicate.
    resigned = post(signature=header(stamp=stamp_at(NOW - timedelta(seconds=1))))

    assert [first.status_code, second.status_code, resigned.status_code] == [200, 200, 200]
    assert second.json() == {"message": "duplicate"}
    assert len(handled) == 1
    assert len(receiver.events) == 1


def test_another_event_after_it_is_handled_too(
    post: Callable[..., httpx.Response], handled: list[Event]
) -> None:
    other = event_payload(id="evt_0therEventIdXXXXXXXXXXXXXXXXXXXX")

    assert post().status_code == 200
    assert post(other).status_code == 200
    assert [e.id for e in handled] == [EVENT_EXAMPLE["id"], "evt_0therEventIdXXXXXXXXXXXXXXXXXXXX"]


@pytest.mark.parametrize(
    "delivery",
    ["tampered", "wrong-secret", "unsigned", "stale", "re-serialised"],
)
def test_the_receiver_refuses_what_does_not_verify(
    delivery: str, post: Callable[..., httpx.Response], handled: list[Event]
) -> None:
    payload, signature = {
        "tampered": (PAYLOAD.replace(b'"pending_webhooks":1', b'"pending_webhooks":9'), header()),
        "wrong-secret": (PAYLOAD, header(secret=OLD_SECRET)),
        "unsigned": (PAYLOAD, ""),
        "stale": (PAYLOAD, header(stamp=stamp_at(NOW - timedelta(minutes=10)))),
        "re-serialised": (json.dumps(EVENT_EXAMPLE, indent=2).encode(), header()),
    }[delivery]

    answer = post(payload, signature)

    assert answer.status_code == 400
    assert answer.json() == {"message": "signature verification failed"}
    assert handled == []


def test_a_tampered_copy_does_not_count_as_seen(
    post: Callable[..., httpx.Response], handled: list[Event]
) -> None:
    tampered = PAYLOAD.replace(b'"livemode":false', b'"livemode":true ')

    assert post(tampered, header()).status_code == 400
    assert post().status_code == 200
    assert post().json() == {"message": "duplicate"}
    assert len(handled) == 1


def test_2xx_only_after_accepting_a_failed_handler_gets_500_then_the_retry_is_handled(
    receiver_module: ModuleType,
) -> None:
    attempts: list[str] = []
    accepted: list[Event] = []

    def flaky(event: Event) -> None:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RuntimeError("database unavailable")
        accepted.append(event)

    with (
        receiver_module.WebhookReceiver(SECRET, flaky, clock=lambda: NOW) as receiver,
        httpx.Client(trust_env=False, timeout=10) as http,
    ):
        headers = {"Charge-Signature": header()}
        answers = [http.post(receiver.url, content=PAYLOAD, headers=headers) for _ in range(3)]

    assert [a.status_code for a in answers] == [500, 200, 200]
    assert [a.json()["message"] for a in answers] == ["handler failed", "accepted", "duplicate"]
    assert len(attempts) == 2
    assert [e.id for e in accepted] == [EVENT_EXAMPLE["id"]]


def test_the_receiver_answers_other_paths_with_404(receiver: Any, handled: list[Event]) -> None:
    url = receiver.url.replace("/webhooks", "/elsewhere")
    answer = httpx.post(
        url, content=PAYLOAD, headers={"Charge-Signature": header()}, trust_env=False
    )

    assert answer.status_code == 404
    assert handled == []


def test_the_receiver_refuses_an_oversized_body_unread(
    receiver: Any, receiver_module: ModuleType, handled: list[Event]
) -> None:
    url = httpx.URL(receiver.url)
    connection = http.client.HTTPConnection(url.host, url.port, timeout=10)
    try:
        # Only the headers: the receiver must answer without waiting for a 1 MiB + 1 body.
        connection.putrequest("POST", url.path)
        connection.putheader("Content-Length", str(receiver_module.MAX_BODY + 1))
        connection.putheader("Charge-Signature", header())
        connection.endheaders()
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()

    assert answer.status == 413
    assert handled == []


def test_the_receiver_demo_runs_offline() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEAPI_")}
    result = subprocess.run(
        [sys.executable, str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "charge.succeeded evt_11R9a6NUWsRmOW3RM41L6nFOS1ekDGHo: transaction "
        "txn_Bn4hF4izCWt29CHG1jijO5YobJKdy8Of",
        "valid delivery: 200 accepted",
        "duplicate delivery: 200 duplicate",
        "tampered delivery: 400 signature verification failed",
        "Events handled: 1",
    ]
