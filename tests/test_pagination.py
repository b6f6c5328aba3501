"""Offset/limit listings: awaited for one page, iterated over every item across pages.

Every listing the runtime catalogue marks as paginated returns an ``AsyncPaginator``; its
deprecated ``iter_*`` alias still works (and warns).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import parse_qsl

import pytest
from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
from billecta_async import AsyncPaginator, BillectaClient, ParameterError, to_json
from billecta_async._catalogue import Operation, catalogue
from billecta_async._pagination import DEFAULT_PAGE_SIZE, paginate
from billecta_async._resource import Resource

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"

LISTINGS = [op for op in catalogue().operations if op.paginated]
"""Every listing that sends Billecta's offset/limit paging parameters."""


def iter_name(listing: str) -> str:
    """``list`` -> ``iter_all``, ``list_open`` -> ``iter_open``."""
    return "iter_all" if listing == "list" else "iter_" + listing.removeprefix("list_")


def _ids(op: Operation) -> str:
    return f"{op.resource}.{op.name}"


def _resource(client: BillectaClient, op: Operation) -> Resource:
    resource = getattr(client, op.resource)
    assert isinstance(resource, Resource)
    return resource


def test_paged_listings_are_found() -> None:
    assert len(LISTINGS) == 24
    for op in LISTINGS:
        assert [
            a.name for a in op.args if a.wire in ("offset", "limit", "sortingfield", "asc")
        ] == [
            "offset",
            "limit",
            "sorting_field",
            "ascending",
        ]


@pytest.mark.parametrize("op", LISTINGS, ids=_ids)
def test_every_listing_returns_a_paginator_of_its_items(op: Operation) -> None:
    cls = type(_resource(BillectaClient(secure_token="t", base_url="http://127.0.0.1:9"), op))
    listing = getattr(cls, op.name)
    returned = typing.get_type_hints(listing)["return"]
    assert typing.get_origin(returned) is AsyncPaginator
    assert typing.get_args(returned) == (getattr(m, op.response or "").item_type,)
    assert "AsyncPaginator" in (listing.__doc__ or "")


@pytest.mark.parametrize("op", LISTINGS, ids=_ids)
def test_every_listing_keeps_its_deprecated_iter_alias(op: Operation) -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    cls = type(_resource(client, op))
    helper = getattr(cls, iter_name(op.name), None)
    assert helper is not None, f"{cls.__name__}.{op.name} has no {iter_name(op.name)}"
    assert f":meth:`{op.name}`" in (helper.__doc__ or "")
    listed = inspect.signature(getattr(cls, op.name)).parameters
    iterated = inspect.signature(helper).parameters
    expected = [p for name, p in listed.items() if name not in ("offset", "limit", "options")]
    page_size = inspect.Parameter(
        "page_size", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_PAGE_SIZE, annotation="int"
    )
    assert list(iterated.values()) == [*expected, page_size, listed["options"]]
    item = inspect.signature(getattr(cls, op.name)).return_annotation
    assert item.startswith("AsyncPaginator[")
    assert inspect.signature(helper).return_annotation == "AsyncIterator[" + item[15:]


def test_every_iter_is_the_alias_of_a_listing() -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    pairs = {(op.resource, iter_name(op.name)) for op in LISTINGS}
    for attr, resource in vars(client).items():
        if not isinstance(resource, Resource):
            continue
        for name in vars(type(resource)):
            if name.startswith("iter_") and not name.endswith("_status"):
                assert (attr, name) in pairs, f"{attr}.{name} iterates over no paged listing"


# -- every listing, through a transport that records what it is asked to send ---------------------


class Recorder:
    """Stands in for the client's transport: records each request and answers ``pages``."""

    def __init__(self, pages: Sequence[list[Any]]) -> None:
        self.pages = list(pages)
        self.requests: list[dict[str, Any]] = []

    prepare_fast = None  # (no C preparer: each request is recorded as the Python path built it)

    def prepare(
        self, method: str, path: str, target: str, body: Any, body_model: Any, options: Any
    ) -> dict[str, Any]:
        return {"method": method, "path": path, "target": target, "options": options}

    async def send(self, call: dict[str, Any], response: Any) -> Any:
        self.requests.append(call)
        return self.pages[len(self.requests) - 1]

    def queries(self) -> list[dict[str, str]]:
        """Each request's query parameters, decoded."""
        return [
            dict(parse_qsl(r["target"].partition("?")[2], keep_blank_values=True))
            for r in self.requests
        ]


