"""Conversions of single values between Python and the wire, shared by the JSON and XML codecs.

Every converter raises :class:`Bad` with what was expected; the compiled model functions turn
that into a :class:`~billecta_async.DecodeError` / :class:`~billecta_async.EncodeError` that
names the field.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import sys
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, TypeVar

from orjson import dumps as _dumps

from billecta_async._exceptions import DecodeError, EncodeError
from billecta_async._wire._base import BillectaEnum, FieldSpec
from billecta_async._wire._datetime import (
    DECODED,
    EPOCH,
    FAST_FROMISOFORMAT,
    OFFSET_BASES,
    STOCKHOLM,
    decode_cached,
    parse_datetime,
    to_aware,
)

__all__ = [
    "ALWAYS_MISSING",
    "DATETIME_HELPERS",
    "ENCODER_FAILURE_HELPERS",
    "EXPECTED",
    "INT_RANGES",
    "JSON_IN",
    "JSON_OUT",
    "XML_TEXT_IN",
    "XML_TEXT_OUT",
    "Bad",
    "Slow",
    "always_checks",
    "always_missing",
    "b64_in",
    "b64_out",
    "check_always",
    "datetime_lines",
    "decode_error",
    "dt_in",
    "dt_out",
    "dt_text",
    "encode_error",
    "encoder_failures",
    "enum_decoder",
    "enum_in",
    "enum_names",
    "enum_out",
    "field_decode_error",
    "float_in",
    "float_out",
    "hide_secret",
    "int_in",
    "int_out",
    "int_text_in",
    "str_out",
    "whole_minutes",
    "without_value",
    "wrong_model",
    "xml_escape",
    "xml_escape_lines",
]

EXPECTED = {
    "string": "expected a string",
    "guid": "expected a string (guid)",
    "int": "expected an integer",
    "long": "expected an integer",
    "double": "expected a number",
    "boolean": "expected true or false",
    "dateTime": "expected an ISO 8601 date-time",
    "base64Binary": "expected base64 data",
    "enum": "expected an enum name or integer code",
    "model": "expected an object",
    "any": "expected any value",
}

# xs:int is .NET's Int32, xs:long its Int64: a value outside cannot be Billecta's.
INT_RANGES = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_OUT_OF_RANGE = {
    "int": "expected an integer within xs:int's 32 bits",
    "long": "expected an integer within xs:long's 64 bits",
}
# A JSON number written with a fraction or an exponent is read as a double; from 2**53 on, a
# double no longer tells which integer was written (9007199254740993.0 reads as 2**53).
_EXACT_FLOAT = 2**53
_INEXACT = "expected an integer: a number with a fraction or exponent from 2**53 on is not exact"


class Bad(Exception):
    """A single value of the wrong type or form (internal; becomes a Decode/EncodeError)."""

    def __init__(self, reason: str, value: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


class Slow(Exception):
    """A value a compiled decoder's straight-line path does not take as is: the caller decodes
    the object again carefully, which finds what is wrong (internal)."""


def decode_error(key: str | None, exc: Exception, value: object, kind: str | None) -> DecodeError:
    """The DecodeError for a failure while decoding the field ``key`` of wire kind ``kind``."""
    if isinstance(exc, Bad):
        return DecodeError(exc.reason, path=[key or "?"], value=exc.value)
    reason = EXPECTED[kind] if kind else f"{type(exc).__name__}: {exc}"
    return DecodeError(reason, path=[key or "?"], value=value)


ALWAYS_MISSING = "absent or null, but Billecta always returns this field"


def always_missing(key: str) -> DecodeError:
    """The DecodeError for a field Billecta always returns (``always``) that is absent or null."""
    return DecodeError(ALWAYS_MISSING, path=[key], has_value=False)


def check_always(o: object, specs: tuple[FieldSpec, ...]) -> None:
    """Raise :func:`always_missing` for the first field of ``o`` that Billecta always returns
    but is ``None`` (what the careful decoders end with; :func:`always_checks` writes the same
    checks into the compiled ones)."""
    for s in specs:
        if s.always and getattr(o, s.attr) is None:
            raise always_missing(s.name)


def always_checks(specs: tuple[FieldSpec, ...]) -> list[str]:
    """Source lines ending a compiled decoder (object ``o``): a field Billecta always returns
    that is still ``None`` raises :func:`always_missing` (helper ``_always_missing``)."""
    lines = []
    for s in specs:
        if s.always:
            lines.append(f"    if o.{s.attr} is None:")
            lines.append(f"        raise _always_missing({s.name!r})")
    return lines


def encode_error(key: str | None, exc: Exception, value: object) -> EncodeError:
    """The EncodeError for a failure while encoding the field ``key``."""
    if isinstance(exc, Bad):
        return EncodeError(exc.reason, path=[key or "?"], value=exc.value)
    return EncodeError(f"{type(exc).__name__}: {exc}", path=[key or "?"], value=value)


W = TypeVar("W", DecodeError, EncodeError)


def without_value(error: W) -> W:
    """``error`` without the value it carries: the field is ``secret`` (a credential or a personal
    identity number), which no exception shows or keeps."""
    return type(error)(error.reason, model=error.model, path=error.path, has_value=False)


def field_decode_error(spec: FieldSpec, exc: Exception, value: object) -> DecodeError:
    """The DecodeError for a failure while decoding the field ``spec`` (``value`` is what the
    document holds there); a secret field's value is left out."""
    if isinstance(exc, DecodeError):
        error = exc.at(spec.name)
    else:
        error = decode_error(spec.name, exc, value, spec.kind)
    return without_value(error) if spec.secret else error


