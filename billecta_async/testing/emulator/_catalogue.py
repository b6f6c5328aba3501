"""The endpoints the emulator serves, read from the SDK's runtime catalogue.

``billecta_async/_catalogue.json`` (package data, generated with the SDK's resources) gives each
documented endpoint's request and response model, so the emulator needs no second list to keep
in sync: each endpoint gets a stateful handler or, failing that, a valid sample of its documented
response.

A path can be documented twice with other query parameters, each form with its own answer (a
listing of payment means, and one payment mean by ``paymentmeancode``). Such an endpoint keeps
both forms, and each request is answered as the form its query parameters select.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from billecta_async._catalogue import Operation, catalogue

__all__ = ["EndpointForm", "EndpointInfo", "endpoint_table"]


@dataclass(frozen=True)
class EndpointForm:
    """One documented form of an endpoint: the SDK method sending it and what it answers."""

    operation: str  # the SDK method, ``resource.name``
    query: frozenset[str]  # its documented query parameters (lower-case)
    params: Mapping[str, str]  # documented parameter name -> SDK argument name
    response: Any  # a model class, a ListOf, ``bytes`` or None

    @classmethod
    def of(cls, operation: Operation) -> EndpointForm:
        query = frozenset(
            a.wire.lower() for a in operation.args if a.location == "query" and a.wire is not None
        )
        return cls(
            f"{operation.resource}.{operation.name}",
            query,
            operation.params,
            operation.response_model(),
        )


@dataclass(frozen=True)
class EndpointInfo:
    """One documented endpoint (verb and path template) and its documented forms."""

    method: str
    path: str
    body: Any  # a model class, a ListOf, or None (the same for every form)
    forms: tuple[EndpointForm, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    def form(self, query_names: Iterable[str]) -> EndpointForm:
        """The form a request with these query parameters is sent as.

        The form whose documented query parameters include every documented one present, the
        one with the fewest parameters among several (``GET /v1/accounting/paymentmeans/{id}``
        lists, ``...?paymentmeancode=BG`` gets one). Undocumented parameters are ignored.
        """
        if len(self.forms) == 1:
            return self.forms[0]
        documented = frozenset().union(*(f.query for f in self.forms))
        present = {name.lower() for name in query_names} & documented
        fitting = [f for f in self.forms if present <= f.query] or list(self.forms)
        return min(fitting, key=lambda f: len(f.query))


@functools.lru_cache(maxsize=1)
def endpoint_table() -> dict[tuple[str, str], EndpointInfo]:
    """Every endpoint the SDK implements, keyed by (method, path template).

    A path documented twice and implemented by two methods (a listing and a lookup by code) is
    one endpoint with two forms, each with its own parameters and answer.
    """
    table: dict[tuple[str, str], EndpointInfo] = {}
    for operation in catalogue().operations:
        form = EndpointForm.of(operation)
        known = table.get(operation.key)
        if known is None:
            table[operation.key] = EndpointInfo(
                operation.method, operation.path, operation.body_model(), (form,)
            )
            continue
        if known.body is not operation.body_model():
            raise ValueError(f"{operation.method} {operation.path}: two forms with other bodies")
        table[operation.key] = EndpointInfo(
            known.method, known.path, known.body, (*known.forms, form)
        )
    return table
