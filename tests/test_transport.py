"""The transport: URLs, auth, formats, per-call options, Billecta's errors, session ownership."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import ssl
import warnings
from collections.abc import Callable
from datetime import date
from typing import Any

import aiohttp
import pytest
from _servers import raw_http_server
from aiohttp import web
from aiohttp.test_utils import TestServer
from aioresponses import CallbackResult

import billecta_async.models as m
from billecta_async import (
    APIStatusError,
    BadRequestError,
    BillectaClient,
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
from billecta_async.testing import BillectaEmulator

BASE = "https://api.test.invalid"
CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
PRODUCT = "5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
ANY_URL = re.compile(r"https://api\.test\.invalid/.*")


def client(**kwargs: Any) -> BillectaClient:
    kwargs.setdefault("secure_token", "token")
    kwargs.setdefault("base_url", BASE)
    kwargs.setdefault("max_retries", 0)  # one answer per call here; retries: test_retries.py
    return BillectaClient(**kwargs)


def recorder(
    status: int = 200,
    body: bytes = b"",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> tuple[list[dict[str, Any]], Callable[..., CallbackResult]]:
    seen: list[dict[str, Any]] = []

    def record(url: Any, **request: Any) -> CallbackResult:
        seen.append({"url": url, **request})
        return CallbackResult(
            status=status, body=body, content_type=content_type, headers=headers or {}
        )

    return seen, record


# -- URL building ---------------------------------------------------------------------------


async def test_url_quotes_values_keeps_query_order_and_leaves_out_unset_ones() -> None:
    sent: list[str] = []  # the request targets as they arrived

    async def handle(request: web.Request) -> web.Response:
        sent.append(request.raw_path)
        return web.Response(body=b"[]", content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    async with TestServer(app) as server, client(base_url=str(server.make_url(""))) as api:
        await api.products.list_by_description(CREDITOR, "Sofa & co/ä", skip=0, take=10)
        await api.invoices.postpone("a/b c", to_date=date(2026, 1, 2))  # days left out
        await api.invoices.postpone("a.b", days=3)
    assert sent == [
        f"/v1/products/productsbydescription/{CREDITOR}"
        "?description=Sofa%20%26%20co%2F%C3%A4&skip=0&take=10",
        "/v1/invoice/postpone/a%2Fb%20c?date=2026-01-02",
        "/v1/invoice/postpone/a.b?days=3",
    ]


async def test_url_without_query_and_a_base_url_ending_in_a_slash(mock_http: Any) -> None:
    seen, record = recorder(body=b"[]")
    mock_http.add(re.compile(r"http://127\.0\.0\.1:8080/.*"), "GET", callback=record)
    async with client(base_url="http://127.0.0.1:8080/") as api:
        await api.users.list()
    assert str(seen[0]["url"]) == "http://127.0.0.1:8080/v1/users/users"


async def test_missing_path_parameter_is_refused(mock_http: Any) -> None:
    async with client() as api:
        with pytest.raises(ParameterError, match="action_public_id"):
            await api.invoices.get(None)  # type: ignore[arg-type]
    assert not mock_http.requests


# -- auth and headers -----------------------------------------------------------------------


async def test_secure_token_is_sent_base64_encoded_as_the_guide_shows(mock_http: Any) -> None:
    seen, record = recorder(body=m.Product(description="x").to_json())
    mock_http.add(ANY_URL, "GET", callback=record)
    async with client(secure_token="5Uis54EmQ/9jJtGhQoS8K9xHRsMXQhZg==") as api:
        await api.products.get(PRODUCT)
    headers = seen[0]["headers"]
    assert headers["Authorization"] == (
        "SecureToken NVVpczU0RW1RLzlqSnRHaFFvUzhLOXhIUnNNWFFoWmc9PQ=="
    )
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"].startswith("billecta-async/")


async def test_basic_auth_as_the_guide_shows(mock_http: Any) -> None:
    seen, record = recorder(body=m.Product(description="x").to_json())
    mock_http.add(ANY_URL, "GET", callback=record)
    async with BillectaClient(username="Alladin", password="Sesame, open", base_url=BASE) as api:
        await api.products.get(PRODUCT)
    assert seen[0]["headers"]["Authorization"] == "Basic QWxsYWRpbjpTZXNhbWUsIG9wZW4="


async def test_xml_client_sends_and_accepts_xml(mock_http: Any) -> None:
    seen, record = recorder(
        body=m.Created(public_id="abc").to_xml(), content_type="application/xml"
    )
    mock_http.add(ANY_URL, "POST", callback=record)
    async with client(format="xml") as api:
        created = await api.products.create(
            m.Product(description="Sofa", creditor_public_id=CREDITOR)
        )
    assert created == m.Created(public_id="abc")
    headers = seen[0]["headers"]
    assert headers["Accept"] == "application/xml"
    assert headers["Content-Type"] == "application/xml; charset=utf-8"
    assert seen[0]["data"].startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<Product ')


async def test_response_format_follows_the_content_type(mock_http: Any) -> None:
    # A JSON client that receives XML (e.g. a proxy ignoring Accept) still decodes it.
    _, record = recorder(body=m.Product(description="x").to_xml(), content_type="application/xml")
    mock_http.add(ANY_URL, "GET", callback=record)
    async with client() as api:
        assert (await api.products.get(PRODUCT)).description == "x"


def test_credentials_are_required_and_exclusive() -> None:
    with pytest.raises(ValueError, match="credentials"):
        BillectaClient()
    with pytest.raises(ValueError, match="not both"):
        BillectaClient(secure_token="t", username="u", password="p")
    with pytest.raises(ValueError, match="format"):
        BillectaClient(secure_token="t", format="yaml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="base_url"):
        BillectaClient(secure_token="t", base_url="ftp://x")


@pytest.mark.parametrize(
    ("settings", "error", "named"),
    [
        ({"secure_token": 5318008}, TypeError, "secure_token must be a str"),
        ({"secure_token": b"s3cret-token"}, TypeError, "secure_token must be a str"),
        ({"username": "u", "password": 5318008}, TypeError, "password must be a str"),
        ({"username": 5, "password": "p"}, TypeError, "username must be a str"),
        ({"connector_limit": -1}, ValueError, "connector_limit must be"),
        ({"connector_limit": "x"}, ValueError, "connector_limit must be"),
        ({"connector_limit_per_host": -2}, ValueError, "connector_limit_per_host must be"),
        ({"proxy": 5}, ValueError, "proxy must be"),
        ({"user_agent": 5}, ValueError, "user_agent must be"),
        ({"user_agent": "a\r\nX-Injected: 1"}, ValueError, "user_agent must be"),
        ({"session": 5}, TypeError, "session must be an aiohttp.ClientSession"),
        ({"rate_limits": "x"}, TypeError, "rate_limits must be"),
        ({"error_budget": 5}, TypeError, "error_budget must be"),
        ({"backoff": 5}, TypeError, "backoff must be"),
        ({"clock": 5}, TypeError, "clock must be"),
    ],
)
def test_bad_client_settings_are_refused_naming_them(
    settings: dict[str, Any], error: type[Exception], named: str
) -> None:
    """Not an AttributeError or TypeError from deep inside on the first call, nor (a negative
    connection limit) every call waiting for a connection until it times out. A credential's
    value is never shown."""
    if "username" not in settings:
        settings.setdefault("secure_token", "t")
    with pytest.raises(error, match=f"^{re.escape(named)}") as caught:
        BillectaClient(base_url=BASE, **settings)
    assert "5318008" not in str(caught.value) and "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("base_url", "named"),
    [
        ("https://bob:hunter2@api.test.invalid", "base_url must not hold a user name or password"),
        ("https://bob@api.test.invalid", "base_url must not hold a user name or password"),
        ("https://api.test.invalid/?x=1", "base_url must not have a query or fragment"),
        ("https://api.test.invalid/#top", "base_url must not have a query or fragment"),
        (None, "base_url must be an http(s) URL"),
    ],
)
def test_a_base_url_with_credentials_query_or_fragment_is_refused(
    base_url: str | None, named: str
) -> None:
    """Credentials in it showed in the client's repr and made aiohttp refuse every call deep
    inside; a query or fragment had every path appended after it."""
    with pytest.raises(ValueError, match=f"^{re.escape(named)}") as caught:
        BillectaClient(secure_token="t", base_url=base_url)  # type: ignore[arg-type]
    assert "hunter2" not in str(caught.value)


def test_credentials_never_appear_in_reprs() -> None:
    api = BillectaClient(username="u", password="hunter2", base_url=BASE)
    assert "hunter2" not in repr(api) and "hunter2" not in repr(api._transport._auth)
    token_api = client(secure_token="s3cr3t")
    assert "s3cr3t" not in repr(token_api._transport._auth)


def test_from_env() -> None:
    api = BillectaClient.from_env(
        {"BILLECTA_SECURE_TOKEN": "t", "BILLECTA_ENVIRONMENT": "test", "BILLECTA_FORMAT": "XML"}
    )
    assert api.base_url == BillectaClient.TEST_URL and api.format == "xml"
    api = BillectaClient.from_env({"BILLECTA_USERNAME": "u", "BILLECTA_PASSWORD": "p"})
    assert api.base_url == BillectaClient.PRODUCTION_URL
    api = BillectaClient.from_env(
        {"BILLECTA_SECURE_TOKEN": "t", "BILLECTA_BASE_URL": "http://127.0.0.1:9/"}
    )
    assert api.base_url == "http://127.0.0.1:9"
    with pytest.raises(ValueError, match="BILLECTA_SECURE_TOKEN"):
        BillectaClient.from_env({})
    with pytest.raises(ValueError, match="BILLECTA_ENVIRONMENT"):
        BillectaClient.from_env({"BILLECTA_SECURE_TOKEN": "t", "BILLECTA_ENVIRONMENT": "dev"})


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1 is deprecated:DeprecationWarning")
def test_tls_below_1_2_is_refused() -> None:
    weak = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    weak.minimum_version = ssl.TLSVersion.TLSv1
    with pytest.raises(ValueError, match=r"TLS 1\.2"):
        client(ssl_context=weak)
    default = client()._transport._ssl
    assert default is not None and default.minimum_version >= ssl.TLSVersion.TLSv1_2


# -- per-call options -----------------------------------------------------------------------


async def test_per_call_headers_and_unique_api_call_id(mock_http: Any) -> None:
    seen, record = recorder(body=m.Created(public_id="1").to_json())
    mock_http.add(ANY_URL, "POST", callback=record)
    async with client() as api:
        await api.products.create(
            m.Product(description="x"), unique_api_call_id="order-42", headers={"X-Trace": "t1"}
        )
    assert seen[0]["headers"]["UniqueApiCallId"] == "order-42"
    assert seen[0]["headers"]["X-Trace"] == "t1"


@pytest.mark.parametrize("bad", ["", "x" * 51, "bad\nid", "ö"])
async def test_invalid_unique_api_call_id_is_refused_before_sending(
    bad: str, mock_http: Any
) -> None:
    async with client() as api:
        with pytest.raises(ParameterError, match="unique_api_call_id"):
            await api.products.create(m.Product(description="x"), unique_api_call_id=bad)
    assert mock_http.requests == {}


async def test_unique_api_call_id_as_a_header_is_sent_once_and_checked(mock_http: Any) -> None:
    seen, record = recorder(body=m.Created(public_id="1").to_json())
    mock_http.add(ANY_URL, "POST", callback=record)
    async with client() as api:
        await api.products.create(m.Product(description="x"), headers={"uniqueAPICallId": "o-1"})
        with pytest.raises(ParameterError, match="unique_api_call_id"):
            await api.products.create(m.Product(description="x"), headers={"UniqueApiCallId": ""})
    (sent,) = seen
    assert [k for k in sent["headers"] if k.lower() == "uniqueapicallid"] == ["UniqueApiCallId"]
    assert sent["headers"]["UniqueApiCallId"] == "o-1"


async def test_authorization_cannot_be_overridden_per_call(mock_http: Any) -> None:
    async with client() as api:
        with pytest.raises(ParameterError, match="Authorization"):
            await api.products.get(PRODUCT, headers={"authorization": "x"})


async def test_per_call_timeout(mock_http: Any) -> None:
    seen, record = recorder(body=m.Product().to_json())
    mock_http.add(ANY_URL, "GET", callback=record)
    async with client() as api:
        await api.products.get(PRODUCT, timeout=1.5)
    assert seen[0]["timeout"].total == 1.5


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "30", True, [1]])
async def test_a_per_call_timeout_that_bounds_nothing_is_refused_before_sending(
    mock_http: Any, bad: object
) -> None:
    """aiohttp takes a total of 0, below 0 or NaN as no timeout at all (the call could wait
    for ever) and fails deep inside on infinity: each is a ParameterError naming it."""
    seen, record = recorder(body=m.Product().to_json())
    mock_http.add(ANY_URL, "GET", callback=record)
    async with client() as api:
        with pytest.raises(ParameterError, match=r"^timeout: expected") as caught:
            await api.products.get(PRODUCT, timeout=bad)  # type: ignore[arg-type]
    assert caught.value.name == "timeout" and caught.value.attempts == 0
    assert not seen


@pytest.mark.parametrize("bad", [0, -5, float("nan"), float("inf"), "60", None])
def test_a_client_timeout_that_bounds_nothing_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match=r"^timeout must be .* \(got "):
        client(timeout=bad)


@pytest.mark.parametrize(
    ("headers", "named", "shown"),
    [
        ({"X-Trace": 1}, "headers['X-Trace']", "<int>"),
        ({"X-Trace": None}, "headers['X-Trace']", "<NoneType>"),
        ({"X-Trace": b"abc"}, "headers['X-Trace']", "<bytes>"),
        ({"X-Trace": "a\r\nX-Injected: 1"}, "headers['X-Trace']", "<str with a line break>"),
        ({"X Trace": "b"}, "headers", "'X Trace'"),
        ({"X-Trace:": "b"}, "headers", "'X-Trace:'"),
        ({1: "x"}, "headers", "1"),
        ("X-Trace: 1", "headers", "<str>"),
    ],
)
async def test_bad_extra_headers_are_refused_before_sending(
    mock_http: Any, headers: Any, named: str, shown: str
) -> None:
    """Not a TypeError or ValueError from deep inside aiohttp (nor a 400 from the server
    counted against the error budget): a ParameterError naming the header. A value is never
    shown, only its type: it may be a credential."""
    async with client() as api:
        with pytest.raises(ParameterError) as caught:
            await api.products.get(PRODUCT, headers=headers)
    assert caught.value.name == named and str(caught.value).startswith(f"{named}: expected")
    assert str(caught.value).endswith(f"(got {shown})")
    assert mock_http.requests == {}


@pytest.mark.parametrize("dots", [".", ".."])
async def test_an_id_that_is_a_dot_segment_is_refused_before_sending(
    mock_http: Any, dots: str
) -> None:
    """``DELETE /v1/invoice/action/..`` is ``DELETE /v1/invoice/`` to the server or a proxy
    (they resolve dot segments): another endpoint than the one called."""
    async with client() as api:
        with pytest.raises(
            ParameterError, match=r"^action_public_id: expected an id, not a dot segment"
        ) as caught:
            await api.invoices.delete(dots)
    assert caught.value.value == dots and mock_http.requests == {}


async def test_unknown_option_is_a_type_error() -> None:
    async with client() as api:
        with pytest.raises(TypeError, match="retries"):
            await api.products.get(PRODUCT, retries=3)  # type: ignore[call-arg]


async def test_bad_parameters_are_refused_before_sending(mock_http: Any) -> None:
    async with client() as api:
        with pytest.raises(ParameterError, match=r"product_public_id: expected a GUID"):
            await api.products.get("not-a-guid")
        with pytest.raises(ParameterError, match=r"take: expected 0 to 100"):
            await api.products.list_by_description(CREDITOR, "x", skip=0, take=500)
        with pytest.raises(ParameterError, match=r"take: expected an integer \(got '5'\)"):
            await api.products.list_by_description(CREDITOR, "x", skip=0, take="5")  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"message: expected a string \(got 5\)"):
            await api.payments.create_swish_payment("action-1", "46701234567", message=5)  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"message: expected at most 50 letters"):
            await api.payments.create_swish_payment("action-1", "46701234567", message="x" * 51)
        with pytest.raises(ParameterError, match=r"ascending: expected True or False"):
            await api.products.list(CREDITOR, ascending="yes")  # type: ignore[arg-type]
        # (not iterable: this was a TypeError from inside list())
        with pytest.raises(ParameterError, match=r"^action_public_ids: expected a list of str"):
            await api.invoices.merge(7)  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"^action_public_ids: expected a list of str"):
            await api.invoices.list_rot_processed(b"a,b", CREDITOR, date(2024, 1, 1))  # type: ignore[arg-type]
    assert mock_http.requests == {}


async def test_invoice_events_take_dates_like_the_other_event_listings(mock_http: Any) -> None:
    # The reference types this listing's from/to as strings, and a date was refused with
    # "expected a string" (the debt collection and reconciliation event listings take dates).
    seen, record = recorder(body=b"[]")
    mock_http.add(ANY_URL, "GET", callback=record, repeat=True)
    async with client() as api:
        await api.invoices.list_events(CREDITOR, date(2024, 1, 1), date(2024, 1, 31))
        await api.invoices.list_events(CREDITOR, "2024-01-01", "2024-01-31")
        with pytest.raises(ParameterError, match=r"^to_date: expected a string \(got 5\)"):
            await api.invoices.list_events(CREDITOR, "2024-01-01", 5)  # type: ignore[arg-type]
    assert [str(s["url"]).split("?")[1] for s in seen] == ["from=2024-01-01&to=2024-01-31"] * 2


async def test_required_arguments_and_bodies_are_checked_before_sending(mock_http: Any) -> None:
    # A None for a required query parameter or body was sent without it (Billecta answers 400,
    # which counts against the error budget); a None path id was named by its documented name
    # ("id"); a body of another model was sent as that model; a single model or a string
    # given for a list body failed deep inside with a TypeError or an EncodeError.
    product = m.Product(description="x")
    async with client() as api:
        with pytest.raises(ParameterError, match=r"^product: the request body is required"):
            await api.products.create(None)  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"^to_date: this argument is required"):
            await api.accounting.update_locked_period(CREDITOR, None)  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"^product_public_id: this argument is required"):
            await api.products.get(None)  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"^product: expected a Product \(got Debtor"):
            await api.products.create(m.Debtor(name="x"))  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"^product: expected a Product \(got \{"):
            await api.products.create({"Description": "x"})  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"^products: expected a list of Product \(got P"):
            await api.products.create_many(product)  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"^products: expected a list of Product \(got '"):
            await api.products.create_many("xy")  # type: ignore[arg-type]
        with pytest.raises(ParameterError, match=r"^products: expected a list of Product; an item"):
            await api.products.create_many([product, m.Debtor(name="x")])  # type: ignore[list-item]
        with pytest.raises(ParameterError, match=r"^products: expected a list of Product; an item"):
            await api.products.create_many([product, None])  # type: ignore[list-item]
    assert mock_http.requests == {}


async def test_a_list_body_may_be_any_iterable_of_its_models(mock_http: Any) -> None:
    seen, record = recorder(body=m.Created(public_id="1").to_json())
    mock_http.add(ANY_URL, "POST", callback=record, repeat=True)
    async with client() as api:
        await api.products.create_many(m.Product(description=d) for d in "ab")
        await api.products.create_many(())
    assert [json.loads(s["data"]) for s in seen] == [
        [{"Description": "a"}, {"Description": "b"}],
        [],
    ]


# -- Billecta's errors ----------------------------------------------------------------------

ERROR_JSON = (
    b'{"Message": "Debtor name is missing", "ExternalErrorCode": "E123", "RequestContent": "{}"}'
)
ERROR_XML = (
    b'<?xml version="1.0" encoding="utf-8"?><Error><Message>Debtor name is missing</Message>'
    b"<ExternalErrorCode>E123</ExternalErrorCode><RequestContent>{}</RequestContent></Error>"
)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, APIStatusError),
        (429, RateLimitedError),
        (500, ServerError),
        (503, ServerError),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_error_statuses_map_to_typed_errors(
    status: int, error: type[APIStatusError], fmt: str, mock_http: Any
) -> None:
    body, ctype = (
        (ERROR_JSON, "application/json") if fmt == "json" else (ERROR_XML, "application/xml")
    )
    _, record = recorder(
        status=status,
        body=body,
        content_type=ctype,
        headers={"ErrorMessage": "Debtor name is missing", "Retry-After": "7"},
    )
    mock_http.add(ANY_URL, "POST", callback=record)
    async with client(format=fmt, secure_token="topsecret") as api:  # type: ignore[arg-type]
        with pytest.raises(error) as caught:
            await api.products.create(m.Product(description="x"))
    exc = caught.value
    assert type(exc) is error
    assert exc.status == status
    assert exc.message == "Debtor name is missing"
    assert exc.external_error_code == "E123"
    assert exc.request_content == "{}"
    assert exc.error_message_header == "Debtor name is missing"
    assert exc.method == "POST" and exc.path == "/v1/products/product"
    assert "Debtor name is missing" in str(exc) and "topsecret" not in str(exc)
    if status == 429:
        assert isinstance(exc, RateLimitedError) and exc.retry_after == 7.0


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0),  # RFC 5322's UTC "of unknown local time"
        ("Fri, 21 Oct 2095 07:28:00 -0000", None),  # far ahead: only checked to be > 0
        ("soon", None),
    ],
)
async def test_a_429_with_any_retry_after_date_is_rate_limited(
    mock_http: Any, retry_after: str, expected: float | None
) -> None:
    """Not a TypeError (naive minus aware datetime) from inside the 429's handling."""
    _, record = recorder(status=429, body=ERROR_JSON, headers={"Retry-After": retry_after})
    mock_http.add(ANY_URL, "GET", callback=record)
    async with client() as api:
        with pytest.raises(RateLimitedError) as caught:
            await api.products.get(PRODUCT)
    if retry_after == "soon":
        assert caught.value.retry_after is None
    elif expected is None:
        assert caught.value.retry_after is not None and caught.value.retry_after > 3600
    else:
        assert caught.value.retry_after == expected


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_a_redirect_is_an_error_not_a_success(mock_http: Any, status: int) -> None:
    """A redirect (an http:// base_url, a proxy's login page) is not followed, and nothing
    was done: not ``None`` returned as if an attest had succeeded, nor the redirect's page
    given as a file's bytes."""
    for method in ("PUT", "GET"):
        _, record = recorder(
            status=status,
            body=b"Moved",
            content_type="text/plain",
            headers={"Location": "https://elsewhere.invalid/v1/x?orgno=198001139297"},
        )
        mock_http.add(ANY_URL, method, callback=record, repeat=True)
    async with client() as api:
        with pytest.raises(APIStatusError) as caught:
            await api.invoices.attest("action-1")
        with pytest.raises(APIStatusError):
            await api.files.get_content(PRODUCT)
        with pytest.raises(APIStatusError):
            async with api.files.get_content(PRODUCT).stream():
                pytest.fail("a redirect gave a stream")
    error = caught.value
    assert error.status == status and not error.maybe_processed
    assert str(error).startswith(f"PUT /v1/invoice/attest/{{id}} -> HTTP {status}")
    assert "redirect" in str(error) and "198001139297" not in str(error)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("space", [b"", b"\r\n "], ids=["bom", "bom-space"])
