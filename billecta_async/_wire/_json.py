"""Billecta's JSON, both directions, for every generated model.

Billecta's JSON is not xsdata's: lists are plain arrays (no ``ArrayOfX`` objects), top-level list
models are bare arrays, enums come as names or integer codes, date-times in several forms.
Unknown keys are ignored so that a field Billecta adds tomorrow does not break today's client;
an enum value Billecta adds decodes to a pseudo-member. Fields left as ``None`` are not sent.

Each model class gets compiled functions (see ``_compile.py``). A decoder is straight-line code
for documents as Billecta writes them; when anything in an object is off, it decodes that object
again with :func:`_decode_careful`, which walks the fields one by one and raises the
:class:`~billecta_async.DecodeError` naming the field. An encoder checks each value inline and
converts only what is not already what JSON needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar, overload

import orjson

from billecta_async._exceptions import DecodeError, EncodeError
from billecta_async._wire import _native
from billecta_async._wire import _scalars as sc
from billecta_async._wire._base import FieldSpec, ListOf, Model, field_specs
from billecta_async._wire._compile import CompiledCodec, decode_document

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


def _field_value(spec: FieldSpec, value: object) -> Any:
    """One field's value from its JSON value, one step at a time (the careful path)."""
    if value is None:
        return None
    if spec.is_list:
        return _decode_list(_item_decoder(spec.kind, spec.ref), value)
    if spec.kind == "model":
        return json_decoder(spec.ref)(value)
    if spec.kind == "enum":
        return sc.enum_in(spec.ref, value)
    return sc.JSON_IN[spec.kind](value)


def _decode_careful(cls: type[M], d: object) -> M:
    """``cls`` from the JSON object ``d``, field by field; the first bad field (in the model's
    order) raises a DecodeError naming it. What the compiled decoders fall back on."""
    if d.__class__ is not dict:
        raise _not_object(d)
    o = object.__new__(cls)
    specs = field_specs(cls)
    for s in specs:
        value = d.get(s.name)
        try:
            setattr(o, s.attr, _field_value(s, value))
        except Exception as exc:
            raise sc.field_decode_error(s, exc, value) from None
    sc.check_always(o, specs)
    return o


_CHECKED_CLASS = {"string": "str", "guid": "str", "boolean": "bool"}


def _decoder_body(
    s: FieldSpec, i: int, fname: str, name_of: Callable[[type], str], ns: dict[str, Any]
) -> list[str]:
    """Lines turning the JSON value ``v`` of field ``s`` into what goes in the model."""
    if s.is_list:
        conv = name_of(s.ref) if s.kind == "model" else f"{fname}_c{i}"
        if s.kind != "model":
            ns[conv] = _item_decoder(s.kind, s.ref)
        return ["if v is not None:", f"    v = _decode_list({conv}, v)"]
    kind = s.kind
    if kind in _CHECKED_CLASS:
        return [
            f"if v.__class__ is not {_CHECKED_CLASS[kind]} and v is not None:",
            "    raise _Slow",
        ]
    if kind in ("int", "long"):
        low, high = sc.INT_RANGES[kind]
        ns[f"_int_in_{kind}"] = sc.int_in[kind]
        return [
            f"if v.__class__ is not int or not {low} <= v <= {high}:",
            "    if v is not None:",
            f"        v = _int_in_{kind}(v)",
        ]
    if kind == "double":
        return ["if v.__class__ is not float and v is not None:", "    v = _float_in(v)"]
    if kind == "dateTime":
        return ["if v is not None:", *("    " + line for line in sc.datetime_lines("v", "v"))]
    if kind == "base64Binary":
        return ["if v is not None:", "    v = _b64_in(v)"]
    if kind == "enum":
        ns[f"{fname}_e{i}"] = sc.enum_names(s.ref).get
        ns[f"{fname}_E{i}"] = s.ref
        return ["if v is not None:", f"    v = {fname}_e{i}(v) or _enum_in({fname}_E{i}, v)"]
    if kind == "model":
        return ["if v is not None:", f"    v = {name_of(s.ref)}(v)"]
    if kind == "any":
        return []
    raise TypeError(kind)  # pragma: no cover - FieldSpec validates kinds