def hide_secret(error: EncodeError, key: str | None, secret: frozenset[str]) -> EncodeError:
    """``error`` of the field ``key`` of a compiled encoder, without its value when the field is
    one of the model's ``secret`` fields (their wire names)."""
    return without_value(error) if key in secret else error


def encoder_failures(fname: str, specs: tuple[FieldSpec, ...], ns: dict[str, Any]) -> list[str]:
    """Source lines ending the ``try`` of the compiled encoder ``fname`` (locals ``k``, the wire
    name of the field being written, and ``x``, its value): a failure raises the EncodeError
    naming the field, without the value for a ``secret`` field (helpers
    :data:`ENCODER_FAILURE_HELPERS`)."""
    ns[f"{fname}_S"] = frozenset(s.name for s in specs if s.secret)
    return [
        "    except _EncodeError as e:",
        f"        raise _hide_secret(e.at(k), k, {fname}_S) from None",
        "    except Exception as e:",
        f"        raise _hide_secret(_encode_error(k, e, x), k, {fname}_S) from None",
    ]


ENCODER_FAILURE_HELPERS: dict[str, Any] = {
    "_EncodeError": EncodeError,
    "_encode_error": encode_error,
    "_hide_secret": hide_secret,
}
"""The names :func:`encoder_failures` uses, for a compiled encoder's namespace."""


def wrong_model(expected: type, value: object) -> Bad:
    """A value that is not an instance of the model class a field holds."""
    return Bad(f"expected a {expected.__name__}", value)


# -- decoding ------------------------------------------------------------------------------


def _integer(kind: str) -> Callable[[object], int]:
    low, high = INT_RANGES[kind]
    expected, out_of_range = EXPECTED[kind], _OUT_OF_RANGE[kind]

    def convert(value: object) -> int:
        if value.__class__ is int:
            if low <= value <= high:
                return value
            raise Bad(out_of_range, value)
        if value.__class__ is float and value.is_integer():
            if not low <= value <= high:
                raise Bad(out_of_range, value)
            if abs(value) >= _EXACT_FLOAT:
                raise Bad(_INEXACT, value)
            return int(value)
        raise Bad(expected, value)

    convert.__name__ = f"{kind}_in"
    convert.__doc__ = f"An integer from JSON for an xs:{kind} field, exactly and within range."
    return convert


int_in = {kind: _integer(kind) for kind in INT_RANGES}
"""Per integer kind (``int``, ``long``): JSON value -> int, exact and within the kind's range."""


def _integer_text(kind: str) -> Callable[[str], int]:
    low, high = INT_RANGES[kind]
    expected, out_of_range = EXPECTED[kind], _OUT_OF_RANGE[kind]

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise Bad(expected, text) from None
        if low <= value <= high:
            return value
        raise Bad(out_of_range, text)

    convert.__name__ = f"{kind}_text_in"
    return convert


int_text_in = {kind: _integer_text(kind) for kind in INT_RANGES}
"""Per integer kind: XML text -> int, within the kind's range."""


def float_in(value: object) -> float:
    """A double from JSON: floats and ints (not booleans)."""
    if value.__class__ is float:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    raise Bad(EXPECTED["double"], value)


