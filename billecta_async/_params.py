"""Path and query parameters: typed Python values checked and formatted as Billecta expects.

Each converter takes the value and the Python parameter name (for the error message) and
returns the text sent, or ``None`` for an optional parameter that was not given (it is then left
out of the query string). A bad value raises :class:`~billecta_async.ParameterError` before
anything is sent. The runtime catalogue names each parameter's converter by its kind
(:func:`converter`). :func:`path_segment` and :func:`quote` percent-encode the texts for the
request's URL. :func:`size` and :func:`is_seconds` check the sizes and seconds the SDK's own
helpers and options take.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeAlias, TypeGuard, TypeVar
from urllib.parse import quote as _percent_encode

from billecta_async._exceptions import ParameterError
from billecta_async._wire import STOCKHOLM, BillectaEnum
from billecta_async._wire._native import is_guid

__all__ = [
    "Converter",
    "Guid",
    "ParameterError",
    "boolean",
    "converter",
    "day",
    "day_or_string",
    "enum",
    "guid",
    "ident",
    "ident_or_strings",
    "integer",
    "integer_or_string",
    "is_seconds",
    "limit",
    "number",
    "offset",
    "path_segment",
    "quote",
    "size",
    "string",
    "strings",
]

Guid: TypeAlias = uuid.UUID | str
"""A Billecta public id: a ``uuid.UUID`` or its string form."""

Converter: TypeAlias = Callable[[Any, str], "str | None"]
"""A converter: ``(value, parameter name) -> text sent`` (``None``: left out)."""

E = TypeVar("E", bound=BillectaEnum)

_GUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def guid(value: uuid.UUID | str | None, name: str) -> str | None:
    """A GUID (``uuid.UUID`` or its 36-character text form)."""
    if is_guid(value):  # its text, as most callers give it (checked in C when it is built)
        return value  # type: ignore[return-value]
    if isinstance(value, str):
        text = value.strip()
        if _GUID_RE.fullmatch(text):
            return text
    elif value is None:
        return None
    elif isinstance(value, uuid.UUID):
        return str(value)
    raise ParameterError(
        name, value, "expected a GUID such as 8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
    )


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def quote(text: str) -> str:
    """``text`` percent-encoded for a path segment or a query string (``/``, ``&``, ``=``
    included); ids and most values need no encoding, and are checked for that first."""
    return text if _UNRESERVED.fullmatch(text) else _percent_encode(text, safe="")


def path_segment(text: str, name: str) -> str:
    """A path parameter's text as a path segment: percent-encoded, and never ``.`` or ``..``
    (a server or proxy would resolve it to another path)."""
    if text in (".", ".."):
        raise ParameterError(name, text, "expected an id, not a dot segment")
    return quote(text)


def ident(value: str | None, name: str) -> str | None:
    """A non-empty id Billecta documents as a string (e.g. an ActionPublicId)."""
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    raise ParameterError(name, value, "expected a non-empty string id")


def string(value: str | None, name: str) -> str | None:
    """Free text."""
    if value is None:
        return None
    if isinstance(value, str) and not isinstance(value, BillectaEnum):
        return value
    raise ParameterError(name, value, "expected a string")


def strings(value: Iterable[str] | None, name: str) -> str | None:
    """Several strings, sent comma-separated as Billecta documents for id lists."""
    if value is None:
        return None
    if isinstance(value, str):
        raise ParameterError(name, value, "expected a list of strings, not one string")
    if isinstance(value, (bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise ParameterError(name, value, "expected a list of strings")
    items = list(value)
    if not items or not all(isinstance(item, str) and item and "," not in item for item in items):
        raise ParameterError(name, value, "expected a non-empty list of strings without commas")
    return ",".join(items)


def integer(value: int | None, name: str) -> str | None:
    """A whole number."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ParameterError(name, value, "expected an integer")


