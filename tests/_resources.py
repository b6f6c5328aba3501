"""Finding the resource methods of a kind, for tests that check each one."""

from __future__ import annotations

import inspect

import billecta_async.resources as resources
from billecta_async.resources._base import Resource


def resource_methods_with(marker: str) -> list[tuple[type[Resource], str]]:
    """Every ``(class, method name)`` of the resources whose source contains ``marker``."""
    found = []
    for name in resources.__all__:
        cls = getattr(resources, name)
        for attr, fn in vars(cls).items():
            if inspect.isfunction(fn) and marker in inspect.getsource(fn):
                found.append((cls, attr))
    return found
