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
from datetime import datetime
from decimal import Decimal
from typing import Any

from billecta_async._exceptions import DecodeError, EncodeError
from billecta_async._wire._base import BillectaEnum, FieldSpec
from billecta_async._wire._datetime import parse_datetime, to_aware

__all__ = [
    "ALWAYS_MISSING",
    "ENCODE_EPILOGUE",
    "EXPECTED",
    "Bad",
    "always_checks",
    "always_missing",
    "decode_error",
    "encode_error",
    "wrong_model",
    "b64_in",
    "b64_out",
    "dt_in",
    "dt_out",
    "enum_decoder",
    "enum_in",
    "enum_out",
    "enum_table",
    "float_out",
    "int_in",
    "int_out",
    "str_out",
    "xml_escape",
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


class Bad(Exception):
    """A single value of the wrong type or form (internal; becomes a Decode/EncodeError)."""

    def __init__(self, reason: str, value: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


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


def wrong_model(expected: type, value: object) -> Bad:
    """A value that is not an instance of the model class a field holds."""
    return Bad(f"expected a {expected.__name__}", value)


# The end of every compiled encoder: errors gain the field's wire name on their way up.
ENCODE_EPILOGUE = [
    "    except _EncodeError as e:",
    "        raise e.at(k) from None",
    "    except Exception as e:",
    "        raise _encode_error(k, e, v) from None",
]


# -- decoding ------------------------------------------------------------------------------


def int_in(value: object) -> int:
    """An integer from JSON: ints, and floats with an integral value (``3.0``)."""
    if value.__class__ is int:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise Bad(EXPECTED["long"], value)


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


_TABLES: dict[type, dict[object, BillectaEnum]] = {}


def enum_table(cls: type[BillectaEnum]) -> dict[object, BillectaEnum]:
    """Wire name -> member and integer code -> member, for the fast path of decoding."""
    table = _TABLES.get(cls)
    if table is None:
        table = {}
        for member in cls:
            table[member.value] = member
            if member.code is not None:
                table[member.code] = member
        _TABLES[cls] = table
    return table


def enum_decoder(cls: type[BillectaEnum]) -> Callable[[object], BillectaEnum]:
    """Name or code -> member, fast for known names; unknown values become pseudo-members."""
    get = enum_table(cls).get

    def convert(value: object) -> BillectaEnum:
        member = get(value) if value.__class__ is str else None
        return member if member is not None else enum_in(cls, value)

    return convert


def enum_in(cls: type[BillectaEnum], value: object) -> BillectaEnum:
    """The member for a name or code; a pseudo-member for a value this SDK does not know."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Bad(f"expected a {cls.__name__} name or integer code", value)
    return cls(value)  # type: ignore[arg-type]  # _missing_ takes codes


# -- encoding ------------------------------------------------------------------------------


def str_out(value: object) -> str:
    """A string to send: ``str`` (and subclasses) and ``uuid.UUID``."""
    if isinstance(value, str) and not isinstance(value, BillectaEnum):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    raise Bad(EXPECTED["string"], value)


def int_out(value: object) -> int:
    """An integer to send (booleans are refused)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise Bad(EXPECTED["long"], value)


def float_out(value: object) -> float:
    """A finite double to send: float, int or Decimal."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        result = float(value)
        if math.isfinite(result):
            return result
        raise Bad("expected a finite number", value)
    raise Bad(EXPECTED["double"], value)


def dt_out(value: object) -> datetime:
    """A datetime to send, always with an offset (a naive value or a date is Stockholm time)."""
    try:
        return to_aware(value)
    except TypeError:
        raise Bad("expected a datetime", value) from None


def b64_out(value: object) -> str:
    """Base64 text for bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(value).decode("ascii")
    raise Bad("expected bytes", value)


def enum_out(cls: type[BillectaEnum], value: object) -> str | int:
    """The wire value of an enum member (a matching wire name string is accepted too)."""
    if isinstance(value, cls):
        return value.wire_value
    if isinstance(value, str) and not isinstance(value, BillectaEnum):
        member = enum_table(cls).get(value)
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


XML_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}

XML_TEXT_IN: dict[str, Callable[[str], Any]] = {
    "string": str,
    "guid": str,
    "int": int,
    "long": int,
    "double": float,
    "boolean": XML_BOOLEANS.__getitem__,
    "dateTime": dt_in,
    "base64Binary": b64_in,
}


def _any_json_out(value: object) -> Any:
    from billecta_async._wire._base import Model
    from billecta_async._wire._json import json_encoder

    if isinstance(value, Model):
        return json_encoder(type(value))(value)
    return value


JSON_IN: dict[str, Callable[[object], Any]] = {
    "string": str_in,
    "guid": str_in,
    "int": int_in,
    "long": int_in,
    "double": float_in,
    "boolean": bool_in,
    "dateTime": dt_in,
    "base64Binary": b64_in,
    "any": lambda value: value,
}


def _bool_text(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    raise Bad(EXPECTED["boolean"], value)


def _dt_text(value: object) -> str:
    return dt_out(value).isoformat()


XML_TEXT_OUT: dict[str, Callable[[object], str]] = {
    "string": lambda v: xml_escape(str_out(v)),
    "guid": lambda v: xml_escape(str_out(v)),
    "int": lambda v: str(int_out(v)),
    "long": lambda v: str(int_out(v)),
    "double": lambda v: repr(float_out(v)),  # a finite float's repr is valid xs:double
    "boolean": _bool_text,
    "dateTime": _dt_text,
    "base64Binary": b64_out,
    "any": _any_json_out,
}


def _bool_out(value: object) -> bool:
    if value is True or value is False:
        return value
    raise Bad(EXPECTED["boolean"], value)


JSON_OUT: dict[str, Callable[[object], Any]] = {
    "string": str_out,
    "guid": str_out,
    "int": int_out,
    "long": int_out,
    "double": float_out,
    "boolean": _bool_out,
    "dateTime": dt_out,
    "base64Binary": b64_out,
    "any": _any_json_out,
}
