"""TLS: certificates are verified unless the user opts out by name, a failed handshake is a
TLSError that is never retried, and the default context is built once per process.

The server uses a self-signed certificate for 127.0.0.1 (tests/fixtures/tls, valid until 2126);
trusting it explicitly (``cafile=``) is how a verifying client reaches it.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from _clocks import JumpClock
from _servers import TLS_CERT, serve_app, server_tls_context
from aiohttp import web

from billecta_async import BillectaClient, TLSError, TransportError
from billecta_async._transport import default_tls_context

CERT = TLS_CERT
PRODUCT = "5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"


@asynccontextmanager
async def tls_server(*, tls: bool = True) -> AsyncIterator[tuple[str, list[str]]]:
    """An https server with the self-signed certificate (or, ``tls=False``, a plain http one
    that an https client fails to shake hands with); the requests it answered."""
    answered: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        answered.append(request.path)
        return web.json_response({"ProductPublicId": PRODUCT})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    async with serve_app(app, ssl_context=server_tls_context() if tls else None) as url:
        yield url.replace("http://", "https://"), answered


def unverified(kind: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=CERT)
    context.check_hostname = False
    if kind == "CERT_NONE":
        context.verify_mode = ssl.CERT_NONE
    return context


async def test_an_untrusted_certificate_is_a_tls_error_and_not_retried() -> None:
    clock = JumpClock()
    async with (
        tls_server() as (url, answered),
        BillectaClient(secure_token="t", base_url=url, clock=clock, max_retries=3) as api,
    ):
        with pytest.raises(TLSError) as caught:
            await api.products.get(PRODUCT)
    error = caught.value
    assert isinstance(error, TransportError)
    assert "certificate verify failed" in str(error) and "not retried" in str(error)
    assert error.attempts == 1 and not error.maybe_processed  # nothing was sent
    assert clock.sleeps == [] and answered == []


async def test_a_failed_handshake_is_a_tls_error_and_not_retried() -> None:
    clock = JumpClock()
    trusting = ssl.create_default_context(cafile=CERT)
    async with (
        tls_server(tls=False) as (url, answered),
        BillectaClient(secure_token="t", base_url=url, clock=clock, ssl_context=trusting) as api,
    ):
        with pytest.raises(TLSError) as caught:
            await api.invoices.attest(PRODUCT)  # a PUT: nothing left the client
    assert caught.value.attempts == 1 and not caught.value.maybe_processed
    assert clock.sleeps == [] and answered == []


async def test_a_context_that_verifies_reaches_the_server() -> None:
    async with (
        tls_server() as (url, answered),
        BillectaClient(
            secure_token="t", base_url=url, ssl_context=ssl.create_default_context(cafile=CERT)
        ) as api,
    ):
        product = await api.products.get(PRODUCT)
    assert product.product_public_id == PRODUCT and answered == [f"/v1/products/product/{PRODUCT}"]


@pytest.mark.parametrize("kind", ["CERT_NONE", "check_hostname=False"])
def test_a_context_that_does_not_verify_is_refused(kind: str) -> None:
    with pytest.raises(ValueError, match="allow_insecure_tls=True") as caught:
        BillectaClient(secure_token="t", ssl_context=unverified(kind))
    assert kind in str(caught.value)


@pytest.mark.parametrize("kind", ["CERT_NONE", "check_hostname=False"])
async def test_the_insecure_opt_in_is_explicit_and_warns(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="billecta_async")
    async with (
        tls_server() as (url, answered),
        BillectaClient(
            secure_token="t", base_url=url, ssl_context=unverified(kind), allow_insecure_tls=True
        ) as api,
    ):
        await api.products.get(PRODUCT)
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "TLS verification is off" in record.getMessage() and kind in record.getMessage()
    assert len(answered) == 1


def test_the_default_context_is_built_once_per_process(monkeypatch: Any) -> None:
    default_tls_context()  # built by an earlier client, or now
    built: list[object] = []
    real = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counting)
    first = BillectaClient(secure_token="t")._transport._ssl
    second = BillectaClient(secure_token="t", base_url=BillectaClient.TEST_URL)._transport._ssl
    assert first is second is default_tls_context() and built == []
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
    assert first.minimum_version == ssl.TLSVersion.TLSv1_2
