"""Client benchmark: requests per second through BillectaClient against raw aiohttp.

    python bench/bench_client.py [--requests 500] [--repeat 15]

Starts a small aiohttp.web server in a separate process (so that it does not share the client's
CPU), then measures, interleaved in one run, the same calls made three ways:

- ``sdk``: through ``BillectaClient`` (default settings: rate limits, error budget, retries on);
- ``raw+models``: a bare ``aiohttp.ClientSession`` that sends the SDK's encoded model and decodes
  the answer into the same model (``Created.from_json`` ...): the cost of the client itself;
- ``raw``: a bare ``aiohttp.ClientSession`` that only parses the answer (``orjson.loads`` /
  ``lxml.etree.fromstring``): what a hand-written client without models does.

Calls: ``products.create`` (POST, answers a ``Created``) and ``products.get`` (GET, answers a
small ``Product``), in JSON and XML, at concurrency 1, 10 and 100. Reports the best
requests/second of each, the ratios ``sdk / raw+models`` and ``sdk / raw``, and the client
process's CPU time per request. The client is CPU-bound, and a shared machine's speed drifts:
many short rounds, each running the three back to back in a rotating order; each round gives one
ratio, and the bench shows the median of the rounds' ratios (robust to drift between rounds) and
the best; rps and CPU are the best round's. Ratios, not absolute numbers, compare across machines.
Issue 16's targets: ``sdk / raw+models`` >= 0.95 and ``sdk / raw`` >= 0.85 on every row.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import orjson
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import billecta_async.models as m
from billecta_async import BillectaClient

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
PRODUCT_ID = "5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
PRODUCT = m.Product(creditor_public_id=CREDITOR, description="Sofa", article_number="A-1")
CREATED = m.Created(public_id=PRODUCT_ID)
SMALL = m.Product(product_public_id=PRODUCT_ID, creditor_public_id=CREDITOR, description="Sofa")
CONTENT_TYPES = {"json": "application/json", "xml": "application/xml"}


# -- the server (own process) -----------------------------------------------------------------


def serve() -> None:
    from aiohttp import web

    bodies = {
        ("POST", "json"): CREATED.to_json(),
        ("POST", "xml"): CREATED.to_xml(),
        ("GET", "json"): SMALL.to_json(),
        ("GET", "xml"): SMALL.to_xml(),
    }

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        fmt = "xml" if "xml" in request.headers.get("Accept", "") else "json"
        return web.Response(
            body=bodies[request.method, fmt], content_type=CONTENT_TYPES[fmt], charset="utf-8"
        )

    async def main() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(runner.addresses[0][1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


# -- the two clients ---------------------------------------------------------------------------

Call = Callable[[], Awaitable[object]]


@asynccontextmanager
async def clients(
    base: str, fmt: str, concurrency: int
) -> AsyncIterator[tuple[BillectaClient, aiohttp.ClientSession]]:
    """The SDK's client and a bare aiohttp session, each with room for ``concurrency`` calls."""
    limit = max(concurrency, 10)
    async with (
        BillectaClient(
            secure_token="token", base_url=base, format=fmt, connector_limit=limit
        ) as client,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit)) as session,
    ):
        yield client, session


def sdk_call(client: BillectaClient, op: str) -> Call:
    if op == "POST":
        return lambda: client.products.create(PRODUCT)
    return lambda: client.products.get(PRODUCT_ID)


def raw_call(session: aiohttp.ClientSession, base: str, op: str, fmt: str, *, models: bool) -> Call:
    """What a hand-written client does: build the request, send it, parse the answer (into the
    SDK's models when ``models``)."""
    headers = {
        "Accept": CONTENT_TYPES[fmt],
        "Authorization": "SecureToken dG9rZW4=",
        "User-Agent": "bench",
    }
    post_headers = {**headers, "Content-Type": f"{CONTENT_TYPES[fmt]}; charset=utf-8"}
    doc = {"CreditorPublicId": CREDITOR, "Description": "Sofa", "ArticleNumber": "A-1"}

    def parse(raw: bytes) -> object:
        return orjson.loads(raw) if fmt == "json" else etree.fromstring(raw)

    def parse_model(raw: bytes) -> object:
        model = m.Created if op == "POST" else m.Product
        return model.from_json(raw) if fmt == "json" else model.from_xml(raw)

    def encode() -> bytes:
        if models:
            return PRODUCT.to_json() if fmt == "json" else PRODUCT.to_xml()
        if fmt == "json":
            return orjson.dumps(doc)
        root = etree.Element("Product")
        for key, value in doc.items():
            etree.SubElement(root, key).text = value
        return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))

    decode = parse_model if models else parse

    async def post() -> object:
        async with session.post(
            f"{base}/v1/products/product", data=encode(), headers=post_headers
        ) as answer:
            return decode(await answer.read())

    async def get() -> object:
        async with session.get(f"{base}/v1/products/product/{PRODUCT_ID}", headers=headers) as a:
            return decode(await a.read())

    return post if op == "POST" else get


