"""Payment methods (with test cards), invoices and transactions.

Test card numbers (any future expiry, any CVC), in the style of the docs' `4242424242424242`:

* `4242424242424242` (visa) and `5555555555554444` (mastercard): every payment succeeds.
* `4000000000000002` (visa): the card is stored, but every payment with it is declined:
  creating a charging session with it is a 402 `payment_authorization_failed`, paying an
  invoice with it too, and a reservation confirmed with it fails (`payment_failed`).
* Any other number must pass the Luhn check (else 400 `payment_method_invalid_input`) and
  succeeds.

Where the docs are silent:

* Retrieve with `driver` or `fleet` finds the payment method only if it belongs to that owner
  (else 404 `payment_method_not_found`; an unknown owner is `payment_method_scope_not_found`).
* Attach and detach take exactly one of `driver` / `fleet` (400 `payment_method_scope_invalid`
  otherwise, and for a detach from an owner it does not have); an unknown owner is a 404
  `payment_method_owner_not_found`. A payment method has one owner: attaching replaces it.
* A list scoped to an unknown driver or fleet is a 404 `payment_method_scope_not_found`.
* Invoices: only a draft can be updated (409 `invoice_update_invalid_state`) or finalized
  (409 `invoice_finalize_invalid_state`); only an open (or overdue) invoice can be paid (409
  `invoice_payment_invalid_state`) or voided (409 `invoice_void_invalid_state`). Paying with no
  `payment_method` uses the fleet's default, then the account's; none is a 400
  `invoice_validation_error`. A draft's lines follow the transactions of its period until it
  is finalized; `due_date` is 14 days after creating, then 14 days after finalizing.
* Billing details a payment method was created without are empty strings (the docs type them
  non-null).
"""

from __future__ import annotations

import hashlib
from typing import Any

from chargeapi.testing._endpoints._common import (
    ADDRESS,
    CURRENCY,
    Call,
    Endpoint,
    Filter,
    address,
    body,
    check_names,
    created,
    equals,
    exactly_one,
    expand_all,
    expansions,
    ident,
    integer,
    list_of,
    metadata,
    nullable,
    obj,
    one_of,
    opt,
    req,
    require,
    retrieve,
    stored,
    string,
    text,
    timestamp,
    updated,
)
from chargeapi.testing._errors import ApiError, conflict, invalid, not_found
from chargeapi.testing._render import render
from chargeapi.testing._seed import JSON
from chargeapi.testing._store import Store
from chargeapi.testing._time import parse_timestamp

DECLINING_CARDS = frozenset({"4000000000000002"})
PM_TYPES = ("card", "bank_account", "wallet")
BILLING_DETAILS = obj(
    {
        "address": opt(ADDRESS),
        "email": opt(string(320)),
        "name": opt(string(200)),
        "phone": opt(string(50)),
    }
)
CARD = obj(
    {
        "number": req(text(19)),
        "exp_month": req(integer(1, 12)),
        "exp_year": req(integer(2000, 2100)),
        "cvc": opt(string(4)),
    }
)
BANK_ACCOUNT = obj(
    {
        "account_number": opt(text(34)),
        "routing_number": opt(string(34)),
        "account_holder_name": opt(nullable(string(200))),
        "bank_name": opt(string(200)),
        "country": opt(string(2)),
        "currency": opt(CURRENCY),
    }
)
PM_CREATE = {
    "type": req(one_of(*PM_TYPES)),
    "card": opt(CARD),
    "bank_account": opt(BANK_ACCOUNT),
    "billing_details": opt(nullable(BILLING_DETAILS)),
}
PM_UPDATE = {
    "billing_details": opt(BILLING_DETAILS),
    "card": opt(obj({"exp_month": opt(integer(1, 12)), "exp_year": opt(integer(2000, 2100))})),
    "bank_account": opt(obj({"bank_name": opt(string(200)), "currency": opt(CURRENCY)})),
}
PM_CODE = "payment_method_invalid_input"


