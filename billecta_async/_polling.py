"""Polling a status endpoint until Billecta reports a final status.

BankID authentication and signing, Swish payments and bank account retrievals all start a job
at Billecta and are then followed by polling a status endpoint, once a second as Billecta's
guide advises, until the status is final. :func:`poll` implements that once; the generated
``iter_*_status`` and ``wait_for_*`` methods pass it the status request and what counts as final
(:data:`FINAL`, named by the runtime catalogue).

Every wait is on the client's :class:`~billecta_async.Clock` and every poll is an ordinary
request through the client's transport.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from billecta_async._clock import Clock
from billecta_async._exceptions import ParameterError, PollingTimeoutError
from billecta_async._params import is_seconds
from billecta_async._wire import Model

if TYPE_CHECKING:
    from billecta_async import models as m

__all__ = [
    "BANK_ACCOUNT_FINAL",
    "BANKID_FINAL",
    "DEFAULT_INTERVAL",
    "DEFAULT_TIMEOUT",
    "FINAL",
    "bank_account_final",
    "bankid_final",
    "poll",
    "swish_final",
    "wait",
]

S = TypeVar("S", bound=Model)

DEFAULT_INTERVAL = 1.0
"""Seconds from the start of one poll to the start of the next ("each second is sufficient")."""

DEFAULT_TIMEOUT = 120.0
"""Seconds a ``wait_for_*``/``iter_*_status`` call waits for a final status by default."""

BANKID_FINAL = frozenset({"Complete", "NoClient", "Error"})
"""Final BankID statuses (``BankIdStatusType`` wire names; the models import lazily). Billecta's
guide: Complete means authenticated/signed, NoClient or Error means aborted or failed;
OutstandingTransaction and Started mean "poll again". The other members (UserSign, UserReq) are
steps of a transaction still in progress, so they are polled on too."""

BANK_ACCOUNT_FINAL = frozenset({"Success", "Failed"})
"""Final bank account retrieval statuses (``BankAccountStatusType`` wire names): Success or
Failed ("call until Success or Failed"); Waiting (and Unknown) are polled on."""


def bankid_final(status: m.BankIdAuthenticationStatus | m.BankIdSignStatus) -> bool:
    """Whether a BankID authentication or sign status is final (see :data:`BANKID_FINAL`)."""
    return status.status.value in BANKID_FINAL


def swish_final(status: m.SwishPaymentStatus) -> bool:
    """Whether a Swish payment status is final: Billecta's guide says to keep polling while it
    is Created and that every other status is an outcome (Paid, Declined, Error, ...)."""
    return str(status.status) != "Created"


def bank_account_final(status: m.BankAccountRequest) -> bool:
    """Whether a bank account retrieval is final (see :data:`BANK_ACCOUNT_FINAL`)."""
    return status.status.value in BANK_ACCOUNT_FINAL


FINAL: dict[str, Callable[[Any], bool]] = {
    "bankid": bankid_final,
    "swish": swish_final,
    "bank_account": bank_account_final,
}
"""Whether a status is final, per polling flow (the catalogue's ``poll.final``)."""


def poll(
    fetch: Callable[[], Awaitable[S]],
    *,
    is_final: Callable[[S], bool],
    clock: Clock,
    what: str,
    interval: float = DEFAULT_INTERVAL,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> AsyncIterator[S]:
    """The statuses ``fetch`` returns, polled until one is final.

    The first poll is sent at once, each next one ``interval`` seconds after the *start* of the
    previous one (at once if that poll took longer). A status is yielded when it differs from
    the one before (a repeat of an identical answer is not: any field counts, so a new QR code
    or hint code is yielded); iteration ends after the final status. When no final status has
    arrived ``timeout`` seconds after the first poll (a last poll is sent at that moment),
    :class:`~billecta_async.PollingTimeoutError` is raised with the last status; ``None`` waits
    for ever. The timeout is checked between polls: a poll under way finishes first, bounded by
    the request timeout. Cancelling (e.g. :func:`anyio.move_on_after`) stops at once, also
    mid-request.
    """
    if not is_seconds(interval) or math.isinf(interval):
        raise ParameterError("interval", interval, "expected a number of seconds above 0")
    if timeout is not None and not is_seconds(timeout):
        raise ParameterError("timeout", timeout, "expected a number of seconds above 0, or None")
    return _statuses(fetch, is_final, clock, what, float(interval), timeout)


async def _statuses(
    fetch: Callable[[], Awaitable[S]],
    is_final: Callable[[S], bool],
    clock: Clock,
    what: str,
    interval: float,
    timeout: float | None,
) -> AsyncIterator[S]:
    deadline = math.inf if timeout is None else clock.now() + timeout
    last: S | None = None
    while True:
        started = clock.now()
        status = await fetch()
        if status != last:
            yield status
        last = status
        if is_final(status):
            return
        now = clock.now()
        if now >= deadline:
            raise PollingTimeoutError(what, timeout=float(timeout or 0), last_status=last)
        await clock.sleep(min(started + interval, deadline) - now)


async def wait(statuses: AsyncIterator[S]) -> S:
    """The final status of a :func:`poll` (its last item)."""
    last: S | None = None
    async for status in statuses:
        last = status
    if last is None:  # pragma: no cover - poll always yields at least one status
        raise RuntimeError("the status poll ended without a status")
    return last
