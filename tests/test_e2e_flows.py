"""Long-running flows, pagination and downloads through the client against the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from _builders import sofa_invoice

from billecta_async import PollingTimeoutError, ScaledClock
from billecta_async import models as m
from billecta_async.testing import BillectaEmulator

pytestmark = pytest.mark.parametrize("billecta_format", ["json", "xml"])


@pytest.fixture
def billecta_clock() -> ScaledClock:
    return ScaledClock(200)  # BankID's ten seconds in 50 ms


@pytest.mark.parametrize(
    ("ssn", "final"),
    [
        ("19800113-9297", m.BankIdStatusType.COMPLETE),
        ("19700123-9297", m.BankIdStatusType.ERROR),
        ("19600106-2626", m.BankIdStatusType.NO_CLIENT),
    ],
)
async def test_bankid_authentication_is_followed_to_its_documented_outcome(
    billecta_client: Any, billecta_emulator: BillectaEmulator, ssn: str, final: Any
) -> None:
    started = await billecta_client.bankid.create_authentication_request(
        m.BankIdAuthenticationRequest(
            creditor_public_id=billecta_emulator.creditor_public_id, ssn=ssn
        )
    )
    seen = [
        status.status
        async for status in billecta_client.bankid.iter_authentication_status(
            started.reference_token
        )
    ]
    assert seen[-1] == final
    assert seen[0] in (m.BankIdStatusType.OUTSTANDING_TRANSACTION, m.BankIdStatusType.STARTED)
    done = await billecta_client.bankid.wait_for_authentication(started.reference_token)
    assert done.status == final


async def test_bankid_sign_waits_for_completion(
    billecta_client: Any, billecta_emulator: BillectaEmulator
) -> None:
    started = await billecta_client.bankid.create_sign_request(
        m.BankIdSignRequest(
            creditor_public_id=billecta_emulator.creditor_public_id,
            ssn="198001139297",
            user_message="Sign the contract",
        )
    )
    signed = await billecta_client.bankid.wait_for_sign(started.reference_token)
    assert signed.status == m.BankIdStatusType.COMPLETE
    assert signed.signature


async def test_polling_times_out_with_the_last_status(
    billecta_client: Any, billecta_emulator: BillectaEmulator
) -> None:
    started = await billecta_client.bankid.create_authentication_request(
        m.BankIdAuthenticationRequest(
            creditor_public_id=billecta_emulator.creditor_public_id, ssn="198001139297"
        )
    )
    with pytest.raises(PollingTimeoutError) as caught:
        await billecta_client.bankid.wait_for_authentication(started.reference_token, timeout=3)
    assert caught.value.last_status.status in (
        m.BankIdStatusType.OUTSTANDING_TRANSACTION,
        m.BankIdStatusType.STARTED,
    )


async def test_a_cancelled_poll_stops_cleanly(
    billecta_client: Any, billecta_emulator: BillectaEmulator
) -> None:
    started = await billecta_client.bankid.create_authentication_request(
        m.BankIdAuthenticationRequest(
            creditor_public_id=billecta_emulator.creditor_public_id, ssn="198001139297"
        )
    )
    with anyio.move_on_after(0.01) as scope:
        await billecta_client.bankid.wait_for_authentication(started.reference_token)
    assert scope.cancelled_caught
    # The client is still usable after the cancellation.
    assert (await billecta_client.creditors.get(billecta_emulator.creditor_public_id)).name


@pytest.mark.parametrize(("phone", "final"), [("46701234567", "Declined"), ("46700000001", "Paid")])
async def test_swish_payment_is_followed_and_a_paid_one_closes_the_invoice(
    billecta_client: Any, billecta_emulator: BillectaEmulator, phone: str, final: str
) -> None:
    action = await sofa_invoice(billecta_client, billecta_emulator.creditor_public_id, 25000)
    await billecta_client.invoices.attest(action)
    token = (await billecta_client.payments.create_swish_payment(action, phone)).public_id
    status = await billecta_client.payments.wait_for_swish_payment(token)
    assert status.status == m.SwishStatusType(final)
    invoice = await billecta_client.invoices.get(action)
    closed = invoice.state.stage == m.InvoiceActionStageType.COMPLETED
    assert closed == (final == "Paid")


async def test_bank_account_retrieval_is_followed_to_success(
    billecta_client: Any, billecta_emulator: BillectaEmulator
) -> None:
    created = await billecta_client.bank.initiate_account_retrieval(
        billecta_emulator.creditor_public_id, m.BankAccountBankType.NB, "198001139297"
    )
    result = await billecta_client.bank.wait_for_account_retrieval(created.public_id)
    assert result.status == m.BankAccountStatusType.SUCCESS
    assert result.account_numbers and result.account_numbers[0].clearing_no


@pytest.mark.parametrize("page_size", [1, 4, 7, 100])
async def test_pagination_over_the_emulator_returns_every_item_once(
    billecta_client: Any, billecta_emulator: BillectaEmulator, page_size: int
) -> None:
    creditor = billecta_emulator.creditor_public_id
    created = [await sofa_invoice(billecta_client, creditor, 100 + i) for i in range(7)]
    seen = [
        sub.action_public_id
        async for sub in billecta_client.invoices.list_open(creditor, limit=page_size)
    ]
    assert seen == created
    debtors = [d.name async for d in billecta_client.debtors.list(creditor, limit=3)]
    assert len(debtors) == 7


async def test_invoice_pdf_streams_and_downloads(
    billecta_client: Any, billecta_emulator: BillectaEmulator, tmp_path: Path
) -> None:
    action = await sofa_invoice(billecta_client, billecta_emulator.creditor_public_id, 25000)
    await billecta_client.invoices.attest(action)
    invoice = await billecta_client.invoices.get(action)
    file_id = invoice.invoices[0].invoice_file.file_public_id
    whole = await billecta_client.files.get_content(file_id)
    async with billecta_client.files.get_content(file_id).stream() as stream:
        assert stream.content_type == "application/pdf"
        chunks = [chunk async for chunk in stream.iter_chunks(100)]
    assert b"".join(chunks) == whole and len(chunks) > 1
    target = tmp_path / "invoice.pdf"
    written = await billecta_client.files.get_content(file_id).download(target)
    assert written == len(whole) and target.read_bytes() == whole
    preview = tmp_path / "preview.pdf"
    await billecta_client.invoices.preview(action).download(preview)
    assert preview.read_bytes().startswith(b"%PDF-1.4")


async def test_a_stream_is_retried_until_its_headers_arrive_never_after(
    billecta_client: Any, billecta_emulator: BillectaEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from billecta_async import TransportError

    action = await sofa_invoice(billecta_client, billecta_emulator.creditor_public_id, 25000)
    await billecta_client.invoices.attest(action)
    invoice = await billecta_client.invoices.get(action)
    file_id = invoice.invoices[0].invoice_file.file_public_id
    path = "/v1/files/file/{id}"
    billecta_emulator.inject_fault("GET", path, "error_before")
    billecta_emulator.inject_fault("GET", path, "drop_before")
    with caplog.at_level(logging.DEBUG, logger="billecta_async"):
        async with billecta_client.files.get_content(file_id).stream() as stream:
            body = b"".join([chunk async for chunk in stream.iter_chunks(1024)])
    assert body.startswith(b"%PDF")
    attempts = [r for r in caplog.records if getattr(r, "billecta_path", None) == path]
    assert [r.billecta_attempt for r in attempts] == [1, 2, 3]
    billecta_emulator.inject_fault("GET", path, "truncate")
    with pytest.raises(TransportError):  # cut mid-body: reported, not retried
        async with billecta_client.files.get_content(file_id).stream() as stream:
            async for _ in stream.iter_chunks(16):
                pass