def _fingerprint(secret: str) -> str:
    return "fp_" + hashlib.sha256(secret.encode()).hexdigest()[:16]


def _luhn(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def _brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    return "unknown"


def create_payment_method(call: Call) -> JSON:
    values = body(call, PM_CREATE, PM_CODE)
    store = call.store
    kind = values["type"]
    if kind not in {"card", "bank_account"}:
        raise invalid("Wallets are created by Charge, not through the API.", "type", code=PM_CODE)
    details = values.get(kind)
    if details is None:
        raise invalid(f"Missing required param: {kind} (type is {kind}).", kind, code=PM_CODE)
    other = "bank_account" if kind == "card" else "card"
    if other in values:
        raise invalid(f"Received {other} for a {kind} payment method.", other, code=PM_CODE)
    extra: JSON = {}
    card = bank = None
    if kind == "card":
        number = details["number"].replace(" ", "")
        if not (number.isdigit() and 12 <= len(number) <= 19 and _luhn(number)):
            raise invalid(
                "Invalid card.number: not a valid card number.", "card.number", code=PM_CODE
            )
        card = {
            "brand": _brand(number),
            "exp_month": details["exp_month"],
            "exp_year": details["exp_year"],
            "fingerprint": _fingerprint(number),
            "last4": number[-4:],
        }
        extra["_declines"] = number in DECLINING_CARDS
    else:
        account_number = details.get("account_number")
        if account_number is None:
            raise invalid(
                "Missing required param: bank_account.account_number.",
                "bank_account.account_number",
                code=PM_CODE,
            )
        bank = {
            "bank_name": details.get("bank_name", ""),
            "country": details.get("country", "FR"),
            "currency": details.get("currency", "eur"),
            "fingerprint": _fingerprint(account_number),
            "last4": account_number[-4:],
            "status": "verified",
        }
    billing: JSON = values.get("billing_details") or {}
    return created(
        store,
        "payment_method",
        {
            "id": store.new_id("payment_method"),
            "object": "payment_method",
            "bank_account": bank,
            "billing_details": {
                "address": address(billing.get("address")),
                "email": billing.get("email", ""),
                "name": billing.get("name", ""),
                "phone": billing.get("phone", ""),
            },
            "card": card,
            "created": store.stamp(),
            "driver": None,
            "fleet": None,
            "type": kind,
            "wallet": None,
            **extra,
        },
    )


def update_payment_method(call: Call) -> JSON:
    values = body(call, PM_UPDATE, PM_CODE)
    method = stored(call.store, "payment_method", call.object_id, call.param)
    for kind in ("card", "bank_account"):
        if kind in values and method[kind] is None:
            raise invalid(f"Payment method {method['id']} is not a {kind}.", kind, code=PM_CODE)
    billing = values.get("billing_details")
    if billing is not None and "address" in billing:  # merged line by line, like the rest
        current = method["billing_details"]["address"]
        values["billing_details"] = {**billing, "address": {**current, **billing["address"]}}
    return updated(call.store, "payment_method", method, values)


def _owner(call: Call) -> tuple[JSON, str, JSON]:
    values = body(
        call,
        {"driver": opt(ident("driver")), "fleet": opt(ident("fleet"))},
        "payment_method_scope_invalid",
    )
    kind = exactly_one(values, ("driver", "fleet"), "payment_method_scope_invalid")
    method = stored(call.store, "payment_method", call.object_id, call.param)
    owner = stored(call.store, kind, values[kind], kind, "payment_method_owner_not_found")
    return method, kind, owner


def attach_payment_method(call: Call) -> JSON:
    method, kind, owner = _owner(call)
    changes = {"driver": None, "fleet": None, kind: owner["id"]}
    call.store.transition("payment_method", method, **changes)
    return _render(call.store, "payment_method", method["id"])


def detach_payment_method(call: Call) -> JSON:
    method, kind, owner = _owner(call)
    if method[kind] != owner["id"]:
        raise invalid(
            f"Payment method {method['id']} is not attached to {owner['id']}.",
            kind,
            code="payment_method_scope_invalid",
        )
    call.store.transition("payment_method", method, driver=None, fleet=None)
    return _render(call.store, "payment_method", method["id"])


def retrieve_payment_method(call: Call) -> JSON:
    """Retrieve, optionally scoped: with `driver` or `fleet` it is found only if it belongs."""
    check_names(call.params.keys(), {"expand", "driver", "fleet"}, PM_CODE)
    steps = expansions(call, "payment_method")
    method = require(call.store, "payment_method", call.object_id, call.param)
    for kind in ("driver", "fleet"):
        owner = call.params.get(kind)
        if owner is None:
            continue
        if call.store.get(kind, owner) is None:
            raise ApiError(
                404,
                "invalid_request_error",
                "payment_method_scope_not_found",
                f"No such {kind}: {owner!r}.",
                kind,
            )
        if method[kind] != owner:
            raise not_found("payment_method", call.param, call.object_id)
    expand_all([method], steps, call.store)
    return method


def _render(store: Store, kind: str, object_id: str) -> JSON:
    shaped = render(store, kind, object_id)
    assert shaped is not None
    return shaped


def _scope(kind: str) -> Filter:
    def match(store: Store, method: Any, value: str) -> bool:
        if store.get(kind, value) is None:
            raise ApiError(
                404,
                "invalid_request_error",
                "payment_method_scope_not_found",
                f"No such {kind}: {value!r}.",
                kind,
            )
        return bool(method[kind] == value)

    return Filter(ident(kind), match)


# -- invoices ---------------------------------------------------------------------------------

INVOICE_CODE = "invoice_validation_error"
INVOICE_STATUSES = ("draft", "open", "paid", "overdue", "void", "uncollectible")
INVOICE_CREATE = {
    "period_start": req(timestamp),
    "period_end": req(timestamp),
    "fleet": opt(nullable(ident("fleet"))),
    "currency": opt(CURRENCY),
    "description": opt(nullable(string(500))),
    "metadata": opt(nullable(metadata)),
}
INVOICE_UPDATE = {
    "period_start": opt(timestamp),
    "period_end": opt(timestamp),
    "fleet": opt(nullable(ident("fleet"))),
    "currency": opt(CURRENCY),
    "description": opt(nullable(string(500))),
    "metadata": opt(nullable(metadata)),
}


def _check_invoice(store: Store, values: JSON) -> None:
    start, end = parse_timestamp(values["period_start"]), parse_timestamp(values["period_end"])
    assert start is not None
    assert end is not None
    if end <= start:
        raise invalid("period_end must be after period_start.", "period_end", code=INVOICE_CODE)
    if values.get("fleet") is not None:
        stored(store, "fleet", values["fleet"], "fleet")


def create_invoice(call: Call) -> JSON:
    values = body(call, INVOICE_CREATE, INVOICE_CODE)
    store = call.store
    _check_invoice(store, values)
    return created(
        store,
        "invoice",
        {
            "id": store.new_id("invoice"),
            "object": "invoice",
            "amount_due": 0,
            "amount_paid": None,
            "created": store.stamp(),
            "currency": values.get("currency") or _account_currency(store),
            "description": values.get("description"),
            "due_date": store.due_date(),
            "fleet": values.get("fleet"),
            "line_items": [],
            "metadata": values.get("metadata") or {},
            "paid_at": None,
            "payment_method": None,
            "period_end": values["period_end"],
            "period_start": values["period_start"],
            "status": "draft",
        },
    )


def _account_currency(store: Store) -> str:
    currency: str = store.objects("account")[store.account_id]["default_currency"]
    return currency


def _invoice(call: Call, allowed: tuple[str, ...], code: str, action: str) -> JSON:
    invoice = stored(call.store, "invoice", call.object_id, call.param)
    if invoice["status"] not in allowed:
        raise conflict(
            code,
            f"Invoice {invoice['id']} is {invoice['status']}; only {' or '.join(allowed)} "
            f"invoices can be {action}.",
        )
    return invoice


def update_invoice(call: Call) -> JSON:
    values = body(call, INVOICE_UPDATE, INVOICE_CODE)
    invoice = _invoice(call, ("draft",), "invoice_update_invalid_state", "updated")
    _check_invoice(call.store, {**invoice, **values})
    return updated(call.store, "invoice", invoice, values)


def finalize_invoice(call: Call) -> JSON:
    body(call, {}, INVOICE_CODE)
    store = call.store
    invoice = _invoice(call, ("draft",), "invoice_finalize_invalid_state", "finalized")
    lines = store.invoice_lines(invoice)
    store.transition(
        "invoice",
        invoice,
        status="open",
        line_items=lines,
        amount_due=sum(line["amount"] for line in lines),
        amount_paid=0,
        due_date=store.due_date(),
    )
    return _render(store, "invoice", invoice["id"])


def pay_invoice(call: Call) -> JSON:
    values = body(call, {"payment_method": opt(nullable(ident("payment_method")))}, INVOICE_CODE)
    store = call.store
    invoice = _invoice(call, ("open", "overdue"), "invoice_payment_invalid_state", "paid")
    method_id = values.get("payment_method") or _default_payment_method(store, invoice)
    if method_id is None:
        raise invalid(
            "No payment_method given and no default payment method to pay with.",
            "payment_method",
            code=INVOICE_CODE,
        )
    method = stored(store, "payment_method", method_id, "payment_method")
    if method.get("_declines"):
        raise ApiError(
            402,
            "card_error",
            "payment_authorization_failed",
            f"The payment method {method_id} was declined.",
            "payment_method",
        )
    store.transition(
        "invoice",
        invoice,
        status="paid",
        amount_paid=invoice["amount_paid"] + invoice["amount_due"],
        amount_due=0,
        paid_at=store.stamp(),
        payment_method=method_id,
    )
    return _render(store, "invoice", invoice["id"])


def _default_payment_method(store: Store, invoice: JSON) -> str | None:
    if invoice["fleet"] is not None:
        fleet = store.get("fleet", invoice["fleet"])
        default = None if fleet is None else fleet["preferences"].get("default_payment_method")
        if default is not None:
            return str(default)
    account = store.objects("account")[store.account_id]
    default = account["preferences"].get("default_payment_method")
    return None if default is None else str(default)


def void_invoice(call: Call) -> JSON:
    body(call, {}, INVOICE_CODE)
    invoice = _invoice(call, ("open", "overdue"), "invoice_void_invalid_state", "voided")
    call.store.transition("invoice", invoice, status="void")
    return _render(call.store, "invoice", invoice["id"])


HANDLERS: dict[tuple[str, str], Endpoint] = {
    ("PaymentMethod", "create"): create_payment_method,
    ("PaymentMethod", "retrieve"): retrieve_payment_method,
    ("PaymentMethod", "update"): update_payment_method,
    ("PaymentMethod", "list"): list_of(
        "payment_method",
        {
            "driver": _scope("driver"),
            "fleet": _scope("fleet"),
            "type": equals("type", one_of(*PM_TYPES)),
        },
    ),
    ("PaymentMethod", "attach"): attach_payment_method,
    ("PaymentMethod", "detach"): detach_payment_method,
    ("Invoice", "create"): create_invoice,
    ("Invoice", "retrieve"): retrieve("invoice"),
    ("Invoice", "update"): update_invoice,
    ("Invoice", "list"): list_of(
        "invoice",
        {"fleet": equals("fleet"), "status": equals("status", one_of(*INVOICE_STATUSES))},
        INVOICE_CODE,
    ),
    ("Invoice", "finalize"): finalize_invoice,
    ("Invoice", "pay"): pay_invoice,
    ("Invoice", "void"): void_invoice,
    ("Transaction", "retrieve"): retrieve("transaction"),
    ("Transaction", "list"): list_of(
        "transaction", {"driver": equals("driver"), "fleet": equals("fleet")}
    ),
}
