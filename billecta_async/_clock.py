"""Clocks: the one source of time for rate limits, retries, polling and the emulator.

Everything in the SDK that waits or measures time takes a :class:`Clock`, so tests can run
Billecta's minute-long windows and ten-second BankID flows in milliseconds. The client and the
emulator can share one :class:`ScaledClock` and then agree on what "ten seconds" means.
"""

from __future__ import annotations

import math
import numbers
import time
from typing import Protocol, runtime_checkable

import anyio

__all__ = ["Clock", "ScaledClock", "SystemClock", "finite_seconds"]


def finite_seconds(value: object) -> float | None:
    """``value`` as a float if it is a finite number of seconds above 0 (an int, a float or
    another real number: a Fraction, numpy's numbers; not a bool), else ``None``. What bounds
    a wait (a timeout) or a window (a limit) must be: aiohttp takes 0, a negative number or
    NaN as no timeout at all, and a window that never ends would never free."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return None
    seconds = float(value)
    return seconds if math.isfinite(seconds) and seconds > 0 else None


@runtime_checkable
class Clock(Protocol):
    """A monotonic clock in seconds and a way to sleep on it."""

    def now(self) -> float:
        """Seconds on a monotonic scale (only differences are meaningful)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on this clock's scale (cancellable, like :func:`anyio.sleep`)."""
        ...


class SystemClock:
    """Real time: :func:`time.monotonic` and :func:`anyio.sleep`."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(max(0.0, seconds))

    def __repr__(self) -> str:
        return "SystemClock()"


class ScaledClock:
    """Time running ``factor`` times faster than real time (for tests and demos).

    ``ScaledClock(100)`` makes a ten-second wait last 0.1 s of wall time while :meth:`now`
    reports ten seconds passed. Share one instance between a client and the emulator.
    """

    def __init__(self, factor: float) -> None:
        if not factor > 0:
            raise ValueError(f"ScaledClock factor must be > 0 (got {factor!r})")
        self.factor = float(factor)
        self._origin = time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self._origin) * self.factor

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(max(0.0, seconds) / self.factor)

    def __repr__(self) -> str:
        return f"ScaledClock({self.factor:g})"
