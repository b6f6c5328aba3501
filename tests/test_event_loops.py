"""A client belongs to the event loop of its first call: on any other loop it says so."""

from __future__ import annotations

import asyncio
import gc
import http.server
import logging
import re
import threading
import warnings
from typing import Any

import pytest

from billecta_async import BillectaClient

BASE = "https://api.test.invalid"
PRODUCT = "5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
ANY_URL = re.compile(r"https://api\.test\.invalid/.*")


def get(api: BillectaClient) -> Any:
    return api.products.get(PRODUCT)


def test_a_client_used_on_a_second_loop_says_to_use_one_client_per_loop(mock_http: Any) -> None:
    mock_http.add(ANY_URL, "GET", payload={"ProductPublicId": PRODUCT}, repeat=True)
    api = BillectaClient(secure_token="t", base_url=BASE)
    first = asyncio.new_event_loop()
    try:
        first.run_until_complete(get(api))
        with pytest.raises(RuntimeError, match="one client per event loop") as caught:
            asyncio.run(get(api))  # e.g. a second asyncio.run in the same program
        assert "still open" in str(caught.value) and "asyncio.run" in str(caught.value)
        product = first.run_until_complete(get(api))  # its own loop still works
        assert product.product_public_id == PRODUCT
    finally:
        first.run_until_complete(api.aclose())
        first.close()
    assert sum(len(calls) for calls in mock_http.requests.values()) == 2


def test_a_client_used_after_its_loop_closed_says_what_to_do(mock_http: Any) -> None:
    mock_http.add(ANY_URL, "GET", payload={"ProductPublicId": PRODUCT}, repeat=True)
    api = BillectaClient(secure_token="t", base_url=BASE)
    asyncio.run(get(api))  # the loop is closed when asyncio.run returns
    with pytest.raises(RuntimeError, match="now closed") as caught:
        asyncio.run(get(api))
    assert "Event loop is closed" not in str(caught.value)
    assert "create one client per event loop" in str(caught.value)
    asyncio.run(api.aclose())  # nothing was left open: closing from here is possible
    assert api.closed


class _Answer(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client pools the connection

    def do_GET(self) -> None:
        body = b'{"ProductPublicId": "%s"}' % PRODUCT.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_pooled_connection_of_a_closed_loop_is_never_touched_from_another(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A real server in a thread: the first asyncio.run leaves a pooled keep-alive connection
    # bound to its (then closed) loop; aiohttp on its own would fail with a bare RuntimeError
    # "Event loop is closed" from deep inside, or hang.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")  # the sockets of the closed loop leak, as they must
            api = BillectaClient(secure_token="t", base_url=url)
            loop = asyncio.new_event_loop()
            loop.run_until_complete(get(api))
            loop.close()  # with the client still open and its connection pooled
            with pytest.raises(RuntimeError, match="create one client per event loop"):
                asyncio.run(get(api))
            with caplog.at_level(logging.WARNING, logger="billecta_async"):
                asyncio.run(api.aclose())
            assert "cannot be closed cleanly" in caplog.text and api.closed
            del api
            gc.collect()
    finally:
        server.shutdown()
        server.server_close()