def _arguments(op: Operation) -> tuple[list[Any], dict[str, Any], dict[str, str]]:
    """Positional and keyword values for every argument but offset and limit, and the query
    each must give."""
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    sent: dict[str, str] = {}
    for index, arg in enumerate(op.args):
        if arg.name in ("offset", "limit"):
            continue
        kind = arg.kind or ""
        value: Any
        if kind == "guid":
            value = text = f"8a7e1b32-5f23-4f0e-9c2e-{index:012d}"
        elif kind == "boolean":
            value, text = False, "false"
        elif kind == "day":
            import datetime

            value, text = datetime.date(2024, 2, index + 1), f"2024-02-{index + 1:02d}"
        elif kind.startswith("enum"):
            member = list(getattr(m, kind.partition(":")[2]))[-1]
            value, text = member, member.value
        else:
            value = text = f"text {index}"
        if arg.location == "query":
            sent[arg.wire or ""] = text
        if arg.optional:
            keywords[arg.name] = value
        else:
            positional.append(value)
    return positional, keywords, sent


@pytest.mark.parametrize("op", LISTINGS, ids=_ids)
async def test_iterating_sends_every_filter_with_every_page(op: Operation) -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    resource = _resource(client, op)
    recorder = Recorder([["a", "b"], ["c", "d"], ["e"]])
    resource._transport = recorder  # type: ignore[assignment]
    positional, keywords, sent = _arguments(op)
    listing = getattr(resource, op.name)(*positional, **keywords, limit=2, headers={"X-T": "1"})
    assert [item async for item in listing] == ["a", "b", "c", "d", "e"]
    for index, query in enumerate(recorder.queries()):
        assert query == {**sent, "offset": str(2 * index), "limit": "2"}
    assert all(r["options"] == {"headers": {"X-T": "1"}} for r in recorder.requests)
    assert {(r["method"], r["path"]) for r in recorder.requests} == {(op.method, op.path)}
    assert len(recorder.requests) == 3


@pytest.mark.parametrize("op", LISTINGS, ids=_ids)
async def test_awaiting_sends_one_request_with_the_offset_and_limit_given(op: Operation) -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    resource = _resource(client, op)
    recorder = Recorder([["a", "b"], ["c"]])
    resource._transport = recorder  # type: ignore[assignment]
    positional, keywords, sent = _arguments(op)
    assert await getattr(resource, op.name)(*positional, **keywords, offset=4, limit=2) == [
        "a",
        "b",
    ]
    assert await getattr(resource, op.name)(*positional, **keywords) == ["c"]
    first, second = recorder.queries()
    assert first == {**sent, "offset": "4", "limit": "2"}
    assert "offset" not in second and "limit" not in second  # left out: Billecta's defaults


@pytest.mark.parametrize("op", LISTINGS, ids=_ids)
async def test_the_deprecated_iter_alias_warns_and_walks_the_pages(op: Operation) -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    resource = _resource(client, op)
    recorder = Recorder([["a", "b"], ["c"]])
    resource._transport = recorder  # type: ignore[assignment]
    positional, keywords, _ = _arguments(op)
    with pytest.warns(DeprecationWarning, match=f"{iter_name(op.name)} is deprecated"):
        items = getattr(resource, iter_name(op.name))(*positional, **keywords, page_size=2)
    assert [item async for item in items] == ["a", "b", "c"]
    assert [(q["offset"], q["limit"]) for q in recorder.queries()] == [("0", "2"), ("2", "2")]


# -- on the wire ----------------------------------------------------------------------------------


