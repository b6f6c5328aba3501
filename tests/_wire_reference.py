"""A plain, slow reference of the SDK's encoders, pinning the bytes they write.

The codecs in ``billecta_async/_wire`` compile straight-line code per model for speed; this module
walks the field metadata one value at a time instead, the way the bytes are specified: Billecta's
JSON (fields left ``None`` not sent, wire names as keys, lists as arrays, enums by name) and
Billecta's XML (no namespace, ``xsi:nil`` only where nillable, lists inside wrappers, escaped
text). ``test_wire_golden.py`` checks that the codecs write exactly these bytes for a broad corpus,
and committed golden files pin this reference itself. It covers valid values only: what the
codecs refuse is tested by the error tests.
"""

from __future__ import annotations

import base64
import math
import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from lxml import etree

from billecta_async import STOCKHOLM
from billecta_async._wire import BillectaEnum, FieldSpec, ListOf, Model, field_specs

__all__ = ["reference_json", "reference_xml"]

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _aware(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=STOCKHOLM)
    assert isinstance(value, date)
    return datetime(value.year, value.month, value.day, tzinfo=STOCKHOLM)


def _text(value: object) -> str:
    assert isinstance(value, (str, uuid.UUID)) and not isinstance(value, BillectaEnum)
    return str(value)


def _integer(value: object) -> int:
    assert isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    assert value == int(value)
    return int(value)


def _double(value: object) -> float:
    assert isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    result = float(value)
    assert math.isfinite(result)
    return result


def _enum(cls: type[BillectaEnum], value: object) -> str | int:
    if isinstance(value, cls):
        return value.wire_value
    assert isinstance(value, str) and not isinstance(value, BillectaEnum)
    for member in cls:
        if member.value == value:
            return member.wire_value
    raise AssertionError(f"{value!r} is not a {cls.__name__}")


# -- JSON ----------------------------------------------------------------------------------


def _json_value(kind: str, ref: Any, value: Any) -> Any:
    if kind in ("string", "guid"):
        return _text(value)
    if kind in ("int", "long"):
        return _integer(value)
    if kind == "double":
        return _double(value)
    if kind == "boolean":
        assert value is True or value is False
        return value
    if kind == "dateTime":
        return _aware(value)  # orjson writes the ISO 8601 text
    if kind == "base64Binary":
        return base64.b64encode(value).decode("ascii")
    if kind == "enum":
        return _enum(ref, value)
    if kind == "model":
        assert isinstance(value, ref)
        return _json_model(value)
    assert kind == "any"
    return _json_model(value) if isinstance(value, Model) else value


def _json_field(spec: FieldSpec, value: Any) -> Any:
    if spec.is_list:
        assert isinstance(value, (list, tuple))
        return [_json_value(spec.kind, spec.ref, item) for item in value]
    return _json_value(spec.kind, spec.ref, value)


def _json_model(obj: Model) -> dict[str, Any]:
    out = {}
    for spec in field_specs(type(obj)):
        value = getattr(obj, spec.attr)
        if spec.read_only or value is None:
            continue
        out[spec.name] = _json_field(spec, value)
    return out


def reference_json(obj: Model | list[Any], model: ListOf[Any] | None = None) -> bytes:
    """The JSON the SDK writes for a model, or for a list (with its ``ListOf``, or of models)."""
    if isinstance(obj, Model):
        return orjson.dumps(_json_model(obj))
    if model is None:
        return orjson.dumps([_json_model(item) for item in obj])
    return orjson.dumps([_json_value(model.kind, model.item_type, item) for item in obj])


# -- XML -----------------------------------------------------------------------------------


def _escape(text: str) -> str:
    assert _INVALID.search(text) is None, f"{text!r} cannot be sent in XML"
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#xD;")
    )


def _xml_text(kind: str, ref: Any, value: Any) -> str:
    if kind in ("string", "guid"):
        return _escape(_text(value))
    if kind in ("int", "long"):
        return str(_integer(value))
    if kind == "double":
        return repr(_double(value))
    if kind == "boolean":
        assert value is True or value is False
        return "true" if value else "false"
    if kind == "dateTime":
        return _aware(value).isoformat()
    if kind == "base64Binary":
        return base64.b64encode(value).decode("ascii")
    assert kind == "enum"
    return _escape(str(_enum(ref, value)))


def _xml_any(value: Any) -> str:
    if isinstance(value, Model):
        return _xml_children(value)
    if isinstance(value, etree._Element):
        head = _escape(value.text) if value.text else ""
        return head + "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in value
        )
    assert isinstance(value, (str, int, float, bool))
    if isinstance(value, bool):
        return "true" if value else "false"
    return _escape(str(value))


def _xml_content(spec: FieldSpec, value: Any) -> str:
    if spec.kind == "model":
        assert isinstance(value, spec.ref)
        return _xml_children(value)
    if spec.kind == "any":
        return _xml_any(value)
    return _xml_text(spec.kind, spec.ref, value)


def _xml_children(obj: Model) -> str:
    parts = []
    for spec in field_specs(type(obj)):
        value = getattr(obj, spec.attr)
        name = spec.name
        if spec.read_only:
            continue
        if value is None:
            if spec.nillable and not spec.is_list:
                parts.append(f'<{name} xsi:nil="true" />')
            continue
        if spec.is_list:
            assert isinstance(value, (list, tuple))
            item = spec.item
            items = "".join(f"<{item}>{_xml_content(spec, entry)}</{item}>" for entry in value)
            parts.append(f"<{name}>{items}</{name}>")
        else:
            parts.append(f"<{name}>{_xml_content(spec, value)}</{name}>")
    return "".join(parts)


_ROOT = (
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
)


def reference_xml(obj: Model | list[Any], model: ListOf[Any] | None = None) -> bytes:
    """The XML the SDK writes for a model, or for a list with its ``ListOf`` model."""
    if isinstance(obj, Model):
        name = type(obj).__wire_name__
        body = _xml_children(obj)
    else:
        assert model is not None
        name = model.wire_name
        item = model.item_name
        if model.kind == "model":
            body = "".join(f"<{item}>{_xml_children(entry)}</{item}>" for entry in obj)
        else:
            body = "".join(
                f"<{item}>{_xml_text(model.kind, model.item_type, entry)}</{item}>" for entry in obj
            )
    text = f'<?xml version="1.0" encoding="utf-8"?>\n<{name} {_ROOT}>{body}</{name}>'
    return text.encode("utf-8")