def str_in(value: object) -> str:
    """A string from JSON."""
    if value.__class__ is str:
        return value
    raise Bad(EXPECTED["string"], value)


def guid_in(value: object) -> str:
    """A guid (as a string) from JSON."""
    if value.__class__ is str:
        return value
    raise Bad(EXPECTED["guid"], value)


def bool_in(value: object) -> bool:
    """A boolean from JSON."""
    if value.__class__ is bool:
        return value
    raise Bad(EXPECTED["boolean"], value)


def dt_in(value: object) -> datetime | None:
    """A date-time from JSON or XML text."""
    if value.__class__ is not str:
        raise Bad(EXPECTED["dateTime"], value)
    try:
        return parse_datetime(value)
    except ValueError:
        raise Bad(EXPECTED["dateTime"], value) from None


def datetime_lines(text: str, target: str) -> list[str]:
    """Source lines of a compiled decoder turning the date-time ``text`` (a local) into ``target``.

    A value with a fraction of a second is a moment, rarely seen twice: the common form (a
    date-time, then an offset of whole quarter hours) is built from ``OFFSET_BASES`` exactly as
    :func:`~billecta_async._wire._datetime.parse_datetime` builds it, so that it shares its
    offset's timezone (helpers ``_offset_base``, ``_fromiso``, ``_EPOCH``); a year below 1000
    (.NET's empty date among them) and every other form go through :func:`dt_in`. A value
    without one (a date at midnight, a time to the second) is looked up in the date-times decoded
    lately (``_dt_seen``, with ``_DT_MISS`` for absent, as None is .NET's empty date) and on a
    miss parsed and remembered by :func:`~billecta_async._wire._datetime.decode_cached`
    (``_dt_new``). A value that is not text raises (``TypeError``, ``ValueError``) for the
    caller's careful path to report. The local ``b`` is overwritten.
    """
    return [
        f"if '.' in {text}:",
        f"    b = _offset_base({text}[-6:])",
        f"    if b is not None and {text}[0] != '0':",
        f"        {target} = b + (_fromiso({text}[:-6]) - _EPOCH)",
        "    else:",
        f"        {target} = _dt_in({text})",
        "else:",
        f"    b = _dt_seen({text}, _DT_MISS)",
        f"    {target} = b if b is not _DT_MISS else _dt_new({text})",
    ]


DATETIME_HELPERS: dict[str, Any] = {
    "_offset_base": OFFSET_BASES.get,
    "_fromiso": FAST_FROMISOFORMAT,
    "_EPOCH": EPOCH,
    "_dt_in": dt_in,
    "_dt_seen": DECODED.get,
    "_DT_MISS": object(),
    "_dt_new": decode_cached,
}
"""The names :func:`datetime_lines` uses, for a compiled decoder's namespace."""


def b64_in(value: object) -> bytes:
    """Bytes from base64 text."""
    if value.__class__ is not str:
        raise Bad(EXPECTED["base64Binary"], value)
    try:
        return _a2b(value.encode("ascii"))
    except (binascii.Error, ValueError):
        raise Bad(EXPECTED["base64Binary"], value) from None


def _a2b(data: bytes) -> bytes:
    if sys.version_info >= (3, 11):
        return binascii.a2b_base64(data, strict_mode=True)
    return base64.b64decode(data, validate=True)  # pragma: no cover


_NAMES: dict[type, dict[str, BillectaEnum]] = {}
_CODES: dict[type, dict[int, BillectaEnum]] = {}


def enum_names(cls: type[BillectaEnum]) -> dict[str, BillectaEnum]:
    """Wire name -> member: the fast path of decoding (only ``str`` keys, so that no other
    value, such as ``True == 1``, can match)."""
    table = _NAMES.get(cls)
    if table is None:
        table = _NAMES[cls] = {member.value: member for member in cls}
    return table


def _enum_codes(cls: type[BillectaEnum]) -> dict[int, BillectaEnum]:
    table = _CODES.get(cls)
    if table is None:
        table = _CODES[cls] = {m.code: m for m in reversed(cls) if m.code is not None}
    return table


