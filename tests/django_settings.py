"""Django's settings for the tests that drive a Django view (the adapter's tests, the webhooks
page of the docs): configured once per process, by whichever needs them first."""

from __future__ import annotations

import django
from django.conf import settings


def configure() -> None:
    if not settings.configured:
        settings.configure(
            SECRET_KEY="tests-only-not-a-secret",
            ALLOWED_HOSTS=["testserver"],
            MIDDLEWARE=[
                "django.middleware.common.CommonMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
            ],
            APPEND_SLASH=False,
        )
    django.setup()
