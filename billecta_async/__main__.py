"""``python -m billecta_async`` / ``billecta``: the SDK's command line.

billecta demo    run Billecta's basic invoicing use case end to end: against the embedded
                 local emulator, or against a real Billecta environment when BILLECTA_*
                 credentials are set (see BillectaClient.from_env; the creditor to use is
                 BILLECTA_CREDITOR_PUBLIC_ID)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from billecta_async import STOCKHOLM, BillectaClient, BillectaError, __version__
from billecta_async import models as m

T = TypeVar("T")
CREDENTIAL_VARIABLES = ("BILLECTA_SECURE_TOKEN", "BILLECTA_USERNAME")


def _has_credentials(environ: Mapping[str, str]) -> bool:
    return any(environ.get(name) for name in CREDENTIAL_VARIABLES)


class _Steps:
    """Runs and prints the demo's steps: a number, what happened, how long it took."""

    def __init__(self) -> None:
        self.count = 0

    async def run(
        self, title: str, call: Callable[[], Awaitable[T]], show: Callable[[T], str]
    ) -> T:
        self.count += 1
        started = time.perf_counter()
        result = await call()
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  {self.count}. {title:<28} {show(result)}  ({elapsed:.0f} ms)")
        return result


def _money(amount: m.Amount | None) -> str:
    if amount is None or amount.value is None:
        return "-"
    return f"{amount.to_decimal():.2f} {amount.currency_code}"


async def run_demo(client: BillectaClient, creditor_public_id: str) -> None:
    """The guide's basic invoicing use case, step by step."""
    steps = _Steps()
    stamp = datetime.now(STOCKHOLM).strftime("%Y%m%d%H%M%S")
    today = datetime.now(STOCKHOLM).replace(hour=0, minute=0, second=0, microsecond=0)
    unit_price = m.Amount.from_decimal(Decimal("500.34"), "SEK")

    debtor = await steps.run(
        "create debtor",
        lambda: client.debtors.create(
            m.Debtor(
                creditor_public_id=creditor_public_id,
                name="Jenny Doe",
                email="jenny.doe@example.com",
                address="Storgatan 1",
                zip_code="111 22",
                city="Stockholm",
                country_code="SE",
                debtor_type=m.DebtorType.PRIVATE,
                debtor_external_id=f"demo-{stamp}",
            )
        ),
        lambda created: f"DebtorPublicId {created.public_id}",
    )
    product = await steps.run(
        "create product",
        lambda: client.products.create(
            m.Product(
                creditor_public_id=creditor_public_id,
                article_number=f"SOFA-{stamp}",
                description="Sofa, three seats",
                unit_price=float(unit_price.to_decimal()),
                vat=25.0,
                units="st",
                is_active=True,
            )
        ),
        lambda created: f"ProductPublicId {created.public_id}",
    )
    invoice = await steps.run(
        "create invoice",
        lambda: client.invoices.create(
            m.InvoiceActionEntry(
                creditor_public_id=creditor_public_id,
                debtor_public_id=debtor.public_id,
                invoice_date=today,
                due_date=today + timedelta(days=30),
                our_reference="billecta-async demo",
                delivery_method=m.DeliveryMethodType.EMAIL,
                records=[
                    m.InvoiceActionRecord(
                        product_public_id=product.public_id,
                        article_description="Sofa, three seats",
                        quantity=2.0,
                        unit_price=unit_price,
                        vat=25.0,
                        record_type=m.RecordType.STANDARD,
                    )
                ],
            )
        ),
        lambda created: f"ActionPublicId {created.public_id}",
    )
    action_public_id = invoice.public_id or ""
    await steps.run(
        "attest (and send) invoice",
        lambda: client.invoices.attest(action_public_id),
        lambda _: "attested",
    )
    attested = await steps.run(
        "fetch invoice",
        lambda: client.invoices.get(action_public_id),
        lambda action: (
            f"invoice {action.invoice_number}, {_stage(action)}, "
            f"to pay {_money(action.current_amount)}"
        ),
    )
    await steps.run(
        "register payment",
        lambda: client.invoices.register_payment(
            m.RegisterPayment(
                action_public_id=action_public_id,
                amount=attested.current_amount,
                date=datetime.now(STOCKHOLM),
                payment_mean_code="BG",
            )
        ),
        lambda _: f"paid {_money(attested.current_amount)}",
    )
    closed = await steps.run(
        "fetch closed invoice",
        lambda: client.invoices.get(action_public_id),
        lambda action: (
            f"{_stage(action)}, paid {_money(action.paid_amount)}, "
            f"left {_money(action.current_amount)}"
        ),
    )
    await steps.run(
        "fetch invoice PDF",
        lambda: client.invoices.preview(action_public_id),
        lambda pdf: f"{len(pdf)} bytes, starts {pdf[:8]!r}",
    )
    await steps.run(
        "search by invoice number",
        lambda: client.search.actions(
            m.Search(creditor_public_id=creditor_public_id, search_value=closed.invoice_number)
        ),
        lambda result: (
            f"{len(result.invoice_actions or [])} hit(s): "
            + ", ".join(
                f"{sub.invoice_number} {sub.stage.value if sub.stage else '?'}"
                for sub in result.invoice_actions or []
            )
        ),
    )
    listed = await steps.run(
        "list closed invoices",
        lambda: client.invoices.list_closed(
            creditor_public_id, date.today() - timedelta(days=1), date.today() + timedelta(days=1)
        ),
        lambda subs: f"{len(subs)} closed today",
    )
    if not any(sub.action_public_id == action_public_id for sub in listed):
        raise RuntimeError("the paid invoice is missing from today's closed invoices")


def _stage(action: m.InvoiceAction) -> str:
    stage = action.state.stage if action.state else None
    return stage.value if stage is not None else "unknown stage"


async def demo(environ: Mapping[str, str] | None = None) -> int:
    """Run the demo against a real environment (credentials set) or the embedded emulator."""
    environ = os.environ if environ is None else environ
    async with AsyncExitStack() as stack:
        if _has_credentials(environ):
            creditor_public_id = environ.get("BILLECTA_CREDITOR_PUBLIC_ID", "")
            if not creditor_public_id:
                print(
                    "BILLECTA_CREDITOR_PUBLIC_ID is required with real credentials", file=sys.stderr
                )
                return 2
            client = await stack.enter_async_context(BillectaClient.from_env(environ))
            where = client.base_url
        else:
            from billecta_async.testing import BillectaEmulator

            emulator = await stack.enter_async_context(BillectaEmulator())
            client = await stack.enter_async_context(emulator.client())
            creditor_public_id = emulator.creditor_public_id
            where = f"the local emulator at {emulator.url} (no BILLECTA_* credentials set)"
        print(f"billecta-async {__version__}: basic invoicing use case against {where}")
        print(f"  creditor {creditor_public_id}, format {client.format}")
        try:
            await run_demo(client, creditor_public_id)
        except BillectaError as exc:
            print(f"  failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
    print("done: debtor, product, invoice created; attested, paid, closed, found.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m billecta_async`` and the ``billecta`` script."""
    parser = argparse.ArgumentParser(prog="billecta", description="billecta-async command line")
    parser.add_argument("command", nargs="?", default="demo", choices=["demo"])
    parser.parse_args(argv)
    return asyncio.run(demo())


if __name__ == "__main__":
    sys.exit(main())
