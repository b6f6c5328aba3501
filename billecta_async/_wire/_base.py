"""Base classes of the generated models and the field descriptions the codecs compile from.

Generated models are keyword-only slots dataclasses deriving from :class:`Model`; every field is
optional and defaults to ``None`` ("not set", never sent). Each field's ``metadata`` describes it
on the wire:

``name``      wire name: the JSON key and the XML element name
``wire``      ``string``, ``guid``, ``int``, ``long``, ``double``, ``boolean``, ``dateTime``,
              ``base64Binary``, ``enum``, ``model`` or ``any`` (xs:anyType: the raw JSON value;
              in XML the text, or the element itself when it has children)
``ref``       for ``enum`` and ``model``: the referenced type's name in the same package
``list``      the field is a list; in XML its items are ``item`` elements inside ``name``
``item``      XML element name of a list's items
``required``  the XSD says ``minOccurs=1``
``nillable``  the XSD says ``nillable=true``: ``None`` is written as ``xsi:nil`` in XML
``read_only`` set by Billecta, never sent (e.g. ``Amount.ValueForView``)
``always``    Billecta always returns it (a response model's required value); decoding an
              answer where it is absent or null raises ``DecodeError``

A field that holds a credential or a personal identity number (see :func:`_repr_rule`) is
``secret``: neither a repr nor an encode or decode error shows its value.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import reprlib
import sys
from collections.abc import Mapping
from enum import Enum
from types import ModuleType
from typing import Any, ClassVar, Generic, TypeVar

from billecta_async._exceptions import mask_personal_numbers

__all__ = ["BillectaEnum", "FieldSpec", "ListOf", "Model", "field_specs", "resolve"]

M = TypeVar("M", bound="Model")
T = TypeVar("T")
E = TypeVar("E", bound="BillectaEnum")

SCALAR_KINDS = frozenset(
    {"string", "guid", "int", "long", "double", "boolean", "dateTime", "base64Binary"}
)
KINDS = SCALAR_KINDS | {"enum", "model", "any"}


class Model:
    """Base class of every generated Billecta model."""

    __slots__ = ()
    __wire_name__: ClassVar[str]

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        """The class and the fields that are set: ``Debtor(name='Jenny Doe')``.

        A field shows when it is not ``None`` (``False``, ``0`` and ``[]`` are set values), and
        a field Billecta always returns shows whatever it holds. Credentials never show (see
        :func:`_repr_rule`), nor do digit runs that look like personal identity numbers; bytes
        show as their length.
        """
        cls = type(self)
        parts = []
        for attr, always, rule in _repr_rules(cls):
            value = getattr(self, attr)
            if value is None and not always:
                continue
            if rule == "masked" and value is not None:
                shown = _MASKED
            elif rule == "bytes" and isinstance(value, (bytes, bytearray)):
                shown = f"<{len(value)} bytes>"
            elif rule == "text":
                shown = mask_personal_numbers(repr(value))
            else:
                shown = repr(value)
            parts.append(f"{attr}={shown}")
        return f"{cls.__name__}({', '.join(parts)})"

    def to_json(self) -> bytes:
        """This model as Billecta's JSON (fields left as ``None`` are not sent)."""
        return _json.encode_json(self)

    def to_xml(self) -> bytes:
        """This model as Billecta's XML, root element named after the type."""
        data: bytes = (_XML or _load_xml()).encode_xml(self)
        return data

    @classmethod
    def from_json(cls: type[M], data: bytes | bytearray | memoryview | str) -> M:
        """Parse Billecta's JSON into this model."""
        return _json.decode_json(data, cls)

    @classmethod
    def from_xml(cls: type[M], data: bytes | bytearray | memoryview | str) -> M:
        """Parse Billecta's XML (root element named after this type) into this model."""
        model: M = (_XML or _load_xml()).decode_xml(data, cls)
        return model


#: What a masked field's value shows as in a repr.
_MASKED = "<masked>"

