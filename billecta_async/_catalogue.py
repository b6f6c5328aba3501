"""The API surface as data: ``_catalogue.json``, shipped in the package.

``python -m codegen`` writes it from Billecta's endpoint catalogue (``schema/endpoints.json``) and
the SDK's overrides (``schema/endpoints.overrides.json``): every endpoint method with its verb,
path template, arguments (documented name, converter, where each one goes), request and response
model, the documented forms it covers, and its pagination, polling and check markers. The
resources build each request from it (:mod:`billecta_async._resource`), and the emulator and the
tests read it, so all three agree by construction and nothing reads source code (an install
with only bytecode works).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Literal

import orjson

__all__ = ["Arg", "Catalogue", "Operation", "Poll", "ResourceInfo", "catalogue", "model"]

Location = Literal["path", "query", "body"]


def model(name: str) -> Any:
    """The model class (or ``ListOf``) named ``name`` in :mod:`billecta_async.models`."""
    from billecta_async import models

    return getattr(models, name)


@dataclass(frozen=True)
class Arg:
    """One argument of an endpoint method, in signature order."""

    name: str  # the Python argument name
    location: Location
    wire: str | None  # the documented parameter name (None for the body)
    kind: str | None  # the converter of a path or query parameter (see _params.converter)
    model: str | None  # the body's model
    is_list: bool  # the body is a list model (sent from any sequence)
    optional: bool


@dataclass(frozen=True)
class Poll:
    """A status endpoint followed by generated polling helpers."""

    final: str  # which statuses are final (a key of _polling.FINAL)
    what: str  # how errors name the flow ("BankID sign")
    iter: str  # the iter_*_status helper
    wait: str  # the wait_for_* helper


@dataclass(frozen=True)
class Operation:
    """One endpoint method of a resource and the endpoint it sends."""

    resource: str  # the client attribute (``debtors``)
    name: str  # the method
    method: str  # the HTTP verb
    path: str  # the documented path template
    args: tuple[Arg, ...]
    forms: tuple[frozenset[str], ...]  # the documented parameter sets it covers
    response: str | None  # a model name, "bytes", or None (no body)
    response_list: bool
    paginated: bool  # an offset/limit listing
    check: bool  # runs a hand-written check (billecta_async._checks)
    poll: Poll | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def binary(self) -> bool:
        return self.response == "bytes"

    @property
    def params(self) -> dict[str, str]:
        """Documented parameter name -> argument name."""
        return {a.wire: a.name for a in self.args if a.wire is not None}

    @property
    def body(self) -> Arg | None:
        return next((a for a in self.args if a.location == "body"), None)

    def response_model(self) -> Any:
        """What the answer decodes to: a model class, a ``ListOf``, ``bytes`` or ``None``."""
        if self.response is None:
            return None
        if self.binary:
            return bytes
        return model(self.response)

    def body_model(self) -> Any:
        """The request body's model class or ``ListOf`` (``None``: no body)."""
        body = self.body
        return None if body is None or body.model is None else model(body.model)


@dataclass(frozen=True)
class ResourceInfo:
    """One resource class: a client attribute and the reference section it implements."""

    attr: str
    class_name: str
    module: str
    section: str


@dataclass(frozen=True)
class Catalogue:
    resources: tuple[ResourceInfo, ...]
    operations: tuple[Operation, ...]

    @functools.cached_property
    def _by_name(self) -> dict[tuple[str, str], Operation]:
        return {(op.resource, op.name): op for op in self.operations}

    def operation(self, resource: str, name: str) -> Operation:
        """The operation of ``client.<resource>.<name>``."""
        return self._by_name[(resource, name)]


def _arg(data: dict[str, Any]) -> Arg:
    return Arg(
        name=data["name"],
        location=data["in"],
        wire=data.get("wire"),
        kind=data.get("kind"),
        model=data.get("model"),
        is_list=data.get("list", False),
        optional=data["optional"],
    )


def _operation(data: dict[str, Any]) -> Operation:
    response = data["response"]
    poll = data["poll"]
    return Operation(
        resource=data["resource"],
        name=data["name"],
        method=data["method"],
        path=data["path"],
        args=tuple(_arg(a) for a in data["args"]),
        forms=tuple(frozenset(form) for form in data["forms"]),
        response=None
        if response is None
        else "bytes"
        if response.get("bytes")
        else response["model"],
        response_list=bool(response and response.get("list")),
        paginated=data["paginated"],
        check=data["check"],
        poll=None
        if poll is None
        else Poll(poll["final"], poll["what"], poll["iter"], poll["wait"]),
    )


@functools.cache
def catalogue() -> Catalogue:
    """The catalogue shipped with the package (read once)."""
    data = orjson.loads(files("billecta_async").joinpath("_catalogue.json").read_bytes())
    return Catalogue(
        resources=tuple(
            ResourceInfo(r["attr"], r["class"], r["module"], r["section"])
            for r in data["resources"]
        ),
        operations=tuple(_operation(op) for op in data["operations"]),
    )
