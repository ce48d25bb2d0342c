"""The documented API as an OpenAPI 3.1 document, built from the SDK's own definitions.

Each row of the operations table gives a path and method; the operation's annotations give its
parameters (path, query or JSON body, with their types, enums, ranges and ID prefixes, exactly
what the SDK checks before sending); the model it returns gives the answer's schema, field by
field (a field is nullable only where the model is, and each such field says why). The docs'
conventions fill in the rest:

* Timestamps are served as RFC 3339 UTC with milliseconds (``2026-04-01T01:09:14.087Z``) and
  accepted as any RFC 3339 string.
* IDs carry their object's prefix (``drv_...``); an expandable field is that ID or the object.
* Enumerations the docs list in full are closed; those the docs give by example only (a
  connector's status, a cost line's type) are plain strings.
* Every failure is the error object of the docs' errors page, with ``status`` equal to the
  HTTP status. Each operation lists 400 (invalid input), 401 (authentication), 403
  (permission), 404 (not found) and 429 (rate limit); 409 where the docs name a
  ``*_conflict`` or ``*_invalid_state`` code for it, 402 where they name
  ``payment_authorization_failed``.
* Lists answer ``{"data", "next_page_url", "previous_page_url"}`` and nothing else.

Objects leave ``additionalProperties`` open: the docs let a server add fields, and clients keep
unknown fields. The simulator is fuzzed against this document in the SDK's test suite.
"""

from __future__ import annotations

import ast
import collections.abc
import copy
import functools
import inspect
import itertools
import sys
import types
import typing
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args, get_origin

import attrs

from chargeapi._models import ChargeObject
from chargeapi._params import (
    _HTTPS_URL,
    _METADATA,
    _TIMESTAMP,
    _TOKEN,
    ID,
    MinItems,
    NotGiven,
    Range,
)
from chargeapi._registry import PREFIXES
from chargeapi.testing._expand import EXPANDABLE

__all__ = ["openapi_document"]

Schema = dict[str, Any]

API_VERSION = "2026-03-01"
_MAX_SAFE_INT = 2**53 - 1
_MAX_ID = 255  # the longest ID or token the SDK sends (prefix included)
_ERROR_STATUSES = (400, 401, 403, 404, 429)
# Documented error codes that name an operation's conflicts (409) or payment failures (402).
_MORE_STATUSES: dict[tuple[str, str], tuple[int, ...]] = {
    ("ChargingSession", "create"): (402, 409),  # payment_authorization_failed, *_conflict
    ("ChargingSession", "end"): (409,),  # charging_session_state_conflict
    ("Driver", "attach"): (409,),  # driver_fleet_conflict
    ("Driver", "detach"): (409,),
    ("Invoice", "update"): (409,),  # invoice_update_invalid_state
    ("Invoice", "finalize"): (409,),  # invoice_finalize_invalid_state
    ("Invoice", "pay"): (402, 409),  # payment_authorization_failed, invoice_payment_invalid_state
    ("Invoice", "void"): (409,),  # invoice_void_invalid_state
    ("Reservation", "update"): (409,),  # reservation_update_invalid_state
    ("Reservation", "confirm"): (409,),  # reservation_invalid_state
    ("Reservation", "cancel"): (409,),  # reservation_cancel_invalid_state
}
# Enumerations the docs give by example only ("e.g."): any string.
_OPEN_ENUMS = frozenset({"ConnectorStatus", "EstimationCostType"})
# String fields that hold IDs without being expandable (the docs' field tables say whose).
_ID_FIELDS: dict[tuple[str, str], str] = {
    ("Driver", "fleets"): "fleet",
    ("Driver", "vehicles"): "vehicle",
    ("Driver", "policy_ids"): "policy",
    ("DriverPreferences", "preferred_charging_stations"): "charging_station",
    ("Vehicle", "drivers"): "driver",
    ("Vehicle", "policy_ids"): "policy",
    ("Vehicle", "telemetry"): "vehicle_telemetry",
    ("Fleet", "policy_ids"): "policy",
    ("ReportFilters", "vehicle"): "vehicle",
}
# Fields the SDK's models keep Optional (for a server's sake, each says why) that the docs type
# as a plain string: the document says string, and the simulator serves "" when there is none.
# (The other Optional fields the docs show filled stay nullable here: a policy's
# max_price_per_kwh (its description is cut; the same field of driver preferences is nullable),
# a reservation's payment_method (a nullable create parameter), a transaction's
# charging_session (a refund or wallet adjustment may have none).)
_NOT_NULL: frozenset[tuple[str, str]] = frozenset(
    {("Address", "line2"), ("AccountContact", "phone"), ("BankAccount", "bank_name")}
)
# Currencies are ISO 4217 codes, lowercase in every example (section 1, "Money").
_CURRENCY: Schema = {"type": "string", "pattern": "^[a-z]{3}$"}
_CURRENCY_NAMES = frozenset({"currency", "default_currency"})
# Fields a documented answer leaves out: the docs' charging-session list example has no
# session_limit (every other field of every object is in its documented example).
_MAY_BE_ABSENT = frozenset({("ChargingSession", "session_limit")})
# Documented ranges of answers: percentages (0-100), coordinates, a card's expiry month.
_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("TelemetryBattery", "level"): (0, 100),
    ("Estimation", "battery_level"): (0, 100),
    ("Estimation", "battery_target_level"): (1, 100),
    ("Location", "latitude"): (-90, 90),
    ("Location", "longitude"): (-180, 180),
    ("TelemetryLocation", "latitude"): (-90, 90),
    ("TelemetryLocation", "longitude"): (-180, 180),
    ("ReservationLocation", "latitude"): (-90, 90),
    ("ReservationLocation", "longitude"): (-180, 180),
    ("Card", "exp_month"): (1, 12),
}
_EXPAND_DEPTH = 2  # nested paths listed up to two hops (``vehicle.fleet``)
_CONFIG = frozenset({"client", "idempotency_key", "expand"})


