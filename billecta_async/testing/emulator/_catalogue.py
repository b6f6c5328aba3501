"""The endpoints the emulator serves, read from the SDK's own resource modules.

Every documented endpoint is a resource method calling ``self._request("GET", "/v1/...",
response=m.X, body=..., body_model=m.Y)``. Reading those calls (with :mod:`ast`, once, at start)
gives the emulator each endpoint's request and response model without a second catalogue to
keep in sync: a stateful handler or, failing that, a valid sample of the documented response.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from billecta_async import models as m
from billecta_async import resources

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


def _model_ref(node: ast.expr | None) -> Any:
    """``m.Debtor`` -> the model class (or ListOf); ``bytes`` -> bytes; anything else None."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "m"
    ):
        return getattr(m, node.attr)
    if isinstance(node, ast.Name) and node.id == "bytes":
        return bytes
    return None


def _annotation_model(text: str | None) -> Any:
    """The model class named by a body parameter's annotation (``'m.Debtor'``)."""
    if text and text.startswith("m.") and text[2:].isidentifier():
        return getattr(m, text[2:])
    return None


def _decorated_params(fn: ast.AsyncFunctionDef) -> dict[tuple[str, str], dict[str, str]]:
    """``@endpoint(method, path, params={...})`` of a method: its parameter name maps."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for decorator in fn.decorator_list:
        if not (isinstance(decorator, ast.Call) and len(decorator.args) >= 2):
            continue
        method, path = (ast.literal_eval(a) for a in decorator.args[:2])
        params: dict[str, str] = {}
        for keyword in decorator.keywords:
            if keyword.arg == "params":
                params = ast.literal_eval(keyword.value)
        found.setdefault((method, path), {}).update(params)
    return found


def _scan(module: Any) -> list[EndpointInfo]:
    tree = ast.parse(inspect.getsource(module))
    found: list[EndpointInfo] = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.AsyncFunctionDef):
            continue
        params = _decorated_params(fn)
        annotations = {
            arg.arg: ast.unparse(arg.annotation) if arg.annotation else None
            for arg in (*fn.args.args, *fn.args.kwonlyargs)
        }
        for call in ast.walk(fn):
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "_request"
                and len(call.args) >= 2
                and all(isinstance(a, ast.Constant) for a in call.args[:2])
            ):
                continue
            method, path = (a.value for a in call.args[:2])  # type: ignore[attr-defined]
            keywords = {k.arg: k.value for k in call.keywords}
            body: Any = _model_ref(keywords.get("body_model"))
            body_node = keywords.get("body")
            if body is None and isinstance(body_node, ast.Name):
                body = _annotation_model(annotations.get(body_node.id))
            response = _model_ref(keywords.get("response"))
            found.append(EndpointInfo(method, path, body, response, params.get((method, path), {})))
    return found


@functools.lru_cache(maxsize=1)
def endpoint_table() -> dict[tuple[str, str], EndpointInfo]:
    """Every endpoint the SDK implements, keyed by (method, path template)."""
    table: dict[tuple[str, str], EndpointInfo] = {}
    for info in pkgutil.iter_modules(resources.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{resources.__name__}.{info.name}")
        for endpoint in _scan(module):
            known = table.get(endpoint.key)
            if known is None:
                table[endpoint.key] = endpoint
            else:  # one path documented twice with other query parameters
                merged = {**known.params, **endpoint.params}
                table[endpoint.key] = EndpointInfo(
                    known.method, known.path, known.body, known.response, merged
                )
    return table