def number(value: float | int | None, name: str) -> str | None:
    """A finite decimal number."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return repr(float(value)) if isinstance(value, float) else str(value)
    raise ParameterError(name, value, "expected a finite number")


def boolean(value: bool | None, name: str) -> str | None:
    """``true`` or ``false``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    raise ParameterError(name, value, "expected True or False")


def day(value: date | None, name: str) -> str | None:
    """A date, sent as ``YYYY-MM-DD``. An aware datetime is first taken to Stockholm time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(STOCKHOLM)
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise ParameterError(name, value, "expected a datetime.date")


def enum(value: E | str | None, cls: type[E], name: str) -> str | None:
    """An enum, sent by its wire name (a member, or a wire-name string of a known member)."""
    if value is None:
        return None
    if isinstance(value, cls):
        return str(value.value)
    if isinstance(value, str) and not isinstance(value, BillectaEnum):
        for member in cls:
            if member.value == value:
                return str(member.value)
    names = ", ".join(member.value for member in cls)
    raise ParameterError(name, value, f"expected a {cls.__name__} ({names})")


def size(value: int, name: str) -> int:
    """A size of 1 or more that the SDK's own helpers take (``page_size``, ``chunk_size``);
    given back as it is, not as text."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterError(name, value, "expected a whole number of 1 or more")
    return value


def is_seconds(value: object) -> TypeGuard[float]:
    """Whether ``value`` is a number of seconds above 0 (infinity included; NaN and bools are
    not), as the client's ``deadline`` and the pollers' ``interval`` and ``timeout`` take."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def offset(value: int | None, name: str) -> str | None:
    """Billecta's paging ``offset``: a whole number of 0 or more."""
    text = integer(value, name)
    if text is not None and int(text) < 0:
        raise ParameterError(name, value, "expected 0 or more")
    return text


def limit(value: int | None, name: str) -> str | None:
    """Billecta's paging ``limit``: a whole number of 1 or more."""
    text = integer(value, name)
    if text is not None and int(text) < 1:
        raise ParameterError(name, value, "expected 1 or more")
    return text


def integer_or_string(value: int | str | None, name: str) -> str | None:
    """A number Billecta documents as a string: an ``int``, or its text sent as given."""
    return integer(value, name) if isinstance(value, int) else string(value, name)


def day_or_string(value: date | str | None, name: str) -> str | None:
    """A date Billecta documents as a string: a ``datetime.date`` (sent as :func:`day` sends
    it), or its text sent as given."""
    return day(value, name) if isinstance(value, date) else string(value, name)


def ident_or_strings(value: str | Iterable[str] | None, name: str) -> str | None:
    """Ids Billecta takes as one comma-separated string: that string, or a list of ids."""
    return ident(value, name) if isinstance(value, str) else strings(value, name)


_CONVERTERS: dict[str, Converter] = {
    "guid": guid,
    "ident": ident,
    "string": string,
    "strings": strings,
    "integer": integer,
    "number": number,
    "boolean": boolean,
    "day": day,
    "offset": offset,
    "limit": limit,
    "integer_or_string": integer_or_string,
    "day_or_string": day_or_string,
    "ident_or_strings": ident_or_strings,
}


def converter(kind: str) -> Converter:
    """The converter of a parameter kind of the runtime catalogue: a name above, ``enum:X``
    (a member of the enum ``X`` of :mod:`billecta_async.models`, or its wire name) or
    ``enum_or_string:X`` (a member of ``X`` sent by its wire name, or any string)."""
    name, _, enum_name = kind.partition(":")
    if not enum_name:
        return _CONVERTERS[name]
    from billecta_async import models

    cls = getattr(models, enum_name)
    if name == "enum":
        return lambda value, arg: enum(value, cls, arg)
    if name == "enum_or_string":
        return lambda value, arg: (
            enum(value, cls, arg) if isinstance(value, cls) else string(value, arg)
        )
    raise KeyError(kind)