async def test_an_error_body_after_a_byte_order_mark_keeps_its_message(
    fmt: str, space: bytes, mock_http: Any
) -> None:
    body, ctype = (
        (ERROR_JSON, "application/json") if fmt == "json" else (ERROR_XML, "application/xml")
    )
    _, record = recorder(status=400, body=b"\xef\xbb\xbf" + space + body, content_type=ctype)
    mock_http.add(ANY_URL, "POST", callback=record)
    async with client(format=fmt) as api:  # type: ignore[arg-type]
        with pytest.raises(BadRequestError) as caught:
            await api.products.create(m.Product(description="x"))
    error = caught.value
    assert error.message == "Debtor name is missing" and error.external_error_code == "E123"
    assert error.body_excerpt is None and "HTTP 400: Debtor name is missing" in str(error)


async def test_403_on_a_unique_api_call_id_is_a_duplicate(mock_http: Any) -> None:
    _, record = recorder(status=403, body=b'{"Message": "Duplicate UniqueApiCallId"}')
    mock_http.add(ANY_URL, "POST", callback=record)
    async with client() as api:
        with pytest.raises(DuplicateRequestError) as caught:
            await api.products.create(m.Product(description="x"), unique_api_call_id="order-42")
    assert caught.value.unique_api_call_id == "order-42"
    assert isinstance(caught.value, ForbiddenError)


