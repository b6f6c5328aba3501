"""Hostile answers to ``files.get_content`` (``GET /v1/files/file/{id}``), by file id: a gzip
bomb, endless bodies, and a plain answer of a given size. Used by tests/test_bounded.py and
bench/bench_memory.py."""

from __future__ import annotations

import zlib
from functools import cache

from aiohttp import web

SMALL = "00000000-0000-0000-0000-000000000001"  # b"%PDF small"
BOMB = "00000000-0000-0000-0000-00000000b0b0"  # zeros, gzip-compressed 1,000 to 1
ENDLESS = "00000000-0000-0000-0000-0000000e0d1e"  # a chunked 200 answer that never ends
ERROR_ENDLESS = "00000000-0000-0000-0000-0000000e0500"  # a chunked 500 answer that never ends
PLAIN = "00000000-0000-0000-0000-0000000a1f00"  # a plain answer of ``plain`` bytes


@cache
def gzip_bomb(megabytes: int) -> bytes:
    """``megabytes`` MiB of zeros, gzip-compressed a MiB at a time (about 1 KiB per MiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * 2**20
    parts = [compressor.compress(block) for _ in range(megabytes)]
    parts.append(compressor.flush())
    return b"".join(parts)


def hostile_app(bomb_megabytes: int, plain: int = 0) -> web.Application:
    """The server: ``BOMB`` unpacks to ``bomb_megabytes`` MiB, ``PLAIN`` is ``plain`` bytes."""

    async def handle(request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["id"]
        if file_id == SMALL:
            return web.Response(body=b"%PDF small", content_type="application/pdf")
        if file_id == PLAIN:
            return web.Response(body=b"x" * plain, content_type="application/pdf")
        if file_id == BOMB:
            bomb = gzip_bomb(bomb_megabytes)
            answer = web.StreamResponse(
                headers={"Content-Type": "application/pdf", "Content-Encoding": "gzip"}
            )
            answer.content_length = len(bomb)
            await answer.prepare(request)
            await answer.write(bomb)
            return answer
        error = file_id == ERROR_ENDLESS
        answer = web.StreamResponse(
            status=500 if error else 200, headers={"Content-Type": "application/json"}
        )
        answer.enable_chunked_encoding()
        await answer.prepare(request)
        await answer.write(b'{"Message": "' if error else b"[")
        try:
            while True:
                await answer.write(b"x" * 65536)
        except (ConnectionError, RuntimeError):  # the client hung up
            return answer

    app = web.Application()
    app.router.add_get("/v1/files/file/{id}", handle)
    return app
