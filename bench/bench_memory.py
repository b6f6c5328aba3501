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
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from _hostile_server import (  # noqa: E402
    BOMB,
    ENDLESS,
    ERROR_ENDLESS,
    PLAIN,
    SMALL,
    gzip_bomb,
    hostile_app,
)
from bench_streaming import _reset_peak_rss, _status_kib  # noqa: E402

from billecta_async import BillectaClient, BillectaError  # noqa: E402

KINDS = {
    "gzip bomb": BOMB,
    "endless body": ENDLESS,
    "endless 500": ERROR_ENDLESS,
    "within limit": PLAIN,
}


# -- server process ---------------------------------------------------------------------------


async def serve(bomb_mb: int, limit: int) -> None:
    runner = web.AppRunner(hostile_app(bomb_mb, plain=limit // 2), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print(runner.addresses[0][1], len(gzip_bomb(bomb_mb)), flush=True)
    await asyncio.Event().wait()


# -- client process ---------------------------------------------------------------------------


async def run_client(url: str, file_id: str, limit: int) -> dict[str, object]:
    async with BillectaClient(secure_token="bench", base_url=url, max_response_size=limit) as api:
        await api.files.get_content(SMALL)  # warm up: imports, session, connection
        _reset_peak_rss()
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
