"""What user code sees, checked by ``mypy --strict`` (listed in pyproject's [tool.mypy] files);
never run. Each ``assert_type`` fails the type check if a method's type is not exactly that."""

from __future__ import annotations

from typing_extensions import assert_type

import billecta_async.models as m
from billecta_async import (
    AsyncPaginator,
    BillectaClient,
    BinaryResponse,
    ByteStream,
    SyncBillectaClient,
    SyncBinaryResponse,
    SyncByteStream,
    SyncPaginator,
)

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"


async def async_client(client: BillectaClient) -> None:
    assert_type(await client.debtors.create(m.Debtor(name="Jenny")), m.Created)
    assert_type(await client.debtors.get(CREDITOR), m.Debtor)
    assert_type(await client.debtors.delete(CREDITOR), None)
    listing = client.debtors.list(CREDITOR, limit=10)
    assert_type(listing, AsyncPaginator[m.Debtor])
    assert_type(await listing, list[m.Debtor])
    async for debtor in listing:
        assert_type(debtor, m.Debtor)
    async for page in listing.pages():
        assert_type(page, list[m.Debtor])
    assert_type(await client.debtors.list_categories(CREDITOR), list[m.DebtorCategory])
    content = client.files.get_content(CREDITOR)
    assert_type(content, BinaryResponse)
    assert_type(await content, bytes)
    async with content.stream() as stream:
        assert_type(stream, ByteStream)
    assert_type(await content.download("invoice.pdf"), int)
    assert_type(await client.bankid.wait_for_authentication(CREDITOR), m.BankIdAuthenticationStatus)
    async for status in client.payments.iter_swish_payment_status("token"):
        assert_type(status, m.SwishPaymentStatus)


def sync_client(client: SyncBillectaClient) -> None:
    assert_type(client.debtors.create(m.Debtor(name="Jenny")), m.Created)
    assert_type(client.debtors.delete(CREDITOR), None)
    listing = client.debtors.list(CREDITOR, limit=10)
    assert_type(listing, SyncPaginator[m.Debtor])
    assert_type(listing.page(), list[m.Debtor])
    for debtor in listing:
        assert_type(debtor, m.Debtor)
    content = client.invoices.preview("action")
    assert_type(content, SyncBinaryResponse)
    assert_type(content.read(), bytes)
    with content.stream() as stream:
        assert_type(stream, SyncByteStream)
        for chunk in stream.iter_chunks():
            assert_type(chunk, bytes)
    assert_type(client.bank.wait_for_account_retrieval(CREDITOR), m.BankAccountRequest)
    for status in client.bankid.iter_sign_status(CREDITOR):
        assert_type(status, m.BankIdSignStatus)
