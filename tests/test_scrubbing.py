"""No credential, filled-in path, query or personal number in any error: a sweep over every
kind of failure, each raised by a call whose path holds a creditor id and whose query holds a
personal identity number, made with a SecureToken and with a username and password.

For each error, everything a user or a logging tool could print is searched:
``traceback.format_exception(error)`` and the ``str``, ``repr`` and ``args`` of every exception
in its ``__cause__``/``__context__`` chain (which must hold only the SDK's own exceptions).
"""

from __future__ import annotations

import base64
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from _clocks import JumpClock
from _servers import never_answering_server, raw_http_server, serve_app, server_tls_context
from aiohttp import web

from billecta_async import (
    BadRequestError,
    BillectaClient,
    BillectaError,
    DecodeError,
    RequestTimeoutError,
    ResponseTooLargeError,
    TLSError,
    TransportError,
    UnderlyingError,
)

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
PERSON_NUMBER = "198001139297"
TOKEN = "5Uis54EmQ/9jJtGhQoS8K9xHRsMXQhZg=="
USERNAME = "jenny@example.com"
PASSWORD = "hunter2-Sesame"
CREDENTIALS = {
    "secure token": {"secure_token": TOKEN},
    "username and password": {"username": USERNAME, "password": PASSWORD},
}
FILLED_PATH = f"/v1/debtors/debtorsbyorgno/{CREDITOR}"
SECRETS = [
    TOKEN,
    base64.b64encode(TOKEN.encode()).decode(),
    PASSWORD,
    base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode(),
    "Authorization",
    FILLED_PATH,
    "orgno=",
    PERSON_NUMBER,
    "19800113-9297",
    "800113-9297",
    "8001139297",
]


def printed(error: BaseException) -> str:
    """Everything that printing or logging ``error`` could show."""
    parts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    todo: list[BaseException] = [error]
    while todo:
        link = todo.pop()
        if id(link) in seen:
            continue
        seen.add(id(link))
        assert isinstance(link, (BillectaError, UnderlyingError)), f"foreign link {type(link)}"
        parts += [str(link), repr(link), repr(link.args)]
        todo += [e for e in (link.__cause__, link.__context__) if e is not None]
    return "\n".join(parts)


# -- the failures ----------------------------------------------------------------------------------

Call = Callable[[BillectaClient], Awaitable[Any]]


async def by_org_no(api: BillectaClient) -> Any:
    return await api.debtors.list_by_org_no(CREDITOR, PERSON_NUMBER, "SE")


@asynccontextmanager
async def raw_server(response: bytes) -> AsyncIterator[str]:
    async for url in raw_http_server(response):
        yield url


