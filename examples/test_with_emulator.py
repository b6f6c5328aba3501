"""Testing code that calls Billecta against the local emulator, with pytest.

    pip install billecta-async pytest pytest-asyncio
    pytest examples/test_with_emulator.py

The tests use pytest-asyncio in auto mode: in your pyproject.toml,

    [tool.pytest.ini_options]
    asyncio_mode = "auto"
    asyncio_default_fixture_loop_scope = "function"

(this repository's pyproject.toml sets it). The fixtures billecta_emulator, billecta_client,
billecta_format and billecta_clock come with the SDK's pytest plugin.
"""

from __future__ import annotations

import pytest

from billecta_async import AlreadyProcessedError, BillectaClient, ScaledClock
from billecta_async.models import (
    Amount,
    BankIdAuthenticationRequest,
    BankIdStatusType,
    Debtor,
    InvoiceActionEntry,
    InvoiceActionRecord,
    InvoiceActionStageType,
    RegisterPayment,
)
from billecta_async.testing import BillectaEmulator


async def send_invoice(client: BillectaClient, creditor: str, name: str, price: int) -> str:
    """The code under test: invoice ``name`` one sofa at ``price`` öre; the invoice's id."""
    debtor = await client.debtors.create(Debtor(creditor_public_id=creditor, name=name))
    sofa = InvoiceActionRecord(
        article_description="Sofa",
        quantity=1.0,
        unit_price=Amount(currency_code="SEK", value=price),
    )
    created = await client.invoices.create(
        InvoiceActionEntry(
            creditor_public_id=creditor, debtor_public_id=debtor.public_id, records=[sofa]
        )
    )
    await client.invoices.attest(created.public_id)
    return created.public_id


@pytest.mark.parametrize("billecta_format", ["json", "xml"])
async def test_an_invoice_is_sent_and_paid(
    billecta_client: BillectaClient, billecta_emulator: BillectaEmulator
) -> None:
    creditor = billecta_emulator.creditor_public_id
    invoice_id = await send_invoice(billecta_client, creditor, "Jenny Doe", 50034)
    invoice = await billecta_client.invoices.get(invoice_id)
    assert invoice.invoice_number and invoice.current_amount == Amount(
        currency_code="SEK", value=50034
    )
    await billecta_client.invoices.register_payment(
        RegisterPayment(action_public_id=invoice_id, amount=invoice.current_amount)
    )
    paid = await billecta_client.invoices.get(invoice_id)
    assert paid.state is not None and paid.state.stage is InvoiceActionStageType.COMPLETED


async def test_a_lost_answer_never_makes_a_second_debtor(
    billecta_client: BillectaClient, billecta_emulator: BillectaEmulator
) -> None:
    creditor = billecta_emulator.creditor_public_id
    billecta_emulator.inject_fault("POST", "/v1/debtors/debtor", "drop_after")
    with pytest.raises(AlreadyProcessedError):
        await billecta_client.debtors.create(Debtor(creditor_public_id=creditor, name="Jenny"))
    assert [debtor.name for debtor in await billecta_client.debtors.list(creditor)] == ["Jenny"]


async def test_bankid_on_a_fast_clock() -> None:
    emulator = BillectaEmulator(clock=ScaledClock(1000))  # ten seconds last a hundredth
    async with emulator, emulator.client() as client:  # the client shares the emulator's clock
        started = await client.bankid.create_authentication_request(
            BankIdAuthenticationRequest(
                creditor_public_id=emulator.creditor_public_id, ssn="197001239297"
            )
        )
        assert started.reference_token is not None
        final = await client.bankid.wait_for_authentication(started.reference_token)
    assert final.status is BankIdStatusType.ERROR  # the test number that fails


async def test_webhooks_reach_the_receiver(unused_tcp_port: int) -> None:
    from aiohttp import web

    from billecta_async.webhooks import WebhookDelivery, aiohttp_webhook_handler

    received: list[str] = []

    async def on_event(event: WebhookDelivery) -> None:
        received.append(event.event_type.value)

    app = web.Application()
    app.router.add_post("/hooks", aiohttp_webhook_handler(on_event, shared_secret="s3cret"))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    try:
        async with BillectaEmulator(
            webhook_url=f"http://127.0.0.1:{unused_tcp_port}/hooks",
            webhook_headers={"X-Webhook-Secret": "s3cret"},
        ) as emulator:
            async with emulator.client() as client:
                await send_invoice(client, emulator.creditor_public_id, "Jenny Doe", 10000)
            await emulator.drain_webhooks()
    finally:
        await runner.cleanup()
    # Each event once (deliveries run concurrently, so in no particular order).
    assert sorted(received) == [
        "DebtorCreated",
        "InvoiceActionAttested",
        "InvoiceActionCreated",
        "InvoiceActionStateChanged",
    ]
