"""Bounded answers: an answer read whole stops at ``max_response_size`` (counted after
decompression) with a typed error, an error answer is read up to a small bound, and streams
stay unlimited in size but flat in memory.

Memory is measured as the peak resident set size (RSS) of a client running in its own process,
over its RSS after a warm-up (Linux: ``/proc/self/status``, the peak reset through
``/proc/self/clear_refs``), so that neither the server nor pytest is counted.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from _clocks import JumpClock
from _hostile_server import BOMB, ENDLESS, ERROR_ENDLESS, SMALL, gzip_bomb, hostile_app
from _servers import serve_app

from billecta_async import BillectaClient, ResponseTooLargeError, ServerError
from billecta_async._transport import DEFAULT_MAX_RESPONSE_SIZE, ERROR_BODY_LIMIT

LIMIT = 32 * 2**20
BOMB_MEGABYTES = 256  # 255 KiB on the wire


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with serve_app(hostile_app(BOMB_MEGABYTES)) as base:
        yield base


# The client, in a process of its own: warm up, reset the peak RSS, fetch, report.
CLIENT = """
import asyncio, json, sys
from pathlib import Path
from billecta_async import BillectaClient, ResponseTooLargeError

def kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])

async def main(url, file_id, limit):
    async with BillectaClient(
        secure_token="t", base_url=url, max_response_size=limit, max_retries=0
    ) as api:
        await api.files.get_content("00000000-0000-0000-0000-000000000001")
        Path("/proc/self/clear_refs").write_text("5")
        before = kib("VmRSS")
        try:
            await api.files.get_content(file_id)
            error = None
        except ResponseTooLargeError as exc:
            error = {"type": type(exc).__name__, "message": str(exc), "limit": exc.limit}
        print(json.dumps({"growth": (kib("VmHWM") - before) * 1024, "error": error}))

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


def _can_measure_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _can_measure_rss(), reason="needs Linux /proc/self/clear_refs")
@pytest.mark.parametrize("file_id", [BOMB, ENDLESS], ids=["gzip-bomb", "endless-body"])
async def test_an_oversized_answer_ends_in_the_typed_error_in_bounded_memory(
    url: str, file_id: str
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CLIENT, url, file_id, str(LIMIT), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0
    result = json.loads(out)
    error = result["error"]
    assert error is not None and error["type"] == "ResponseTooLargeError"
    assert error["limit"] == LIMIT and f"max_response_size ({LIMIT} bytes)" in error["message"]
    assert "GET /v1/files/file/{id} -> HTTP 200" in error["message"]
    growth = result["growth"]
    assert growth < 2 * LIMIT, f"peak RSS grew by {growth / 2**20:.0f} MiB (limit 32 MiB)"


async def test_the_limit_is_counted_after_decompression(url: str) -> None:
    async with BillectaClient(
        secure_token="t", base_url=url, max_response_size=LIMIT, clock=JumpClock()
    ) as api:
        with pytest.raises(ResponseTooLargeError) as caught:
            await api.files.get_content(BOMB)
        assert len(gzip_bomb(BOMB_MEGABYTES)) < LIMIT  # the wire carried less than the limit
        error = caught.value
        assert error.limit == LIMIT and error.status == 200
        assert error.attempts == 1 and error.maybe_processed  # Billecta answered: not retried
        assert await api.files.get_content(SMALL) == b"%PDF small"  # the client carries on


async def test_an_error_answer_is_read_up_to_a_small_bound(url: str) -> None:
    # The body never ends: read whole, the call would only end at the 60 s timeout.
    async with BillectaClient(secure_token="t", base_url=url, clock=JumpClock()) as api:
        with pytest.raises(ServerError) as caught:
            await api.files.get_content(ERROR_ENDLESS)
    error = caught.value
    assert error.status == 500 and error.attempts == 3
    assert error.body_excerpt is not None and error.body_excerpt.startswith('{"Message": "xxx')
    assert ERROR_BODY_LIMIT == 64 * 1024


async def test_streams_are_not_limited(url: str, tmp_path: Path) -> None:
    async with BillectaClient(
        secure_token="t", base_url=url, max_response_size=2**20, clock=JumpClock()
    ) as api:
        with pytest.raises(ResponseTooLargeError):
            await api.files.get_content(BOMB)
        received = 0
        async with api.files.get_content(BOMB).stream() as stream:
            async for chunk in stream.iter_chunks():
                received += len(chunk)
                if received >= 64 * 2**20:
                    break
    assert received >= 64 * 2**20


def test_the_default_limit_and_its_check() -> None:
    assert DEFAULT_MAX_RESPONSE_SIZE == 100 * 2**20
    assert BillectaClient(secure_token="t")._transport.max_response_size == 100 * 2**20
    for bad in (0, -1, 1.5, True, "1"):
        with pytest.raises(ValueError, match="max_response_size"):
            BillectaClient(secure_token="t", max_response_size=bad)  # type: ignore[arg-type]
