"""ChargeObject: the base of every model. Models hold data only; ``_convert`` owns the JSON."""

from __future__ import annotations

import collections
import itertools
import operator
import threading
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Self

import attrs

from ._convert import InvalidData, from_json, to_json, unknown_fields_default
from ._response import LastResponse

if TYPE_CHECKING:
    from ._client import Client

__all__ = ["ChargeObject", "remember_client", "remember_client_on_all"]


class _Fetched:
    """The Client an object was fetched with, so ``obj.refresh()`` uses it again.

    A slot outside the attrs fields: equality, hash, repr, pickling, copies and ``to_dict()``
    never see it (a Client holds the key and connections, which are no part of the data).
    """

    __slots__ = ("_client",)


@attrs.frozen(kw_only=True)
class ChargeObject(_Fetched):
    """A frozen, slotted snapshot of a ChargeAPI object (or of one of its nested parts).

    Fields the SDK does not know yet are kept aside, so ``to_dict()`` returns them unchanged.
    An object an operation returned has ``last_response``; equality, hash, repr and
    ``to_dict()`` ignore it.
    """

    _unknown: Mapping[str, Any] = attrs.field(
        factory=unknown_fields_default, repr=False, hash=False, alias="_unknown"
    )
    # JSON names of defaulted fields the decoded input did not have (``to_dict`` leaves them out
    # again); not part of equality: it describes the payload, not the object.
    _absent: frozenset[str] = attrs.field(
        default=frozenset(), repr=False, eq=False, hash=False, alias="_absent"
    )
    _last_response: LastResponse | None = attrs.field(
        default=None, init=False, repr=False, eq=False, hash=False
    )

    @property
    def last_response(self) -> LastResponse | None:
        """The HTTP answer this object came from; None for nested parts and ``from_dict``."""
        return self._last_response

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Decode a JSON object (as ``json.loads`` returns it) into this model.

        Raises ValueError saying which field is wrong, and TypeError if ``data`` is no mapping.
        """
        if type(data) is not dict:
            if not isinstance(data, Mapping):
                raise TypeError(f"data must be a dict, got {type(data).__name__}")
            data = dict(data)
        try:
            return from_json(cls, data)
        except InvalidData as error:
            raise InvalidData(f"data is not a valid {cls.__name__}: {error}") from None

    def __reduce__(self) -> tuple[Any, ...]:
        # attrs pickles slotted classes field by field, and the read-only mappingproxy of
        # unknown fields cannot pickle: send it as a dict and wrap it again on the way in.
        values = {a.name: getattr(self, a.name) for a in attrs.fields(type(self))}
        values["_unknown"] = dict(values["_unknown"])
        return (_unpickle, (type(self), values))

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped dict of this object; ``from_dict(obj.to_dict()) == obj``."""
        return to_json(self)


def _unpickle(cls: type[ChargeObject], values: dict[str, Any]) -> ChargeObject:
    obj = object.__new__(cls)
    unknown = values.pop("_unknown")
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    object.__setattr__(
        obj, "_unknown", types.MappingProxyType(unknown) if unknown else unknown_fields_default()
    )
    return obj


def remember_client(obj: ChargeObject, client: Client) -> None:
    """Record ``client`` on a returned object and on every object expanded inside it."""
    _set_client(obj, client)
    names = _links.get(type(obj))  # ``_linked_fields``, once worked out
    for name in _linked_fields(type(obj)) if names is None else names:
        value = getattr(obj, name)
        if type(value) is not str and value is not None:  # not only an ID: maybe expanded
            _remember_in(value, client)


def _remember_in(value: object, client: Client) -> None:
    """``remember_client`` on ``value`` if it is an object, or on the objects a tuple holds."""
    if isinstance(value, ChargeObject):
        remember_client(value, client)
    elif isinstance(value, tuple):
        for item in typing.cast("tuple[object, ...]", value):
            if isinstance(item, ChargeObject):
                remember_client(item, client)


# The slot's own setter (what ``object.__setattr__`` finds): no Python frame per object.
_set_client: Callable[[Any, Any], None] = _Fetched.__dict__["_client"].__set__


def remember_client_on_all(objs: list[Any], client: Client, *, linked: bool = True) -> None:
    """``remember_client`` for every object of a page, in C-level passes over the page: one to
    set the client, one over the fields that could hold an expanded object, and object by
    object only when one of those holds more than an ID. ``linked=False``: the decoder saw
    none of those fields hold more than an ID, so the client is only set."""
    kinds = set(map(type, objs))
    if len(kinds) != 1 or not issubclass(kind := kinds.pop(), ChargeObject):
        for obj in objs:
            if isinstance(obj, ChargeObject):
                remember_client(obj, client)
        return
    collections.deque(map(_set_client, objs, itertools.repeat(client)), maxlen=0)
    names = _linked_fields(kind) if linked else ()
    if not names:
        return
    # The types of every linked field's value on the page, in one pass: usually str and None.
    getter = operator.attrgetter(*names) if len(names) > 1 else operator.attrgetter(*names * 2)
    found = set(map(type, itertools.chain.from_iterable(map(getter, objs))))
    if any(issubclass(t, ChargeObject | tuple) for t in found):
        for name in names:
            for value in map(operator.attrgetter(name), objs):  # an expanded object, maybe
                _remember_in(value, client)


_links: dict[type[Any], tuple[str, ...] | None] = {}  # None: being worked out (a cycle)
_links_lock = threading.RLock()


def _linked_fields(cls: type[Any]) -> tuple[str, ...]:
    """The fields of ``cls`` that can hold an API object (an expanded one), or a part that can."""
    found = _links.get(cls)
    if found is not None:
        return found
    with _links_lock:  # one thread works the answers out: the others must not see a None
        found = _links.get(cls)
        if found is not None:
            return found
        _links[cls] = None
        names = tuple(
            field.name
            for field in attrs.fields(cls)
            if not field.name.startswith("_") and any(_can_link(c) for c in _classes_in(field.type))
        )
        _links[cls] = names
        return names


def _can_link(cls: type[Any]) -> bool:
    if hasattr(cls, "__chargeapi_object__"):  # a resource: it has operations of its own
        return True
    if cls in _links and _links[cls] is None:  # on the way already: answered there
        return False
    return bool(_linked_fields(cls))


def _classes_in(annotation: Any) -> list[type[Any]]:
    """The models named in a (resolved) field type: ``str | Driver | None`` -> ``[Driver]``."""
    if isinstance(annotation, type) and issubclass(annotation, ChargeObject):
        return [annotation]
    return [c for arg in typing.get_args(annotation) for c in _classes_in(arg)]
