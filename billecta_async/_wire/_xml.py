"""Billecta's XML, both directions, for every generated model.

XML follows the XSD: no namespace, the root element named after the type, lists inside ``ArrayOfX``
wrappers, ``xsi:nil`` only for elements the XSD marks nillable. Parsing is strict: a truncated
document, a wrong root element, an HTML error page or a DOCTYPE (external entities) is an error,
never an empty model. Unknown elements are ignored, like unknown JSON keys.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, overload

from lxml import etree

from billecta_async._exceptions import DecodeError, EncodeError
from billecta_async._wire import _scalars as sc
from billecta_async._wire._base import FieldSpec, ListOf, Model
from billecta_async._wire._compile import CompiledCodec, decode_document

__all__ = ["decode_xml", "encode_xml", "parse_xml_document", "xml_decoder", "xml_encoder"]

M = TypeVar("M", bound=Model)
T = TypeVar("T")

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = f"{{{XSI}}}nil"
_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n'
_ROOT_ATTRS = f' xmlns:xsi="{XSI}" xmlns:xsd="http://www.w3.org/2001/XMLSchema"'

_parsers = threading.local()


def _parser() -> etree.XMLParser:
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            recover=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
            huge_tree=False,
        )
        _parsers.parser = parser
    return parser


def parse_xml_document(data: bytes | bytearray | memoryview | str, root: str) -> Any:
    """Strictly parse ``data`` and check that its root element is ``root``."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    elif not isinstance(data, bytes):
        try:
            data = bytes(data)
        except TypeError:
            raise DecodeError("expected bytes or str", model=root, value=data) from None
    try:
        element = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DecodeError(f"not well-formed XML ({exc})", model=root, value=data[:120]) from None
    tree = element.getroottree()
    if tree.docinfo.doctype:
        raise DecodeError("a DOCTYPE is not allowed", model=root, value=tree.docinfo.doctype)
    if element.tag != root:
        raise DecodeError(
            f"expected root element <{root}>", model=root, value=f"<{element.tag}>", has_value=True
        )
    return element


# -- decoding ------------------------------------------------------------------------------


def _is_nil(element: Any) -> bool:
    return element.get(NIL) in ("true", "1")


def _nil_or(element: Any, kind: str) -> Any:
    """A value element without text: ``None`` when nil, ``b""`` for binary, else an error."""
    if _is_nil(element):
        return None
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


def _field_error(tag: object, exc: Exception, element: Any, kinds: dict[str, str]) -> DecodeError:
    key = tag if isinstance(tag, str) else "?"
    text = element.text if element is not None else None
    return sc.decode_error(key, exc, text, kinds.get(key))


def _list_items(
    element: Any, item: str, convert: Callable[[Any], Any], takes_element: bool
) -> list[Any]:
    out = []
    for index, child in enumerate(element):
        if child.tag != item or _is_nil(child):
            continue
        try:
            if takes_element:
                out.append(convert(child))
            else:
                text = child.text
                out.append(convert(text if text is not None else ""))
        except DecodeError as exc:
            raise exc.at(str(index)) from None
        except sc.Bad as exc:
            raise DecodeError(exc.reason, path=[str(index)], value=exc.value) from None
        except (ValueError, KeyError, TypeError):
            raise DecodeError("invalid list item", path=[str(index)], value=child.text) from None
    return out


def _item_decoder(kind: str, ref: Any) -> tuple[Callable[[Any], Any], bool]:
    """A converter for list items, and whether it takes the element (else its text)."""
    if kind == "model":
        return xml_decoder(ref), True
    if kind == "enum":
        return sc.enum_decoder(ref), False
    return sc.XML_TEXT_IN[kind], False


