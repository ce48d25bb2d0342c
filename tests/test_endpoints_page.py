"""docs/endpoints.md lists exactly the operations table, row for row."""

from __future__ import annotations

import re

from chargeapi._operations import table
from tools.endpoints_page import PAGE, render


def test_page_matches_the_operations_table() -> None:
    assert PAGE.read_text() == render(), "docs/endpoints.md is stale: run tools/endpoints_page.py"


def test_every_row_names_a_method_and_its_async_twin() -> None:
    rows = re.findall(r"^\| `(\w+) ([^`]+)` \| `(\w+)\.(\w+)\(\)`", PAGE.read_text(), re.M)
    assert len(rows) == len(table())
    import chargeapi

    for method, path, resource, action in rows:
        cls = getattr(chargeapi, resource)
        assert callable(getattr(cls, action)), (resource, action)
        assert callable(getattr(cls, action + "_async")), (resource, action)
        assert method in ("GET", "POST", "DELETE")
        assert path.startswith("/v1/")
