"""Billecta's XML, both directions, for every generated model.

XML follows the XSD: no namespace, the root element named after the type, lists inside ``ArrayOfX``
wrappers, ``xsi:nil`` only for elements the XSD marks nillable. Parsing is strict: a truncated
document, a wrong root element, an HTML error page or a DOCTYPE (external entities) is an error,
never an empty model. Unknown elements are ignored, like unknown JSON keys.

Each model class gets compiled functions (see ``_compile.py``). A decoder reads the children in
the order the XSD's sequence gives them, which is how Billecta writes them: each expected element
is one comparison of tags, a missing one costs nothing more. Children it does not expect there
(an unknown element, one out of order, a repeated one) are read afterwards by
:func:`_read_rest`; when anything in an element is off, it decodes that element again with
:func:`_decode_careful`, which reads child by child in document order and raises the
:class:`~billecta_async.DecodeError` naming the field.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar, overload

import orjson
from lxml import etree

from billecta_async._exceptions import DecodeError, EncodeError
from billecta_async._wire import _native
from billecta_async._wire import _scalars as sc
from billecta_async._wire._base import FieldSpec, ListOf, Model, field_specs
from billecta_async._wire._compile import CompiledCodec, decode_document

__all__ = ["decode_xml", "encode_xml", "parse_xml_document", "xml_decoder", "xml_encoder"]

M = TypeVar("M", bound=Model)
T = TypeVar("T")

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = f"{{{XSI}}}nil"
_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n'
_ROOT_ATTRS = f' xmlns:xsi="{XSI}" xmlns:xsd="http://www.w3.org/2001/XMLSchema"'

# libxml2 refuses a text node over 10 MB unless told it may be huge; the base64 of an
# attachment of about 7.5 MB is that long. A document that could hold one (over 10 MB) is parsed
# with ``huge_tree``, which also lifts libxml2's guards against entity expansion: such a
# document is checked for a DOCTYPE before it is parsed, and capped in size.
HUGE_DOCUMENT = 10_000_000
MAX_DOCUMENT = 512 * 1024 * 1024

_parsers = threading.local()
_has_doctype = _native.doctype_check()


def _new_parser(huge: bool, text: bool) -> etree.XMLParser:
    return etree.XMLParser(
        # A str given is parsed as its UTF-8 bytes, whatever encoding its declaration names
        # (that of the bytes it was decoded from).
        encoding="utf-8" if text else None,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        huge_tree=huge,
    )


def _parser(huge: bool, text: bool) -> etree.XMLParser:
    name = ("huge_text" if text else "huge") if huge else ("text" if text else "parser")
    parser = getattr(_parsers, name, None)
    if parser is None:
        parser = _new_parser(huge, text)
        setattr(_parsers, name, parser)
    return parser


def _ascii_compatible(data: bytes) -> bool:
    """The document is in an encoding that writes markup in ASCII (UTF-8, Latin-1, ...), so a
    DOCTYPE in it is the bytes ``<!DOCTYPE``; false for UTF-16/32 and EBCDIC (which are then
    parsed within libxml2's default limits)."""
    head = data[:4]
    return b"\x00" not in head and not head.startswith((b"\xfe\xff", b"\xff\xfe", b"\x4c\x6f"))


def parse_xml_document(data: bytes | bytearray | memoryview | str, root: str) -> Any:
    """Strictly parse ``data`` and check that its root element is ``root``."""
    text = False
    if data.__class__ is not bytes:
        if isinstance(data, str):
            text = True
            data = data.encode("utf-8")
        else:
            try:
                data = bytes(data)
            except TypeError:
                raise DecodeError("expected bytes or str", model=root, value=data) from None
    assert isinstance(data, bytes)
    huge = len(data) > HUGE_DOCUMENT and _ascii_compatible(data)
    if huge:  # refused before parsing: huge_tree lifts libxml2's guards against entity expansion
        if b"<!DOCTYPE" in data:
            raise DecodeError("a DOCTYPE is not allowed", model=root, value=data[:120])
        if len(data) > MAX_DOCUMENT:
            raise DecodeError(
                f"document larger than {MAX_DOCUMENT} bytes", model=root, value=data[:120]
            )
    try:
        element = etree.fromstring(data, _parser(huge, text))
    except etree.XMLSyntaxError as exc:
        raise DecodeError(f"not well-formed XML ({exc})", model=root, value=data[:120]) from None
    if _has_doctype(element):
        doctype = element.getroottree().docinfo.doctype
        raise DecodeError("a DOCTYPE is not allowed", model=root, value=doctype)
    if element.tag != root:
        raise DecodeError(
            f"expected root element <{root}>", model=root, value=f"<{element.tag}>", has_value=True
        )
    return element


# -- decoding ------------------------------------------------------------------------------


def _is_nil(element: Any) -> bool:
    return element.get(NIL) in ("true", "1")


def _nil_or(element: Any, kind: str) -> Any:
    """A value element without text: ``None`` when nil, ``""`` for text, ``b""`` for binary,
    else an error."""
    if _is_nil(element):
        return None
    if kind in ("string", "guid"):
        return ""
    if kind == "base64Binary":
        return b""
    raise sc.Bad(sc.EXPECTED[kind], "")


def _any_in(element: Any) -> Any:
    """xs:anyType content: None when nil, the text when there are no children, else the element."""
    if _is_nil(element):
        return None
    if len(element):
        return element
    return element.text if element.text is not None else ""


def _model_items(element: Any, item: str, decode: Callable[[Any], Any]) -> list[Any]:
    """The models in a list wrapper (items of another name and nil items are skipped)."""
    out = []
    for index, child in enumerate(element):
        if child.tag == item:
            try:
                value = decode(child)
            except DecodeError as exc:
                raise exc.at(str(index)) from None
            if value is not None:
                out.append(value)
    return out


def _text_items(element: Any, item: str, convert: Callable[[str], Any]) -> list[Any]:
    """The values in a list wrapper, each from its item's text (nil items are skipped)."""
    out = []
    for index, child in enumerate(element):
        if child.tag != item:
            continue
        text = child.text
        if text is None:
            if _is_nil(child):
                continue
            text = ""
        try:
            out.append(convert(text))
        except sc.Bad as exc:
            raise DecodeError(exc.reason, path=[str(index)], value=exc.value) from None
    return out


def _text_decoder(kind: str, ref: Any) -> Callable[[str], Any]:
    if kind == "enum":
        return lambda text: sc.enum_in(ref, text)
    return sc.XML_TEXT_IN[kind]


def _field_value(spec: FieldSpec, element: Any) -> Any:
    """One field's value from its element, one step at a time (the careful path)."""
    if spec.is_list:
        item = spec.item or ""
        if spec.kind == "model":
            return _model_items(element, item, _decoders.get(spec.ref))
        return _text_items(element, item, _text_decoder(spec.kind, spec.ref))
    if spec.kind == "model":
        return _decoders.get(spec.ref)(element)
    if spec.kind == "any":
        return _any_in(element)
    text = element.text
    if text is None:
        return _nil_or(element, spec.kind)
    return _text_decoder(spec.kind, spec.ref)(text)


_BY_TAG: dict[type, dict[str, FieldSpec]] = {}


def _specs_by_tag(cls: type) -> dict[str, FieldSpec]:
    table = _BY_TAG.get(cls)
    if table is None:
        table = _BY_TAG[cls] = {s.name: s for s in field_specs(cls)}
    return table


def _read_rest(o: Any, children: list[Any]) -> None:
    """The children after the last one read in the XSD's order: each known one is read, in
    document order (so a repeated element's last value wins), unknown ones are ignored."""
    by_tag = _specs_by_tag(type(o))
    for child in children:
        spec = by_tag.get(child.tag)
        if spec is not None:
            setattr(o, spec.attr, _field_value(spec, child))


def _decode_careful(cls: type[M], element: Any) -> M:
    """``cls`` from ``element``, child by child in document order; the first bad child raises a
    DecodeError naming it. What the compiled decoders fall back on."""
    o = object.__new__(cls)
    specs = field_specs(cls)
    for s in specs:
        setattr(o, s.attr, None)
    by_tag = _specs_by_tag(cls)
    for child in element:
        spec = by_tag.get(child.tag)
        if spec is not None:
            try:
                setattr(o, spec.attr, _field_value(spec, child))
            except Exception as exc:
                raise sc.field_decode_error(spec, exc, child.text) from None
    sc.check_always(o, specs)
    return o


class _End:
    """The child after the last one: its tag matches no field."""

    tag = None


_END = _End()


def _decoder_body(
    s: FieldSpec, i: int, fname: str, name_of: Callable[[type], str], ns: dict[str, Any]
) -> list[str]:
    """Lines reading the child ``c`` (whose tag is field ``s``'s) into ``o``."""
    target = f"o.{s.attr}"
    if s.is_list:
        if s.kind == "model":
            return [f"{target} = _model_items(c, {s.item!r}, {name_of(s.ref)})"]
        ns[f"{fname}_c{i}"] = _text_decoder(s.kind, s.ref)
        return [f"{target} = _text_items(c, {s.item!r}, {fname}_c{i})"]
    kind = s.kind
    if kind == "model":
        return [f"{target} = {name_of(s.ref)}(c)"]
    if kind == "any":
        return [f"{target} = _any_in(c)"]
    lines = ["x = c.text"]
    if kind in ("string", "guid"):
        return [*lines, f"{target} = x if x is not None else _nil_or(c, {kind!r})"]
    lines += ["if x is None:", f"    {target} = _nil_or(c, {kind!r})", "else:"]
    if kind in ("int", "long"):
        low, high = sc.INT_RANGES[kind]
        lines += [
            "    x = int(x)",
            f"    if not {low} <= x <= {high}:",
            "        raise _Slow",
            f"    {target} = x",
        ]
    elif kind == "double":
        lines.append(f"    {target} = float(x)")
    elif kind == "boolean":
        lines.append(f"    {target} = _bool(x)")
    elif kind == "dateTime":
        lines += ["    " + line for line in sc.datetime_lines("x", target)]
    elif kind == "base64Binary":
        lines.append(f"    {target} = _b64_in(x)")
    elif kind == "enum":
        ns[f"{fname}_e{i}"] = sc.enum_names(s.ref).get
        ns[f"{fname}_E{i}"] = s.ref
        lines.append(f"    {target} = {fname}_e{i}(x) or _enum_in({fname}_E{i}, x)")
    else:  # pragma: no cover
        raise TypeError(kind)
    return lines


def _decoder_source(
    cls: type, specs: tuple[FieldSpec, ...], name_of: Callable[[type], str], ns: dict[str, Any]
) -> str:
    fname = name_of(cls)
    cname = f"{fname}_cls"
    ns[cname] = cls
    lines = [
        f"def {fname}(el):",
        "    cs = el[:]",
        "    if not cs and _is_nil(el):",
        "        return None",
        "    cs.append(_END)",
        f"    o = _new({cname})",
        "    try:",
        "        c = cs[0]",
        "        t = c.tag",
        "        p = 1",
    ]
    for i, s in enumerate(specs):
        lines.append(f"        if t == {s.name!r}:")
        lines += ["            " + line for line in _decoder_body(s, i, fname, name_of, ns)]
        lines += ["            c = cs[p]", "            p += 1", "            t = c.tag"]
        lines += ["        else:", f"            o.{s.attr} = None"]
    lines += [
        "        if c is not _END:",
        "            _read_rest(o, cs[p - 1 : -1])",
        "    except Exception:",
        f"        return _decode_careful({cname}, el)",
        *sc.always_checks(specs),
        "    return o",
    ]
    return "\n".join(lines)


_DECODE_HELPERS: dict[str, Any] = {
    "_new": object.__new__,
    "_END": _END,
    "_Slow": sc.Slow,
    "_is_nil": _is_nil,
    "_nil_or": _nil_or,
    "_model_items": _model_items,
    "_text_items": _text_items,
    "_read_rest": _read_rest,
    "_decode_careful": _decode_careful,
    "_always_missing": sc.always_missing,
    "_bool": sc.XML_BOOLEANS.__getitem__,
    **sc.DATETIME_HELPERS,
    "_b64_in": sc.b64_in,
    "_enum_in": sc.enum_in,
    "_any_in": _any_in,
}


_decoders = CompiledCodec("_xd", _decoder_source, _DECODE_HELPERS)
_native_decoders = (
    _native.NativeCodecs(_native.XML_DECODE, _decoders.get, _text_decoder)
    if _native.AVAILABLE and _native.xml_available()
    else None
)
_element_decoder: Callable[[type], Callable[[Any], Any]] = (_native_decoders or _decoders).get
"""The function turning an element into a model class, or None for a nil one (the C one where
built; see ``_native.py``)."""


def xml_decoder(cls: type[M]) -> Callable[[Any], M]:
    """A function turning an lxml element into ``cls`` (a nil element gives an empty model)."""
    decode = _element_decoder(cls)

    def decode_element(element: Any) -> M:
        result: M | None = decode(element)
        return result if result is not None else _decode_careful(cls, element)

    return decode_element


# -- encoding ------------------------------------------------------------------------------


def _write_list(
    write: Callable[[str], Any],
    item: str,
    value: object,
    convert: Callable[[Any], str] | None,
    model_writer: Callable[[Any, Callable[[str], Any]], None] | None,
) -> None:
    if not isinstance(value, (list, tuple)):
        raise sc.Bad("expected a list", value)
    for index, entry in enumerate(value):
        try:
            if entry is None:
                raise sc.Bad("a list item cannot be None", entry)
            if model_writer is not None:
                write(f"<{item}>")
                model_writer(entry, write)
                write(f"</{item}>")
            else:
                assert convert is not None
                write(f"<{item}>{convert(entry)}</{item}>")
        except EncodeError as exc:
            raise exc.at(str(index)) from None
        except sc.Bad as exc:
            raise EncodeError(exc.reason, path=[str(index)], value=exc.value) from None


def _enum_text(cls: Any) -> Callable[[object], str]:
    return lambda v: sc.xml_escape(str(sc.enum_out(cls, v)))


def _item_text(kind: str, ref: Any) -> Callable[[object], str]:
    if kind == "enum":
        return _enum_text(ref)
    return sc.XML_TEXT_OUT[kind]


def _any_out(value: object, write: Callable[[str], Any]) -> None:
    if isinstance(value, Model):
        xml_encoder(type(value))(value, write)
    elif isinstance(value, etree._Element):
        if value.text:
            write(sc.xml_escape(value.text))
        for child in value:
            write(etree.tostring(child, encoding="unicode", with_tail=True))
    elif isinstance(value, (str, int, float, bool)):
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        write(sc.xml_escape(text))
    else:
        raise sc.Bad("expected a model, an lxml element or a scalar", value)


def _encoder_body(
    s: FieldSpec, fname: str, i: int, name_of: Callable[[type], str], ns: dict[str, Any]
) -> list[str]:
    """Lines writing the value ``v`` (not None) of field ``s`` with ``w`` (``k`` names it)."""
    n = s.name
    slow = ["x = v"]
    if s.is_list:
        if s.kind == "model":
            return [
                *slow,
                f"w('<{n}>')",
                f"_write_list(w, {s.item!r}, x, None, {name_of(s.ref)})",
                f"w('</{n}>')",
            ]
        ns[f"{fname}_c{i}"] = _item_text(s.kind, s.ref)
        return [
            *slow,
            f"w('<{n}>')",
            f"_write_list(w, {s.item!r}, x, {fname}_c{i}, None)",
            f"w('</{n}>')",
        ]
    kind = s.kind
    if kind in ("string", "guid"):
        return [
            "if v.__class__ is not str:",
            *("    " + x for x in slow),
            "    v = _str_out(x)",
            *sc.xml_escape_lines("v"),
            f"w(f'<{n}>{{v}}</{n}>')",
        ]
    if kind in ("int", "long"):
        low, high = sc.INT_RANGES[kind]
        ns[f"_int_out_{kind}"] = sc.int_out[kind]
        return [
            f"if v.__class__ is not int or not {low} <= v <= {high}:",
            *("    " + x for x in slow),
            f"    v = _int_out_{kind}(x)",
            f"w(f'<{n}>{{v}}</{n}>')",
        ]
    if kind == "double":
        # float_out refuses NaN and infinities; a finite float's repr is valid xs:double
        return [*slow, f"w(f'<{n}>{{repr(_float_out(x))}}</{n}>')"]
    if kind == "boolean":
        return [
            "if v is True:",
            f"    w('<{n}>true</{n}>')",
            "elif v is False:",
            f"    w('<{n}>false</{n}>')",
            "else:",
            *("    " + x for x in slow),
            f"    raise _Bad({sc.EXPECTED['boolean']!r}, x)",
        ]
    if kind == "dateTime":
        # A decoded date-time (in a shared timezone) is written by orjson without a call.
        return [
            "if (v.__class__ is _datetime and (t := v.tzinfo).__class__ is _timezone"
            " and _whole_minutes(t)):",
            f"    w(f'<{n}>{{_dumps(v)[1:-1].decode()}}</{n}>')",
            "else:",
            "    if v.__class__ is not _datetime or v.tzinfo is None:",
            *("        " + x for x in slow),
            "        v = _dt_out(x)",
            f"    w(f'<{n}>{{_dt_text(v)}}</{n}>')",
        ]
    if kind == "base64Binary":
        return [*slow, f"w(f'<{n}>{{_b64_out(x)}}</{n}>')"]
    if kind == "enum":
        ecls = f"{fname}_E{i}"
        ns[ecls] = s.ref
        return [
            f"if v.__class__ is not {ecls}:",
            *("    " + x for x in slow),
            f"    v = _enum_member({ecls}, x)",
            "t = v.wire_value",
            "if t.__class__ is str:",
            *("    " + x for x in sc.xml_escape_lines("t")),
            "else:",
            "    t = str(t)",
            f"w(f'<{n}>{{t}}</{n}>')",
        ]
    if kind == "model":
        return [f"w('<{n}>')", f"{name_of(s.ref)}(v, w)", f"w('</{n}>')"]
    if kind == "any":
        return [*slow, f"w('<{n}>')", "_any_out(x, w)", f"w('</{n}>')"]
    raise TypeError(kind)  # pragma: no cover


def _enum_member(cls: Any, value: Any) -> Any:
    """The member for a value of an enum field that is not a member (a wire name is taken)."""
    sc.enum_out(cls, value)  # raises for anything else
    return sc.enum_names(cls)[value]


def _encoder_source(
    cls: type, specs: tuple[FieldSpec, ...], name_of: Callable[[type], str], ns: dict[str, Any]
) -> str:
    fname = name_of(cls)
    cname = f"{fname}_cls"
    ns[cname] = cls
    lines = [
        f"def {fname}(o, w):",
        f"    if o.__class__ is not {cname} and not isinstance(o, {cname}):",
        f"        raise _wrong_model({cname}, o)",
        "    k = x = None",
        "    try:",
        "        pass",
    ]
    for i, s in enumerate(specs):
        if s.read_only:
            continue
        lines += [f"        v = o.{s.attr}", f"        k = {s.name!r}"]
        if s.nillable and not s.is_list:
            lines += ["        if v is None:", f"            w('<{s.name} xsi:nil=\"true\" />')"]
            lines.append("        else:")
        else:
            lines.append("        if v is not None:")
        lines += ["            " + line for line in _encoder_body(s, fname, i, name_of, ns)]
    lines += sc.encoder_failures(fname, specs, ns)
    return "\n".join(lines)


_ENCODE_HELPERS: dict[str, Any] = {
    "_wrong_model": sc.wrong_model,
    "_write_list": _write_list,
    **sc.ENCODER_FAILURE_HELPERS,
    "_Bad": sc.Bad,
    "_esc": sc.xml_escape,
    "_datetime": datetime,
    "_timezone": timezone,
    "_whole_minutes": sc.whole_minutes,
    "_dumps": orjson.dumps,
    "_str_out": sc.str_out,
    "_float_out": sc.float_out,
    "_dt_out": sc.dt_out,
    "_dt_text": sc.dt_text,
    "_b64_out": sc.b64_out,
    "_enum_member": _enum_member,
    "_any_out": _any_out,
}

_encoders = CompiledCodec("_xe", _encoder_source, _ENCODE_HELPERS)


_native_encoders = (
    _native.NativeCodecs(_native.XML_ENCODE, _encoders.get, _item_text)
    if _native.AVAILABLE and _native.xml_available()
    else None
)


def xml_encoder(cls: type[M]) -> Callable[[M, Callable[[str], Any]], None]:
    """The function writing the children of ``cls``'s element (the C one where built)."""
    return (_native_encoders or _encoders).get(cls)


# -- public functions ----------------------------------------------------------------------


@overload
def decode_xml(data: bytes | bytearray | memoryview | str, model: type[M]) -> M: ...
@overload
def decode_xml(data: bytes | bytearray | memoryview | str, model: ListOf[T]) -> list[T]: ...
def decode_xml(data: bytes | bytearray | memoryview | str, model: Any) -> Any:
    """Parse Billecta's XML into ``model`` (a model class, or a ``ListOf`` for a list)."""
    return decode_document(_decode_xml, data, model)


def _decode_xml(data: bytes | bytearray | memoryview | str, model: Any) -> Any:
    if isinstance(model, ListOf):
        name = model.wire_name
        root = parse_xml_document(data, name)
        try:
            if model.kind == "model":
                return _model_items(root, model.item_name, _element_decoder(model.item_type))
            return _text_items(root, model.item_name, _text_decoder(model.kind, model.item_type))
        except DecodeError as exc:
            raise exc.in_model(name) from None
    name = model.__wire_name__
    root = parse_xml_document(data, name)
    try:
        result = _element_decoder(model)(root)
        return result if result is not None else _decode_careful(model, root)
    except DecodeError as exc:
        raise exc.in_model(name) from None


def encode_xml(obj: Model | Sequence[Any], model: ListOf[Any] | None = None) -> bytes:
    """Billecta's XML for a model, or for a list given with its ``ListOf`` model."""
    out: list[str] = [_PROLOG]
    write = out.append
    if isinstance(obj, Model):
        name = type(obj).__wire_name__
        write(f"<{name}{_ROOT_ATTRS}>")
        try:
            xml_encoder(type(obj))(obj, write)
        except EncodeError as exc:
            raise exc.in_model(name) from None
    elif isinstance(obj, (list, tuple)):
        if model is None:
            raise EncodeError("a list needs its ListOf model to name the XML root", value=obj)
        name = model.wire_name
        write(f"<{name}{_ROOT_ATTRS}>")
        try:
            if model.kind == "model":
                _write_list(write, model.item_name, obj, None, xml_encoder(model.item_type))
            else:
                convert = _item_text(model.kind, model.item_type)
                _write_list(write, model.item_name, obj, convert, None)
        except EncodeError as exc:
            raise exc.in_model(name) from None
    else:
        raise EncodeError("expected a model or a list of models", value=obj)
    write(f"</{name}>")
    return "".join(out).encode("utf-8")