def enum_in(cls: type[BillectaEnum], value: object) -> BillectaEnum:
    """The member for a name or an integer code; a pseudo-member for a value this SDK does not
    know. A code may also come as text of digits (XML carries codes so); codes are .NET's
    32-bit enum values, so a bigger number is an error."""
    if value.__class__ is str:
        member = enum_names(cls).get(value)
        if member is not None:
            return member
        digits = value[1:] if value[:1] == "-" else value
        if not (digits.isascii() and digits.isdigit()):
            return cls(value)  # case-insensitive match, else a pseudo-member
        code = int(value)
    elif value.__class__ is int:
        code = value
    else:
        raise Bad(f"expected a {cls.__name__} name or integer code", value)
    low, high = INT_RANGES["int"]
    if not low <= code <= high:
        raise Bad(f"expected a {cls.__name__} name or 32-bit integer code", value)
    member = _enum_codes(cls).get(code)
    return member if member is not None else cls.from_code(code)


def enum_decoder(cls: type[BillectaEnum]) -> Callable[[object], BillectaEnum]:
    """Name or code -> member, fast for known names; unknown values become pseudo-members."""
    get = enum_names(cls).get

    def convert(value: object) -> BillectaEnum:
        member = get(value) if value.__class__ is str else None
        return member if member is not None else enum_in(cls, value)

    return convert


# -- encoding ------------------------------------------------------------------------------


def str_out(value: object) -> str:
    """A string to send: ``str`` (and subclasses) and ``uuid.UUID``."""
    if isinstance(value, str) and not isinstance(value, BillectaEnum):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    raise Bad(EXPECTED["string"], value)


def _integer_out(kind: str) -> Callable[[object], int]:
    low, high = INT_RANGES[kind]
    expected, out_of_range = EXPECTED[kind], _OUT_OF_RANGE[kind]

    def convert(value: object) -> int:
        integral = isinstance(value, int) and not isinstance(value, bool)
        if not integral and not (isinstance(value, Decimal) and value == value.to_integral_value()):
            raise Bad(expected, value)
        number: int = int(value)  # type: ignore[call-overload]
        if low <= number <= high:
            return number
        raise Bad(out_of_range, value)

    convert.__name__ = f"{kind}_out"
    return convert


int_out = {kind: _integer_out(kind) for kind in INT_RANGES}
"""Per integer kind: an integer to send (booleans refused), within the kind's range."""


def float_out(value: object) -> float:
    """A finite double to send: float, int or Decimal."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        result = float(value)
        if math.isfinite(result):
            return result
        raise Bad("expected a finite number", value)
    raise Bad(EXPECTED["double"], value)


def dt_out(value: object) -> datetime:
    """A datetime to send, always with an offset (a naive value or a date is Stockholm time);
    a subclass of datetime (pendulum's, pandas') becomes a plain one, which orjson writes."""
    try:
        aware = to_aware(value)
    except TypeError:
        raise Bad("expected a datetime", value) from None
    if aware.__class__ is datetime:
        return aware
    return datetime(
        aware.year,
        aware.month,
        aware.day,
        aware.hour,
        aware.minute,
        aware.second,
        aware.microsecond,
        aware.tzinfo,
        fold=aware.fold,
    )


# Which timezones orjson writes exactly as isoformat() does: orjson rounds an offset to whole
# minutes, isoformat() writes seconds (Stockholm's local mean time before 1900, +01:00:14).
# The shared timezones of decoded date-times are known from the start.
_WHOLE_MINUTES: dict[object, bool] = {base.tzinfo: True for base in OFFSET_BASES.values()}
whole_minutes = _WHOLE_MINUTES.get
"""``timezone`` object -> True when orjson writes its offset as isoformat() does; None for one
not seen yet (:func:`dt_text` learns it). Only for ``timezone`` objects (always hashable)."""


def _whole_minutes(tz: object) -> bool:
    try:
        known = _WHOLE_MINUTES.get(tz)
    except TypeError:  # an unhashable tzinfo
        return False
    if known is None:
        known = False
        if tz.__class__ is timezone:
            offset = tz.utcoffset(None)
            known = offset.microseconds == 0 and offset.seconds % 60 == 0
        if len(_WHOLE_MINUTES) < 256:
            _WHOLE_MINUTES[tz] = known
    return known


def dt_text(value: datetime) -> str:
    """ISO 8601 text of an aware datetime, exactly ``value.isoformat()`` (written by orjson,
    three times as fast, wherever its output is the same)."""
    tz = value.tzinfo
    if value.__class__ is datetime and (
        (tz is STOCKHOLM and value.year >= 1900) or _whole_minutes(tz)
    ):
        return _dumps(value)[1:-1].decode("ascii")
    return value.isoformat()


def b64_out(value: object) -> str:
    """Base64 text for bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return binascii.b2a_base64(value, newline=False).decode("ascii")
    raise Bad("expected bytes", value)