def _decoder_source(
    cls: type, specs: tuple[FieldSpec, ...], name_of: Callable[[type], str], ns: dict[str, Any]
) -> str:
    fname = name_of(cls)
    cname = f"{fname}_cls"
    ns[cname] = cls
    lines = [
        f"def {fname}(d):",
        "    if d.__class__ is not dict:",
        "        raise _not_object(d)",
        f"    o = _new({cname})",
        "    try:",
        "        pass",
    ]
    for i, s in enumerate(specs):
        lines.append(f"        v = d.get({s.name!r})")
        lines += ["        " + line for line in _decoder_body(s, i, fname, name_of, ns)]
        lines.append(f"        o.{s.attr} = v")
    lines += [
        "    except Exception:",
        f"        return _decode_careful({cname}, d)",
        *sc.always_checks(specs),
        "    return o",
    ]
    return "\n".join(lines)


_DECODE_HELPERS: dict[str, Any] = {
    "_new": object.__new__,
    "_not_object": _not_object,
    "_decode_list": _decode_list,
    "_decode_careful": _decode_careful,
    "_always_missing": sc.always_missing,
    "_Slow": sc.Slow,
    "_float_in": sc.float_in,
    **sc.DATETIME_HELPERS,
    "_b64_in": sc.b64_in,
    "_enum_in": sc.enum_in,
}

_decoders = CompiledCodec("_jd", _decoder_source, _DECODE_HELPERS)


_native_decoders = (
    _native.NativeCodecs(_native.JSON_DECODE, _decoders.get, _item_decoder)
    if _native.AVAILABLE
    else None
)


def json_decoder(cls: type[M]) -> Callable[[Any], M]:
    """The function turning a parsed JSON object into ``cls`` (the C one where built)."""
    return (_native_decoders or _decoders).get(cls)


# -- encoding ------------------------------------------------------------------------------


def _encode_list(convert: Callable[[Any], Any], value: object) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise sc.Bad("expected a list", value)
    try:
        return [convert(item) for item in value]
    except Exception as exc:
        failure = exc
    for index, item in enumerate(value):
        try:
            if item is None:
                raise sc.Bad("a list item cannot be None", item)
            convert(item)
        except EncodeError as exc:
            raise exc.at(str(index)) from None
        except sc.Bad as exc:
            raise EncodeError(exc.reason, path=[str(index)], value=exc.value) from None
    raise failure


def _item_encoder(kind: str, ref: Any) -> Callable[[Any], Any]:
    if kind == "model":
        return json_encoder(ref)
    if kind == "enum":
        return lambda v: sc.enum_out(ref, v)
    return sc.JSON_OUT[kind]


