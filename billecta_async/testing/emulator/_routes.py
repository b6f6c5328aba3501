"""The registry tying emulator handlers to the documented endpoints they implement."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from billecta_async.testing.emulator._http import Call

__all__ = ["Handler", "Routes"]

Handler = Callable[[Call], Awaitable[Any]]


class Routes:
    """One area's handlers, keyed by (method, documented path template)."""

    def __init__(self) -> None:
        self.table: dict[tuple[str, str], Handler] = {}

    def __call__(self, method: str, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            key = (method, path)
            if key in self.table:
                raise ValueError(f"two emulator handlers for {method} {path}")
            self.table[key] = handler
            return handler

        return register
