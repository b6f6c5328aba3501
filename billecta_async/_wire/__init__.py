"""The wire layer: model base classes and Billecta's JSON and XML for every generated model.

The XML codec (and so lxml) loads on first use of ``from_xml`` or ``to_xml``: code that only
speaks JSON does not pay for it.
"""

import typing as _typing

from billecta_async._wire._base import BillectaEnum, FieldSpec, ListOf, Model, field_specs
from billecta_async._wire._datetime import STOCKHOLM, format_datetime, parse_datetime
from billecta_async._wire._json import decode_json as from_json
from billecta_async._wire._json import encode_json as to_json
from billecta_async._wire.amount import AmountMixin, currency_decimals

if _typing.TYPE_CHECKING:
    from billecta_async._wire._xml import decode_xml as from_xml
    from billecta_async._wire._xml import encode_xml as to_xml

__all__ = [
    "STOCKHOLM",
    "AmountMixin",
    "BillectaEnum",
    "FieldSpec",
    "ListOf",
    "Model",
    "currency_decimals",
    "field_specs",
    "format_datetime",
    "from_json",
    "from_xml",
    "parse_datetime",
    "to_json",
    "to_xml",
]

# Hidden from type checkers, which see the imports above.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name in ("from_xml", "to_xml"):
            from billecta_async._wire import _xml

            globals().update(from_xml=_xml.decode_xml, to_xml=_xml.encode_xml)
            return globals()[name]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
