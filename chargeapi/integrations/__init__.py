"""Webhook receivers for web frameworks: verify, decode, deduplicate, refuse.

One module per framework, each imported only when you import it (``import chargeapi`` and
``import chargeapi.integrations`` load none of them, and none is a dependency of chargeapi):

- ``chargeapi.integrations.fastapi.webhook_event``: a dependency that gives a route the Event.
- ``chargeapi.integrations.flask.webhook_view``: a view decorator.
- ``chargeapi.integrations.django.webhook_view``: a view decorator (CSRF-exempt).

Each reads the raw body, at most ``max_body_bytes`` of it (1 MiB by default: a larger
delivery gets a 413 before its signature is checked), verifies it (a delivery that does not
verify gets a 400 naming the failed check), and hands the view each event id once, through a
``DedupeStore``: in memory by default, or any object with the store's three methods (Redis, a
database table).
"""

from ._dedupe import ClaimResult, DedupeStore, MemoryDedupeStore

__all__ = ["ClaimResult", "DedupeStore", "MemoryDedupeStore"]
