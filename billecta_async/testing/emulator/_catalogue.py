"""The endpoints the emulator serves, read from the SDK's runtime catalogue.

``billecta_async/_catalogue.json`` (package data, generated with the SDK's resources) gives each
documented endpoint's request and response model, so the emulator needs no second list to keep
in sync: each endpoint gets a stateful handler or, failing that, a valid sample of its documented
response.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from billecta_async._catalogue import catalogue

__all__ = ["EndpointInfo", "endpoint_table"]


@dataclass(frozen=True)
class EndpointInfo:
    """One documented endpoint: how its body and its answer travel."""

    method: str
    path: str
    body: Any  # a model class, a ListOf, or None
    response: Any  # a model class, a ListOf, ``bytes`` or None
    params: Mapping[str, str] = field(default_factory=dict)  # wire name -> SDK argument name

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)


@functools.lru_cache(maxsize=1)
def endpoint_table() -> dict[tuple[str, str], EndpointInfo]:
    """Every endpoint the SDK implements, keyed by (method, path template).

    A path documented twice with other query parameters and implemented by two methods (e.g. a
    listing and a lookup by code) is one endpoint here: the first method's models, the
    parameters of both.
    """
    table: dict[tuple[str, str], EndpointInfo] = {}
    for operation in catalogue().operations:
        known = table.get(operation.key)
        if known is None:
            table[operation.key] = EndpointInfo(
                operation.method,
                operation.path,
                operation.body_model(),
                operation.response_model(),
                operation.params,
            )
        else:
            merged = {**known.params, **operation.params}
            table[operation.key] = EndpointInfo(
                known.method, known.path, known.body, known.response, merged
            )
    return table
