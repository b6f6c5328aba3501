"""Small builders the end-to-end tests share."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from billecta_async import STOCKHOLM, BillectaClient, Model
from billecta_async import models as m


def all_models() -> list[type[Model]]:
    """Every generated model class, by name."""
    found = (getattr(m, name) for name in m.__all__)
    return sorted(
        (
            cls
            for cls in found
            if isinstance(cls, type) and issubclass(cls, Model) and cls is not Model
        ),
        key=lambda cls: cls.__name__,
    )


def sek(value: int) -> m.Amount:
    """An amount in SEK, ``value`` in öre (minor units)."""
    return m.Amount(currency_code="SEK", value=value)


def today() -> date:
    """Today in Stockholm, Billecta's time zone."""
    return datetime.now(STOCKHOLM).date()


def around_today() -> tuple[date, date]:
    """A window holding today, robust to the date changing during the test."""
    return today() - timedelta(days=1), today() + timedelta(days=1)


def sofa_entry(creditor: str, debtor: str, price: int, vat: float = 0.0) -> m.InvoiceActionEntry:
    """An invoice to ``debtor`` of one sofa at ``price`` öre, ``vat`` % VAT."""
    sofa = m.InvoiceActionRecord(
        article_description="Sofa", quantity=1.0, unit_price=sek(price), vat=vat
    )
    return m.InvoiceActionEntry(
        creditor_public_id=creditor, debtor_public_id=debtor, records=[sofa]
    )


async def sofa_invoice(
    client: BillectaClient, creditor: str, price: int, *, vat: float = 0.0, attest: bool = False
) -> str:
    """A new debtor and a :func:`sofa_entry` invoice to them, attested if asked; its id."""
    debtor = await client.debtors.create(m.Debtor(creditor_public_id=creditor, name="Jenny"))
    assert debtor.public_id
    created = await client.invoices.create(sofa_entry(creditor, debtor.public_id, price, vat))
    if attest:
        await client.invoices.attest(created.public_id)
    return str(created.public_id)