class Products:
    """A products listing that pages like Billecta: ``offset`` and ``limit`` slice the list."""

    def __init__(self, count: int) -> None:
        self.items = [
            m.Product(creditor_public_id=CREDITOR, article_number=f"A{i:04d}") for i in range(count)
        ]
        self.queries: list[dict[str, str]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.queries.append(dict(request.query))
        offset = int(request.query.get("offset", 0))
        limit = int(request.query.get("limit", 10**9))
        body = to_json(self.items[offset : offset + limit], m.Products)
        return web.Response(body=body, content_type="application/json")


async def _serve(products: Products) -> AsyncIterator[BillectaClient]:
    app = web.Application()
    app.router.add_get("/v1/products/products/{id}", products.handle)
    async with serve_app(app) as url, BillectaClient(secure_token="t", base_url=url) as client:
        yield client


def pages_asked(products: Products) -> list[tuple[str, str]]:
    return [(q["offset"], q["limit"]) for q in products.queries]


@pytest.mark.parametrize(
    ("count", "limit", "asked"),
    [
        (200, 100, [("0", "100"), ("100", "100"), ("200", "100")]),  # exact multiple: empty last
        (250, 100, [("0", "100"), ("100", "100"), ("200", "100")]),  # short last page
        (0, 100, [("0", "100")]),  # empty first page
        (5, None, [("0", "100")]),  # one short page, the default size
        (7, 3, [("0", "3"), ("3", "3"), ("6", "3")]),
        (1, 1, [("0", "1"), ("1", "1")]),
    ],
)
async def test_pages_across_boundaries(
    count: int, limit: int | None, asked: list[tuple[str, str]]
) -> None:
    products = Products(count)
    async for client in _serve(products):
        got = [p async for p in client.products.list(CREDITOR, limit=limit)]
    assert pages_asked(products) == asked
    assert [p.article_number for p in got] == [p.article_number for p in products.items]
    assert all(isinstance(p, m.Product) for p in got)


async def test_iteration_starts_at_the_offset_given() -> None:
    products = Products(7)
    async for client in _serve(products):
        got = [p.article_number async for p in client.products.list(CREDITOR, offset=2, limit=3)]
    assert got == ["A0002", "A0003", "A0004", "A0005", "A0006"]
    assert pages_asked(products) == [("2", "3"), ("5", "3")]


async def test_pages_are_lists_fetched_one_request_each() -> None:
    products = Products(5)
    async for client in _serve(products):
        pages = [
            [p.article_number for p in page]
            async for page in client.products.list(CREDITOR, limit=2).pages()
        ]
        assert [p.article_number for p in await client.products.list(CREDITOR).page()] == [
            p.article_number for p in products.items
        ]
    assert pages == [["A0000", "A0001"], ["A0002", "A0003"], ["A0004"]]
    assert products.queries[-1] == {}  # awaited without offset/limit: none sent


async def test_sorting_is_sent_with_every_page() -> None:
    products = Products(3)
    async for client in _serve(products):
        items = client.products.list(
            CREDITOR, sorting_field="ArticleNumber", ascending=False, limit=2
        )
        assert len([p async for p in items]) == 3
    assert products.queries == [
        {"offset": "0", "limit": "2", "sortingfield": "ArticleNumber", "asc": "false"},
        {"offset": "2", "limit": "2", "sortingfield": "ArticleNumber", "asc": "false"},
    ]


async def test_pages_are_fetched_as_the_items_are_consumed() -> None:
    products = Products(10)
    async for client in _serve(products):
        async for product in client.products.list(CREDITOR, limit=4):
            if product.article_number == "A0005":
                break
    assert pages_asked(products) == [("0", "4"), ("4", "4")]


async def test_a_paginator_can_be_awaited_and_iterated_again() -> None:
    products = Products(3)
    async for client in _serve(products):
        listing = client.products.list(CREDITOR, limit=2)
        assert len(await listing) == 2 and len(await listing) == 2
        assert len([p async for p in listing]) == 3 and len([p async for p in listing]) == 3
    assert len(products.queries) == 6


@pytest.mark.parametrize("limit", [0, -1, True, 2.0, "5"])
def test_a_bad_limit_is_refused_at_once(limit: Any) -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    with pytest.raises(ParameterError) as caught:
        client.invoices.list_open(CREDITOR, limit=limit)
    assert caught.value.name == "limit"


@pytest.mark.parametrize("page_size", [0, -1, True, 2.0, "5", None])
def test_bad_page_size_is_refused_at_once(page_size: Any) -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    with pytest.warns(DeprecationWarning), pytest.raises(ParameterError) as caught:
        client.invoices.iter_open(CREDITOR, page_size=page_size)
    assert caught.value.name == "page_size"


async def test_unique_api_call_id_is_refused_for_many_requests_only() -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    listing = client.debtors.list(CREDITOR, unique_api_call_id="once")
    with pytest.raises(ParameterError) as caught:
        async for _ in listing:
            pass
    assert caught.value.name == "unique_api_call_id"
    with pytest.raises(ParameterError):
        listing.pages()
    with pytest.warns(DeprecationWarning), pytest.raises(ParameterError) as caught:
        client.debtors.iter_all(CREDITOR, unique_api_call_id="once")
    assert caught.value.name == "unique_api_call_id"
    recorder = Recorder([[]])
    client.debtors._transport = recorder  # type: ignore[assignment]
    assert await listing == []  # one request: the id is sent
    assert recorder.requests[0]["options"] == {"unique_api_call_id": "once"}


async def test_a_page_longer_than_asked_for_is_the_whole_listing() -> None:
    asked: list[tuple[int, int]] = []

    async def unpaged(offset: int, limit: int) -> list[int]:
        asked.append((offset, limit))
        return list(range(15))  # a server that ignores offset and limit

    assert [page async for page in paginate(unpaged, page_size=10)] == [list(range(15))]
    assert asked == [(0, 10)]
