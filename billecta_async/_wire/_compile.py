"""Turning model descriptions into specialised Python functions, once per class.

A generic, metadata-walking binder is 10x slower than the raw parsers it sits on; straight-line
code per model class is close to free. The JSON and XML codecs describe each class's function as
source text; this module compiles all classes reachable from a root in one namespace, so that
mutually recursive models find each other by name at call time.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from billecta_async._wire._base import FieldSpec, field_specs

__all__ = ["CodecCache", "CompiledCodec", "decode_document", "reachable_models"]

# Below this size a document is decoded with the cyclic GC left alone.
GC_PAUSE_THRESHOLD = 256 * 1024

D = TypeVar("D")
R = TypeVar("R")


def decode_document(decode: Callable[[D, Any], R], data: D, model: Any) -> R:
    """``decode(data, model)``, with the cyclic garbage collector paused for a large document.

    Decoding builds trees of acyclic objects, so collections triggered by the allocations find
    nothing to free and only cost time (15-20% of a large decode). The previous state is restored.
    It runs on every decode: the common small document costs one size check.
    """
    size = len(data) if isinstance(data, (bytes, bytearray, str)) else 0
    if size < GC_PAUSE_THRESHOLD or not gc.isenabled():
        return decode(data, model)
    gc.disable()
    try:
        return decode(data, model)
    finally:
        gc.enable()


def reachable_models(root: type, known: Iterable[type] = ()) -> list[type]:
    """``root`` and every model class reachable from it, in a deterministic order."""
    seen = set(known)
    order: list[type] = []
    stack = [root]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        order.append(cls)
        for spec in reversed(field_specs(cls)):
            if spec.kind == "model" and spec.ref not in seen:
                stack.append(spec.ref)
    return order


SourceBuilder = Callable[[type, tuple[FieldSpec, ...], Callable[[type], str], dict[str, Any]], str]


class CodecCache:
    """Per model class, a codec built on first use, with those of the classes it reaches
    (``_build`` fills ``_functions``), once, whichever threads ask."""

    def __init__(self) -> None:
        self._functions: dict[type, Callable[..., Any]] = {}
        self._lock = threading.Lock()

    def get(self, cls: type) -> Callable[..., Any]:
        """The codec of model class ``cls``."""
        fn = self._functions.get(cls)
        if fn is None:
            with self._lock:
                fn = self._functions.get(cls)
                if fn is None:
                    self._build(cls)
                    fn = self._functions[cls]
        return fn

    def _build(self, root: type) -> None:
        raise NotImplementedError


class CompiledCodec(CodecCache):
    """A cache of compiled per-class functions for one direction of one format."""

    def __init__(self, prefix: str, build_source: SourceBuilder, helpers: dict[str, Any]) -> None:
        super().__init__()
        self._prefix = prefix
        self._build_source = build_source
        self._helpers = helpers
        self._names: dict[type, str] = {}

    def _name(self, cls: type) -> str:
        name = self._names.get(cls)
        if name is None:
            name = f"{self._prefix}_{len(self._names)}_{cls.__name__}"
            self._names[cls] = name
        return name

    def _build(self, root: type) -> None:
        todo = reachable_models(root, self._functions)
        namespace: dict[str, Any] = dict(self._helpers)
        for cls, fn in self._functions.items():
            namespace[self._names[cls]] = fn
        chunks = [self._build_source(cls, field_specs(cls), self._name, namespace) for cls in todo]
        code = compile("\n\n".join(chunks), f"<billecta {self._prefix} {root.__name__}>", "exec")
        exec(code, namespace)
        for cls in todo:
            self._functions[cls] = namespace[self._name(cls)]
