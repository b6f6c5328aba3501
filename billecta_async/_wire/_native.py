"""The codecs' fast path in C (``_speedups.c``), where the extension is built (and the
client's call preparer, :data:`CallPreparer`, which ``Transport`` uses).

The compiled Python functions of ``_json.py`` and ``_xml.py`` are the codecs' definition; the C
``Codec`` of a
model class does the same work for documents as Billecta writes them and hands anything else
(a value of the wrong type, a missing field Billecta always returns, a converter raising) back
to the Python function of the top-level object, so results and errors are the same either way
(``tests/test_wire_native.py`` compares both on every model). Without a C compiler at install
time, or with ``BILLECTA_PURE_PYTHON=1`` in the environment, :data:`AVAILABLE` is False and
the Python functions run alone.
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable
from typing import Any

import orjson

from billecta_async._wire import _scalars as sc
from billecta_async._wire._base import FieldSpec, field_specs
from billecta_async._wire._compile import CodecCache, reachable_models
from billecta_async._wire._datetime import DECODED, OFFSET_BASES, decode_cached

__all__ = [
    "AVAILABLE",
    "CallPreparer",
    "JSON_DECODE",
    "JSON_ENCODE",
    "XML_DECODE",
    "XML_ENCODE",
    "NativeCodecs",
    "doctype_check",
    "xml_available",
]

_speedups: types.ModuleType | None
try:
    if os.environ.get("BILLECTA_PURE_PYTHON"):
        raise ImportError("BILLECTA_PURE_PYTHON is set")
    from billecta_async._wire import _speedups
except ImportError:
    _speedups = None

AVAILABLE: bool = _speedups is not None
"""Whether the C fast path runs (the extension is built and not turned off)."""


def _no_check(value: object) -> bool:
    return False


is_guid: Callable[[object], bool] = _speedups.is_guid if _speedups is not None else _no_check
"""Whether ``value`` is a ``str`` that is a GUID's 36-character text exactly (hex digits and
four dashes, nothing around it): the C check, or (without the extension) one that says no to
everything, leaving the whole check to the caller's own."""

CallPreparer: Callable[..., Callable[[Any, tuple[Any, ...]], Any]] | None = (
    _speedups.CallPreparer if _speedups is not None else None
)
"""The C preparer of calls without request options (see ``Transport``), or None without the
extension."""

# The kinds of ``_speedups.c``.
_KINDS = {
    "any": 0,
    "string": 1,
    "guid": 1,
    "boolean": 2,
    "int": 3,
    "long": 3,
    "double": 4,
    "dateTime": 5,
    "enum": 6,
    "model": 7,
    "base64Binary": 8,
}
_CALL = 9


class _TakePythonPath(Exception):
    """Raised inside the C codecs: the Python function decides (never seen outside)."""


def _offset_timezones() -> list[Any]:
    """The shared timezone of every offset from -14:00 to +14:00 by quarter hours."""
    zones = []
    for quarters in range(-56, 57):
        minutes = abs(quarters) * 15
        text = f"{'-' if quarters < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"
        base = OFFSET_BASES.get(text)
        zones.append(None if base is None else base.tzinfo)
    return zones


if _speedups is not None:
    _speedups.configure(_TakePythonPath, DECODED, decode_cached, sc.dt_in, _offset_timezones())


def _slot(cls: type, attr: str) -> object | None:
    """The member descriptor of ``cls``'s slot ``attr``, or None when it is not a slot."""
    for klass in cls.__mro__:
        if attr in vars(klass):  # the first class that names it decides, as attribute access
            found = vars(klass)[attr]
            return found if isinstance(found, types.MemberDescriptorType) else None
    return None


def _parsed_key(name: str) -> str:
    """``name`` as the very object orjson gives a parsed document's key (orjson keeps one per
    short key): a lookup then matches on identity, without comparing the text."""
    key: str = next(iter(orjson.loads(b"{" + orjson.dumps(name) + b":0}")))
    return key


# The modes of a :class:`NativeCodecs`.
JSON_DECODE: int = 0
JSON_ENCODE: int = 1
XML_DECODE: int = 2
XML_ENCODE: int = 3

_xml_ready: bool | None = None


def xml_available() -> bool:
    """Whether the C fast path can decode XML: the extension is built, and it reads lxml's
    elements as lxml does (checked once on a parsed document: the layout of lxml's element and
    libxml2's node it relies on is their public C API, but is not checked by the compiler)."""
    global _xml_ready
    if _xml_ready is None:
        _xml_ready = _speedups is not None and _probe_xml(_speedups)
    return _xml_ready