def openapi_document() -> dict[str, Any]:
    """The documented ChargeAPI as an OpenAPI 3.1 document (a JSON-ready dict, a fresh copy).

    It covers every operation the SDK offers: paths and methods, parameters with their
    documented types, enums, ranges and ID prefixes, and every answer's schema (each documented
    object field by field, the error object for each documented error status). The simulator
    answers within it; point your own tools (a schema fuzzer, a mock server, a client
    generator) at it as well.
    """
    return copy.deepcopy(_document())


@functools.cache
def _document() -> dict[str, Any]:
    from chargeapi._operations import table  # noqa: PLC0415 - loads every resource module
    from chargeapi.resources import resolve_annotations  # noqa: PLC0415

    resolve_annotations()
    builder = _Builder()
    paths: dict[str, dict[str, Any]] = {}
    for row in table():
        paths.setdefault(row.path, {})[row.method.lower()] = builder.operation(row)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ChargeAPI",
            "version": API_VERSION,
            "description": (
                "The ChargeAPI REST API (api_version 2026-03-01) as documented at "
                "docs.chargeapi.co, as the chargeapi SDK and its simulator implement it."
            ),
        },
        "servers": [{"url": "https://api.chargeapi.co"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A secret key: ch_sk_test_... or ch_sk_live_...",
                }
            },
            "schemas": dict(sorted(builder.schemas.items())),
        },
    }


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Schema) -> Schema:
    if list(schema) == ["anyOf"]:  # an expandable field: its ID, its object, or null
        return {"anyOf": [*schema["anyOf"], {"type": "null"}]}
    return {"anyOf": [schema, {"type": "null"}]}


