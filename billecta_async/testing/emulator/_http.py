"""How the emulator reads requests and writes answers, the way Billecta does.

* The request body is parsed by its Content-Type, the answer written in the format the Accept
  header asks for; with neither header Billecta speaks XML (the guide's default).
* Errors are ``{"Message", "ExternalErrorCode", "RequestContent"}`` in the answer's format, and
  the same message in the ``ErrorMessage`` header encoded ISO-8859-1.
"""

from __future__ import annotations

import base64
import dataclasses
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import orjson
from aiohttp import web
from lxml import etree

from billecta_async._exceptions import DecodeError
from billecta_async._wire import (
    STOCKHOLM,
    BillectaEnum,
    ListOf,
    Model,
    field_specs,
    from_json,
    from_xml,
    to_json,
    to_xml,
)
from billecta_async.testing._samples import EMPTY_GUID

if TYPE_CHECKING:
    from billecta_async.testing.emulator._catalogue import EndpointForm, EndpointInfo
    from billecta_async.testing.emulator._state import Account, State

__all__ = [
    "ApiError",
    "Call",
    "access_denied",
    "bad_request",
    "day_of",
    "error_response",
    "midnight",
    "new_id",
    "now",
    "render",
]

Format = Literal["json", "xml"]
T = TypeVar("T")


class ApiError(Exception):
    """An answer with an error status: raised by handlers, rendered by the server."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        external_error_code: str | None = None,
        reason: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.external_error_code = external_error_code
        self.reason = reason
        self.headers = dict(headers or {})


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def access_denied(what: str, value: object) -> ApiError:
    """Billecta answers 401 for ids the user may not see, whether or not they exist."""
    return ApiError(401, f"Access denied: {what} {value!r} is not accessible to this user")


def format_of(header: str | None) -> Format | None:
    text = (header or "").lower()
    if "json" in text:
        return "json"
    if "xml" in text:
        return "xml"
    return None


class _ErrorResponse(web.Response):
    """A response whose ``ErrorMessage`` header goes out ISO-8859-1 encoded, as Billecta's does.

    aiohttp writes header values as UTF-8; the encoded header block is rewritten before it is
    sent. Characters outside Latin-1 become ``?`` (the body carries the exact text in UTF-8).
    """

    async def _write_headers(self) -> None:
        await super()._write_headers()
        writer: Any = self._payload_writer
        message = self.headers.get("ErrorMessage")
        buffer = getattr(writer, "_headers_buf", None)
        if message is None or not isinstance(buffer, (bytes, bytearray)):
            return
        utf8 = b"ErrorMessage: " + message.encode("utf-8")
        latin1 = b"ErrorMessage: " + message.encode("latin-1", "replace")
        writer._headers_buf = bytes(buffer).replace(utf8, latin1, 1)


def _header_text(message: str) -> str:
    """The message as one header line (no CR/LF)."""
    return " ".join(message.split())


def error_response(
    error: ApiError, fmt: Format, request_content: str | None = None
) -> web.Response:
    fields = {
        "Message": error.message,
        "ExternalErrorCode": error.external_error_code,
        "RequestContent": request_content,
    }
    if fmt == "json":
        body = orjson.dumps(fields)
        content_type = "application/json"
    else:
        root = etree.Element("Error")
        for key, value in fields.items():
            child = etree.SubElement(root, key)
            if value is not None:
                child.text = value
        body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
        content_type = "application/xml"
    headers = {"ErrorMessage": _header_text(error.message), **error.headers}
    return _ErrorResponse(
        status=error.status,
        reason=error.reason,
        body=body,
        headers=headers,
        content_type=content_type,
        charset="utf-8",
    )


def render(value: Any, spec: Any, fmt: Format) -> web.Response:
    """The answer for a handler's return value, encoded as the endpoint documents."""
    if spec is None or (value is None and spec is not bytes):
        return web.Response(status=200)
    if spec is bytes:
        data, content_type = value if isinstance(value, tuple) else (value, "application/pdf")
        return web.Response(body=data, content_type=content_type)
    model = spec if isinstance(spec, ListOf) else None
    if fmt == "json":
        return web.Response(
            body=to_json(value, model), content_type="application/json", charset="utf-8"
        )
    return web.Response(body=to_xml(value, model), content_type="application/xml", charset="utf-8")


