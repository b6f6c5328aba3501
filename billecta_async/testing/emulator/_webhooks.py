"""Posting webhook events to a configured URL, with Billecta's retry schedule.

Billecta retries a failed delivery four times: after 5 minutes, 60 minutes, 3 hours and 24
hours; after the fifth failure it gives up (and e-mails the administrators). The emulator waits
on its clock, so a ``ScaledClock`` shortens the schedule for tests. A delivery succeeds on any
2xx answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import aiohttp

from billecta_async._clock import Clock
from billecta_async.testing.emulator._state import WebhookRecord
from billecta_async.webhooks import WEBHOOK_CONTENT_TYPES, encode_webhook

__all__ = ["RETRY_DELAYS", "WebhookAttempt", "WebhookSender"]

logger = logging.getLogger("billecta_async.testing.emulator")

#: Seconds before each retry after a failed delivery (Billecta's documented schedule).
RETRY_DELAYS: tuple[float, ...] = (5 * 60.0, 60 * 60.0, 3 * 3600.0, 24 * 3600.0)


@dataclass
class WebhookAttempt:
    """One POST of one event: its number (1 = first delivery) and what came of it."""

    event_type: str
    attempt: int
    status: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class WebhookSender:
    """Delivers each recorded event to ``url`` in the background, retrying on failure."""

    url: str
    clock: Clock
    format: Literal["json", "xml"] = "json"
    headers: Mapping[str, str] = field(default_factory=dict)
    retry_delays: Sequence[float] = RETRY_DELAYS
    attempts: list[WebhookAttempt] = field(default_factory=list)
    failed: list[WebhookRecord] = field(default_factory=list)
    _session: aiohttp.ClientSession | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def __call__(self, record: WebhookRecord) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(record))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, record: WebhookRecord) -> None:
        body = encode_webhook(
            record.event_type,
            record.data,
            creditor_public_id=record.creditor_public_id or "",
            additional_data=record.additional_data,
            format=self.format,
        )
        headers = {**self.headers, "Content-Type": WEBHOOK_CONTENT_TYPES[self.format]}
        for attempt, delay in enumerate([0.0, *self.retry_delays], start=1):
            if delay:
                await self.clock.sleep(delay)
            outcome = WebhookAttempt(record.event_type, attempt, None)
            try:
                if self._session is None:
                    self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
                async with self._session.post(self.url, data=body, headers=headers) as answer:
                    await answer.read()
                    outcome.status = answer.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                outcome.error = f"{type(exc).__name__}: {exc}"
            self.attempts.append(outcome)
            if outcome.ok:
                return
        logger.warning("webhook %s not delivered after %d tries", record.event_type, attempt)
        self.failed.append(record)

    async def drain(self) -> None:
        """Wait until every delivery started so far has succeeded or given up."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        session, self._session = self._session, None
        if session is not None:
            await session.close()