#: Wire names of the text fields that hold a credential or a personal identity number wherever
#: they appear: passwords (``User``, ``Password``, ``SwishSettings``), BankID's QR data and
#: signature, and personal identity numbers (``SSN``, ``SignSSN``, ``SignedBySSN``). Any text
#: field whose name has ``Token`` in it (the creditor portal's sign-in ``Token``, BankID's
#: ``ReferenceToken`` and ``AutoStartToken``, Swish's ``PaymentRequestToken``, the KYC form's
#: ``MobileBankIdTokenUsedForSign``) is masked too.
_SECRET_NAMES = frozenset({"Password", "QR", "Signature", "SSN", "SignSSN", "SignedBySSN"})
#: (model, field) pairs whose generic name holds a credential in that model only: the
#: SecureToken itself, and a webhook's custom header values (where its authentication goes).
_SECRET_FIELDS = frozenset({("SecureTokenView", "Value"), ("WebhookHeader", "Value")})
_TEXT_KINDS = frozenset({"string", "guid", "any"})

_REPR_RULES: dict[type, tuple[tuple[str, bool, str], ...]] = {}


def _repr_rule(model: str, meta: Mapping[str, Any]) -> str:
    """How a field's value shows in a repr: ``masked`` (a credential or personal number),
    ``bytes`` (the length), ``text`` (personal numbers inside masked) or ``plain``."""
    name, kind = meta.get("name", ""), meta.get("wire")
    if kind in _TEXT_KINDS and (
        name in _SECRET_NAMES or "Token" in name or (model, name) in _SECRET_FIELDS
    ):
        return "masked"
    if kind == "base64Binary":
        return "bytes"
    return "text" if kind in ("string", "any") else "plain"


def _repr_rules(cls: type) -> tuple[tuple[str, bool, str], ...]:
    """(attribute, always shown, rule) of each field of model ``cls`` (cached)."""
    rules = _REPR_RULES.get(cls)
    if rules is None:
        model = getattr(cls, "__wire_name__", cls.__name__)
        rules = _REPR_RULES[cls] = tuple(
            (f.name, bool(f.metadata.get("always")), _repr_rule(model, f.metadata))
            for f in dataclasses.fields(cls)
        )
    return rules


_PSEUDO: dict[type[BillectaEnum], dict[object, BillectaEnum]] = {}


class BillectaEnum(str, Enum):
    """A Billecta enum: the value is the wire name, ``code`` the integer code.

    Billecta sends enums by name (``"Private"``) in API responses and by integer code (``0``) in
    some webhooks; both decode to the same member. A value Billecta adds after this SDK was
    generated decodes to a pseudo-member (``is_known`` is false) instead of failing the whole
    response, and is sent back unchanged.

    ``wire_value`` is what goes on the wire: the name, or the bare code of a value known only by
    its code (a pseudo-member named ``CODE_<n>``).
    """

    _value_: str
    code: int | None
    wire_value: str | int

    def __new__(cls, wire: str, code: int | None = None) -> BillectaEnum:
        member = str.__new__(cls, wire)
        member._value_ = wire
        member.code = code
        member.wire_value = wire
        return member

    def __str__(self) -> str:
        return self._value_

    @property
    def is_known(self) -> bool:
        """False for a value that this SDK's schema does not list."""
        return self._name_ in type(self).__members__

    @classmethod
    def from_code(cls: type[E], code: int) -> E:
        """The member with this integer code (a pseudo-member when the code is unknown)."""
        for member in cls:
            if member.code == code:
                return member
        return cls._pseudo(code)

    @classmethod
    def _missing_(cls, value: object) -> BillectaEnum | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return cls.from_code(value)
        if isinstance(value, str):
            folded = value.casefold()
            for member in cls:
                if member._value_.casefold() == folded:
                    return member
            return cls._pseudo(value)
        return None

    @classmethod
    def _pseudo(cls: type[E], value: str | int) -> E:
        cache = _PSEUDO.setdefault(cls, {})
        member = cache.get(value)
        if member is None:
            text = value if isinstance(value, str) else str(value)
            member = str.__new__(cls, text)
            member._value_ = text
            member._name_ = text if isinstance(value, str) else f"CODE_{value}"
            member.code = value if isinstance(value, int) else None
            member.wire_value = value
            cache[value] = member
        return member  # type: ignore[return-value]


