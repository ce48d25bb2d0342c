"""Issue 11 as a user types it: per-call options, ``.last_response``, the default client and
``chargeapi.testing`` reached through ``import chargeapi``. Checked by mypy --strict and
pyright (strict), never run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import assert_type

import chargeapi


def per_call_options(client: chargeapi.Client) -> None:
    quick = client.with_options(timeout=5, max_retries=0)
    assert_type(quick, chargeapi.Client)
    assert_type(quick.timeout, float)
    assert_type(quick.max_retries, int)
    assert_type(quick.base_url, str)
    assert_type(quick.api_version, str)
    client.with_options(timeout="5")  # type: ignore[arg-type]
    client.timeout = 5  # type: ignore[misc]


def response_metadata(client: chargeapi.Client) -> None:
    driver = chargeapi.Driver.retrieve("drv_1", client=client)
    response = driver.last_response
    assert_type(response, chargeapi.LastResponse | None)
    if response is not None:
        assert_type(response.status_code, int)
        assert_type(response.headers, Mapping[str, str])
        assert_type(response.request_id, str | None)
        assert_type(response.idempotency_key, str | None)
        assert_type(response.idempotent_replayed, bool)
        assert_type(response.retries, int)
        assert_type(response.elapsed, float)
    page = chargeapi.Driver.list(client=client)
    assert_type(page.last_response, chargeapi.LastResponse | None)


def the_default_client_and_the_simulator() -> None:
    assert_type(chargeapi.default_client(), chargeapi.Client)
    sim = chargeapi.testing.Simulator(seed=0)
    assert_type(sim, chargeapi.testing.Simulator)
    assert_type(sim.client(), chargeapi.Client)


def errors() -> None:
    try:
        chargeapi.Driver.from_dict({"id": 1})
    except chargeapi.InvalidDataError as error:
        assert_type(error, chargeapi.InvalidDataError)
        assert_type(error.message, str)
