"""Skipping redeliveries: Billecta retries a delivery it saw fail, so an event can arrive twice,
and with several workers two deliveries of one event can arrive at the same time.

The receivers *claim* an event's identity before calling your callback. Only one claim of an
identity is held at a time: a delivery arriving while another worker holds the claim is
answered 409 (Conflict), which Billecta treats like any answer other than 2xx, as a failed
delivery to retry on its schedule (5 minutes, 60 minutes, 3 hours, 24 hours later). By then the
first worker has finished: after its callback succeeded the identity is remembered as
processed (the redelivery gets 200 without calling you), after it failed the claim is
released (the redelivery is processed).
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from typing import Protocol, runtime_checkable

__all__ = ["ClaimRefused", "EventClaim", "InMemoryDeduplicator", "WebhookDeduplicator"]


class ClaimRefused(enum.Enum):
    """Why :meth:`WebhookDeduplicator.claim` did not give the event to this delivery."""

    PROCESSED = "processed"
    """The event was processed: answer 200 without calling the callback."""

    IN_PROGRESS = "in progress"
    """Another delivery holds the claim: answer 409 so that Billecta delivers it again later."""


@runtime_checkable
class EventClaim(Protocol):
    """An event claimed for processing; exactly one of the two methods is called, once."""

    async def complete(self) -> None:
        """The callback succeeded: remember the event as processed (for at least 28 hours,
        Billecta's retry schedule) and end the claim."""
        ...

    async def release(self) -> None:
        """The callback failed: end the claim without remembering the event."""
        ...


@runtime_checkable
class WebhookDeduplicator(Protocol):
    """Where events (``WebhookDelivery.identity``) are claimed and remembered.

    :class:`InMemoryDeduplicator` serves one process; ``billecta_async.redis.RedisDeduplicator``
    serves several. Another store (a database table) needs an atomic claim, a lease after
    which the claim of a worker that died runs out, and at least 28 hours of memory.
    """

    async def claim(self, identity: str) -> EventClaim | ClaimRefused:
        """Take the event with this identity for processing, or say why not."""
        ...


class InMemoryDeduplicator:
    """A :class:`WebhookDeduplicator` in this process's memory, remembering the ``max_size``
    most recently processed identities (the oldest are forgotten first). Claims are atomic
    among the tasks of the process. It does not survive a restart and is not shared between
    processes.
    """

    def __init__(self, max_size: int = 10_000) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.max_size = max_size
        self._processed: OrderedDict[str, None] = OrderedDict()
        self._claimed: dict[str, _InMemoryClaim] = {}

    def __len__(self) -> int:
        """How many processed identities are remembered."""
        return len(self._processed)

    def __contains__(self, identity: object) -> bool:
        """Whether ``identity`` is remembered as processed."""
        return identity in self._processed

    async def claim(self, identity: str) -> EventClaim | ClaimRefused:
        if identity in self._processed:
            return ClaimRefused.PROCESSED
        if identity in self._claimed:
            return ClaimRefused.IN_PROGRESS
        claim = self._claimed[identity] = _InMemoryClaim(self, identity)
        return claim

    def _end(self, claim: _InMemoryClaim, processed: bool) -> None:
        if self._claimed.get(claim.identity) is claim:
            del self._claimed[claim.identity]
        if processed:
            self._processed[claim.identity] = None
            self._processed.move_to_end(claim.identity)
            while len(self._processed) > self.max_size:
                self._processed.popitem(last=False)


class _InMemoryClaim:
    __slots__ = ("_dedup", "_done", "identity")

    def __init__(self, dedup: InMemoryDeduplicator, identity: str) -> None:
        self._dedup = dedup
        self.identity = identity
        self._done = False

    async def complete(self) -> None:
        if not self._done:
            self._done = True
            self._dedup._end(self, processed=True)

    async def release(self) -> None:
        if not self._done:
            self._done = True
            self._dedup._end(self, processed=False)
