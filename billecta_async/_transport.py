"""The HTTP transport: one place for auth, formats, sessions, timeouts and Billecta's errors.

Every endpoint method of every resource ends in :meth:`Transport.request`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import platform
import ssl
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypedDict, TypeVar
from urllib.parse import quote

import aiohttp
import orjson
from lxml import etree
from yarl import URL

from billecta_async._clock import Clock, SystemClock
from billecta_async._exceptions import (
    APIStatusError,
    BadRequestError,
    DecodeError,
    DuplicateRequestError,
    ForbiddenError,
    NotFoundError,
    ParameterError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from billecta_async._streaming import ByteStream
from billecta_async._version import __version__
from billecta_async._wire import ListOf, Model, from_json, from_xml, to_json, to_xml

if sys.version_info >= (3, 11):
    from typing import NotRequired
else:  # pragma: no cover
    from typing_extensions import NotRequired

__all__ = [
    "PRODUCTION_URL",
    "TEST_URL",
    "BasicAuth",
    "Format",
    "RequestOptions",
    "SecureTokenAuth",
    "Transport",
]

PRODUCTION_URL = "https://api.billecta.com"
TEST_URL = "https://apitest.billecta.com"

Format = Literal["json", "xml"]
_CONTENT_TYPES: dict[str, str] = {"json": "application/json", "xml": "application/xml"}
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=60, connect=10, sock_read=60)

M = TypeVar("M", bound=Model)


class RequestOptions(TypedDict):
    """Options every endpoint method takes as keyword arguments.

    ``timeout``: seconds for this call (overrides the client's total timeout).
    ``headers``: extra HTTP headers for this call.
    ``unique_api_call_id``: sent as Billecta's ``UniqueApiCallId`` header (1-50 characters):
    Billecta processes a request with a given id once and answers a repeat with 403.
    """

    timeout: NotRequired[float]
    headers: NotRequired[Mapping[str, str]]
    unique_api_call_id: NotRequired[str]


_OPTION_NAMES = frozenset(RequestOptions.__annotations__)


class SecureTokenAuth:
    """Billecta's SecureToken: sent base64-encoded as ``Authorization: SecureToken <b64>``."""

    __slots__ = ("_header",)

    def __init__(self, token: str) -> None:
        if not token or not token.strip():
            raise ValueError("SecureToken is empty")
        encoded = base64.b64encode(token.strip().encode("utf-8")).decode("ascii")
        self._header = f"SecureToken {encoded}"

    def header(self) -> str:
        return self._header

    def __repr__(self) -> str:
        return "SecureTokenAuth(<hidden>)"


class BasicAuth:
    """HTTP Basic authentication with a Billecta username and password."""

    __slots__ = ("_header", "username")

    def __init__(self, username: str, password: str) -> None:
        if not username:
            raise ValueError("username is empty")
        self.username = username
        encode = getattr(aiohttp, "encode_basic_auth", None)  # aiohttp >= 3.14
        if encode is not None:
            self._header = str(encode(username, password, encoding="utf-8"))
        else:  # pragma: no cover - older aiohttp
            self._header = aiohttp.BasicAuth(username, password, encoding="utf-8").encode()

    def header(self) -> str:
        return self._header

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password=<hidden>)"


Auth = SecureTokenAuth | BasicAuth


def _user_agent() -> str:
    return (
        f"billecta-async/{__version__} (Python {platform.python_version()}; "
        f"aiohttp {aiohttp.__version__})"
    )


def tls_context(context: ssl.SSLContext | None) -> ssl.SSLContext:
    """The SSL context used for https: the caller's, checked, or a default one; TLS >= 1.2."""
    if context is None:
        context = ssl.create_default_context()
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context
    allowed = (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.MAXIMUM_SUPPORTED)
    if context.minimum_version not in allowed:
        raise ValueError(
            "ssl_context must require TLS 1.2 or later (Billecta requires it): set "
            "context.minimum_version = ssl.TLSVersion.TLSv1_2"
        )
    return context


def check_unique_api_call_id(value: object) -> str:
    """A valid UniqueApiCallId: a string of 1 to 50 characters."""
    if not isinstance(value, str) or not 1 <= len(value) <= 50:
        raise ParameterError("unique_api_call_id", value, "expected a string of 1 to 50 characters")
    if any(ord(ch) < 32 or ord(ch) > 126 for ch in value):
        raise ParameterError(
            "unique_api_call_id", value, "expected printable ASCII characters only"
        )
    return value


ResponseSpec = type[Model] | ListOf[Any] | type[bytes] | None