@pytest.mark.parametrize(
    ("body", "excerpt"),
    [
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "502 Bad Gateway"),
        (b"", "<empty body>"),
        (b'{"error": "nope"}', '{"error": "nope"}'),
    ],
)
async def test_non_billecta_error_bodies_still_give_a_clear_error(
    body: bytes, excerpt: str, mock_http: Any
) -> None:
    _, record = recorder(status=502, body=body, content_type="text/html")
    mock_http.add(ANY_URL, "GET", callback=record)
    async with client() as api:
        with pytest.raises(ServerError) as caught:
            await api.products.get(PRODUCT)
    assert caught.value.status == 502 and caught.value.message is None
    assert caught.value.body_excerpt is not None and excerpt in caught.value.body_excerpt
    assert "502" in str(caught.value)


async def test_connection_failure_is_a_transport_error(mock_http: Any) -> None:
    mock_http.add(ANY_URL, "GET", exception=aiohttp.ClientConnectionError("refused"))
    async with client() as api:
        with pytest.raises(TransportError) as caught:
            await api.products.get(PRODUCT)
    assert caught.value.method == "GET" and "refused" in str(caught.value)


async def test_timeout_is_a_request_timeout_error(mock_http: Any) -> None:
    mock_http.add(ANY_URL, "GET", exception=asyncio.TimeoutError())
    async with client() as api:
        with pytest.raises(RequestTimeoutError):
            await api.products.get(PRODUCT)