def enum_out(cls: type[BillectaEnum], value: object) -> str | int:
    """The wire value of an enum member (a matching wire name string is accepted too)."""
    if isinstance(value, cls):
        return value.wire_value
    if isinstance(value, str) and not isinstance(value, BillectaEnum):
        member = enum_names(cls).get(value)
        if member is not None:
            return member.wire_value
    raise Bad(f"expected a {cls.__name__}", value)


_XML_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_search_special = _XML_SPECIAL.search


def xml_escape(text: str) -> str:
    """Text for an XML element; characters XML 1.0 cannot carry are refused."""
    if _search_special(text) is None:
        return text
    bad = _XML_INVALID.search(text)
    if bad is not None:
        raise Bad(
            f"character {bad.group()!r} at position {bad.start()} cannot be sent in XML", text
        )
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#xD;")
    )


def xml_escape_lines(text: str) -> list[str]:
    """Source lines of a compiled encoder escaping the string in local ``text`` in place
    (helper ``_esc``): text with no character that needs a look (printable, no markup) is
    taken as is without a call. ``isprintable()`` is false for every character XML 1.0 cannot
    carry and for CR, so the markup characters are the only ones left to test."""
    return [
        f"if not {text}.isprintable() or '&' in {text} or '<' in {text} or '>' in {text}:",
        f"    {text} = _esc({text})",
    ]


XML_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}


def bool_text_in(text: str) -> bool:
    """xs:boolean text."""
    value = XML_BOOLEANS.get(text)
    if value is None:
        raise Bad(EXPECTED["boolean"], text)
    return value


def float_text_in(text: str) -> float:
    """xs:double text."""
    try:
        return float(text)
    except ValueError:
        raise Bad(EXPECTED["double"], text) from None


def str_text_in(text: str) -> str:
    """xs:string text, as is."""
    return text


XML_TEXT_IN: dict[str, Callable[[str], Any]] = {
    "string": str_text_in,
    "guid": str_text_in,
    "int": int_text_in["int"],
    "long": int_text_in["long"],
    "double": float_text_in,
    "boolean": bool_text_in,
    "dateTime": dt_in,
    "base64Binary": b64_in,
}


def _any_json_out(value: object) -> Any:
    from billecta_async._wire._base import Model
    from billecta_async._wire._json import json_encoder

    if isinstance(value, Model):
        return json_encoder(type(value))(value)
    return value


def any_in(value: object) -> object:
    """xs:anyType from JSON: the value as parsed."""
    return value


JSON_IN: dict[str, Callable[[object], Any]] = {
    "string": str_in,
    "guid": guid_in,
    "int": int_in["int"],
    "long": int_in["long"],
    "double": float_in,
    "boolean": bool_in,
    "dateTime": dt_in,
    "base64Binary": b64_in,
    "any": any_in,
}


def _bool_text(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    raise Bad(EXPECTED["boolean"], value)


def _dt_text(value: object) -> str:
    return dt_text(dt_out(value))


def _escaped(convert: Callable[[object], str]) -> Callable[[object], str]:
    return lambda value: xml_escape(convert(value))


XML_TEXT_OUT: dict[str, Callable[[object], str]] = {
    "string": _escaped(str_out),
    "guid": _escaped(str_out),
    "int": lambda v: str(int_out["int"](v)),
    "long": lambda v: str(int_out["long"](v)),
    "double": lambda v: repr(float_out(v)),  # a finite float's repr is valid xs:double
    "boolean": _bool_text,
    "dateTime": _dt_text,
    "base64Binary": b64_out,
}


def _bool_out(value: object) -> bool:
    if value is True or value is False:
        return value
    raise Bad(EXPECTED["boolean"], value)


JSON_OUT: dict[str, Callable[[object], Any]] = {
    "string": str_out,
    "guid": str_out,
    "int": int_out["int"],
    "long": int_out["long"],
    "double": float_out,
    "boolean": _bool_out,
    "dateTime": dt_out,
    "base64Binary": b64_out,
    "any": _any_json_out,
}
