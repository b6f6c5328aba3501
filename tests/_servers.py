"""Local HTTP servers for tests, on 127.0.0.1 at a free port."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

TLS = Path(__file__).parent / "fixtures" / "tls"
TLS_CERT = str(TLS / "cert.pem")
"""A self-signed certificate for 127.0.0.1 and localhost (valid until 2126): a verifying client
reaches a server using it only with ``ssl.create_default_context(cafile=TLS_CERT)``."""


def server_tls_context() -> ssl.SSLContext:
    """A server-side SSL context with the self-signed test certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS_CERT, str(TLS / "key.pem"))
    return context


@asynccontextmanager
async def serve_app(
    app: web.Application, *, ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[str]:
    """Serve ``app`` for the duration of the block (over TLS with ``ssl_context``); its base
    URL (no trailing slash, always ``http://``)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
        await site.start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def raw_http_server(response: bytes) -> AsyncIterator[str]:
    """Yields the server's base URL; each request gets ``response`` as is, then the
    connection is closed (so a response shorter than it announces is cut short)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(response)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def never_answering_server() -> AsyncIterator[str]:
    """A server that accepts connections, reads requests and never answers; its base URL."""
    held: set[asyncio.StreamWriter] = set()

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.add(writer)
        while await reader.read(65536):
            pass

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for writer in held:
            writer.close()
        await server.wait_closed()


@asynccontextmanager
async def stalling_server(
    *, head: bytes, body: bytes = b"", gap: float = 3600.0, pieces: int = 1
) -> AsyncIterator[str]:
    """A server that reads a request, then sends ``head`` and ``pieces`` times ``body``, waiting
    ``gap`` seconds before each piece after the first, and then nothing (the connection is held
    open). For a server that never answers at all: :func:`never_answering_server`."""
    handlers: list[asyncio.Task[Any]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.append(task)
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(head)
            for piece in range(pieces):
                if piece:
                    await asyncio.sleep(gap)
                writer.write(body)
                await writer.drain()
            await asyncio.sleep(3600)
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        for task in handlers:
            task.cancel()
        server.close()
        await asyncio.gather(*handlers, return_exceptions=True)