def _setter_body(s: FieldSpec, i: int, fname: str, name_of: Callable[[type], str]) -> list[str]:
    target = f"o.{s.attr}"
    if s.is_list and s.kind == "model":
        return [f"{target} = _list_items(c, {s.item!r}, {name_of(s.ref)}, True)"]
    if s.is_list:
        return [f"{target} = _list_items(c, {s.item!r}, {fname}_c{i}, {fname}_t{i})"]
    if s.kind == "model":
        return [f"{target} = None if _is_nil(c) else {name_of(s.ref)}(c)"]
    if s.kind == "any":
        return [f"{target} = _any_in(c)"]
    lines = ["t = c.text"]
    if s.kind in ("string", "guid"):
        lines.append(f"{target} = t if t is not None else (None if _is_nil(c) else '')")
        return lines
    lines.append("if t is None:")
    lines.append(f"    {target} = _nil_or(c, {s.kind!r})")
    lines.append("else:")
    if s.kind in ("int", "long"):
        lines.append(f"    {target} = int(t)")
    elif s.kind == "double":
        lines.append(f"    {target} = float(t)")
    elif s.kind == "boolean":
        lines.append(f"    {target} = _bool(t)")
    elif s.kind == "dateTime":
        lines.append(f"    {target} = _dt_in(t)")
    elif s.kind == "base64Binary":
        lines.append(f"    {target} = _b64_in(t)")
    elif s.kind == "enum":
        lines.append(f"    m = {fname}_e{i}(t)")
        lines.append(f"    {target} = m if m is not None else _enum_in({fname}_E{i}, t)")
    else:  # pragma: no cover
        raise TypeError(s.kind)
    return lines


def _decoder_source(
    cls: type, specs: tuple[FieldSpec, ...], name_of: Callable[[type], str], ns: dict[str, Any]
) -> str:
    fname = name_of(cls)
    cname = f"{fname}_cls"
    ns[cname] = cls
    ns[f"{fname}_kinds"] = {s.name: s.kind for s in specs}
    setters: list[str] = []
    table_entries: list[str] = []
    for i, s in enumerate(specs):
        if s.is_list and s.kind != "model":
            conv, takes_element = _item_decoder(s.kind, s.ref)
            ns[f"{fname}_c{i}"] = conv
            ns[f"{fname}_t{i}"] = takes_element
        elif s.kind == "enum":
            ns[f"{fname}_e{i}"] = sc.enum_table(s.ref).get
            ns[f"{fname}_E{i}"] = s.ref
        setter = f"{fname}_s{i}"
        body = _setter_body(s, i, fname, name_of)
        setters.append(f"def {setter}(o, c):\n" + "\n".join("    " + b for b in body))
        table_entries.append(f"{s.name!r}: {setter}")
    lines = [
        f"def {fname}(el):",
        f"    o = _new({cname})",
        *[f"    o.{s.attr} = None" for s in specs],
        "    k = None",
        "    c = None",
        "    try:",
        "        for c in el:",
        "            k = c.tag",
        f"            s = {fname}_set.get(k)",
        "            if s is not None:",
        "                s(o, c)",
        "    except _DecodeError as e:",
        "        raise e.at(k if k.__class__ is str else '?') from None",
        "    except Exception as e:",
        f"        raise _field_error(k, e, c, {fname}_kinds) from None",
        *sc.always_checks(specs),
        "    return o",
    ]
    table = f"{fname}_set = {{" + ", ".join(table_entries) + "}"
    return "\n\n".join([*setters, table, "\n".join(lines)])


_DECODE_HELPERS: dict[str, Any] = {
    "_new": object.__new__,
    "_is_nil": _is_nil,
    "_nil_or": _nil_or,
    "_list_items": _list_items,
    "_field_error": _field_error,
    "_always_missing": sc.always_missing,
    "_DecodeError": DecodeError,
    "_bool": sc.XML_BOOLEANS.__getitem__,
    "_dt_in": sc.dt_in,
    "_b64_in": sc.b64_in,
    "_enum_in": sc.enum_in,
    "_any_in": _any_in,
}


_decoders = CompiledCodec("_xd", _decoder_source, _DECODE_HELPERS)


