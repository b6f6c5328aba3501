"""billecta-async: an async-first Python SDK for the Billecta invoicing API.

Models live in :mod:`billecta_async.models` (generated from Billecta's XSD); each one reads and
writes Billecta's JSON and XML::

    from billecta_async.models import Debtor

    debtor = Debtor(creditor_public_id=creditor_id, name="Jenny Doe")
    body = debtor.to_json()
"""

from billecta_async._exceptions import BillectaError, DecodeError, EncodeError
from billecta_async._version import __version__
from billecta_async._wire import (
    STOCKHOLM,
    BillectaEnum,
    ListOf,
    Model,
    currency_decimals,
    format_datetime,
    from_json,
    from_xml,
    parse_datetime,
    to_json,
    to_xml,
)

__all__ = [
    "STOCKHOLM",
    "BillectaEnum",
    "BillectaError",
    "DecodeError",
    "EncodeError",
    "ListOf",
    "Model",
    "__version__",
    "currency_decimals",
    "format_datetime",
    "from_json",
    "from_xml",
    "parse_datetime",
    "to_json",
    "to_xml",
]
