"""Billecta's JSON, both directions, for every generated model.

Billecta's JSON is not xsdata's: lists are plain arrays (no ``ArrayOfX`` objects), top-level list
models are bare arrays, enums come as names or integer codes, date-times in several forms.
Unknown keys are ignored so that a field Billecta adds tomorrow does not break today's client;
an enum value Billecta adds decodes to a pseudo-member. Fields left as ``None`` are not sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, overload

import orjson

from billecta_async._exceptions import DecodeError, EncodeError
from billecta_async._wire import _scalars as sc
from billecta_async._wire._base import FieldSpec, ListOf, Model
from billecta_async._wire._compile import CompiledCodec, decode_document
from billecta_async._wire._datetime import FAST_FROMISOFORMAT, naive_datetime

__all__ = ["decode_json", "encode_json", "json_decoder", "json_encoder"]

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# -- decoding ------------------------------------------------------------------------------


def _not_object(value: object) -> sc.Bad:
    return sc.Bad("expected a JSON object", value)


def _decode_list(convert: Callable[[Any], Any], value: object) -> list[Any]:
    if value.__class__ is not list:
        raise sc.Bad("expected a JSON array", value)
    try:
        return [convert(item) for item in value if item is not None]
    except Exception:
        for index, item in enumerate(value):
            if item is None:
                continue
            try:
                convert(item)
            except DecodeError as exc:
                raise exc.at(str(index)) from None
            except sc.Bad as exc:
                raise DecodeError(exc.reason, path=[str(index)], value=exc.value) from None
        raise


def _item_decoder(kind: str, ref: Any) -> Callable[[Any], Any]:
    if kind == "model":
        return json_decoder(ref)
    if kind == "enum":
        return sc.enum_decoder(ref)
    return sc.JSON_IN[kind]


_INLINE_CHECK = {
    "string": "str",
    "guid": "str",
    "boolean": "bool",
}


def _decoder_source(
    cls: type, specs: tuple[FieldSpec, ...], name_of: Callable[[type], str], ns: dict[str, Any]
) -> str:
    fname = name_of(cls)
    cname = f"{fname}_cls"
    ns[cname] = cls
    ns[f"{fname}_kinds"] = {s.name: s.kind for s in specs}
    lines = [
        f"def {fname}(d):",
        "    if d.__class__ is not dict:",
        "        raise _not_object(d)",
        f"    o = _new({cname})",
        "    get = d.get",
        "    k = None",
        "    v = None",
        "    try:",
        "        pass",
    ]
    add = lines.append
    for i, s in enumerate(specs):
        add(f"        k = {s.name!r}")
        add("        v = get(k)")
        target = f"o.{s.attr}"
        if s.is_list:
            conv = f"{fname}_c{i}"
            if s.kind == "model":
                add(f"        {target} = None if v is None else _decode_list({name_of(s.ref)}, v)")
            else:
                ns[conv] = _item_decoder(s.kind, s.ref)
                add(f"        {target} = None if v is None else _decode_list({conv}, v)")
        elif s.kind in _INLINE_CHECK:
            add(f"        if v.__class__ is not {_INLINE_CHECK[s.kind]} and v is not None:")
            add(f"            raise _Bad({sc.EXPECTED[s.kind]!r}, v)")
            add(f"        {target} = v")
        elif s.kind in ("int", "long"):
            add("        if v.__class__ is not int and v is not None:")
            add("            v = _int_in(v)")
            add(f"        {target} = v")
        elif s.kind == "double":
            add("        if v.__class__ is not float and v is not None:")
            add("            v = _float_in(v)")
            add(f"        {target} = v")
        elif s.kind == "dateTime":
            add("        if v is not None:")
            add("            try:")
            add("                v = _fromiso(v)")
            add("            except Exception:")
            add("                v = _dt_in(v)")
            add("            else:")
            add("                if v.tzinfo is None:")
            add("                    v = _naive(v)")
            add(f"        {target} = v")
        elif s.kind == "base64Binary":
            add(f"        {target} = None if v is None else _b64_in(v)")
        elif s.kind == "enum":
            table = f"{fname}_e{i}"
            ecls = f"{fname}_E{i}"
            ns[table] = sc.enum_table(s.ref).get
            ns[ecls] = s.ref
            add(f"        {target} = None if v is None else ({table}(v) or _enum_in({ecls}, v))")
        elif s.kind == "model":
            add(f"        {target} = None if v is None else {name_of(s.ref)}(v)")
        elif s.kind == "any":
            add(f"        {target} = v")
        else:  # pragma: no cover - FieldSpec validates kinds
            raise TypeError(s.kind)
    lines += [
        "    except _DecodeError as e:",
        "        raise e.at(k) from None",
        "    except Exception as e:",
        f"        raise _decode_error(k, e, v, {fname}_kinds.get(k)) from None",
        *sc.always_checks(specs),
        "    return o",
    ]
    return "\n".join(lines)


_DECODE_HELPERS: dict[str, Any] = {
    "_new": object.__new__,
    "_not_object": _not_object,
    "_decode_list": _decode_list,
    "_decode_error": sc.decode_error,
    "_always_missing": sc.always_missing,
    "_DecodeError": DecodeError,
    "_Bad": sc.Bad,
    "_int_in": sc.int_in,
    "_float_in": sc.float_in,
    "_dt_in": sc.dt_in,
    "_fromiso": FAST_FROMISOFORMAT,
    "_naive": naive_datetime,
    "_b64_in": sc.b64_in,
    "_enum_in": sc.enum_in,
}

_decoders = CompiledCodec("_jd", _decoder_source, _DECODE_HELPERS)


def json_decoder(cls: type[M]) -> Callable[[Any], M]:
    """The compiled function turning a parsed JSON object into ``cls``."""
    return _decoders.get(cls)


# -- encoding ------------------------------------------------------------------------------


def _encode_list(convert: Callable[[Any], Any], value: object) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise sc.Bad("expected a list", value)
    out = []
    for index, item in enumerate(value):
        try:
            if item is None:
                raise sc.Bad("a list item cannot be None", item)
            out.append(convert(item))
        except EncodeError as exc:
            raise exc.at(str(index)) from None
        except sc.Bad as exc:
            raise EncodeError(exc.reason, path=[str(index)], value=exc.value) from None
    return out


def _item_encoder(kind: str, ref: Any) -> Callable[[Any], Any]:
    if kind == "model":
        return json_encoder(ref)
    if kind == "enum":
        return lambda v: sc.enum_out(ref, v)
    return sc.JSON_OUT[kind]


def _encoder_source(
    cls: type, specs: tuple[FieldSpec, ...], name_of: Callable[[type], str], ns: dict[str, Any]
) -> str:
    fname = name_of(cls)
    cname = f"{fname}_cls"
    ns[cname] = cls
    lines = [
        f"def {fname}(o):",
        f"    if o.__class__ is not {cname} and not isinstance(o, {cname}):",
        f"        raise _wrong_model({cname}, o)",
        "    d = {}",
        "    k = None",
        "    v = None",
        "    try:",
        "        pass",
    ]
    add = lines.append
    for i, s in enumerate(specs):
        if s.read_only:
            continue
        add(f"        v = o.{s.attr}")
        add("        if v is not None:")
        add(f"            k = {s.name!r}")
        if s.is_list:
            conv = f"{fname}_c{i}"
            if s.kind == "model":
                add(f"            d[k] = _encode_list({name_of(s.ref)}, v)")
            else:
                ns[conv] = _item_encoder(s.kind, s.ref)
                add(f"            d[k] = _encode_list({conv}, v)")
        elif s.kind in ("string", "guid"):
            add("            d[k] = v if v.__class__ is str else _str_out(v)")
        elif s.kind in ("int", "long"):
            add("            d[k] = v if v.__class__ is int else _int_out(v)")
        elif s.kind == "double":
            add("            d[k] = v if v.__class__ is float else _float_out(v)")
        elif s.kind == "boolean":
            add("            if v is not True and v is not False:")
            add(f"                raise _Bad({sc.EXPECTED['boolean']!r}, v)")
            add("            d[k] = v")
        elif s.kind == "dateTime":
            add("            d[k] = _dt_out(v)")
        elif s.kind == "base64Binary":
            add("            d[k] = _b64_out(v)")
        elif s.kind == "enum":
            ecls = f"{fname}_E{i}"
            ns[ecls] = s.ref
            add(f"            if v.__class__ is {ecls}:")
            add("                d[k] = v.wire_value")
            add("            else:")
            add(f"                d[k] = _enum_out({ecls}, v)")
        elif s.kind == "model":
            add(f"            d[k] = {name_of(s.ref)}(v)")
        elif s.kind == "any":
            add("            d[k] = _any_out(v)")
        else:  # pragma: no cover
            raise TypeError(s.kind)
    lines += [*sc.ENCODE_EPILOGUE, "    return d"]
    return "\n".join(lines)


_ENCODE_HELPERS: dict[str, Any] = {
    "_wrong_model": sc.wrong_model,
    "_encode_list": _encode_list,
    "_encode_error": sc.encode_error,
    "_EncodeError": EncodeError,
    "_Bad": sc.Bad,
    "_str_out": sc.str_out,
    "_int_out": sc.int_out,
    "_float_out": sc.float_out,
    "_dt_out": sc.dt_out,
    "_b64_out": sc.b64_out,
    "_enum_out": sc.enum_out,
    "_any_out": sc.JSON_OUT["any"],
}

_encoders = CompiledCodec("_je", _encoder_source, _ENCODE_HELPERS)


def json_encoder(cls: type[M]) -> Callable[[M], dict[str, Any]]:
    """The compiled function turning ``cls`` into a JSON-ready dict."""
    return _encoders.get(cls)


# -- public functions ----------------------------------------------------------------------


def _load(data: bytes | bytearray | memoryview | str, what: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raw = bytes(data[:120]) if not isinstance(data, str) else data[:120]
        raise DecodeError(f"not valid JSON ({exc})", model=what, value=raw) from None
    except TypeError:
        raise DecodeError("expected bytes or str", model=what, value=data) from None


@overload
def decode_json(data: bytes | bytearray | memoryview | str, model: type[M]) -> M: ...
@overload
def decode_json(data: bytes | bytearray | memoryview | str, model: ListOf[T]) -> list[T]: ...
def decode_json(data: bytes | bytearray | memoryview | str, model: Any) -> Any:
    """Parse Billecta's JSON into ``model`` (a model class, or a ``ListOf`` for an array)."""
    return decode_document(_decode_json, data, model)


