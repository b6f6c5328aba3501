"""The webhook receiver as a plain ASGI 3 application (no framework needed)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from billecta_async.webhooks._dedup import WebhookDeduplicator
from billecta_async.webhooks._receiver import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_SECRET_HEADER,
    WebhookCallback,
    WebhookReceiver,
)

__all__ = ["WebhookApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _Disconnected(Exception):
    """The client went away before sending the whole body."""


class WebhookApp:
    """An ASGI application receiving Billecta's webhooks; mount it in any ASGI framework.

    Each POST is parsed into a :class:`WebhookDelivery` and passed to ``await callback(delivery)``.
    The answer is 200 once the callback returned, 500 when it raised (Billecta then redelivers
    the event later), 400 for a body that is not a webhook, 401 when authentication fails, 405
    for another method and 413 for a body over ``max_body_size`` bytes. Any path is accepted.

    - ``dedup``: a :class:`WebhookDeduplicator`; the event is claimed before the callback is
      called and remembered only after it succeeded. A processed event is answered 200 without
      calling the callback, and one being processed by another delivery 409 (Billecta retries).
    - ``shared_secret``: required in the ``secret_header`` request header (a custom header of
      the webhook setting) or, when only a URL can be configured, in the ``secret`` query
      parameter of the webhook URL. Compared in constant time.
    - ``basic_auth``: ``(user, password)`` required as HTTP Basic authentication.
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
        self.receiver = WebhookReceiver(
            callback,
            dedup=dedup,
            shared_secret=shared_secret,
            secret_header=secret_header,
            basic_auth=basic_auth,
            max_body_size=max_body_size,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI 3 entry point."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise RuntimeError(f"WebhookApp only serves HTTP, not {scope['type']!r}")
        headers = {  # values decoded as aiohttp does, so both front-ends see the same text
            name.decode("latin-1").lower(): value.decode("utf-8", "surrogateescape")
            for name, value in scope.get("headers", ())
        }
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        try:
            reply = await self.receiver.handle(scope["method"], headers, query, _body(receive))
        except _Disconnected:
            return
        body = reply.text.encode("utf-8")
        response_headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode("ascii")),
        ]
        response_headers += [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in reply.headers
        ]
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": response_headers}
        )
        await send({"type": "http.response.body", "body": body})


async def _body(receive: Receive) -> AsyncIterator[bytes]:
    """The chunks of the request body, as the ``http.request`` messages bring them."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
