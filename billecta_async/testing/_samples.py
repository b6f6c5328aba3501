"""Model instances for tests, built from the models' metadata.

:func:`sample_model` gives fully populated, deterministic instances of any generated model: used
by the SDK's own round-trip tests and benchmarks, and by the emulator to answer endpoints it does
not model statefully with a valid instance of the documented response model.
:func:`default_model` gives a response model holding only the values a test cares about, the
others as Billecta writes a value it never set.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from billecta_async._wire._base import BillectaEnum, FieldSpec, ListOf, Model, field_specs

__all__ = ["EMPTY_GUID", "default_model", "dotnet_default", "sample_list", "sample_model"]

M = TypeVar("M", bound=Model)

EMPTY_GUID = "00000000-0000-0000-0000-000000000000"
""".NET's ``Guid.Empty``: what Billecta writes for a guid it never set."""

_DOTNET_DEFAULTS: dict[str, object] = {
    "guid": EMPTY_GUID,
    "int": 0,
    "long": 0,
    "double": 0.0,
    "boolean": False,
}


def dotnet_default(spec: FieldSpec) -> Any:
    """What Billecta writes for a value it always returns but never set: .NET's default (false,
    0, the empty guid, the enum member with code 0). ``None`` for a string (a reference)."""
    if spec.kind == "enum":
        members: list[BillectaEnum] = list(spec.ref)
        return next((member for member in members if member.code == 0), members[0])
    return _DOTNET_DEFAULTS.get(spec.kind)


def default_model(cls: type[M], /, **values: Any) -> M:
    """An instance of the model ``cls`` holding ``values``; each field Billecta always returns
    (``always`` in its metadata) that ``values`` leaves out holds :func:`dotnet_default`.

    For answers a test makes up, e.g. ``default_model(InvoiceAction, action_public_id=...)``:
    decoding them in either format gives back the same model. A string that Billecta always
    returns (``Created.PublicId``) has no default and must be given.
    """
    for spec in field_specs(cls):
        if spec.always and spec.attr not in values:
            default = dotnet_default(spec)
            if default is not None:
                values[spec.attr] = default
    return cls(**values)


# Text that exercises escaping in both formats: markup characters, quotes, non-ASCII, CR/LF.
_WORDS = ["Jenny", "Doe", "AB", "&", "<b>", '"q"', "'s", "Malmö", "Åre", "☃", "\r\n", "\t", "1"]
_OFFSETS = [timezone(timedelta(hours=h)) for h in (-5, 0, 1, 2)]


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 4)))


def _guid(rng: random.Random) -> str:
    return "%08x-%04x-%04x-%04x-%012x" % (  # noqa: UP031
        rng.getrandbits(32),
        rng.getrandbits(16),
        rng.getrandbits(16),
        rng.getrandbits(16),
        rng.getrandbits(48),
    )


def _scalar(kind: str, ref: Any, rng: random.Random) -> Any:
    if kind == "string":
        return _text(rng)
    if kind == "guid":
        return _guid(rng)
    if kind == "int":
        return rng.randint(-(2**31), 2**31 - 1)
    if kind == "long":
        return rng.randint(-(2**53), 2**53)
    if kind == "double":
        return rng.choice([0.0, 1.5, -2.25, rng.uniform(-1e6, 1e6)])
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "dateTime":
        base = datetime(2000, 1, 1, tzinfo=timezone.utc)
        moment = base + timedelta(
            seconds=rng.randint(0, 10**9), microseconds=rng.randint(0, 999999)
        )
        return moment.astimezone(rng.choice(_OFFSETS))
    if kind == "base64Binary":
        return rng.randbytes(rng.randint(0, 24))
    if kind == "enum":
        members: list[BillectaEnum] = list(ref)
        return rng.choice(members)
    if kind == "any":
        return _text(rng)
    raise ValueError(f"no sample for kind {kind!r}")


def _value(spec: FieldSpec, rng: random.Random, depth: int, read_only: bool) -> Any:
    if spec.read_only and not read_only and not spec.always:
        return None
    if spec.kind == "model" and depth <= 0:
        return [] if spec.is_list else None

    def make() -> Any:
        if spec.kind == "model":
            return sample_model(
                spec.ref, seed=rng.getrandbits(32), depth=depth - 1, read_only=read_only
            )
        return _scalar(spec.kind, spec.ref, rng)

    if spec.is_list:
        return [make() for _ in range(rng.randint(1, 3))]
    return make()


def sample_model(cls: type[M], *, seed: int = 0, depth: int = 3, read_only: bool = False) -> M:
    """An instance of ``cls`` with every field set, the same for the same ``seed``.

    Nested models are filled ``depth`` levels deep (deeper ones are left unset, which also stops
    recursive types). Read-only fields, which are never sent, stay unset unless ``read_only`` or
    Billecta always returns them.
    """
    rng = random.Random(f"{cls.__name__}:{seed}")
    values = {s.attr: _value(s, rng, depth, read_only) for s in field_specs(cls)}
    return cls(**values)


def sample_list(model: ListOf[Any], *, count: int = 3, seed: int = 0, depth: int = 3) -> list[Any]:
    """A list of ``count`` sample items for the list model ``model`` (e.g. ``Debtors``)."""
    rng = random.Random(f"{model.wire_name}:{seed}")
    if model.kind == "model":
        return [
            sample_model(model.item_type, seed=rng.getrandbits(32), depth=depth)
            for _ in range(count)
        ]
    return [_scalar(model.kind, model.item_type, rng) for _ in range(count)]
