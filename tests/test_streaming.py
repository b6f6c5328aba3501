"""Binary answers: awaited whole, streamed (``.stream()``) or downloaded to a file
(``.download(path)``); and the deprecated ``stream_*``/``download_*`` aliases."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import os
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from _clocks import JumpClock
from _servers import never_answering_server, raw_http_server, serve_app, stalling_server
from aiohttp import web

from billecta_async import (
    BillectaClient,
    BinaryResponse,
    ByteStream,
    NotFoundError,
    ParameterError,
    RequestTimeoutError,
    TransportError,
)
from billecta_async._catalogue import Operation, catalogue
from billecta_async._transport import DEFAULT_READ_TIMEOUT
from billecta_async.testing import sample_model

FILE = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
BIG = "00000000-0000-0000-0000-00000000b160"
MISSING = "00000000-0000-0000-0000-000000000404"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"

BLOCK = bytes(range(256)) * 256  # 64 KiB
BIG_BLOCKS = 800  # 50 MiB


def big_digest() -> tuple[int, str]:
    digest = hashlib.sha256()
    for _ in range(BIG_BLOCKS):
        digest.update(BLOCK)
    return len(BLOCK) * BIG_BLOCKS, digest.hexdigest()


class Server:
    """Answers every binary endpoint with ``PDF``; ``BIG`` is 50 MiB generated on the fly."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes, Any]] = []
        self.transports: list[Any] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.requests.append((request.method, request.path_qs, body, request.transport))
        if request.path.endswith(MISSING):
            return web.json_response({"Message": "File not found"}, status=404)
        if request.path.endswith(BIG):
            return await self.big(request)
        return web.Response(
            body=PDF,
            content_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="invoice 1.pdf"'},
        )

    async def big(self, request: web.Request) -> web.StreamResponse:
        answer = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        answer.content_length = len(BLOCK) * BIG_BLOCKS
        await answer.prepare(request)
        self.transports.append(request.transport)
        for _ in range(BIG_BLOCKS):
            await answer.write(BLOCK)
        return answer


async def _serve(server: Server) -> AsyncIterator[BillectaClient]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    async with serve_app(app) as url, BillectaClient(secure_token="t", base_url=url) as client:
        yield client


@pytest.fixture
async def served() -> AsyncIterator[tuple[BillectaClient, Server]]:
    server = Server()
    async for client in _serve(server):
        yield client, server


def _truncating_server(total: int, sent: int) -> AsyncIterator[str]:
    """An HTTP server that announces ``total`` bytes, sends ``sent`` and hangs up."""
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {total}\r\n\r\n"
    return raw_http_server(head.encode() + b"x" * sent)


# -- every binary endpoint can be streamed and downloaded -----------------------------------------


BINARY = [op for op in catalogue().operations if op.binary]


def helper_name(kind: str, method: str) -> str:
    """``get_content`` -> ``stream_content``, ``create_rot_xml`` -> ``stream_rot_xml``."""
    for verb in ("get_", "create_"):
        method = method.removeprefix(verb)
    return f"{kind}_{method}"


def _ids(op: Operation) -> str:
    return f"{op.resource}.{op.name}"


def test_binary_endpoints_are_found() -> None:
    assert len(BINARY) == 11


@pytest.mark.parametrize("op", BINARY, ids=_ids)
def test_every_binary_endpoint_keeps_its_deprecated_stream_and_download(op: Operation) -> None:
    cls = type(
        getattr(BillectaClient(secure_token="t", base_url="http://127.0.0.1:9"), op.resource)
    )
    params = list(inspect.signature(getattr(cls, op.name)).parameters.values())
    stream = getattr(cls, helper_name("stream", op.name))
    download = getattr(cls, helper_name("download", op.name))
    assert list(inspect.signature(stream).parameters.values()) == params
    names = list(inspect.signature(download).parameters)
    assert names == [p.name for p in params[:-1]] + ["path", "chunk_size", "options"]
    assert f"{op.name}(...).stream()" in (stream.__doc__ or "")
    assert f"{op.name}(...).download(path)" in (download.__doc__ or "")


