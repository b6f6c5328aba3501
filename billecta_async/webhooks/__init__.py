"""Receiving Billecta's webhooks: typed events, an ASGI app and an aiohttp handler.

Billecta POSTs one event per request to the URL set up under the portal's integration settings
(for all creditors), and retries a failed delivery four times: after 5 minutes, 60 minutes,
3 hours and 24 hours. The receivers answer 200 only once your callback has succeeded.

    from billecta_async.webhooks import InMemoryDeduplicator, WebhookApp, WebhookEventType

    async def on_event(event):
        if event.event_type is WebhookEventType.INVOICE_ACTION_PAID:
            print(event.data.invoice_number)

    app = WebhookApp(on_event, dedup=InMemoryDeduplicator(), shared_secret="...")
"""

import typing as _typing

from billecta_async._exceptions import WebhookError
from billecta_async.webhooks._asgi import WebhookApp
from billecta_async.webhooks._dedup import InMemoryDeduplicator, WebhookDeduplicator
from billecta_async.webhooks._events import (
    WEBHOOK_PAYLOAD_TYPES,
    PayloadType,
    WebhookEventType,
    WebhookPayloadTypes,
)
from billecta_async.webhooks._payload import (
    WEBHOOK_CONTENT_TYPES,
    WebhookDelivery,
    encode_webhook,
    parse_webhook,
)
from billecta_async.webhooks._receiver import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_SECRET_HEADER,
    SECRET_QUERY_PARAMETER,
    WebhookCallback,
)

if _typing.TYPE_CHECKING:
    from billecta_async.webhooks._aiohttp import aiohttp_webhook_handler

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_SECRET_HEADER",
    "SECRET_QUERY_PARAMETER",
    "WEBHOOK_CONTENT_TYPES",
    "WEBHOOK_PAYLOAD_TYPES",
    "InMemoryDeduplicator",
    "PayloadType",
    "WebhookApp",
    "WebhookCallback",
    "WebhookDeduplicator",
    "WebhookDelivery",
    "WebhookError",
    "WebhookEventType",
    "WebhookPayloadTypes",
    "aiohttp_webhook_handler",
    "encode_webhook",
    "parse_webhook",
]

# The aiohttp handler loads aiohttp.web on first use: parsing webhooks and the ASGI app do not
# need it. Hidden from type checkers, which see the import above.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name == "aiohttp_webhook_handler":
            from billecta_async.webhooks._aiohttp import aiohttp_webhook_handler

            globals()[name] = aiohttp_webhook_handler
            return aiohttp_webhook_handler
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