class Transport:
    """Sends requests to Billecta and turns answers into models or typed errors."""

    def __init__(
        self,
        *,
        auth: Auth,
        base_url: str,
        format: Format,
        session: aiohttp.ClientSession | None,
        timeout: aiohttp.ClientTimeout,
        connector_limit: int,
        connector_limit_per_host: int,
        proxy: str | None,
        ssl_context: ssl.SSLContext | None,
        user_agent: str | None,
        clock: Clock | None = None,
    ) -> None:
        if format not in _CONTENT_TYPES:
            raise ValueError(f"format must be 'json' or 'xml', not {format!r}")
        url = URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
        self.base_url = str(url).rstrip("/")
        self.format: Format = format
        self._auth = auth
        self._session = session
        self._owns_session = session is None
        self._timeout = timeout
        self._connector_limit = connector_limit
        self._connector_limit_per_host = connector_limit_per_host
        self._proxy = proxy
        self._ssl: ssl.SSLContext | None = (
            tls_context(ssl_context) if url.scheme == "https" else None
        )
        self._user_agent = user_agent or _user_agent()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._closed = False

    # -- session lifecycle -----------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def owns_session(self) -> bool:
        return self._owns_session

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("this BillectaClient is closed")
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._connector_limit,
                limit_per_host=self._connector_limit_per_host,
                ssl=self._ssl if self._ssl is not None else True,
            )
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=self._timeout, trust_env=True
            )
        return self._session

    async def aclose(self) -> None:
        """Close the session the client created (a session passed in is left open)."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session and not session.closed:
            await session.close()

    def unclosed_session(self) -> bool:
        """True when the client owns an open session (used to warn on garbage collection)."""
        return self._owns_session and self._session is not None and not self._session.closed

    # -- requests --------------------------------------------------------------------------

    def build_url(
        self,
        path: str,
        path_params: Mapping[str, str | None],
        query: Sequence[tuple[str, str | None]],
    ) -> URL:
        """The URL: path parameters quoted into ``path``, unset query parameters left out."""
        for name, value in path_params.items():
            if value is None:
                raise ParameterError(name, value, "this path parameter is required")
            path = path.replace("{" + name + "}", quote(value, safe=""))
        pairs = [f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query if v is not None]
        text = self.base_url + path + ("?" + "&".join(pairs) if pairs else "")
        return URL(text, encoded=True)

    def encode_body(self, body: Model | Sequence[Any], model: ListOf[Any] | None) -> bytes:
        return to_json(body, model) if self.format == "json" else to_xml(body, model)

    def headers(self, options: Mapping[str, Any], has_body: bool) -> dict[str, str]:
        headers = {
            "Accept": _CONTENT_TYPES[self.format],
            "Authorization": self._auth.header(),
            "User-Agent": self._user_agent,
        }
        if has_body:
            headers["Content-Type"] = f"{_CONTENT_TYPES[self.format]}; charset=utf-8"
        unique_id = options.get("unique_api_call_id")
        if unique_id is not None:
            headers["UniqueApiCallId"] = check_unique_api_call_id(unique_id)
        extra = options.get("headers")
        if extra:
            for key, value in extra.items():
                if key.lower() == "authorization":
                    raise ParameterError("headers", key, "Authorization is set by the client")
                headers[key] = value
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | None] | None = None,
        query: Sequence[tuple[str, str | None]] = (),
        body: Model | Sequence[Any] | None = None,
        body_model: ListOf[Any] | None = None,
        response: ResponseSpec = None,
        options: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one request and decode the answer as ``response`` describes.

        ``response`` is a model class, a ``ListOf`` (gives a list), ``bytes`` (the raw body) or
        ``None`` (no body expected).
        """
        options = options or {}
        unknown = options.keys() - _OPTION_NAMES
        if unknown:
            raise TypeError(f"unexpected request options: {', '.join(sorted(unknown))}")
        url = self.build_url(path, path_params or {}, query)
        data = self.encode_body(body, body_model) if body is not None else None
        headers = self.headers(options, data is not None)
        timeout = options.get("timeout")
        request_timeout = (
            aiohttp.ClientTimeout(total=float(timeout)) if timeout is not None else None
        )
        session = self._get_session()
        try:
            async with session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=request_timeout if request_timeout is not None else self._timeout,
                proxy=self._proxy,
                ssl=self._ssl if self._ssl is not None else True,
                allow_redirects=False,
            ) as answer:
                raw = await answer.read()
                if answer.status >= 400:
                    raise error_from_response(
                        status=answer.status,
                        headers=answer.headers,
                        raw_headers=answer.raw_headers,
                        body=raw,
                        method=method,
                        path=path,
                        unique_api_call_id=headers.get("UniqueApiCallId"),
                    )
                content_type = answer.headers.get("Content-Type", "")
        except asyncio.TimeoutError as exc:
            raise RequestTimeoutError("timed out", method=method, path=path) from exc
        except aiohttp.ClientError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", method=method, path=path) from exc
        return self.decode_response(raw, content_type, response, method, path)

    def decode_response(
        self, raw: bytes, content_type: str, response: ResponseSpec, method: str, path: str
    ) -> Any:
        if response is None:
            return None
        if response is bytes:
            return raw
        if not raw.strip():
            raise DecodeError(
                f"{method} {path}: empty response body, expected {_spec_name(response)}",
                has_value=False,
            )
        fmt = _format_of(content_type) or self.format
        model: Any = response
        if fmt == "json":
            return from_json(raw, model)
        return from_xml(raw, model)

    @contextlib.asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | None] | None = None,
        query: Sequence[tuple[str, str | None]] = (),
        body: Model | Sequence[Any] | None = None,
        body_model: ListOf[Any] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[ByteStream]:
        """Send one request and give its binary answer as a :class:`ByteStream`, read as it
        arrives (``async with transport.stream(...) as stream``).

        Built like :meth:`request` (same URL, headers, options and errors), except that the body
        is not read: an error status is raised on entering the block, and the connection stays
        open until the block is left. Without a per-call ``timeout`` the client's connect and
        read timeouts apply but not its total, so a large body may take longer to arrive. A
        stream is never retried once its body has started.
        """
        options = options or {}
        unknown = options.keys() - _OPTION_NAMES
        if unknown:
            raise TypeError(f"unexpected request options: {', '.join(sorted(unknown))}")
        url = self.build_url(path, path_params or {}, query)
        data = self.encode_body(body, body_model) if body is not None else None
        headers = self.headers(options, data is not None)
        seconds = options.get("timeout")
        timeout = (
            aiohttp.ClientTimeout(total=float(seconds))
            if seconds is not None
            else aiohttp.ClientTimeout(
                total=None,
                connect=self._timeout.connect,
                sock_connect=self._timeout.sock_connect,
                sock_read=self._timeout.sock_read,
            )
        )
        session = self._get_session()
        try:
            answer = await session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=timeout,
                proxy=self._proxy,
                ssl=self._ssl if self._ssl is not None else True,
                allow_redirects=False,
            )
        except asyncio.TimeoutError as exc:
            raise RequestTimeoutError("timed out", method=method, path=path) from exc
        except aiohttp.ClientError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", method=method, path=path) from exc
        try:
            if answer.status >= 400:
                try:
                    raw = await answer.read()
                except (asyncio.TimeoutError, aiohttp.ClientError):
                    raw = b""
                raise error_from_response(
                    status=answer.status,
                    headers=answer.headers,
                    raw_headers=answer.raw_headers,
                    body=raw,
                    method=method,
                    path=path,
                    unique_api_call_id=headers.get("UniqueApiCallId"),
                )
            yield ByteStream(answer, method=method, path=path)
        finally:
            if answer.content.at_eof():
                answer.release()  # the body was read to its end: the connection can be reused
            else:
                answer.close()