def _arguments(op: Operation) -> list[Any]:
    values: list[Any] = []
    for arg in op.args:
        if arg.location == "body":
            values.append(sample_model(op.body_model(), depth=1))
        elif arg.kind == "guid":
            values.append(FILE)
        else:
            values.append("A 1/ä")
    return values


@pytest.mark.parametrize("op", BINARY, ids=_ids)
async def test_stream_and_download_send_the_endpoints_request_and_give_its_bytes(
    op: Operation, served: Any, tmp_path: Path
) -> None:
    client, server = served
    method = getattr(getattr(client, op.resource), op.name)
    args = _arguments(op)
    response = method(*args)
    assert isinstance(response, BinaryResponse)
    whole = await response
    async with method(*args).stream() as stream:
        assert isinstance(stream, ByteStream)
        chunks = [chunk async for chunk in stream.iter_chunks(1000)]
    target = tmp_path / "out.bin"
    written = await method(*args).download(target)
    assert whole == PDF and b"".join(chunks) == PDF and target.read_bytes() == PDF
    assert written == len(PDF) and max(map(len, chunks)) <= 1000
    assert await response.read() == PDF  # each use sends the request again
    sent = [request[:3] for request in server.requests]
    assert len(sent) == 4 and sent[1] == sent[0] and sent[2] == sent[0] and sent[3] == sent[0]
    assert os.listdir(tmp_path) == ["out.bin"]


@pytest.mark.parametrize("op", BINARY, ids=_ids)
async def test_the_deprecated_aliases_warn_and_send_the_same_request(
    op: Operation, served: Any, tmp_path: Path
) -> None:
    client, server = served
    resource = getattr(client, op.resource)
    args = _arguments(op)
    with pytest.warns(DeprecationWarning, match=f"{helper_name('stream', op.name)} is deprecated"):
        manager = getattr(resource, helper_name("stream", op.name))(*args)
    async with manager as stream:
        assert b"".join([chunk async for chunk in stream.iter_chunks()]) == PDF
    target = tmp_path / "out.bin"
    with pytest.warns(DeprecationWarning, match="is deprecated: use"):
        written = await getattr(resource, helper_name("download", op.name))(
            *args, target, chunk_size=100
        )
    assert written == len(PDF) and target.read_bytes() == PDF
    await getattr(resource, op.name)(*args)
    sent = [request[:3] for request in server.requests]
    assert sent[0] == sent[1] == sent[2]


async def test_stream_tells_the_answers_metadata(served: Any) -> None:
    client, _ = served
    async with client.files.get_content(FILE).stream() as stream:
        assert stream.status == 200
        assert stream.content_type == "application/pdf"
        assert stream.content_length == len(PDF)
        assert stream.filename == "invoice 1.pdf"
        assert stream.headers["Content-Type"] == "application/pdf"


# -- memory, errors and connections -------------------------------------------------------------


async def test_a_large_body_streams_in_flat_memory(served: Any) -> None:
    client, _ = served
    size, expected = big_digest()
    digest = hashlib.sha256()
    received = 0
    async with client.files.get_content(FILE).stream() as stream:  # warm up: imports, connection
        assert [chunk async for chunk in stream.iter_chunks()] == [PDF]
    tracemalloc.start()
    try:
        async with client.files.get_content(BIG).stream() as stream:
            async for chunk in stream.iter_chunks():
                digest.update(chunk)
                received += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == size and digest.hexdigest() == expected
    assert peak < size / 20, f"peak {peak / 2**20:.1f} MiB while streaming {size / 2**20:.0f} MiB"


