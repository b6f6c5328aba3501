"""Skipping redeliveries: Billecta retries a delivery it saw fail, so an event can arrive twice.

The receivers ask :meth:`WebhookDeduplicator.seen` before calling your callback and call
:meth:`WebhookDeduplicator.remember` only after it succeeded, so an event whose callback failed
is processed again when Billecta redelivers it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

__all__ = ["InMemoryDeduplicator", "WebhookDeduplicator"]


class WebhookDeduplicator(Protocol):
    """Where the identities of processed events are kept (``WebhookDelivery.identity``).

    Implement it over a shared store (a database table, Redis) when several processes receive
    webhooks, and keep identities for longer than Billecta's retry window (about 28 hours).
    """

    async def seen(self, identity: str) -> bool:
        """Whether the event with this identity was already processed."""
        ...

    async def remember(self, identity: str) -> None:
        """Record that the event with this identity was processed."""
        ...


class InMemoryDeduplicator:
    """A :class:`WebhookDeduplicator` in this process's memory, holding the ``max_size`` most
    recently remembered identities (the oldest are forgotten first). It does not survive a
    restart and is not shared between processes.
    """

    def __init__(self, max_size: int = 10_000) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.max_size = max_size
        self._identities: OrderedDict[str, None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._identities)

    async def seen(self, identity: str) -> bool:
        """Whether ``identity`` is among the remembered ones."""
        return identity in self._identities

    async def remember(self, identity: str) -> None:
        """Remember ``identity``, forgetting the oldest one when full."""
        self._identities[identity] = None
        self._identities.move_to_end(identity)
        while len(self._identities) > self.max_size:
            self._identities.popitem(last=False)
