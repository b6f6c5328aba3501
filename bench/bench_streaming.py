"""Streaming benchmark: the client's peak memory while it streams a large file.

    python bench/bench_streaming.py [--size-mb 100]

A local server (its own process) sends a file of ``--size-mb`` MiB generated on the fly. Each
measurement runs in a fresh client process that first warms up (imports, connection, one small
file) and then:

* ``stream``: ``files.get_content(...).stream()`` + ``iter_chunks`` (the bytes are hashed and
  dropped);
* ``download``: ``files.get_content(...).download(path)`` to a temporary file;
* ``get_content``: ``await files.get_content(...)``, for contrast (it holds the whole body).

Memory is the process's resident set size (RSS, Linux ``/proc/self/status``): the peak RSS
(VmHWM, reset after the warm-up) minus the RSS after the warm-up; the target for streaming is
under 20 MB. The Python allocations alone (``tracemalloc`` peak) are reported from a separate
run of each mode, as tracemalloc slows the client down.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from billecta_async import BillectaClient  # noqa: E402

BLOCK = bytes(range(256)) * 256  # 64 KiB
BIG = "00000000-0000-0000-0000-00000000b160"
SMALL = "00000000-0000-0000-0000-0000000005a1"
TARGET_MB = 20.0


# -- server process ---------------------------------------------------------------------------


async def serve(size: int) -> None:
    async def handle(request: web.Request) -> web.StreamResponse:
        total = size if request.match_info["id"] == BIG else len(BLOCK)
        answer = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        answer.content_length = total
        await answer.prepare(request)
        left = total
        while left:
            piece = BLOCK if left >= len(BLOCK) else BLOCK[:left]
            await answer.write(piece)
            left -= len(piece)
        return answer

    app = web.Application()
    app.router.add_get("/v1/files/file/{id}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.Event().wait()


# -- client process ---------------------------------------------------------------------------


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


async def run_client(url: str, mode: str, traced: bool) -> dict[str, float]:
    async with BillectaClient(secure_token="bench", base_url=url) as client:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "file.bin"

            async def once(file_id: str) -> int:
                if mode == "stream":
                    digest = hashlib.sha256()
                    received = 0
                    async with client.files.get_content(file_id).stream() as stream:
                        async for chunk in stream.iter_chunks():
                            digest.update(chunk)
                            received += len(chunk)
                    return received
                if mode == "download":
                    return await client.files.get_content(file_id).download(target)
                return len(await client.files.get_content(file_id))

            await once(SMALL)  # warm up: imports, session, connection, worker thread
            if traced:
                tracemalloc.start()
            else:
                _reset_peak_rss()
            before = _status_kib("VmRSS")
            start = time.perf_counter()
            size = await once(BIG)
            seconds = time.perf_counter() - start
            result = {"bytes": float(size), "seconds": seconds}
            if traced:
                result["traced_peak"] = float(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
            else:
                result["rss_before"] = before * 1024.0
                result["rss_peak"] = _status_kib("VmHWM") * 1024.0
            return result


def measure(url: str, mode: str, traced: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--client", url, "--mode", mode]
    if traced:
        command.append("--traced")
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="stream", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = args.size_mb * 2**20
    if args.serve:
        asyncio.run(serve(size))
        return
    if args.client:
        print(json.dumps(asyncio.run(run_client(args.client, args.mode, args.traced))))
        return

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--size-mb", str(args.size_mb)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        url = f"http://127.0.0.1:{int(server.stdout.readline())}"
        print(f"streaming a {args.size_mb} MiB file from a local server ({url})")
        header = ("mode", "RSS before", "peak RSS", "over", "tracemalloc", "MB/s")
        print("{:<12} {:>11} {:>9} {:>9} {:>12} {:>7}".format(*header))
        failed = False
        for mode in ("stream", "download", "get_content"):
            rss = measure(url, mode, traced=False)
            traced = measure(url, mode, traced=True)
            assert rss["bytes"] == traced["bytes"] == size, (mode, rss, traced)
            over = (rss["rss_peak"] - rss["rss_before"]) / 1e6
            print(
                f"{mode:<12} {rss['rss_before'] / 1e6:>8.1f} MB {rss['rss_peak'] / 1e6:>6.1f} MB "
                f"{over:>6.1f} MB {traced['traced_peak'] / 1e6:>9.2f} MB "
                f"{size / 1e6 / rss['seconds']:>7.0f}"
            )
            if mode != "get_content" and over >= TARGET_MB:
                failed = True
        print(f"target: streaming and download under {TARGET_MB:.0f} MB of RSS over the baseline")
        if failed:
            sys.exit(1)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