def _spec_name(spec: ResponseSpec) -> str:
    if isinstance(spec, ListOf):
        return spec.wire_name
    return getattr(spec, "__wire_name__", getattr(spec, "__name__", "a body"))


def _format_of(content_type: str) -> Format | None:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind.endswith("json"):
        return "json"
    if kind.endswith("xml"):
        return "xml"
    return None


# -- errors --------------------------------------------------------------------------------

_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    429: RateLimitedError,
}


def _header_latin1(raw_headers: Sequence[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in raw_headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _error_fields(body: bytes) -> dict[str, str | None] | None:
    """Message, ExternalErrorCode and RequestContent from a Billecta error body (JSON or XML)."""
    text = body.strip()
    if not text:
        return None
    keys = ("Message", "ExternalErrorCode", "RequestContent")
    if text[:1] in (b"{", b"["):
        try:
            doc = orjson.loads(text)
        except orjson.JSONDecodeError:
            return None
        if isinstance(doc, dict) and "Message" in doc:
            return {k: None if doc.get(k) is None else str(doc.get(k)) for k in keys}
        return None
    if text[:1] == b"<":
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            root = etree.fromstring(text, parser)
        except etree.XMLSyntaxError:
            return None
        found = {child.tag: child.text for child in root if isinstance(child.tag, str)}
        if "Message" in found:
            return {k: found.get(k) for k in keys}
    return None


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())


def error_from_response(
    *,
    status: int,
    headers: Mapping[str, str],
    raw_headers: Sequence[tuple[bytes, bytes]],
    body: bytes,
    method: str,
    path: str,
    unique_api_call_id: str | None,
) -> APIStatusError:
    """The typed error for an error answer, with what Billecta said in body and header."""
    fields = _error_fields(body)
    excerpt = None
    if fields is None:
        excerpt = body[:200].decode("utf-8", "replace").strip() or "<empty body>"
    kwargs: dict[str, Any] = {
        "status": status,
        "method": method,
        "path": path,
        "message": fields["Message"] if fields else None,
        "external_error_code": fields["ExternalErrorCode"] if fields else None,
        "request_content": fields["RequestContent"] if fields else None,
        "error_message_header": _header_latin1(raw_headers, b"errormessage"),
        "body_excerpt": excerpt,
        "unique_api_call_id": unique_api_call_id,
    }
    if status == 403 and unique_api_call_id is not None:
        return DuplicateRequestError(**kwargs)
    if status == 429:
        return RateLimitedError(retry_after=_retry_after(headers.get("Retry-After")), **kwargs)
    if status >= 500:
        return ServerError(**kwargs)
    cls = _STATUS_ERRORS.get(status, APIStatusError)
    return cls(**kwargs)
