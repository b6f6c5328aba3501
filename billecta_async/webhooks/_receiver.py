"""Handling one webhook request, whatever the web framework: the core both front-ends share.

The answer tells Billecta whether to redeliver: only a 2xx is a success, and Billecta retries
anything else four times (after 5 minutes, 60 minutes, 3 hours and 24 hours). So the receiver
answers 200 only after the callback succeeded (or for an event already processed), 500 when
the callback raised, and 409 when another delivery of the event is being processed (see
:mod:`billecta_async.webhooks._dedup`). A request that is not a webhook at all gets a 4xx.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hmac
import logging
from collections.abc import AsyncIterable, Awaitable, Callable, Mapping

from billecta_async._exceptions import WebhookError
from billecta_async.webhooks._dedup import ClaimRefused, EventClaim, WebhookDeduplicator
from billecta_async.webhooks._payload import WebhookDelivery, parse_webhook

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_SECRET_HEADER",
    "SECRET_QUERY_PARAMETER",
    "Reply",
    "WebhookCallback",
    "WebhookReceiver",
]

logger = logging.getLogger("billecta_async.webhooks")

WebhookCallback = Callable[[WebhookDelivery], Awaitable[object]]
"""An async function called with each delivery; raising makes Billecta redeliver it later."""

DEFAULT_MAX_BODY_SIZE = 8 * 1024 * 1024
"""Largest body accepted by default (8 MiB: an event can carry files, base64-encoded)."""

DEFAULT_SECRET_HEADER = "X-Webhook-Secret"
"""The request header that carries the shared secret, unless another name is configured."""

SECRET_QUERY_PARAMETER = "secret"
"""The query parameter that may carry the shared secret instead (``...?secret=...``)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    """The answer to send: status, a short plain-text body and extra headers."""

    status: int
    text: str
    headers: tuple[tuple[str, str], ...] = ()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


class WebhookReceiver:
    """Checks, parses and dispatches one request; see :class:`~billecta_async.webhooks.WebhookApp`
    for the options.
    """

    def __init__(
        self,
        callback: WebhookCallback,
        *,
        dedup: WebhookDeduplicator | None = None,
        shared_secret: str | None = None,
        secret_header: str = DEFAULT_SECRET_HEADER,
        basic_auth: tuple[str, str] | None = None,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        if shared_secret == "":
            raise ValueError("shared_secret must not be empty (pass None for no secret)")
        if max_body_size < 1:
            raise ValueError("max_body_size must be positive")
        if dedup is not None and not isinstance(dedup, WebhookDeduplicator):
            # e.g. a store written for the seen()/remember() protocol of earlier releases,
            # which would otherwise fail every delivery with a 500
            raise TypeError(
                f"dedup must be a WebhookDeduplicator with an async claim(identity) method "
                f"(got {type(dedup).__name__})"
            )
        self.callback = callback
        self.dedup = dedup
        self.shared_secret = shared_secret
        self.secret_header = secret_header.lower()
        self.basic_auth = basic_auth
        self.max_body_size = max_body_size

    def _has_secret(self, headers: Mapping[str, str], query: Mapping[str, str]) -> bool:
        if self.shared_secret is None:
            return True
        given = headers.get(self.secret_header)
        if given is None:
            given = query.get(SECRET_QUERY_PARAMETER)
        return given is not None and _same(given, self.shared_secret)

    def _has_basic_auth(self, headers: Mapping[str, str]) -> bool:
        if self.basic_auth is None:
            return True
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        expected_user, expected_password = self.basic_auth
        user_ok = _same(user, expected_user)
        password_ok = _same(password, expected_password)
        return bool(sep) and user_ok and password_ok

    async def handle(
        self,
        method: str,
        headers: Mapping[str, str],
        query: Mapping[str, str],
        body_chunks: AsyncIterable[bytes],
    ) -> Reply:
        """The answer to one request; ``headers`` has lower-case names, ``body_chunks`` yields
        the request body (read only up to ``max_body_size`` bytes).
        """
        if method.upper() != "POST":
            return Reply(405, "Method Not Allowed: webhooks are POSTed", (("Allow", "POST"),))
        if not (self._has_secret(headers, query) and self._has_basic_auth(headers)):
            challenge = (("WWW-Authenticate", 'Basic realm="billecta-webhooks"'),)
            return Reply(401, "Unauthorized", challenge if self.basic_auth else ())
        too_large = Reply(413, f"Payload Too Large: at most {self.max_body_size} bytes")
        declared = headers.get("content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                return Reply(400, "Bad Request: invalid Content-Length")
            if length > self.max_body_size:
                return too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in body_chunks:
            size += len(chunk)
            if size > self.max_body_size:
                return too_large
            chunks.append(chunk)
        try:
            delivery = parse_webhook(b"".join(chunks), headers.get("content-type"))
        except WebhookError as exc:
            logger.warning("rejected a webhook request: %s", exc)
            return Reply(400, f"Bad Request: {exc}")
        return await self._dispatch(delivery)

    async def _dispatch(self, delivery: WebhookDelivery) -> Reply:
        claim: EventClaim | None = None
        if self.dedup is not None:
            try:
                outcome = await self.dedup.claim(delivery.identity)
            except Exception:
                logger.exception(
                    "could not claim webhook event %s; Billecta will redeliver it",
                    delivery.identity,
                )
                return Reply(500, "Internal Server Error: the event was not processed")
            if outcome is ClaimRefused.PROCESSED:
                return Reply(200, "OK (already processed)")
            if outcome is ClaimRefused.IN_PROGRESS:
                return Reply(409, "Conflict: the event is being processed; deliver it later")
            claim = outcome
        try:
            await self.callback(delivery)
        except BaseException as exc:
            if claim is not None:  # not processed (or cancelled midway): a redelivery may be
                await _end(claim.release(), "release the claim of", delivery)
            if not isinstance(exc, Exception):
                raise
            logger.exception(
                "webhook callback failed for %s event %s; Billecta will redeliver it",
                delivery.event_type,
                delivery.identity,
            )
            return Reply(500, "Internal Server Error: the event was not processed")
        if claim is not None:  # processed: answer 200 even if it cannot be remembered
            await _end(claim.complete(), "remember", delivery)
        return Reply(200, "OK")


async def _end(step: Awaitable[None], doing: str, delivery: WebhookDelivery) -> None:
    try:
        await step
    except Exception:
        logger.exception("could not %s webhook event %s", doing, delivery.identity)