async def test_empty_body_where_a_model_is_documented_is_a_decode_error(mock_http: Any) -> None:
    _, record = recorder(body=b"")
    mock_http.add(ANY_URL, "GET", callback=record)
    async with client() as api:
        with pytest.raises(DecodeError, match="empty response body"):
            await api.products.get(PRODUCT)


async def test_error_message_header_is_decoded_as_iso_8859_1() -> None:
    message = "Fakturan är låst för ändring"
    body = message.encode("utf-8")
    response = (
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nErrorMessage: "
        + message.encode("latin-1")
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    async for base in raw_http_server(response):
        async with client(base_url=base) as api:
            with pytest.raises(BadRequestError) as caught:
                await api.products.get(PRODUCT)
    assert caught.value.error_message_header == message


# -- session ownership ----------------------------------------------------------------------


async def test_owned_session_is_closed_and_client_refuses_afterwards(mock_http: Any) -> None:
    _, record = recorder(body=m.Product().to_json())
    mock_http.add(ANY_URL, "GET", callback=record)
    api = client()
    await api.products.get(PRODUCT)
    session = api._transport._session
    assert session is not None and not session.closed
    await api.aclose()
    assert session.closed and api.closed
    with pytest.raises(RuntimeError, match="closed"):
        await api.products.get(PRODUCT)


async def test_entering_a_closed_client_is_refused(mock_http: Any) -> None:
    api = client()
    async with api:
        pass
    await api.aclose()  # again: nothing happens
    with pytest.raises(RuntimeError, match="this BillectaClient is closed"):
        async with api:
            pytest.fail("a closed client was entered")
    assert mock_http.requests == {}


async def test_callers_session_is_used_and_never_closed(mock_http: Any) -> None:
    seen, record = recorder(body=m.Product().to_json())
    mock_http.add(ANY_URL, "GET", callback=record)
    async with aiohttp.ClientSession() as session:
        async with client(session=session) as api:
            await api.products.get(PRODUCT)
        assert not session.closed
        assert len(seen) == 1


async def test_unclosed_client_warns_when_collected(mock_http: Any) -> None:
    _, record = recorder(body=m.Product().to_json())
    mock_http.add(ANY_URL, "GET", callback=record)
    api = client()
    await api.products.get(PRODUCT)
    session = api._transport._session
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del api
        gc.collect()
    assert any(
        issubclass(w.category, ResourceWarning) and "BillectaClient" in str(w.message)
        for w in caught
    )
    assert session is not None
    await session.close()


async def test_closed_without_use_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        api = client()
        del api
        gc.collect()


async def test_paging_parameters_are_checked_before_sending(mock_http: Any) -> None:
    async with client() as api:
        with pytest.raises(ParameterError, match=r"offset: expected 0 or more"):
            await api.products.list(CREDITOR, offset=-1)
        with pytest.raises(ParameterError, match=r"limit: expected 1 or more"):
            await api.debtors.list(CREDITOR, limit=0)
    assert mock_http.requests == {}


async def test_a_yarl_url_is_taken_as_base_url_and_proxy() -> None:
    """aiohttp's own URL type, which aiohttp takes for both, was taken before the settings
    were checked at construction (the check then asked for a str)."""
    from yarl import URL

    api = BillectaClient(
        secure_token="t", base_url=URL("https://api.test.invalid/v/"), proxy=URL("http://p:3128")
    )
    assert api.base_url == "https://api.test.invalid/v"
    assert api._transport._proxy == URL("http://p:3128")
    with pytest.raises(ValueError, match=r"^base_url must not hold"):
        BillectaClient(secure_token="t", base_url=URL("https://bob:hunter2@api.test.invalid"))
    await api.aclose()


async def test_an_empty_user_agent_sends_the_sdks_own(mock_http: Any) -> None:
    """As before the settings were checked at construction (``user_agent or`` the SDK's):
    an unset variable read as ``""`` is not refused."""
    seen, record = recorder(body=m.Product(description="x").to_json())
    mock_http.add(ANY_URL, "GET", callback=record)
    async with client(user_agent="") as api:
        await api.products.get(PRODUCT)
    assert seen[0]["headers"]["User-Agent"].startswith("billecta-async/")


async def test_connector_limits_of_none_mean_no_limit(
    billecta_emulator: BillectaEmulator,
) -> None:
    """aiohttp takes (and documented) ``limit=None`` as no limit; the client passed it on
    before its settings were checked at construction."""
    async with billecta_emulator.client(connector_limit=None, connector_limit_per_host=None) as api:
        assert await api.debtors.list(billecta_emulator.creditor_public_id) == []
        connector = api._transport._get_session().connector
        assert connector is not None and connector.limit == 0 and connector.limit_per_host == 0


# -- generated UniqueApiCallIds -------------------------------------------------------------


def test_generated_call_ids_are_128_random_bits_and_never_repeat_across_refills() -> None:
    from billecta_async._transport import new_call_id

    ids = [new_call_id() for _ in range(1000)]  # several draws of 256
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_process_never_uses_its_parents_drawn_call_ids() -> None:
    from billecta_async._transport import _CALL_IDS, new_call_id

    new_call_id()  # the parent holds drawn, unused ids
    parents_pool = set(_CALL_IDS)
    assert parents_pool
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its first id and leave at once
        os.write(write, new_call_id().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    childs = os.read(read, 64).decode()
    os.close(read)
    assert re.fullmatch(r"[0-9a-f]{32}", childs)
    assert childs not in parents_pool