async def run(call: Call, requests: int, concurrency: int) -> tuple[float, float]:
    """Requests/second and client CPU seconds per request for ``requests`` calls."""
    per_worker = requests // concurrency

    async def worker() -> None:
        for _ in range(per_worker):
            await call()

    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    done = per_worker * concurrency
    return done / wall, cpu / done


async def bench(base: str, requests: int, repeat: int) -> list[tuple[float, float]]:
    print(
        f"{requests} requests per round, {repeat} rounds, server in its own process; ratios: "
        "median and best of the rounds' rps ratios; rps, cpu: the best round"
    )
    print(
        f"{'':14}  {'rps':^19}  {'sdk/raw+mod':^11}  {'sdk/raw':^11}  {'cpu us/req':^16}\n"
        f"{'call':<5}{'fmt':<5}{'conc':>4}  {'sdk':>5} {'raw+mod':>7} {'raw':>5}"
        f"  {'median':>6} {'best':>4}  {'median':>6} {'best':>4}"
        f"  {'sdk':>4} {'raw+mod':>7} {'raw':>4}"
    )
    ratios = []
    for op in ("POST", "GET"):
        for fmt in ("json", "xml"):
            for concurrency in (1, 10, 100):
                async with clients(base, fmt, concurrency) as (client, session):
                    calls = {
                        "sdk": sdk_call(client, op),
                        "raw+models": raw_call(session, base, op, fmt, models=True),
                        "raw": raw_call(session, base, op, fmt, models=False),
                    }
                    for call in calls.values():  # warm up: connections, compiled codecs
                        await run(call, 100, concurrency)
                    rps = dict.fromkeys(calls, 0.0)
                    cpu = dict.fromkeys(calls, float("inf"))
                    to_models, to_raw = [], []
                    names = list(calls)
                    for round_ in range(repeat):
                        # The three back to back, in a rotating order, so that the machine's
                        # drift hits them alike: each round gives one ratio.
                        got = {}
                        for name in names[round_ % 3 :] + names[: round_ % 3]:
                            r, c = await run(calls[name], requests, concurrency)
                            got[name] = r
                            rps[name], cpu[name] = max(rps[name], r), min(cpu[name], c)
                        to_models.append(got["sdk"] / got["raw+models"])
                        to_raw.append(got["sdk"] / got["raw"])
                ratio = statistics.median(to_models), statistics.median(to_raw)
                ratios.append(ratio)
                print(
                    f"{op:<5}{fmt:<5}{concurrency:>4}  {rps['sdk']:>5.0f} "
                    f"{rps['raw+models']:>7.0f} {rps['raw']:>5.0f}  {ratio[0]:>6.2f} "
                    f"{max(to_models):>4.2f}  {ratio[1]:>6.2f} {max(to_raw):>4.2f}  "
                    f"{cpu['sdk'] * 1e6:>4.0f} {cpu['raw+models'] * 1e6:>7.0f} "
                    f"{cpu['raw'] * 1e6:>4.0f}"
                )
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        ratios = asyncio.run(bench(f"http://127.0.0.1:{port}", args.requests, args.repeat))
    finally:
        server.terminate()
        server.wait()
    print(
        f"lowest median ratio: {min(r[0] for r in ratios):.2f} to raw aiohttp with the same "
        f"models (target >= 0.95), {min(r[1] for r in ratios):.2f} to raw aiohttp parsing only "
        "(target >= 0.85)"
    )


if __name__ == "__main__":
    main()
