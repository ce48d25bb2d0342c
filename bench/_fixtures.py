"""What the benchmarks share: the seed session, the raw baseline's headers, in-process servers."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import httpx

import chargeapi

ROOT = Path(__file__).resolve().parent.parent
API = "https://api.chargeapi.co"
KEY = "ch_sk_test_4eC39HqLyjWDarjtT1zdp7dc"


def _load_seed() -> tuple[dict[str, Any], dict[str, Any]]:
    """SEED_REQUEST and SEED_RESPONSE from tests/conftest.py, so the bench never drifts."""
    spec = importlib.util.spec_from_file_location("_chargeapi_seed", ROOT / "tests" / "conftest.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SEED_REQUEST, module.SEED_RESPONSE


SEED_REQUEST, SEED_RESPONSE = _load_seed()
SEED_BYTES = json.dumps(SEED_RESPONSE).encode()
SESSION_ID = SEED_RESPONSE["id"]
RESPONSE_HEADERS = [("content-type", "application/json"), ("request-id", "req_bench")]

# What the raw baseline sends: the same header names the SDK sends, precomputed once.
RAW_HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "Charge-Version": chargeapi.API_VERSION,
    "User-Agent": f"chargeapi-python/{chargeapi.__version__} (bench)",
    "Accept": "application/json",
    "X-Charge-Retry-Count": "0",  # the SDK numbers every attempt
}
RAW_POST_HEADERS = {**RAW_HEADERS, "Idempotency-Key": "3f0a4d0e-5b1c-4c1e-9f4e-0d7c2a1b9e11"}


def handler(request: httpx.Request) -> httpx.Response:
    """The in-process "server": the seed session, 200, from precomputed bytes."""
    return httpx.Response(200, headers=RESPONSE_HEADERS, content=SEED_BYTES)
