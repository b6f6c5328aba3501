"""``python -m billecta_async`` / ``billecta``: the SDK's command line.

billecta demo    round-trip a sample invoice through Billecta's JSON and XML
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from decimal import Decimal

from billecta_async import STOCKHOLM, __version__
from billecta_async import models as m


def _sample_invoice() -> m.InvoiceActionEntry:
    today = datetime.now(STOCKHOLM).replace(hour=0, minute=0, second=0, microsecond=0)
    return m.InvoiceActionEntry(
        creditor_public_id="8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70",
        debtor_public_id="93bcc725-6c25-451f-93b0-a91f8c56785e",
        our_reference="Jenny Doe",
        invoice_date=today,
        due_date=today + timedelta(days=30),
        delivery_method=m.DeliveryMethodType.EMAIL,
        records=[
            m.InvoiceActionRecord(
                product_public_id="5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                article_description="Sofa, three seats",
                quantity=1.0,
                unit_price=m.Amount.from_decimal(Decimal("500.34"), "SEK"),
                vat=25.0,
                record_type=m.RecordType.STANDARD,
            )
        ],
    )


def demo() -> int:
    """Show a sample invoice travelling through Billecta's wire formats."""
    invoice = _sample_invoice()
    as_json = invoice.to_json()
    as_xml = invoice.to_xml()
    from_json = m.InvoiceActionEntry.from_json(as_json)
    from_xml = m.InvoiceActionEntry.from_xml(as_xml)
    record = invoice.records[0] if invoice.records else None
    print(f"billecta-async {__version__}: sample invoice (InvoiceActionEntry)")
    if record is not None and record.unit_price is not None:
        print(
            f"  record: {record.article_description!r}, unit price "
            f"{record.unit_price.to_decimal()} {record.unit_price.currency_code} "
            f"(Value={record.unit_price.value} minor units)"
        )
    print(f"  JSON ({len(as_json)} bytes): {as_json.decode()[:160]}...")
    print(f"  XML  ({len(as_xml)} bytes): {as_xml.decode().splitlines()[1][:160]}...")
    print(f"  JSON round trip equal: {from_json == invoice}")
    print(f"  XML round trip equal:  {from_xml == invoice}")
    return 0 if from_json == invoice and from_xml == invoice else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m billecta_async`` and the ``billecta`` script."""
    parser = argparse.ArgumentParser(prog="billecta", description="billecta-async command line")
    parser.add_argument("command", nargs="?", default="demo", choices=["demo"])
    parser.parse_args(argv)
    return demo()


if __name__ == "__main__":
    sys.exit(main())