def check_known_values(value: Any, path: str) -> None:
    """400 for enum values Billecta does not know (the SDK keeps them; Billecta refuses them)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_known_values(item, f"{path}.{index}")
        return
    if isinstance(value, BillectaEnum):
        if not value.is_known:
            raise bad_request(f"{path}: '{value.wire_value}' is not a valid {type(value).__name__}")
        return
    if isinstance(value, Model):
        for spec in field_specs(type(value)):
            child = getattr(value, spec.attr)
            if child is not None:
                check_known_values(child, f"{path}.{spec.name}")


@dataclasses.dataclass
class Call:
    """One request to an endpoint, with what handlers need to answer it."""

    request: web.Request
    state: State
    account: Account
    endpoint: EndpointInfo
    form: EndpointForm  # the documented form the query parameters select
    response_format: Format
    body: Any = None

    # -- parameters ------------------------------------------------------------------------

    def path(self, name: str = "id") -> str:
        return self.request.match_info.get(name, "")

    def query(self, name: str) -> str | None:
        """A query parameter, matched case-insensitively as ASP.NET does."""
        wanted = name.lower()
        for key, value in self.request.query.items():
            if key.lower() == wanted:
                return value
        return None

    def require_query(self, name: str) -> str:
        value = self.query(name)
        if value is None or value == "":
            raise bad_request(f"The query parameter '{name}' is required")
        return value

    def query_int(self, name: str, default: int | None = None) -> int | None:
        value = self.query(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise bad_request(f"The value '{value}' is not valid for {name}") from None

    def query_bool(self, name: str) -> bool | None:
        value = self.query(name)
        if value is None or value == "":
            return None
        if value.lower() not in ("true", "false"):
            raise bad_request(f"The value '{value}' is not valid for {name}")
        return value.lower() == "true"

    def query_date(self, name: str, *, required: bool = False) -> date | None:
        value = self.require_query(name) if required else self.query(name)
        if value is None or value == "":
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise bad_request(f"The value '{value}' is not a valid date for {name}") from None

    def period(self) -> tuple[date | None, date | None]:
        """The ``from`` and ``to`` dates a listing by period is limited to (None when absent)."""
        return self.query_date("from"), self.query_date("to")

    def page(self, items: list[Any]) -> list[Any]:
        """Apply ``asc``, ``offset`` and ``limit`` (Billecta's paging) to a listing in creation
        order (``sortingfield`` is accepted and not applied)."""
        if self.query_bool("asc") is False:
            items = items[::-1]
        offset = self.query_int("offset", 0) or 0
        limit = self.query_int("limit")
        if offset < 0 or (limit is not None and limit < 0):
            raise bad_request("offset and limit must not be negative")
        return items[offset:] if limit is None else items[offset : offset + limit]

    # -- bodies ----------------------------------------------------------------------------

    def require_body(self) -> Any:
        if self.body is None:
            raise bad_request("The request body is missing")
        return self.body

    # -- ownership -------------------------------------------------------------------------

    def owned(self, store: Mapping[str, T], key: str | None, what: str) -> T:
        """The object ``key`` of ``store`` if it belongs to one of the user's creditors.

        Unknown ids and other creditors' objects are both answered 401, as Billecta does.
        """
        found = store.get((key or "").strip().lower())
        if (
            found is None
            or getattr(found, "creditor_public_id", None) not in self.account.creditor_ids
        ):
            raise access_denied(what, key or EMPTY_GUID)
        return found

    def creditor(self, creditor_public_id: str | None) -> str:
        """The creditor id if this user owns it; 401 otherwise (empty guid included)."""
        value = (creditor_public_id or "").strip().lower()
        if not value or value == EMPTY_GUID or value not in self.account.creditor_ids:
            raise access_denied("creditor", creditor_public_id or EMPTY_GUID)
        return value


async def read_body(request: web.Request, endpoint: EndpointInfo) -> tuple[Any, bytes]:
    """The decoded request body (None when the endpoint takes none) and its raw bytes."""
    raw = await request.read()
    if endpoint.body is None:
        return None, raw
    if not raw.strip():
        return None, raw
    fmt = format_of(request.headers.get("Content-Type")) or "xml"
    try:
        value = from_json(raw, endpoint.body) if fmt == "json" else from_xml(raw, endpoint.body)
    except DecodeError as exc:
        raise bad_request(f"The request could not be read: {exc}") from None
    name = endpoint.body.wire_name if isinstance(endpoint.body, ListOf) else endpoint.body.__name__
    check_known_values(value, name)
    return value, raw


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    """Now in Stockholm time (Billecta's server zone), to the second."""
    return datetime.now(STOCKHOLM).replace(microsecond=0)


@overload
def day_of(moment: datetime) -> date: ...
@overload
def day_of(moment: datetime | None) -> date | None: ...
def day_of(moment: datetime | None) -> date | None:
    """The Stockholm day of ``moment`` (None for None)."""
    return moment.astimezone(STOCKHOLM).date() if moment is not None else None


def midnight(day: date) -> datetime:
    """The start of ``day`` in Stockholm: how Billecta writes a date as a date-time."""
    return datetime.combine(day, time(), STOCKHOLM)


def pdf_document(title: str, lines: list[str]) -> bytes:
    """A small valid PDF with ``title`` and ``lines`` of text (for previews and invoice files)."""

    def escape(text: str) -> str:
        return (
            text.encode("latin-1", "replace")
            .decode("latin-1")
            .replace("\\", "\\\\")
            .replace("(", "\\(")
            .replace(")", "\\)")
        )

    rows = [title, *lines]
    text = "BT /F1 12 Tf 50 800 Td 14 TL " + " ".join(f"({escape(r)}) '" for r in rows) + " ET"
    stream = text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def basic_credentials(header: str) -> tuple[str, str] | None:
    try:
        text = base64.b64decode(header, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    username, sep, password = text.partition(":")
    return (username, password) if sep else None