def _id_name(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_")) + "ID"


class _Builder:
    """Collects the named schemas (``components.schemas``) while operations are described."""

    def __init__(self) -> None:
        self.schemas: dict[str, Schema] = {
            "Timestamp": {
                "type": "string",
                "format": "date-time",
                "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$",
                "description": "RFC 3339 UTC with milliseconds: 2026-04-01T01:09:14.087Z.",
            },
            "Metadata": {
                "type": "object",
                "description": "Your key-value strings: at most 50 keys of up to 40 "
                "characters, values of up to 500.",
                "maxProperties": 50,
                "propertyNames": {"minLength": 1, "maxLength": 40},
                "additionalProperties": {"type": "string", "maxLength": 500},
            },
            "Error": _error_schema(),
        }

    # -- answers --------------------------------------------------------------------------

    def id(self, kind: str) -> Schema:
        """The ID of an object of ``kind``: its documented prefix, then letters, digits, _."""
        name = _id_name(kind)
        if name not in self.schemas:
            prefix = PREFIXES[kind]
            self.schemas[name] = {
                "type": "string",
                "pattern": f"^{prefix}[A-Za-z0-9_]{{1,{_MAX_ID - len(prefix)}}}$",
                "description": f"The ID of a {kind.replace('_', ' ')} ({prefix}...).",
            }
        return _ref(name)

    def model(self, cls: type[Any]) -> Schema:
        """A model's schema, by reference: every field, required unless the docs omit it."""
        name = cls.__name__
        if name in self.schemas:
            return _ref(name)
        self.schemas[name] = {}  # a placeholder while its fields refer back to it
        properties: dict[str, Schema] = {}
        required: list[str] = []
        if any(isinstance(field.type, str) for field in attrs.fields(cls)):
            attrs.resolve_types(cls)  # shared parts, outside the resource modules' namespace
        for field in attrs.fields(cls):
            if field.name.startswith("_"):
                continue
            key = field.metadata.get("chargeapi_json_name", field.name)
            described = self.field(cls, field.name, field.type)
            meaning = _field_doc(cls, field.name)
            properties[key] = {**described, "description": meaning} if meaning else described
            if (name, field.name) not in _MAY_BE_ABSENT:
                required.append(key)
        model: Schema = {"type": "object", "properties": properties, "required": required}
        if cls.__doc__:
            model["description"] = inspect.cleandoc(cls.__doc__).split("\n\n")[0]
        self.schemas[name] = model
        return _ref(name)

    def field(self, owner: type[Any], name: str, annotation: Any) -> Schema:
        """One field of a model, as served."""
        if name == "id" and hasattr(owner, "__chargeapi_object__"):
            return self.id(owner.__chargeapi_object__)
        kind = _ID_FIELDS.get((owner.__name__, name))
        if kind is not None:
            nullable = _is_optional(annotation)
            inner = self.id(kind)
            if get_origin(_strip_none(annotation)) is tuple:
                inner = {"type": "array", "items": inner}
            return _nullable(inner) if nullable else inner
        if (owner.__name__, name) in _NOT_NULL:
            annotation = _strip_none(annotation)
        if name in _CURRENCY_NAMES and annotation is str:
            return dict(_CURRENCY)
        schema = self.answer(annotation)
        bounds = _RANGES.get((owner.__name__, name))
        if bounds is not None:
            schema = {**schema, "minimum": bounds[0], "maximum": bounds[1]}
        return schema

    def answer(self, annotation: Any) -> Schema:
        """The schema of a value of ``annotation`` in an answer."""
        if _is_optional(annotation):
            return _nullable(self.answer(_strip_none(annotation)))
        members = _members(annotation)
        if len(members) > 1:
            enums = [m for m in members if isinstance(m, type) and issubclass(m, StrEnum)]
            if enums and str in members:  # an open enum: its documented values
                return _enum(enums[0])
            models = [m for m in members if _is_resource(m)]
            if models and str in members:  # expandable: the ID, or the object when expanded
                kind: str = models[0].__chargeapi_object__
                return {"anyOf": [self.id(kind), self.model(models[0])]}
            if dict in {get_origin(m) for m in members}:  # an event's payload: any object
                return {"type": "object"}
            raise TypeError(f"no schema for {annotation!r}")
        origin = get_origin(annotation)
        if origin is Literal:
            values = list(get_args(annotation))
            return {"const": values[0]} if len(values) == 1 else {"enum": values}
        if origin is tuple:
            return {"type": "array", "items": self.answer(get_args(annotation)[0])}
        if origin in (collections.abc.Mapping, dict):
            value = get_args(annotation)[1]
            if value is Any:
                return {"type": "object"}
            return {"type": "object", "additionalProperties": self.answer(value)}
        if annotation is datetime:
            return _ref("Timestamp")
        if isinstance(annotation, type) and issubclass(annotation, ChargeObject):
            return self.model(annotation)
        return _scalar(annotation)

    # -- parameters -----------------------------------------------------------------------

    def parameter(self, annotation: Any) -> Schema:
        """The schema of a parameter's value, as the SDK checks it before sending."""
        origin = get_origin(annotation)
        if origin in (typing.Required, typing.NotRequired):
            return self.parameter(get_args(annotation)[0])
        if origin is Annotated:
            return self._annotated(annotation)
        if origin is typing.Union or isinstance(annotation, types.UnionType):
            args = get_args(annotation)
            (inner,) = [a for a in args if a not in (type(None), NotGiven)]
            schema = self.parameter(inner)
            return _nullable(schema) if type(None) in args else schema
        if origin is Literal:
            return {"enum": list(get_args(annotation))}
        if origin in (collections.abc.Sequence, list, tuple):
            return {"type": "array", "items": self.parameter(get_args(annotation)[0])}
        if typing.is_typeddict(annotation):
            return self._typed_dict(annotation)
        if annotation is int:
            return {"type": "integer", "minimum": -_MAX_SAFE_INT, "maximum": _MAX_SAFE_INT}
        return _scalar(annotation)

    def named(self, name: str, annotation: Any) -> Schema:
        """A parameter's schema, knowing its name: a currency is an ISO 4217 code."""
        schema = self.parameter(annotation)
        if name in _CURRENCY_NAMES and schema == {"type": "string"}:
            return dict(_CURRENCY)
        return schema

    def _annotated(self, annotation: Any) -> Schema:
        base, *extras = get_args(annotation)
        for extra in extras:
            if isinstance(extra, ID):
                return self.id(extra.object_name)
            if isinstance(extra, Range):
                return {**self.parameter(base), "minimum": extra.low, "maximum": extra.high}
            if isinstance(extra, MinItems):
                return {**self.parameter(base), "minItems": extra.count}
            if extra is _TIMESTAMP:
                return {"type": "string", "format": "date-time"}
            if extra is _METADATA:
                return _ref("Metadata")
            if extra is _HTTPS_URL:
                return {"type": "string", "format": "uri", "pattern": "^https://"}
            if extra is _TOKEN:
                return {"type": "string", "pattern": f"^[A-Za-z0-9_]{{1,{_MAX_ID}}}$"}
        return self.parameter(base)

    def _typed_dict(self, cls: Any) -> Schema:
        name: str = cls.__name__
        if name not in self.schemas:
            self.schemas[name] = {}
            hints = typing.get_type_hints(cls, include_extras=True)
            schema: Schema = {
                "type": "object",
                "properties": {key: self.named(key, hint) for key, hint in hints.items()},
                "additionalProperties": False,
            }
            required = [key for key in hints if key in cls.__required_keys__]
            if required:
                schema["required"] = required
            if cls.__doc__:
                schema["description"] = inspect.cleandoc(cls.__doc__)
            self.schemas[name] = schema
        return _ref(name)

    # -- operations -----------------------------------------------------------------------

    def operation(self, row: Any) -> Schema:
        """One operation: its parameters, body and answers."""
        hints = row.hints()
        signature = inspect.signature(row.sync)
        returned = hints["return"]
        model: type[Any] = get_args(returned)[0]
        is_list = get_origin(returned).__name__ == "ListCall"
        placeholders = [part.split("}")[0] for part in row.path.split("{")[1:]]
        parameters: list[Schema] = []
        body: dict[str, Schema] = {}
        required: list[str] = []
        positional = [
            p
            for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        for placeholder, param in zip(placeholders, positional, strict=True):
            parameters.append(
                {
                    "name": placeholder,
                    "in": "path",
                    "required": True,
                    "schema": self.parameter(hints[param.name]),
                }
            )
        for param in signature.parameters.values():
            if param in positional or param.kind is param.VAR_KEYWORD:
                continue
            if param.name == "expand":
                parameters.append(self._expand(model))
                continue
            if param.name in _CONFIG:
                continue
            annotation = hints[param.name]
            if param.default is None:  # None means "leave it out": the SDK never sends null
                annotation = _strip_none(annotation)
            schema = self.named(param.name, annotation)
            needed = param.default is param.empty
            if row.method == "POST":
                body[param.name] = schema
                if needed:
                    required.append(param.name)
            else:
                parameters.append(
                    {"name": param.name, "in": "query", "required": needed, "schema": schema}
                )
        if is_list:  # not an SDK parameter: pages are followed through next_page_url
            parameters.append(_PAGE)
        summary = inspect.cleandoc(row.sync.__doc__ or "").split("\n")[0]
        described: Schema = {
            "operationId": f"{row.resource.__name__}.{row.action}",
            "summary": summary,
            "parameters": parameters,
            "responses": self._responses(row, model, is_list),
        }
        if row.method == "POST":
            described["parameters"].append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                    "description": "One key per logical action, reused on every retry.",
                }
            )
            described["requestBody"] = {
                "required": bool(required or row.exactly_one),
                "content": {"application/json": {"schema": _body(body, required, row)}},
            }
        if row.at_most_one and row.method != "POST":
            either = " and ".join(row.at_most_one)
            described["description"] = f"{either} cannot be combined."
        return described

    def _expand(self, model: type[Any]) -> Schema:
        kind: str = getattr(model, "__chargeapi_object__", "")
        return {
            "name": "expand",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": True,
            "schema": {"type": "array", "items": {"enum": _expand_paths(kind, _EXPAND_DEPTH)}},
            "description": "Fields to return as whole objects instead of IDs, once per path.",
        }

    def _responses(self, row: Any, model: type[Any], is_list: bool) -> Schema:
        answer = self.model(model)
        if is_list:
            name = f"{model.__name__}List"
            self.schemas[name] = {
                "type": "object",
                "properties": {
                    "data": {"type": "array", "items": answer},
                    "next_page_url": _nullable({"type": "string", "format": "uri"}),
                    "previous_page_url": _nullable({"type": "string", "format": "uri"}),
                },
                "required": ["data", "next_page_url", "previous_page_url"],
                "additionalProperties": False,
            }
            answer = _ref(name)
        responses: Schema = {
            "200": {"description": "OK", "content": {"application/json": {"schema": answer}}}
        }
        extra = _MORE_STATUSES.get((row.resource.__name__, row.action), ())
        for status in sorted((*_ERROR_STATUSES, *extra)):
            responses[str(status)] = {
                "description": _STATUS_TEXT[status],
                "content": {
                    "application/json": {
                        "schema": {
                            "allOf": [_ref("Error"), {"properties": {"status": {"const": status}}}]
                        }
                    }
                },
            }
        return responses


