"""Memory benchmark: the client's peak memory when an answer is hostile.

    python bench/bench_memory.py [--limit-mb 100] [--bomb-mb 1024]

A local server (its own process) answers ``files.get_content`` with:

* ``gzip bomb``: ``--bomb-mb`` MiB of zeros, gzip-compressed (1 GiB is about 1 MiB on the wire);
* ``endless body``: a chunked 200 answer that never ends;
* ``endless 500``: a chunked 500 answer that never ends (retried: three attempts);
* ``within limit``: a plain 200 answer of half the limit, for contrast (it must be read).

Each runs in a fresh client process (``max_response_size`` = ``--limit-mb`` MiB, the default
100) that warms up, resets its peak RSS and fetches once. Reported: what the call raised, its
wall time, and the peak RSS over the RSS after the warm-up (Linux ``/proc/self/status``; the
target for the hostile answers is under twice the limit).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from billecta_async import BillectaClient, BillectaError  # noqa: E402

SMALL = "00000000-0000-0000-0000-000000000001"
KINDS = {
    "gzip bomb": "00000000-0000-0000-0000-00000000b0b0",
    "endless body": "00000000-0000-0000-0000-0000000e0d1e",
    "endless 500": "00000000-0000-0000-0000-0000000e0500",
    "within limit": "00000000-0000-0000-0000-0000000a1f00",
}
BLOCK = b"\0" * 2**20


# -- server process ---------------------------------------------------------------------------


def bomb(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(BLOCK) for _ in range(megabytes)]
    parts.append(compressor.flush())
    return b"".join(parts)


async def serve(bomb_mb: int, limit: int) -> None:
    compressed = bomb(bomb_mb)

    async def handle(request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["id"]
        if file_id == SMALL:
            return web.Response(body=b"%PDF small", content_type="application/pdf")
        if file_id == KINDS["within limit"]:
            return web.Response(body=b"x" * (limit // 2), content_type="application/pdf")
        if file_id == KINDS["gzip bomb"]:
            answer = web.StreamResponse(
                headers={"Content-Type": "application/pdf", "Content-Encoding": "gzip"}
            )
            answer.content_length = len(compressed)
            await answer.prepare(request)
            await answer.write(compressed)
            return answer
        status = 500 if file_id == KINDS["endless 500"] else 200
        answer = web.StreamResponse(status=status, headers={"Content-Type": "application/json"})
        answer.enable_chunked_encoding()
        await answer.prepare(request)
        try:
            while True:
                await answer.write(b"x" * 65536)
        except (ConnectionError, RuntimeError):
            return answer

    app = web.Application()
    app.router.add_get("/v1/files/file/{id}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print(runner.addresses[0][1], len(compressed), flush=True)
    await asyncio.Event().wait()


# -- client process ---------------------------------------------------------------------------


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


async def run_client(url: str, file_id: str, limit: int) -> dict[str, object]:
    async with BillectaClient(secure_token="bench", base_url=url, max_response_size=limit) as api:
        await api.files.get_content(SMALL)  # warm up: imports, session, connection
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        before = _status_kib("VmRSS")
        start = time.perf_counter()
        try:
            size = len(await api.files.get_content(file_id))
            outcome = f"read {size / 2**20:.0f} MiB"
        except BillectaError as exc:
            outcome = f"{type(exc).__name__} after {exc.attempts} attempt(s)"
        seconds = time.perf_counter() - start
        growth = (_status_kib("VmHWM") - before) * 1024
    return {"outcome": outcome, "seconds": seconds, "growth": growth}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit-mb", type=int, default=100)
    parser.add_argument("--bomb-mb", type=int, default=1024)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--file-id", help=argparse.SUPPRESS)
    args = parser.parse_args()
    limit = args.limit_mb * 2**20
    if args.serve:
        asyncio.run(serve(args.bomb_mb, limit))
        return
    if args.client:
        print(json.dumps(asyncio.run(run_client(args.client, args.file_id, limit))))
        return

    sizes = ["--bomb-mb", str(args.bomb_mb), "--limit-mb", str(args.limit_mb)]
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", *sizes],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        port, wire = server.stdout.readline().split()
        url = f"http://127.0.0.1:{port}"
        print(
            f"max_response_size {args.limit_mb} MiB; gzip bomb: {args.bomb_mb} MiB from "
            f"{int(wire) / 2**20:.2f} MiB on the wire"
        )
        print(f"{'answer':<14} {'outcome':<42} {'time':>7} {'peak RSS growth':>16}")
        failed = False
        for kind, file_id in KINDS.items():
            command = [sys.executable, __file__, "--client", url, "--file-id", file_id]
            command += ["--limit-mb", str(args.limit_mb)]
            out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
            result = json.loads(out.stdout)
            growth = float(result["growth"])
            print(
                f"{kind:<14} {result['outcome']:<42} {float(result['seconds']):>6.2f}s "
                f"{growth / 2**20:>12.1f} MiB"
            )
            if kind != "within limit" and growth >= 2 * limit:
                failed = True
        print(f"target: hostile answers under {2 * args.limit_mb} MiB (twice the limit)")
        if failed:
            sys.exit(1)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
