"""The wire layer: model base classes and Billecta's JSON and XML for every generated model."""

from billecta_async._wire._base import BillectaEnum, FieldSpec, ListOf, Model, field_specs
from billecta_async._wire._datetime import STOCKHOLM, format_datetime, parse_datetime
from billecta_async._wire._json import decode_json as from_json
from billecta_async._wire._json import encode_json as to_json
from billecta_async._wire._xml import decode_xml as from_xml
from billecta_async._wire._xml import encode_xml as to_xml
from billecta_async._wire.amount import AmountMixin, currency_decimals

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