_PAGE: Schema = {
    "name": "page",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "pattern": "^page_[A-Za-z0-9_-]+$"},
    "description": "An opaque page token: follow next_page_url or previous_page_url as returned.",
}
_STATUS_TEXT = {
    400: "Invalid parameters or request format",
    401: "Invalid or missing API key",
    402: "The payment method was declined",
    403: "Not permitted (a policy blocks it, or insufficient permissions)",
    404: "No such object",
    409: "A conflict with the object's current state",
    429: "Rate limit exceeded",
}


def _body(properties: dict[str, Schema], required: list[str], row: Any) -> Schema:
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    if "type" in properties and "card" in properties:  # "a sub-object named like the type
        # holds its details": a card payment method is created with its card
        schema["if"] = {"properties": {"type": {"const": "card"}}, "required": ["type"]}
        schema["then"] = {"required": ["card"]}
    if row.exactly_one:
        schema["oneOf"] = [{"required": [name]} for name in row.exactly_one]
    elif row.at_most_one:
        schema["not"] = {"required": list(row.at_most_one)}
    return schema


def _error_schema() -> Schema:
    return {
        "type": "object",
        "description": "The error object every failed request answers with.",
        "properties": {
            "object": {"const": "error"},
            "type": {"type": "string", "description": "The broad category of the failure."},
            "code": _nullable({"type": "string", "description": "The specific condition."}),
            "message": {"type": "string"},
            "param": _nullable({"type": "string"}),
            "request": {"type": "string", "pattern": "^req_[A-Za-z0-9_]+$"},
            "status": {"type": "integer"},
            "doc_url": {
                "type": "string",
                "pattern": r"^https://docs\.chargeapi\.co/errors(#[a-z0-9_]+)?$",
            },
        },
        "required": ["object", "type", "code", "message", "param", "request", "status", "doc_url"],
    }