@asynccontextmanager
async def app_server(
    status: int, body: bytes, headers: dict[str, str] | None = None, *, tls: bool = False
) -> AsyncIterator[str]:
    """Answers ``status`` and ``body`` (``{path_qs}`` in it: the path and query received)."""

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        echoed = body.replace(b"{path_qs}", request.raw_path.encode())  # what the client sent
        return web.Response(
            status=status, body=echoed, headers=headers, content_type="application/json"
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    async with serve_app(app, ssl_context=server_tls_context() if tls else None) as url:
        yield url.replace("http://", "https://") if tls else url


ECHO = (
    b'{"Message": "Debtor with OrgNo 198001139297 (19800113-9297) is invalid",'
    b' "ExternalErrorCode": "E1", "RequestContent": "GET /v1/debtors/debtorsbyorgno/'
    + CREDITOR.encode()
    + b'?orgno=198001139297 Authorization: SecureToken xyz"}'
)

CASES: dict[str, tuple[Callable[[], Any], type[BillectaError], dict[str, Any]]] = {
    "malformed status line": (
        lambda: raw_server(b"HTTP/1.1 2OO OK 198001139297\r\n\r\n"),
        TransportError,
        {},
    ),
    "oversized header": (
        lambda: raw_server(b"HTTP/1.1 200 OK\r\nX-Echo: 198001139297 " + b"a" * 9000 + b"\r\n\r\n"),
        TransportError,
        {},
    ),
    "truncated body": (
        lambda: raw_server(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n"
            b'[{"OrgNo": "198001139297"'
        ),
        TransportError,
        {},
    ),
    "TLS failure": (
        lambda: app_server(200, b"[]", tls=True),
        TLSError,
        {},
    ),
    "timeout": (never_answering_server, RequestTimeoutError, {"timeout": 0.2}),
    "decode error": (
        lambda: app_server(200, b'[{"OrgNo": 198001139297, "Name": "Jenny'),
        DecodeError,
        {},
    ),
    "decode error of a field": (
        lambda: app_server(200, b'[{"Created": "198001139297"}]'),
        DecodeError,
        {},
    ),
    "error body echoing the request": (
        lambda: app_server(400, ECHO, {"ErrorMessage": "OrgNo 198001139297 is invalid"}),
        BadRequestError,
        {},
    ),
    "proxy error page echoing the URL": (
        lambda: app_server(502, b"<html>Bad gateway: GET {path_qs}</html>"),
        BillectaError,
        {},
    ),
    "answer too large": (
        lambda: app_server(200, b'[{"OrgNo": "198001139297"}]' * 100),
        ResponseTooLargeError,
        {"max_response_size": 1000},
    ),
}


@pytest.mark.parametrize("credentials", CREDENTIALS.values(), ids=CREDENTIALS)
@pytest.mark.parametrize("case", CASES)
async def test_no_secret_or_personal_number_in_any_error(
    case: str, credentials: dict[str, str]
) -> None:
    serve, error_type, options = CASES[case]
    async with (
        serve() as url,
        BillectaClient(base_url=url, clock=JumpClock(), **credentials, **options) as api,
    ):
        with pytest.raises(error_type) as caught:
            await by_org_no(api)
    error = caught.value
    shown = printed(error)
    assert "GET /v1/debtors/debtorsbyorgno/{id}" in str(error)  # the path template
    leaked = [secret for secret in SECRETS if secret in shown]
    assert not leaked, shown


async def test_a_stream_failing_mid_body_is_scrubbed_too() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 900\r\n\r\n"
    async with (
        raw_server(head + b"%PDF 198001139297") as url,
        BillectaClient(secure_token=TOKEN, base_url=url) as api,
    ):
        with pytest.raises(TransportError) as caught:
            async with api.files.get_content(CREDITOR).stream() as stream:
                async for _ in stream.iter_chunks():
                    pass
    error = caught.value
    assert error.maybe_processed and error.attempts == 1 and "reading the body" in str(error)
    shown = printed(error)
    assert CREDITOR not in shown and TOKEN not in shown and "<masked>" not in str(error)


def test_digit_runs_like_personal_and_organisation_numbers_are_masked() -> None:
    from billecta_async._exceptions import mask_personal_numbers

    masked = mask_personal_numbers(
        "198001139297 19800113-9297 800113-9297 800113+9297 8001139297 556677-8899 "
        "SE556677889901 | kept: 2024-01-31 12345 123456789 12345678901 1234567890123 "
        "inv-42 00000000-0000-0000-0000-000000000404"
    )
    assert masked == (
        "<masked> <masked> <masked> <masked> <masked> <masked> SE<masked> | kept: 2024-01-31 "
        "12345 123456789 12345678901 1234567890123 inv-42 00000000-0000-0000-0000-000000000404"
    )


async def test_the_path_template_and_the_call_id_stay_readable() -> None:
    async with (
        app_server(500, b'{"Message": "Internal error"}') as url,
        BillectaClient(secure_token=TOKEN, base_url=url, clock=JumpClock()) as api,
    ):
        with pytest.raises(BillectaError) as caught:
            await api.invoices.attest(CREDITOR, unique_api_call_id="order-198001139297")
    text = str(caught.value)
    assert "PUT /v1/invoice/attest/{id} -> HTTP 500: Internal error" in text
    assert "unique_api_call_id='order-198001139297'" in text  # the id is never masked


@pytest.mark.parametrize("number", ["198001139297", "19800113-9297"])
@pytest.mark.parametrize("cut_after", [8, 10, 11])
async def test_a_personal_number_cut_by_the_body_excerpt_does_not_show(
    number: str, cut_after: int
) -> None:
    """An error page that is not Billecta's is shown by its first 200 bytes: a personal number
    they cut off (19800113929, 19800113-92) no longer looks like one, and must not show."""
    head = b"<html>Bad gateway for debtor "
    body = head + b"x" * (200 - len(head) - cut_after) + number.encode() + b"</html>"
    async with (
        app_server(502, body) as url,
        BillectaClient(secure_token=TOKEN, base_url=url, clock=JumpClock()) as api,
    ):
        with pytest.raises(BillectaError) as caught:
            await by_org_no(api)
    shown = printed(caught.value) + repr(getattr(caught.value, "body_excerpt", ""))
    assert "Bad gateway for debtor" in shown
    assert number[:cut_after] not in shown, shown
