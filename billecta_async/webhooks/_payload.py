"""Reading and writing the body of a webhook request: the ``WebhookEvent`` envelope.

Billecta POSTs one event per request: ``EventDate``, ``CreditorPublicId``, ``Event`` (the event
type's name), ``Data`` and, for a few event types, ``AdditionalData``. The envelope and its
``Data`` decode with the same codecs as API responses, so dates, enum codes and amounts read
exactly as they do there.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from typing import Any, Literal, TypeVar

import orjson
from lxml import etree

from billecta_async._exceptions import DecodeError, WebhookError, mask_personal_numbers
from billecta_async._wire import STOCKHOLM, BillectaEnum, Model
from billecta_async._wire import _scalars as sc
from billecta_async._wire._json import json_decoder
from billecta_async._wire._xml import parse_xml_document, xml_decoder
from billecta_async.models import WebhookEvent
from billecta_async.webhooks._events import (
    WEBHOOK_PAYLOAD_TYPES,
    PayloadType,
    WebhookEventType,
)

__all__ = ["WEBHOOK_CONTENT_TYPES", "WebhookDelivery", "encode_webhook", "parse_webhook"]

T = TypeVar("T")
Format = Literal["json", "xml"]

WEBHOOK_CONTENT_TYPES: dict[Format, str] = {
    "json": "application/json; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
}
"""The ``Content-Type`` to send with a body made by :func:`encode_webhook` in each format."""

_ENVELOPE = WebhookEvent.__wire_name__
_JSON_TYPES = frozenset({"application/json", "text/json"})
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class WebhookDelivery:
    """One webhook request from Billecta, parsed.

    ``data`` and ``additional_data`` are decoded to the types the event type documents (see
    ``WEBHOOK_PAYLOAD_TYPES``): a model such as ``InvoiceAction``, a ``str`` id for the deleted
    events, an enum for autogiro comment codes, ``None`` when absent. For an event type this SDK
    does not know (``event_type.is_known`` is false) they are left raw: the decoded JSON value,
    or in XML the element's text or the element itself.

    ``identity`` is the same for every delivery of one event, so it can be used to skip
    redeliveries. Billecta's envelope has no delivery or event id, so it is the SHA-256 (hex) of
    the whole envelope in canonical form (JSON with sorted keys, or canonical XML): the event
    type, creditor, event date and raw ``Data`` / ``AdditionalData``. A retry resends the same
    envelope, so it gets the same identity.
    """

    event_type: WebhookEventType
    creditor_public_id: str | None
    event_date: datetime | None
    data: Any
    additional_data: Any
    identity: str
    envelope: WebhookEvent
    """The envelope as received, with ``data`` and ``additional_data`` raw."""
    format: Format
    body: bytes

    def data_as(self, cls: type[T]) -> T:
        """``data``, checked to be a ``cls`` (for type checkers); a :class:`WebhookError` if not."""
        if not isinstance(self.data, cls):
            raise WebhookError(
                f"Data of this {self.event_type} event is a {type(self.data).__name__}, "
                f"not a {cls.__name__}"
            )
        return self.data


def _media_type(content_type: str) -> tuple[str, str | None]:
    mime, *params = content_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return mime.strip().lower(), charset


def _format_of(content_type: str | None, body: bytes) -> tuple[Format, str | None]:
    mime, charset = _media_type(content_type or "")
    if mime in _JSON_TYPES or mime.endswith("+json"):
        return "json", charset
    if mime in _XML_TYPES or mime.endswith("+xml"):
        return "xml", charset
    if not mime:  # no Content-Type at all: go by the first character
        start = body.lstrip()[:1]
        if start in (b"{", b"["):
            return "json", None
        if start == b"<":
            return "xml", None
    raise WebhookError(
        f"unsupported content type {content_type!r}: expected JSON (application/json) "
        "or XML (application/xml)"
    )


def _body_start(body: bytes) -> str:
    """The start of a body for an error message, personal numbers masked."""
    return mask_personal_numbers(repr(body[:80]))


def _json_envelope(body: bytes, charset: str | None) -> tuple[WebhookEvent, str]:
    if charset is not None and charset not in _UTF8:
        try:
            body = body.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError) as exc:
            raise WebhookError(f"body cannot be read as {charset}: {exc}") from None
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise WebhookError(f"body is not valid JSON ({exc}): {_body_start(body)}") from None
    if not isinstance(doc, dict):
        raise WebhookError(
            f"expected a JSON object (the {_ENVELOPE} envelope), got {_body_start(body)}"
        )
    try:
        envelope = json_decoder(WebhookEvent)(doc)
    except DecodeError as exc:
        error = exc.in_model(_ENVELOPE)
        raise WebhookError(f"not a valid {_ENVELOPE} envelope: {error}") from error
    try:
        canonical = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
    except TypeError as exc:  # orjson writes at most 255 levels of nesting
        raise WebhookError(f"the {_ENVELOPE} envelope is nested too deeply ({exc})") from None
    identity = hashlib.sha256(canonical).hexdigest()
    return envelope, identity


def _xml_envelope(body: bytes) -> tuple[WebhookEvent, str]:
    try:
        root = parse_xml_document(body, _ENVELOPE)
        envelope = xml_decoder(WebhookEvent)(root)
    except DecodeError as exc:
        error = exc if exc.model else exc.in_model(_ENVELOPE)
        raise WebhookError(f"not a valid {_ENVELOPE} envelope: {error}") from error
    identity = hashlib.sha256(etree.tostring(root, method="c14n")).hexdigest()
    return envelope, identity


def _typed(value: Any, kind: PayloadType, fmt: Format) -> Any:
    """``value`` (a raw ``Data`` or ``AdditionalData``) decoded to ``kind``."""
    if value is None or kind is None:
        return value
    if issubclass(kind, Model):
        if fmt == "json":
            return json_decoder(kind)(value)
        if isinstance(value, str):
            if value.strip():
                raise sc.Bad(f"expected {kind.__name__}'s elements", value)
            return kind()
        return xml_decoder(kind)(value)
    if issubclass(kind, BillectaEnum):
        return sc.enum_decoder(kind)(value)
    if not isinstance(value, str):
        raise sc.Bad("expected a string", value)
    return value


def _decode_field(value: Any, kind: PayloadType, fmt: Format, name: str, event: str) -> Any:
    try:
        return _typed(value, kind, fmt)
    except DecodeError as exc:
        error = exc.at(name).in_model(_ENVELOPE)
    except sc.Bad as exc:
        error = DecodeError(exc.reason, model=_ENVELOPE, path=[name], value=exc.value)
    assert kind is not None
    raise WebhookError(
        f"{name} of a {event} event is not a valid {kind.__name__}: {error}"
    ) from error


def parse_webhook(body: bytes, content_type: str | None) -> WebhookDelivery:
    """Parse the body of a webhook request from Billecta.

    ``content_type`` is the request's ``Content-Type`` header: JSON (``application/json``) or
    XML (``application/xml``), with or without a ``charset``; without one the body's first
    character decides. Raises :class:`~billecta_async.WebhookError` for anything that is not a
    readable webhook: another content type, bad JSON or XML, another root element, no
    ``Event``, or ``Data`` / ``AdditionalData`` that does not match the event's documented
    type. An unknown event type is not an error (see :class:`WebhookDelivery`).
    """
    body = bytes(body)
    fmt, charset = _format_of(content_type, body)
    envelope, identity = _json_envelope(body, charset) if fmt == "json" else _xml_envelope(body)
    if not envelope.event:
        raise WebhookError(f"the {_ENVELOPE} envelope has no Event (the event type)")
    event_type = WebhookEventType(envelope.event)
    payload = WEBHOOK_PAYLOAD_TYPES.get(event_type)
    data, additional = envelope.data, envelope.additional_data
    if payload is not None:
        data = _decode_field(data, payload.data, fmt, "Data", event_type.value)
        additional = _decode_field(
            additional, payload.additional_data, fmt, "AdditionalData", event_type.value
        )
    return WebhookDelivery(
        event_type=event_type,
        creditor_public_id=envelope.creditor_public_id,
        event_date=envelope.event_date,
        data=data,
        additional_data=additional,
        identity=identity,
        envelope=envelope,
        format=fmt,
        body=body,
    )


def _check(value: object, kind: PayloadType, name: str, event: WebhookEventType) -> None:
    if value is None:
        return
    if kind is None:
        raise WebhookError(f"a {event} event carries no {name} (got {type(value).__name__})")
    if not isinstance(value, kind):
        raise WebhookError(
            f"{name} of a {event} event must be a {kind.__name__}, not {type(value).__name__}"
        )


def _wire(value: object) -> object:
    return value.wire_value if isinstance(value, BillectaEnum) else value


def encode_webhook(
    event_type: WebhookEventType | str,
    data: object = None,
    *,
    creditor_public_id: str,
    additional_data: object = None,
    event_date: datetime | None = None,
    format: Format = "json",
) -> bytes:
    """The body Billecta would POST for an event, in JSON or XML.

    ``data`` and ``additional_data`` must have the types the event type documents (a model, a
    ``str`` id, an enum member, or ``None``); anything else raises
    :class:`~billecta_async.WebhookError`. For an event type this SDK does not know they are
    written as given. ``event_date`` defaults to now. Send the body with
    ``WEBHOOK_CONTENT_TYPES[format]`` as its ``Content-Type``.
    """
    event = WebhookEventType(event_type)
    payload = WEBHOOK_PAYLOAD_TYPES.get(event)
    if payload is not None:
        _check(data, payload.data, "Data", event)
        _check(additional_data, payload.additional_data, "AdditionalData", event)
    envelope = WebhookEvent(
        event_date=event_date if event_date is not None else datetime.now(STOCKHOLM),
        creditor_public_id=creditor_public_id,
        event=event.value,
        data=_wire(data),
        additional_data=_wire(additional_data),
    )
    if format == "json":
        return envelope.to_json()
    if format == "xml":
        return envelope.to_xml()
    raise ValueError(f"format must be 'json' or 'xml', not {format!r}")