def _decode_json(data: bytes | bytearray | memoryview | str, model: Any) -> Any:
    if isinstance(model, ListOf):
        doc = _load(data, model.wire_name)
        convert = _item_decoder(model.kind, model.item_type)
        try:
            return _decode_list(convert, doc)
        except DecodeError as exc:
            raise exc.in_model(model.wire_name) from None
        except sc.Bad as exc:
            raise DecodeError(exc.reason, model=model.wire_name, value=exc.value) from None
    name = model.__wire_name__
    doc = _load(data, name)
    try:
        return _decoders.get(model)(doc)
    except DecodeError as exc:
        raise exc.in_model(name) from None
    except sc.Bad as exc:
        raise DecodeError(exc.reason, model=name, value=exc.value) from None


def encode_json(obj: Model | Sequence[Any], model: ListOf[Any] | None = None) -> bytes:
    """Billecta's JSON for a model, or for a list of models (a JSON array)."""
    if isinstance(obj, Model):
        name = type(obj).__wire_name__
        try:
            return orjson.dumps(json_encoder(type(obj))(obj))
        except EncodeError as exc:
            raise exc.in_model(name) from None
    if isinstance(obj, (list, tuple)):
        if model is not None:
            convert = _item_encoder(model.kind, model.item_type)
            name = model.wire_name
        else:
            convert = lambda item: json_encoder(type(item))(item)  # noqa: E731
            name = "list"
        try:
            return orjson.dumps(_encode_list(convert, obj))
        except EncodeError as exc:
            raise exc.in_model(name) from None
    raise EncodeError("expected a model or a list of models", value=obj)
