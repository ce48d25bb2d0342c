"""A user's webhook receivers on FastAPI, Flask and Django, checked by ``mypy --strict`` and
``pyright`` (strict) in CI, never run. Each ``# type: ignore[...]`` line must stay an error."""

from __future__ import annotations

from typing import Annotated, assert_type

import flask
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from fastapi import Depends, FastAPI

import chargeapi
from chargeapi.integrations import ClaimResult, DedupeStore, MemoryDedupeStore
from chargeapi.integrations.django import webhook_view as django_webhook_view
from chargeapi.integrations.fastapi import webhook_event
from chargeapi.integrations.flask import webhook_view as flask_webhook_view

api = FastAPI()
ChargeEvent = Annotated[chargeapi.Event, Depends(webhook_event("whsec_x"))]


@api.post("/webhooks")
def fastapi_receive(event: ChargeEvent) -> None:
    assert_type(event, chargeapi.Event)


app = flask.Flask(__name__)


@app.post("/webhooks/<tenant>")
@flask_webhook_view(chargeapi.Webhook(["whsec_new", "whsec_old"], tolerance=60))
def flask_receive(event: chargeapi.Event, tenant: str) -> None:
    assert_type(event.id, str)


assert_type(flask_receive(tenant="acme"), flask.Response)


@django_webhook_view("whsec_x", store=MemoryDedupeStore(max_events=100))
def django_receive(request: HttpRequest, event: chargeapi.Event, tenant: str) -> HttpResponse:
    return HttpResponse(event.id)


def django_urls(request: HttpRequest) -> None:
    assert_type(django_receive(request, tenant="acme"), HttpResponseBase)
    django_receive(request, tenant=1)  # type: ignore[arg-type]


class RedisLikeStore:
    def claim(self, event_id: str) -> ClaimResult:
        return "claimed"

    def complete(self, event_id: str) -> None: ...

    def release(self, event_id: str) -> None: ...


class NotAStore:
    def claim(self, event_id: str) -> bool:
        return True


def stores() -> None:
    store: DedupeStore = RedisLikeStore()
    webhook_event("whsec_x", store=store)
    webhook_event("whsec_x", store=NotAStore())  # type: ignore[arg-type]
    webhook_event(b"whsec_x")  # type: ignore[arg-type]


# A Flask view must take the event first; a Django view the request, then the event.
@flask_webhook_view("whsec_x")  # type: ignore[arg-type]
def flask_without_event(tenant: int) -> None: ...


@django_webhook_view("whsec_x")  # type: ignore[arg-type]
def django_without_event(request: HttpRequest) -> None: ...
