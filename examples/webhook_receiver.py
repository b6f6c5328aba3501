"""A webhook receiver: Billecta's events, typed, each processed once.

    BILLECTA_WEBHOOK_SECRET=s3cret python examples/webhook_receiver.py --port 8080

It listens on 127.0.0.1 unless told otherwise (--host). Serve it behind your HTTPS reverse
proxy, so that the secret never travels in clear, and give Billecta (Settings -> Integration in
its portal) the URL https://your-host/billecta/webhooks with the custom header
"X-Webhook-Secret: s3cret".
The local emulator posts its events the same way:
BillectaEmulator(webhook_url="http://127.0.0.1:8080/billecta/webhooks",
webhook_headers={"X-Webhook-Secret": "s3cret"}).
"""

from __future__ import annotations

import argparse
import os

from aiohttp import web

from billecta_async.models import Debtor, IncomingPayment, InvoiceAction
from billecta_async.webhooks import (
    InMemoryDeduplicator,
    WebhookDelivery,
    WebhookEventType,
    aiohttp_webhook_handler,
)

Event = WebhookEventType


async def on_event(event: WebhookDelivery) -> None:
    """Called once per event (a redelivery of a processed event is answered without calling
    it); raising makes Billecta deliver the event again later."""
    kind = event.event_type
    if kind is Event.INVOICE_PAYMENT_RECEIVED:
        payment = event.data_as(IncomingPayment)
        amount = payment.amount.to_decimal() if payment.amount else "?"
        print(f"payment of {amount} received for invoice {payment.invoice_number}", flush=True)
    elif kind in (Event.INVOICE_ACTION_ATTESTED, Event.INVOICE_ACTION_PAID):
        invoice = event.data_as(InvoiceAction)
        print(f"{kind.value}: invoice {invoice.invoice_number}", flush=True)
    elif kind is Event.DEBTOR_CREATED:
        print(f"debtor created: {event.data_as(Debtor).name}", flush=True)
    elif kind is Event.AUTOGIRO_WITHDRAWAL_FAILED_ON_INVOICE:
        invoice = event.data_as(InvoiceAction)
        print(f"autogiro failed on {invoice.invoice_number}: {event.additional_data}", flush=True)
    elif not kind.is_known:  # an event this version of the SDK does not know yet
        print(f"unknown event {kind.value}", flush=True)
    else:
        print(f"{kind.value}", flush=True)


def create_app(secret: str) -> web.Application:
    handler = aiohttp_webhook_handler(on_event, dedup=InMemoryDeduplicator(), shared_secret=secret)
    app = web.Application()
    app.router.add_post("/billecta/webhooks", handler)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only: for Billecta to "
        "reach it, serve it behind your HTTPS reverse proxy or listen on 0.0.0.0)",
    )
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    args = parser.parse_args()
    secret = os.environ.get("BILLECTA_WEBHOOK_SECRET")
    if not secret:
        parser.error("set BILLECTA_WEBHOOK_SECRET: the secret Billecta sends in X-Webhook-Secret")
    web.run_app(create_app(secret), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