class ListOf(Generic[T]):
    """A top-level list model, e.g. ``Debtors``: a JSON array, in XML ``<Debtors><Debtor/>...``.

    Pass it wherever a model class is accepted to get a ``list`` back.
    """

    __slots__ = ("item_name", "kind", "nillable_items", "package", "ref", "wire_name")

    def __init__(
        self,
        wire_name: str,
        *,
        item_name: str,
        kind: str,
        ref: str | None,
        package: str,
        nillable_items: bool = True,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown wire kind {kind!r} for list model {wire_name}")
        self.wire_name = wire_name
        self.item_name = item_name
        self.kind = kind
        self.ref = ref
        self.package = package
        self.nillable_items = nillable_items

    @property
    def item_type(self) -> Any:
        """The class of the items (a model or enum class), or None for scalar items."""
        return resolve(self.package, self.ref) if self.ref else None

    def __repr__(self) -> str:
        return f"ListOf({self.wire_name!r}, item={self.item_name!r})"


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one dataclass field travels on the wire (read from its metadata)."""

    attr: str
    name: str
    kind: str
    ref: Any
    is_list: bool
    item: str | None
    required: bool
    nillable: bool
    read_only: bool
    always: bool
    secret: bool


def resolve(package: str, name: str) -> Any:
    """The model or enum called ``name`` in the generated package ``package``."""
    module = sys.modules.get(package) or importlib.import_module(package)
    return getattr(module, name)


_SPECS: dict[type, tuple[FieldSpec, ...]] = {}


def _declaring_module(cls: type, attr: str) -> str:
    """The module of the class in ``cls``'s MRO that declares the field ``attr``."""
    for base in cls.__mro__:
        if attr in inspect.get_annotations(base):
            return base.__module__
    return cls.__module__


def field_specs(cls: type) -> tuple[FieldSpec, ...]:
    """The wire description of every field of the model class ``cls`` (cached)."""
    specs = _SPECS.get(cls)
    if specs is not None:
        return specs
    model = getattr(cls, "__wire_name__", cls.__name__)
    result = []
    for f in dataclasses.fields(cls):
        # A ref names a class of the package of the model that declares the field (a
        # subclass of your own, elsewhere, inherits the model's fields and refs).
        package = _declaring_module(cls, f.name).rpartition(".")[0]
        meta: Mapping[str, Any] = f.metadata
        kind = meta.get("wire")
        if kind not in KINDS:
            raise TypeError(
                f"{cls.__name__}.{f.name}: not a field Billecta knows (a model's field has a "
                "'wire' kind in its metadata); a subclass of a model may add methods and "
                "properties, not fields"
            )
        ref = meta.get("ref")
        result.append(
            FieldSpec(
                attr=f.name,
                name=meta["name"],
                kind=kind,
                ref=resolve(package, ref) if ref else None,
                is_list=bool(meta.get("list")),
                item=meta.get("item"),
                required=bool(meta.get("required")),
                nillable=bool(meta.get("nillable")),
                read_only=bool(meta.get("read_only")),
                always=bool(meta.get("always")),
                secret=_repr_rule(model, meta) == "masked",
            )
        )
    specs = tuple(result)
    _SPECS[cls] = specs
    return specs


# The codecs import this module (for Model and the field descriptions); they are bound once for
# Model's methods instead of being imported again on every call: the JSON codec here, at the end
# of this module, the XML codec (and so lxml) on first use, so that code speaking only JSON does
# not load it.
from billecta_async._wire import _json  # noqa: E402

_XML: ModuleType | None = None


def _load_xml() -> ModuleType:
    global _XML
    from billecta_async._wire import _xml

    _XML = _xml
    return _xml
