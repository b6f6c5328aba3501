"""Many worker processes, one Billecta user: rate limits shared through Redis.

    pip install "billecta-async[redis]"
    export BILLECTA_REDIS_URL=redis://127.0.0.1:6379/0
    billecta emulator --speed 100        # in another terminal: paste the export lines it prints
    python examples/many_workers.py --workers 4 --searches 10

Each worker process searches invoices with a client of its own. Billecta allows one user 30
searches per 10 seconds (and 100 per minute), whatever the number of processes: the workers
share those limits through Redis, so together they never get a 429; with 4 x 10 searches the
last ten wait for the window. Reads BILLECTA_REDIS_URL, the other BILLECTA_* variables of
BillectaClient.from_env() and BILLECTA_CREDITOR_PUBLIC_ID.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import time

from billecta_async import BillectaClient, RateLimitedError
from billecta_async.models import Search


async def search(searches: int) -> tuple[int, int]:
    """``searches`` searches through a client whose limits live in Redis (BILLECTA_REDIS_URL,
    which from_env reads); how many succeeded and how many were refused with 429."""
    creditor = os.environ["BILLECTA_CREDITOR_PUBLIC_ID"]
    done = refused = 0
    async with BillectaClient.from_env(max_retries=0) as client:
        for n in range(searches):
            wanted = Search(creditor_public_id=creditor, search_value=str(1000 + n))
            try:
                await client.search.actions(wanted)
                done += 1
            except RateLimitedError:
                refused += 1
    return done, refused


def worker(searches: int) -> tuple[int, int]:
    """One worker process: an event loop of its own, and a client of its own."""
    return asyncio.run(search(searches))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="worker processes (default 4)")
    parser.add_argument("--searches", type=int, default=10, help="searches per worker (default 10)")
    args = parser.parse_args()
    if not os.environ.get("BILLECTA_REDIS_URL"):
        parser.error("set BILLECTA_REDIS_URL to the Redis the workers share")
    started = time.monotonic()
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        results = pool.map(worker, [args.searches] * args.workers)
    elapsed = time.monotonic() - started
    for number, (done, refused) in enumerate(results):
        print(f"worker {number}: {done} searches, {refused} refused with 429")
    total = sum(done for done, _ in results)
    refused = sum(refused for _, refused in results)
    print(f"{total} searches by {args.workers} processes in {elapsed:.1f} s, {refused} refused")


if __name__ == "__main__":
    main()