def _probe_xml(ext: types.ModuleType) -> bool:
    from lxml import etree

    ext.configure_xml(etree._Element)
    text = "t\u00e5 & <"  # as UTF-8, and with entities
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    root = etree.fromstring(
        f'<A xmlns:p="urn:p" xmlns:xsi="{xsi}"><B x="1">t\u00e5 &amp; &lt;</B> <p:C/>'
        '<D xsi:nil="true"/><E xsi:nil="1"/><F xsi:nil="false"/><G p:nil="true"/></A>'.encode(),
        etree.XMLParser(resolve_entities=False, remove_comments=True),
    )
    expected = (
        b"A",
        [
            (1, b"B", None, 1, 0, 0),
            (3, b"text", b" ", 0, 0, 0),
            (1, b"C", None, 0, 1, 0),
            (1, b"D", None, 1, 0, 1),
            (1, b"E", None, 1, 0, 1),
            (1, b"F", None, 1, 0, 0),
            (1, b"G", None, 1, 0, 0),
        ],
    )
    first = (b"B", [(3, b"text", text.encode(), 0, 0, 0)])
    with_doctype = etree.fromstring(b"<!DOCTYPE A><A/>", etree.XMLParser(load_dtd=False))
    try:
        return bool(
            ext.xml_probe(root) == expected
            and ext.xml_probe(root[0]) == first
            and ext.xml_has_doctype(with_doctype) is True
            and ext.xml_has_doctype(root) is False
        )
    except Exception:  # pragma: no cover - an lxml whose elements this module cannot read
        return False


def _docinfo_doctype(element: Any) -> bool:
    return bool(element.getroottree().docinfo.doctype)


def doctype_check() -> Callable[[Any], bool]:
    """The function telling whether the document of an lxml element has a DOCTYPE: the C one
    (a look at the parsed nodes) where it can read lxml's elements, else lxml's DocInfo."""
    if _speedups is not None and xml_available():
        check: Callable[[Any], bool] = _speedups.xml_has_doctype
        return check
    return _docinfo_doctype


class NativeCodecs(CodecCache):
    """The C codecs of one mode, built on demand per class (with what it reaches): the C one,
    or the Python one where C cannot.

    ``python`` gives a class's compiled Python function (the fallback, and the codec of a
    class whose fields are not all slots); ``converter`` a field's one-value Python converter
    (``_item_decoder`` / ``_item_encoder`` of ``_json.py``, ``_text_decoder`` of ``_xml.py``).
    """

    def __init__(
        self,
        mode: int,
        python: Callable[[type], Callable[..., Any]],
        converter: Callable[[str, Any], Callable[[Any], Any]],
    ) -> None:
        if _speedups is None:
            raise RuntimeError("the C extension is not built")
        if mode in (XML_DECODE, XML_ENCODE) and not xml_available():
            raise RuntimeError("the C extension cannot read this lxml's elements")
        super().__init__()
        self._codec_type: type[Any] = _speedups.Codec
        self._mode = mode
        self._encoding = mode in (JSON_ENCODE, XML_ENCODE)
        self._xml = mode in (XML_DECODE, XML_ENCODE)
        self._python = python
        self._converter = converter

    def _fields(self, cls: type) -> tuple[FieldSpec, ...]:
        specs = field_specs(cls)
        return tuple(s for s in specs if not s.read_only) if self._encoding else specs

    def _build(self, root: type) -> None:
        todo = reachable_models(root, self._functions)
        fresh: dict[type, Any] = {}
        for cls in todo:
            if all(_slot(cls, s.attr) is not None for s in self._fields(cls)):
                fresh[cls] = self._codec_type()
        for cls, codec in fresh.items():
            fields = [self._field(cls, s, fresh) for s in self._fields(cls)]
            codec.setup(cls, self._python(cls), self._mode, fields)
        for cls in todo:
            self._functions[cls] = fresh.get(cls) or self._python(cls)

    def _field(self, cls: type, s: FieldSpec, fresh: dict[type, Any]) -> tuple[Any, ...]:
        kind = _KINDS[s.kind]
        low, high = sc.INT_RANGES.get(s.kind, (0, 0))
        ref: Any = None
        conv: Any = None
        if s.kind == "model":
            ref = fresh.get(s.ref) or self._functions.get(s.ref)
            if ref is None or not isinstance(ref, self._codec_type):
                kind, ref, conv = _CALL, None, self._python(s.ref)
        elif s.kind != "any" or not self._xml:
            conv = self._converter(s.kind, s.ref)
            if s.kind == "enum":
                ref = s.ref if self._encoding else sc.enum_names(s.ref)
        # Decoding: a field Billecta always returns; writing XML: a nillable one.
        always = s.nillable if self._mode == XML_ENCODE else s.always and not self._encoding
        key = _parsed_key(s.name) if self._mode == JSON_DECODE else s.name
        item = s.item if self._xml and s.is_list else None
        return (key, _slot(cls, s.attr), kind, s.is_list, always, low, high, ref, conv, item)