def _encoder_body(
    s: FieldSpec, v: str, fname: str, i: int, name_of: Callable[[type], str], ns: dict[str, Any]
) -> list[str]:
    """Lines checking the value in local ``v`` of field ``s`` and converting it for JSON.

    A value that is already what JSON needs passes with one or two checks; anything else goes
    through a converter, after ``k`` and ``x`` are set for the error naming the field.
    """
    key = repr(s.name)
    slow = [f"k = {key}", f"x = {v}"]
    if s.is_list:
        conv = name_of(s.ref) if s.kind == "model" else f"{fname}_c{i}"
        if s.kind != "model":
            ns[conv] = _item_encoder(s.kind, s.ref)
        return [
            f"if {v} is not None:",
            *("    " + x for x in slow),
            f"    {v} = _encode_list({conv}, x)",
        ]
    kind = s.kind
    if kind in ("string", "guid"):
        check = f"if {v}.__class__ is not str and {v} is not None:"
        return [check, *("    " + x for x in slow), f"    {v} = _str_out(x)"]
    if kind in ("int", "long"):
        low, high = sc.INT_RANGES[kind]
        ns[f"_int_out_{kind}"] = sc.int_out[kind]
        return [
            f"if {v}.__class__ is not int or not {low} <= {v} <= {high}:",
            f"    if {v} is not None:",
            *("        " + x for x in slow),
            f"        {v} = _int_out_{kind}(x)",
        ]
    if kind == "double":
        return [
            f"if {v}.__class__ is not float or {v} - {v} != 0.0:",  # NaN and infinities too
            f"    if {v} is not None:",
            *("        " + x for x in slow),
            f"        {v} = _float_out(x)",
        ]
    if kind == "boolean":
        return [
            f"if {v} is not True and {v} is not False and {v} is not None:",
            *("    " + x for x in slow),
            f"    raise _Bad({sc.EXPECTED['boolean']!r}, x)",
        ]
    if kind == "dateTime":
        return [
            f"if {v}.__class__ is not _datetime or {v}.tzinfo is None:",
            f"    if {v} is not None:",
            *("        " + x for x in slow),
            f"        {v} = _dt_out(x)",
        ]
    if kind == "base64Binary":
        return [f"if {v} is not None:", *("    " + x for x in slow), f"    {v} = _b64_out(x)"]
    if kind == "enum":
        ecls = f"{fname}_E{i}"
        ns[ecls] = s.ref
        return [
            f"if {v}.__class__ is {ecls}:",
            f"    {v} = {v}.wire_value",
            f"elif {v} is not None:",
            *("    " + x for x in slow),
            f"    {v} = _enum_out({ecls}, x)",
        ]
    if kind == "model":
        call = [f"k = {key}", f"{v} = {name_of(s.ref)}({v})"]
        inline = _inline_model(s.ref, v, f"{fname}_R{i}", ns)
        if inline is None:
            return [f"if {v} is not None:", *("    " + x for x in call)]
        return [f"if {v} is not None:", *("    " + x for x in inline), "    else:"] + [
            "        " + x for x in call
        ]
    if kind == "any":
        return [f"if {v} is not None:", *("    " + x for x in slow), f"    {v} = _any_out(x)"]
    raise TypeError(kind)  # pragma: no cover


# A nested model whose fields are all plain values is written inline, without a call, when
# every value is already what JSON needs (anything else goes through its compiled encoder).
_INLINE_KINDS = {
    "string": "{a}.__class__ is str",
    "guid": "{a}.__class__ is str",
    "boolean": "{a} is True or {a} is False",
    "int": "{a}.__class__ is int and {low} <= {a} <= {high}",
    "long": "{a}.__class__ is int and {low} <= {a} <= {high}",
    "double": "{a}.__class__ is float and {a} - {a} == 0.0",
    "dateTime": "{a}.__class__ is _datetime and {a}.tzinfo is not None",
}
_INLINE_MAX_FIELDS = 6


def _inline_model(cls: type, v: str, cname: str, ns: dict[str, Any]) -> list[str] | None:
    """Lines making the dict of the nested model in ``v`` inline (an ``if`` whose ``else`` the
    caller writes), or None when ``cls`` is not a small model of plain values."""
    specs = [s for s in field_specs(cls) if not s.read_only]
    if len(specs) > _INLINE_MAX_FIELDS or any(
        s.is_list or s.kind not in _INLINE_KINDS for s in specs
    ):
        return None
    ns[cname] = cls
    names = [f"{v}_{j}" for j in range(len(specs))]
    checks = []
    for s, a in zip(specs, names, strict=True):
        low, high = sc.INT_RANGES.get(s.kind, (0, 0))
        checks.append(f"({_INLINE_KINDS[s.kind].format(a=a, low=low, high=high)} or {a} is None)")
    lines = [f"{a} = {v}.{s.attr}" for s, a in zip(specs, names, strict=True)]
    lines = [f"if {v}.__class__ is {cname}:", *("    " + x for x in lines)]
    lines.append(f"if {v}.__class__ is {cname} and " + " and ".join(checks) + ":")
    lines.append(
        f"    {v} = {{"
        + ", ".join(f"{s.name!r}: {a}" for s, a in zip(specs, names, strict=True))
        + "}"
    )
    for s, a in zip(specs, names, strict=True):
        lines += [f"    if {a} is None:", f"        del {v}[{s.name!r}]"]
    return lines


