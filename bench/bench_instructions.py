"""The client's own work per request, counted in CPU instructions (valgrind's callgrind).

    python bench/bench_instructions.py [--requests 1000] [--concurrency 10]

The same calls as ``bench_client.py`` (``products.get`` and ``products.create``, JSON and XML)
made through ``BillectaClient`` and through raw aiohttp (decoding into the same models, and
only parsing), against ``bench_client.py``'s server in its own process. Each is run twice under
``valgrind --tool=callgrind`` in a fresh client process, once with 200 requests and once with
200 + ``--requests``: the difference divided by ``--requests`` is the instructions one request
costs the client process, start-up and warm-up left out. Unlike time on a shared machine, the
count repeats to about 1,000 instructions from run to run, so a change of a few thousand
shows; it leaves out the kernel (system calls) and says nothing of cache misses, so it guides
work on the client's Python, and ``bench_client.py`` stays the measure of issue 16's targets.
Needs ``valgrind`` on PATH; about a minute per line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

BASE_REQUESTS = 200  # the shorter run: start-up, warm-up and these, subtracted


def run_client(port: int, how: str, op: str, fmt: str, requests: int, concurrency: int) -> None:
    """Inside valgrind: warm up, then ``requests`` calls ``how`` (sdk, raw+models or raw)."""
    from bench_client import clients, raw_call, sdk_call

    async def main() -> None:
        base = f"http://127.0.0.1:{port}"
        async with clients(base, fmt, concurrency) as (client, session):
            if how == "sdk":
                call = sdk_call(client, op)
            else:
                call = raw_call(session, base, op, fmt, models=how == "raw+models")

            async def worker(count: int) -> None:
                for _ in range(count):
                    await call()

            await asyncio.gather(*(worker(20) for _ in range(concurrency)))  # warm up
            await asyncio.gather(*(worker(requests // concurrency) for _ in range(concurrency)))

    asyncio.run(main())


def instructions(port: int, how: str, op: str, fmt: str, requests: int, conc: int) -> int:
    """Instructions the client process runs in total for ``requests`` calls."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--run",
            f"{port},{how},{op},{fmt},{requests},{conc}",
        ],
        capture_output=True,
        text=True,
        check=True,
        # One hash seed for every count: string hashes change dicts' layouts and with them
        # the count (by ~1,000 between runs otherwise).
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        port, how, op, fmt, requests, conc = args.run.split(",")
        run_client(int(port), how, op, fmt, int(requests), int(conc))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not on PATH (Debian: apt-get install valgrind)")
    server = subprocess.Popen(
        [sys.executable, str(HERE / "bench_client.py"), "--serve"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        conc = args.concurrency
        print(f"instructions per request, concurrency {conc}, {args.requests} requests")
        print(
            f"{'call':<5}{'fmt':<5}{'sdk':>9}{'raw+mod':>9}{'raw':>9}{'sdk-raw+mod':>13}{'ratio':>7}"
        )
        for op in ("GET", "POST"):
            for fmt in ("json", "xml"):
                per: dict[str, int] = {}
                for how in ("sdk", "raw+models", "raw"):
                    short = instructions(port, how, op, fmt, BASE_REQUESTS, conc)
                    long = instructions(port, how, op, fmt, BASE_REQUESTS + args.requests, conc)
                    per[how] = (long - short) // args.requests
                sdk, models = per["sdk"], per["raw+models"]
                print(
                    f"{op:<5}{fmt:<5}{sdk:>9,}{models:>9,}{per['raw']:>9,}"
                    f"{sdk - models:>13,}{models / sdk:>7.3f}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
