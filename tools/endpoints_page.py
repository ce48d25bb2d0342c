"""Write docs/endpoints.md from the operations table: ``python tools/endpoints_page.py``.

tests/test_endpoints_page.py fails when the page and the table disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "docs" / "endpoints.md"

HEADER = """# Endpoints

Every documented ChargeAPI endpoint and the SDK method that calls it (`Driver.create()` is
`chargeapi.Driver.create()`). Each method has an
`_async` twin (`await Driver.create_async(...)`; lists: `async for` over `Driver.list_async(...)`,
or `await` it for the first page). This page is generated from the SDK's own operation
definitions, so it lists exactly what the SDK has.

| Endpoint | SDK method | Returns |
|---|---|---|
"""


def render() -> str:
    from chargeapi._operations import table

    rows = [
        f"| `{op.method} {op.path}` | `{op.resource.__name__}.{op.action}()` | `{op.returns}` |"
        for op in table()
    ]
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, str(PAGE.parent.parent))
    PAGE.write_text(render())
    print(f"wrote {PAGE}")