def _expand_paths(kind: str, depth: int) -> list[str]:
    """Every expand path allowed on ``kind``, nested up to ``depth`` hops."""
    paths: list[str] = []
    for field, target in EXPANDABLE.get(kind, {}).items():
        paths.append(field)
        if depth > 1:
            paths.extend(f"{field}.{rest}" for rest in _expand_paths(target, depth - 1))
    return paths


def _members(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) is typing.Union or isinstance(annotation, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _is_optional(annotation: Any) -> bool:
    return type(None) in _members(annotation)


def _strip_none(annotation: Any) -> Any:
    members = [m for m in _members(annotation) if m is not type(None)]
    return members[0] if len(members) == 1 else functools.reduce(lambda a, b: a | b, members)


def _is_resource(cls: Any) -> bool:
    return isinstance(cls, type) and hasattr(cls, "__chargeapi_object__")


def _enum(cls: type[StrEnum]) -> Schema:
    if cls.__name__ in _OPEN_ENUMS:
        return {"type": "string", "examples": [member.value for member in cls]}
    return {"enum": [member.value for member in cls]}


def _scalar(annotation: Any) -> Schema:
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if annotation in names:
        return {"type": names[annotation]}
    raise TypeError(f"no schema for {annotation!r}")


def _field_doc(cls: type[Any], name: str) -> str:
    """The first line of a field's docstring (the string under it in the class body)."""
    return _field_docs(cls.__module__, cls.__name__).get(name, "")


@functools.cache
def _field_docs(module: str, name: str) -> dict[str, str]:
    tree = ast.parse(inspect.getsource(sys.modules[module]))
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ClassDef) and node.name == name):
            continue
        for field, doc in itertools.pairwise(node.body):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                text = inspect.cleandoc(doc.value.value).split("\n\n")[0]
                found[field.target.id] = text.replace("``", "`")  # reST to Markdown
    return found
