"""A user's code reading one documented non-null field of every object, checked by ``mypy
--strict`` and pyright (strict) in CI, never run.

Each read is an expression that needs the field's precise type (a method of ``datetime`` or
``str``, arithmetic on an ``int``): with a field typed ``X | None`` it would not type-check
without a narrowing, and the docs type none of these as nullable. The ``# type: ignore[...]``
lines at the end are mistakes both checkers must catch (both report unused ignores, so one that
stops being caught fails too). Every public model appears here (a test checks it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import assert_type

import chargeapi


def use(*values: object) -> None:
    """Stands for whatever the user's code does with the values."""


def account(a: chargeapi.Account) -> None:
    use(a.name.upper())
    use(a.wallet_balance + 1)
    use(a.billing_details.billing_address.city.title())  # AccountBillingDetails, Address
    use(a.contact.email.lower())  # AccountContact
    use(a.preferences.notifications and a.preferences.reporting_enabled)  # AccountPreferences
    use(a.created.isoformat())


def charging_session(s: chargeapi.ChargingSession, c: chargeapi.ChargingStation) -> None:
    use(s.amount_due - s.amount_paid)
    use(s.session_started.isoformat())
    use(c.address.postal_code.strip())
    use(c.location.latitude * 2.0)  # Location
    use(c.availability.connectors_available + 1)  # Availability
    use(c.availability.opening_hours[0].from_.split(":"))  # OpeningHours
    use(c.availability.range[0].until - c.availability.range[0].from_)  # AvailabilityRange
    use(c.capabilities.access_24_7 or c.capabilities.reservable)  # Capabilities
    use(c.connectors[0].power * 1000)  # Connector
    use(c.pricing[0].price * c.pricing[0].step_size)  # Pricing
    use(c.operator.casefold())


def driver(d: chargeapi.Driver) -> None:
    use(d.name.upper())
    use(d.email.endswith("@example.com"))
    use(d.wallet_balance // 100)
    use(d.preferences.charging_speed.title())  # DriverPreferences
    use(d.updated + timedelta(days=1))


def estimation(e: chargeapi.Estimation) -> None:
    use(e.estimated_total_cost > 0)
    use(e.estimated_energy_kwh * 1000)
    use(e.valid_until.isoformat())
    use(e.cost_breakdown[0].cost + 1)  # EstimationCostItem
    use(e.cost_breakdown[0].description.strip())


def event(e: chargeapi.Event) -> None:
    use(e.created.isoformat())
    use(e.pending_webhooks + 1)
    use(e.api_version.split("-"))
    use(e.type.startswith("charge."))
    use(e.data.object)  # EventData
    # EventRequest: both fields are documented as possibly absent (an event no request caused)
    assert_type(e.request.id, str | None)


def fleet(f: chargeapi.Fleet) -> None:
    use(f.name.upper())
    use(f.total_energy_consumed_kwh / 2)
    use(f.total_sessions + f.total_drivers + f.total_vehicles)
    use(f.timezone.split("/"))
    use(f.preferences.default_currency.upper())  # FleetPreferences


def invoice(i: chargeapi.Invoice) -> None:
    use(i.period_start.isoformat())
    use(i.period_end - i.period_start)
    use(i.due_date.date())
    use(i.currency.upper())
    use(i.line_items[0].unit_amount * i.line_items[0].quantity)  # InvoiceLineItem


def payment_method(p: chargeapi.PaymentMethod, b: chargeapi.BankAccount) -> None:
    use(p.created.isoformat())
    use(p.billing_details.name.title())  # BillingDetails
    if p.card is not None:  # object | null: set when type is card
        use(p.card.last4.zfill(4))  # Card
        use(p.card.exp_year + 1)
    use(b.last4.zfill(4))  # BankAccount
    if p.wallet is not None:
        use(p.wallet.balance + 1)  # Wallet


def policy(p: chargeapi.Policy, deleted: chargeapi.DeletedObject) -> None:
    use(p.name.upper())
    use(", ".join(p.rules.allowed_operators))  # PolicyRules
    use(p.rules.geofences[0].radius_meters / 1000)  # Geofence
    use(p.rules.geofences[0].center.longitude + 0.5)
    use(p.rules.time_windows[0].start_time.split(":"))  # TimeWindow
    use(deleted.deleted is True)  # DeletedObject
    use(deleted.id.startswith("pol_"))


def report(r: chargeapi.Report) -> None:
    use(r.size + 1)
    use(r.created.isoformat())
    use(r.parameters.period_end - r.parameters.period_start)  # ReportParameters
    use(r.parameters.group_by.upper())
    use(", ".join(r.parameters.filters.vehicle))  # ReportFilters


def reservation(r: chargeapi.Reservation) -> None:
    use(r.ideal_start.isoformat())
    use(r.ideal_end - r.ideal_start)
    use(r.reservation_fee + 1)
    use(r.location.radius * 2.0)  # ReservationLocation
    use(r.cancellation_policy.free_until_before + 60)  # ReservationCancellationPolicy


def transaction(t: chargeapi.Transaction) -> None:
    use(t.amount + 1)
    use(t.currency.upper())
    use(t.created.isoformat())


def vehicle(v: chargeapi.Vehicle, t: chargeapi.VehicleTelemetry) -> None:
    use(v.battery_capacity // 1000)
    use(v.vin.upper())
    use(v.registration_plate.replace("-", ""))
    use(v.information.make.title())  # VehicleInformation
    use(t.firmware_version.lstrip("v"))
    use(t.battery.level / 100)  # TelemetryBattery
    use(t.battery.updated.isoformat())
    use(t.location.updated.isoformat())  # TelemetryLocation
    use(t.odometer.value * 1.609)  # TelemetryOdometer


def webhook_endpoint(w: chargeapi.WebhookEndpoint) -> None:
    use(w.url.startswith("https://"))
    use(w.secret.startswith("whsec_"))
    use(", ".join(w.enabled_events))
    use(w.livemode or w.created < datetime.now())


def mistakes(i: chargeapi.Invoice, d: chargeapi.Driver, t: chargeapi.Transaction) -> None:
    use(i.period_start + 1)  # type: ignore[operator]
    use(d.name + 1)  # type: ignore[operator]
    use(t.amount.upper())  # type: ignore[attr-defined]
    use(i.paid_at.isoformat())  # type: ignore[union-attr]
    use(d.phone.upper())  # type: ignore[union-attr]
    use(t.charging_session.upper())  # type: ignore[union-attr]


def misspelt(d: chargeapi.Drivr) -> None:  # type: ignore[name-defined]
    """A name the package does not export is an error, not Any."""