def xml_decoder(cls: type[M]) -> Callable[[Any], M]:
    """The compiled function turning an lxml element into ``cls``."""
    return _decoders.get(cls)


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
        "    k = None",
        "    v = None",
        "    try:",
        "        pass",
    ]
    add = lines.append
    for i, s in enumerate(specs):
        if s.read_only:
            continue
        n = s.name
        add(f"        v = o.{s.attr}")
        add(f"        k = {n!r}")
        if s.nillable and not s.is_list:
            add("        if v is None:")
            add(f"            w('<{n} xsi:nil=\"true\" />')")
            add("        else:")
        else:
            add("        if v is not None:")
        ind = "            "
        if s.is_list:
            if s.kind == "model":
                add(f"{ind}w('<{n}>')")
                add(f"{ind}_write_list(w, {s.item!r}, v, None, {name_of(s.ref)})")
            else:
                ns[f"{fname}_c{i}"] = _item_text(s.kind, s.ref)
                add(f"{ind}w('<{n}>')")
                add(f"{ind}_write_list(w, {s.item!r}, v, {fname}_c{i}, None)")
            add(f"{ind}w('</{n}>')")
        elif s.kind in ("string", "guid"):
            add(f"{ind}if v.__class__ is not str:")
            add(f"{ind}    v = _str_out(v)")
            add(f"{ind}w('<{n}>' + _esc(v) + '</{n}>')")
        elif s.kind in ("int", "long"):
            add(f"{ind}if v.__class__ is not int:")
            add(f"{ind}    v = _int_out(v)")
            add(f"{ind}w('<{n}>' + str(v) + '</{n}>')")
        elif s.kind == "double":
            # float_out refuses NaN and infinities; a finite float's repr is valid xs:double
            add(f"{ind}w('<{n}>' + repr(_float_out(v)) + '</{n}>')")
        elif s.kind == "boolean":
            add(f"{ind}if v is True:")
            add(f"{ind}    w('<{n}>true</{n}>')")
            add(f"{ind}elif v is False:")
            add(f"{ind}    w('<{n}>false</{n}>')")
            add(f"{ind}else:")
            add(f"{ind}    raise _Bad({sc.EXPECTED['boolean']!r}, v)")
        elif s.kind == "dateTime":
            add(f"{ind}w('<{n}>' + _dt_out(v).isoformat() + '</{n}>')")
        elif s.kind == "base64Binary":
            add(f"{ind}w('<{n}>' + _b64_out(v) + '</{n}>')")
        elif s.kind == "enum":
            ecls = f"{fname}_E{i}"
            ns[ecls] = s.ref
            add(f"{ind}t = v.wire_value if v.__class__ is {ecls} else _enum_out({ecls}, v)")
            add(f"{ind}w('<{n}>' + _esc(str(t)) + '</{n}>')")
        elif s.kind == "model":
            add(f"{ind}w('<{n}>')")
            add(f"{ind}{name_of(s.ref)}(v, w)")
            add(f"{ind}w('</{n}>')")
        elif s.kind == "any":
            add(f"{ind}w('<{n}>')")
            add(f"{ind}_any_out(v, w)")
            add(f"{ind}w('</{n}>')")
        else:  # pragma: no cover
            raise TypeError(s.kind)
    lines += sc.ENCODE_EPILOGUE
    return "\n".join(lines)


_ENCODE_HELPERS: dict[str, Any] = {
    "_wrong_model": sc.wrong_model,
    "_write_list": _write_list,
    "_encode_error": sc.encode_error,
    "_EncodeError": EncodeError,
    "_Bad": sc.Bad,
    "_esc": sc.xml_escape,
    "_str_out": sc.str_out,
    "_int_out": sc.int_out,
    "_float_out": sc.float_out,
    "_dt_out": sc.dt_out,
    "_b64_out": sc.b64_out,
    "_enum_out": sc.enum_out,
    "_any_out": _any_out,
}

_encoders = CompiledCodec("_xe", _encoder_source, _ENCODE_HELPERS)


def xml_encoder(cls: type[M]) -> Callable[[M, Callable[[str], Any]], None]:
    """The compiled function writing the children of ``cls``'s element."""
    return _encoders.get(cls)


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
        root = parse_xml_document(data, model.wire_name)
        convert, takes_element = _item_decoder(model.kind, model.item_type)
        try:
            return _list_items(root, model.item_name, convert, takes_element)
        except DecodeError as exc:
            raise exc.in_model(model.wire_name) from None
    name = model.__wire_name__
    root = parse_xml_document(data, name)
    try:
        return _decoders.get(model)(root)
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