async def test_a_large_download_is_written_in_flat_memory(served: Any, tmp_path: Path) -> None:
    client, _ = served
    size, expected = big_digest()
    target = tmp_path / "big.bin"
    await client.files.get_content(FILE).download(target)  # imports and threads: not the body's
    tracemalloc.start()
    try:
        written = await client.files.get_content(BIG).download(target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == size == target.stat().st_size
    digest = hashlib.sha256()
    with target.open("rb") as saved:
        for block in iter(lambda: saved.read(1 << 20), b""):
            digest.update(block)
    assert digest.hexdigest() == expected
    assert peak < size / 20, f"peak {peak / 2**20:.1f} MiB while saving {size / 2**20:.0f} MiB"


async def test_an_error_answer_is_raised_on_entering_the_block(served: Any) -> None:
    client, _ = served
    with pytest.raises(NotFoundError) as caught:
        async with client.files.get_content(MISSING).stream():
            pytest.fail("no stream for an error answer")
    assert caught.value.status == 404 and caught.value.message == "File not found"


async def test_leaving_the_block_early_closes_the_connection(served: Any) -> None:
    client, server = served
    async with client.files.get_content(BIG).stream() as stream:
        async for _ in stream.iter_chunks():
            break
    for _ in range(100):  # the server sees the client hang up
        if server.transports[0] is None or server.transports[0].is_closing():
            break
        await asyncio.sleep(0.01)
    assert server.transports[0] is None or server.transports[0].is_closing()
    assert await client.files.get_content(FILE) == PDF  # the client carries on


async def test_a_body_read_to_its_end_leaves_the_connection_for_reuse(served: Any) -> None:
    client, server = served
    for _ in range(2):
        async with client.invoices.preview("invoice-1").stream() as stream:
            assert b"".join([c async for c in stream.iter_chunks()]) == PDF
    assert server.requests[0][3] is server.requests[1][3]  # one keep-alive connection


@pytest.mark.parametrize("read_first", [False, True])
async def test_a_stream_used_after_its_block_says_so(
    served: Any, tmp_path: Path, read_first: bool
) -> None:
    """Not a TransportError blaming the connection ("calling again is safe"), nor an empty
    body saved as if complete: a RuntimeError saying the block was left."""
    client, _ = served
    async with client.files.get_content(FILE).stream() as stream:
        if read_first:
            assert b"".join([c async for c in stream.iter_chunks()]) == PDF
    with pytest.raises(RuntimeError, match=r"used after its `async with` block was left"):
        async for _ in stream.iter_chunks():
            pass
    with pytest.raises(RuntimeError, match=r"used after its `async with` block was left"):
        await stream.save(tmp_path / "late.pdf")
    assert list(tmp_path.iterdir()) == []


async def test_a_body_cut_short_is_a_transport_error() -> None:
    async for url in _truncating_server(total=1_000_000, sent=300_000):
        async with BillectaClient(secure_token="t", base_url=url) as client:
            received = 0
            with pytest.raises(TransportError, match="reading the body"):
                async with client.files.get_content(FILE).stream() as stream:
                    async for chunk in stream.iter_chunks():
                        received += len(chunk)
    assert received == 300_000


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
async def test_a_failed_download_leaves_no_partial_file(tmp_path: Path, existing: bool) -> None:
    target = tmp_path / "invoice.pdf"
    if existing:
        target.write_bytes(b"the previous download")
    async for url in _truncating_server(total=1_000_000, sent=300_000):
        async with BillectaClient(secure_token="t", base_url=url) as client:
            with pytest.raises(TransportError):
                await client.files.get_content(FILE).download(target)
    assert os.listdir(tmp_path) == (["invoice.pdf"] if existing else [])
    if existing:
        assert target.read_bytes() == b"the previous download"


async def test_a_cancelled_download_leaves_no_partial_file(served: Any, tmp_path: Path) -> None:
    client, server = served
    target = tmp_path / "big.bin"

    async def download() -> None:
        await client.files.get_content(BIG).download(target)

    async with anyio.create_task_group() as tg:
        tg.start_soon(download)
        while not any(name.endswith(".part") for name in os.listdir(tmp_path)):
            await anyio.sleep(0.001)
        tg.cancel_scope.cancel()
    assert os.listdir(tmp_path) == []
    for _ in range(100):
        if server.transports[0] is None or server.transports[0].is_closing():
            break
        await asyncio.sleep(0.01)
    assert server.transports[0] is None or server.transports[0].is_closing()


async def test_a_missing_file_downloads_nothing(served: Any, tmp_path: Path) -> None:
    client, _ = served
    with pytest.raises(NotFoundError):
        await client.files.get_content(MISSING).download(tmp_path / "x.pdf")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("chunk_size", [0, -1, True, 1.5])
async def test_bad_chunk_size_is_refused(served: Any, chunk_size: Any, tmp_path: Path) -> None:
    client, _ = served
    async with client.files.get_content(FILE).stream() as stream:
        with pytest.raises(ParameterError):
            async for _ in stream.iter_chunks(chunk_size):
                pass
    with pytest.raises(ParameterError):
        await client.files.get_content(FILE).download(tmp_path / "x", chunk_size=chunk_size)
    assert os.listdir(tmp_path) == []


async def test_a_bad_id_is_refused_before_sending(served: Any) -> None:
    client, server = served
    with pytest.raises(ParameterError):
        client.files.get_content("not-a-guid")
    assert server.requests == []


# -- time: headers within the call's timeout, then no gap longer than read_timeout ---------------


def _head(length: int) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {length}\r\n"
    return head.encode() + b"\r\n"


@pytest.mark.parametrize("per_call", [False, True], ids=["client-timeout", "call-timeout"])
async def test_no_answer_headers_within_the_calls_timeout_is_a_timeout(per_call: bool) -> None:
    timeouts: dict[str, Any] = {"timeout": 0.2}
    async with (
        never_answering_server() as url,
        BillectaClient(
            secure_token="t",
            base_url=url,
            max_retries=1,
            clock=JumpClock(),
            **({} if per_call else timeouts),
        ) as client,
    ):
        with pytest.raises(RequestTimeoutError) as caught:
            async with client.files.get_content(FILE, **(timeouts if per_call else {})).stream():
                pytest.fail("no stream without headers")
    error = caught.value
    assert error.attempts == 2 and error.maybe_processed  # a GET: retried once, then given up
    assert "no answer within the timeout" in str(error)


async def test_a_body_stalling_longer_than_the_read_timeout_is_a_timeout() -> None:
    async with (
        stalling_server(head=_head(100_000), body=b"x" * 1000) as url,
        BillectaClient(secure_token="t", base_url=url, read_timeout=0.2) as client,
    ):
        received = 0
        with pytest.raises(RequestTimeoutError, match=r"no data for 0\.2 s") as caught:
            async with client.files.get_content(FILE).stream() as stream:
                async for chunk in stream.iter_chunks():
                    received += len(chunk)
    assert received == 1000
    error = caught.value
    assert error.attempts == 1 and error.maybe_processed and error.path == "/v1/files/file/{id}"


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
async def test_a_stalled_download_leaves_no_partial_file(tmp_path: Path, existing: bool) -> None:
    target = tmp_path / "invoice.pdf"
    if existing:
        target.write_bytes(b"the previous download")
    async with (
        stalling_server(head=_head(100_000), body=b"x" * 1000) as url,
        BillectaClient(secure_token="t", base_url=url, read_timeout=0.2) as client,
    ):
        with pytest.raises(RequestTimeoutError):
            await client.files.get_content(FILE).download(target)
    assert os.listdir(tmp_path) == (["invoice.pdf"] if existing else [])
    if existing:
        assert target.read_bytes() == b"the previous download"


async def test_the_read_timeout_bounds_each_gap_not_the_whole_body(tmp_path: Path) -> None:
    # 6 pieces 0.1 s apart: 0.5 s in all, more than the read timeout, each gap well within it
    async with (
        stalling_server(head=_head(6000), body=b"y" * 1000, gap=0.1, pieces=6) as url,
        BillectaClient(secure_token="t", base_url=url, read_timeout=0.4) as client,
    ):
        assert await client.files.get_content(FILE).download(tmp_path / "f.pdf") == 6000
    assert (tmp_path / "f.pdf").read_bytes() == b"y" * 6000


async def test_time_the_reader_spends_between_chunks_does_not_count(served: Any) -> None:
    client, _ = served
    client._transport.read_timeout = 0.05
    received = 0
    async with client.files.get_content(BIG).stream() as stream:
        async for chunk in stream.iter_chunks():
            received += len(chunk)
            if received <= 4 * len(chunk):
                await asyncio.sleep(0.1)  # a slow consumer (the server waits for it)
    assert received == big_digest()[0]


def test_with_the_defaults_every_wait_of_a_stream_is_bounded() -> None:
    transport = BillectaClient(secure_token="t")._transport
    assert transport.read_timeout == DEFAULT_READ_TIMEOUT == 30.0
    assert transport._timeout.total == 60 and transport._timeout.sock_connect == 10
    with pytest.raises(ValueError, match="read_timeout"):
        BillectaClient(secure_token="t", read_timeout=0)