def _encoder_source(
    cls: type, specs: tuple[FieldSpec, ...], name_of: Callable[[type], str], ns: dict[str, Any]
) -> str:
    fname = name_of(cls)
    cname = f"{fname}_cls"
    ns[cname] = cls
    sent = [(i, s) for i, s in enumerate(specs) if not s.read_only]
    lines = [
        f"def {fname}(o):",
        f"    if o.__class__ is not {cname} and not isinstance(o, {cname}):",
        f"        raise _wrong_model({cname}, o)",
        "    k = x = None",
        "    try:",
        "        pass",
    ]
    for i, s in sent:
        v = f"v{i}"
        lines.append(f"        {v} = o.{s.attr}")
        lines += ["        " + line for line in _encoder_body(s, v, fname, i, name_of, ns)]
    lines += sc.encoder_failures(fname, specs, ns)
    lines += [
        # Every field at once into a presized dict, then the unset ones out: in the order of
        # the model, as Billecta documents them.
        "    d = {" + ", ".join(f"{s.name!r}: v{i}" for i, s in sent) + "}",
    ]
    for i, s in sent:
        lines += [f"    if v{i} is None:", f"        del d[{s.name!r}]"]
    lines.append("    return d")
    return "\n".join(lines)


_ENCODE_HELPERS: dict[str, Any] = {
    "_wrong_model": sc.wrong_model,
    "_encode_list": _encode_list,
    **sc.ENCODER_FAILURE_HELPERS,
    "_Bad": sc.Bad,
    "_datetime": datetime,
    "_str_out": sc.str_out,
    "_float_out": sc.float_out,
    "_dt_out": sc.dt_out,
    "_b64_out": sc.b64_out,
    "_enum_out": sc.enum_out,
    "_any_out": sc.JSON_OUT["any"],
}

_encoders = CompiledCodec("_je", _encoder_source, _ENCODE_HELPERS)


_native_encoders = (
    _native.NativeCodecs(_native.JSON_ENCODE, _encoders.get, _item_encoder)
    if _native.AVAILABLE
    else None
)


def json_encoder(cls: type[M]) -> Callable[[M], dict[str, Any]]:
    """The function turning ``cls`` into a JSON-ready dict (the C one where built)."""
    return (_native_encoders or _encoders).get(cls)


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
        return json_decoder(model)(doc)
    except DecodeError as exc:
        raise exc.in_model(name) from None
    except sc.Bad as exc:
        raise DecodeError(exc.reason, model=name, value=exc.value) from None


def _dump(value: Any, name: str) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError as exc:  # orjson.JSONEncodeError: e.g. an xs:anyType value it cannot write
        raise EncodeError(
            f"cannot be written as JSON ({exc})", model=name, has_value=False
        ) from None


def encode_json(obj: Model | Sequence[Any], model: ListOf[Any] | None = None) -> bytes:
    """Billecta's JSON for a model, or for a list of models (a JSON array)."""
    if isinstance(obj, Model):
        name = type(obj).__wire_name__
        try:
            return _dump(json_encoder(type(obj))(obj), name)
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
            return _dump(_encode_list(convert, obj), name)
        except EncodeError as exc:
            raise exc.in_model(name) from None
    raise EncodeError("expected a model or a list of models", value=obj)
