"""``billecta demo``: Billecta's basic invoicing use case end to end, step by step.

Against the embedded local emulator, or against a real Billecta environment when ``BILLECTA_*``
credentials are set (the creditor to use is ``BILLECTA_CREDITOR_PUBLIC_ID``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from billecta_async import STOCKHOLM, BillectaClient, __version__
from billecta_async import models as m
from billecta_async._cli import _connect, _environment
from billecta_async._cli._connect import DEFAULT_DEADLINE, DEFAULT_TIMEOUT
from billecta_async._cli._main import CommandError, ExitCode, add_verbose, exit_codes_help

T = TypeVar("T")

DESCRIPTION = """\
Run Billecta's basic invoicing use case end to end: create a debtor, a product and an
invoice, attest it, fetch it, register a payment, fetch the closed invoice and its PDF,
search it by invoice number and find it among today's closed invoices.

Without credentials it runs against the embedded local emulator. With BILLECTA_SECURE_TOKEN
(or BILLECTA_USERNAME and BILLECTA_PASSWORD) and BILLECTA_CREDITOR_PUBLIC_ID set, it runs
against the Billecta environment named by BILLECTA_ENVIRONMENT (test; production only when
named) or BILLECTA_BASE_URL, and creates real objects there: use a test environment.

Each attempt gets --timeout seconds to answer, and each call --deadline seconds in all,
retries and their waits included; -v shows each failed attempt and each retry."""


def add_parser(commands: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo",
        help="run the basic invoicing use case (emulator, or Billecta with credentials)",
        description=DESCRIPTION,
        epilog=_environment.describe(_environment.DEMO) + "\n\n" + exit_codes_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _connect.add_timing_options(parser)
    add_verbose(
        parser,
        "show each failed attempt and each retry as it happens, on stderr; -vv also each "
        "successful attempt (never credentials)",
    )
    parser.set_defaults(run=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    return asyncio.run(demo(os.environ, timeout=args.timeout, deadline=args.deadline))


class _Steps:
    """Runs and prints the demo's steps: a number, what happened, how long it took."""

    def __init__(self) -> None:
        self.count = 0

    async def run(
        self, title: str, call: Callable[[], Awaitable[T]], show: Callable[[T], str]
    ) -> T:
        self.count += 1
        started = time.perf_counter()
        try:
            result = await call()
        except BaseException:
            print(f"  {self.count:>2}. {title:<28} failed", flush=True)
            raise
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  {self.count:>2}. {title:<28} {show(result)}  ({elapsed:.0f} ms)", flush=True)
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
        raise CommandError("the paid invoice is missing from today's closed invoices")


def _stage(action: m.InvoiceAction) -> str:
    stage = action.state.stage if action.state else None
    return stage.value if stage is not None else "unknown stage"


async def demo(
    environ: Mapping[str, str] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
) -> int:
    """Run the demo against a real environment (credentials set) or the embedded emulator.

    ``timeout`` is per attempt; ``deadline`` per call, else ``BILLECTA_DEADLINE``, else
    :data:`DEFAULT_DEADLINE`. Raises :class:`CommandError` for missing or bad configuration and
    the :class:`~billecta_async.BillectaError` of a failed call.
    """
    environ = os.environ if environ is None else environ
    settings = _connect.overrides(
        environ, timeout=timeout, deadline=deadline, default_deadline=DEFAULT_DEADLINE
    )
    client: BillectaClient
    async with AsyncExitStack() as stack:
        if _connect.has_credentials(environ):
            creditor_public_id = environ.get("BILLECTA_CREDITOR_PUBLIC_ID", "")
            if not creditor_public_id:
                raise CommandError(
                    "BILLECTA_CREDITOR_PUBLIC_ID is required with real credentials",
                    ExitCode.USAGE,
                )
            client = await stack.enter_async_context(_connect.client(environ, **settings))
            creditor_public_id = _connect.checked_creditor(
                creditor_public_id, "BILLECTA_CREDITOR_PUBLIC_ID"
            )
            if not (environ.get("BILLECTA_ENVIRONMENT") or environ.get("BILLECTA_BASE_URL")):
                raise CommandError(
                    "no BILLECTA_ENVIRONMENT: the demo creates a debtor, a product and an "
                    "invoice, and sends the invoice; set BILLECTA_ENVIRONMENT=test to run it in "
                    "Billecta's test environment (or BILLECTA_ENVIRONMENT=production to run it "
                    "in production anyway)",
                    ExitCode.USAGE,
                )
            where = client.base_url
        else:
            client, emulator = await _connect.emulator_client(stack, environ, **settings)
            creditor_public_id = emulator.creditor_public_id
            where = f"the local emulator at {emulator.url} (no BILLECTA_* credentials set)"
        print(f"billecta-async {__version__}: basic invoicing use case against {where}")
        print(f"  creditor {creditor_public_id}, format {client.format}", flush=True)
        await run_demo(client, creditor_public_id)
    print("done: debtor, product, invoice created; attested, paid, closed, found.")
    return ExitCode.OK
