"""The webhook receiver as an aiohttp.web request handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from billecta_async.webhooks._dedup import WebhookDeduplicator
from billecta_async.webhooks._receiver import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_SECRET_HEADER,
    WebhookCallback,
    WebhookReceiver,
)

__all__ = ["aiohttp_webhook_handler"]

_CHUNK = 64 * 1024


def aiohttp_webhook_handler(
    callback: WebhookCallback,
    *,
    dedup: WebhookDeduplicator | None = None,
    shared_secret: str | None = None,
    secret_header: str = DEFAULT_SECRET_HEADER,
    basic_auth: tuple[str, str] | None = None,
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp.web handler receiving Billecta's webhooks: ``app.router.add_post(path, it)``.

    It behaves exactly like :class:`WebhookApp` (same answers and options). Route it with
    ``add_route("*", ...)`` to have it answer other methods with 405 itself.
    """
    receiver = WebhookReceiver(
        callback,
        dedup=dedup,
        shared_secret=shared_secret,
        secret_header=secret_header,
        basic_auth=basic_auth,
        max_body_size=max_body_size,
    )

    async def handle_webhook(request: web.Request) -> web.Response:
        headers = {name.lower(): value for name, value in request.headers.items()}
        body = request.content.iter_chunked(_CHUNK)
        reply = await receiver.handle(request.method, headers, request.query, body)
        return web.Response(status=reply.status, text=reply.text, headers=dict(reply.headers))

    return handle_webhook
