"""``iter_*``: every item of an offset/limit listing, across pages."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any

import pytest
from _resources import resource_methods_with
from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
import billecta_async.resources as resources
from billecta_async import BillectaClient, ParameterError, to_json
from billecta_async._pagination import DEFAULT_PAGE_SIZE, paginate
from billecta_async.resources._base import Resource, endpoints_of

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"


LISTINGS = resource_methods_with("p.paging(")
"""Every listing method that sends Billecta's offset/limit paging parameters."""


def iter_name(listing: str) -> str:
    """``list`` -> ``iter_all``, ``list_open`` -> ``iter_open``."""
    return "iter_all" if listing == "list" else "iter_" + listing.removeprefix("list_")


def _ids(case: tuple[type[Resource], str]) -> str:
    return f"{case[0].__name__}.{case[1]}"


def test_paged_listings_are_found() -> None:
    assert len(LISTINGS) == 24


@pytest.mark.parametrize("case", LISTINGS, ids=_ids)
def test_every_paged_listing_has_an_iter_with_the_same_filters(
    case: tuple[type[Resource], str],
) -> None:
    cls, listing = case
    helper = getattr(cls, iter_name(listing), None)
    assert helper is not None, f"{cls.__name__}.{listing} has no {iter_name(listing)}"
    assert not endpoints_of(helper), "an iterator is not a documented endpoint"
    assert helper.__doc__ and f":meth:`{listing}`" in helper.__doc__
    listed = inspect.signature(getattr(cls, listing)).parameters
    iterated = inspect.signature(helper).parameters
    expected = [p for name, p in listed.items() if name not in ("offset", "limit", "options")]
    page_size = inspect.Parameter(
        "page_size", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_PAGE_SIZE, annotation="int"
    )
    assert list(iterated.values()) == [*expected, page_size, listed["options"]]
    returned = inspect.signature(getattr(cls, listing)).return_annotation
    assert returned.startswith("builtins.list[")
    item = returned.removeprefix("builtins.list[")[:-1]
    assert inspect.signature(helper).return_annotation == f"AsyncIterator[{item}]"


def test_every_iter_has_a_paged_listing() -> None:
    pairs = {(cls, iter_name(listing)) for cls, listing in LISTINGS}
    for name in resources.__all__:
        cls = getattr(resources, name)
        for attr in vars(cls):
            if attr.startswith("iter_") and not attr.endswith("_status"):
                assert (cls, attr) in pairs, f"{name}.{attr} iterates over no paged listing"


@pytest.mark.parametrize("case", LISTINGS, ids=_ids)
async def test_every_iter_forwards_its_arguments_and_walks_the_pages(
    case: tuple[type[Resource], str],
) -> None:
    cls, listing = case
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    resource = next(r for r in vars(client).values() if type(r) is cls)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    pages = [["a", "b"], ["c", "d"], ["e"]]

    async def fake_listing(*args: Any, **kwargs: Any) -> list[str]:
        calls.append((args, kwargs))
        return pages[len(calls) - 1]

    setattr(resource, listing, fake_listing)
    parameters = inspect.signature(getattr(cls, iter_name(listing))).parameters
    positional = [object() for p in parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD][
        1:
    ]  # not self
    filters = {
        name: object()
        for name, p in parameters.items()
        if p.kind is p.KEYWORD_ONLY and name != "page_size"
    }
    items = getattr(resource, iter_name(listing))(
        *positional, **filters, page_size=2, headers={"X-Trace": "1"}
    )
    assert [item async for item in items] == ["a", "b", "c", "d", "e"]
    for index, (args, kwargs) in enumerate(calls):
        assert list(args) == positional
        assert kwargs == {
            **filters,
            "offset": 2 * index,
            "limit": 2,
            "headers": {"X-Trace": "1"},
        }
    assert len(calls) == 3
    await client.aclose()


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
    ("count", "page_size", "asked"),
    [
        (200, 100, [("0", "100"), ("100", "100"), ("200", "100")]),  # exact multiple: empty last
        (250, 100, [("0", "100"), ("100", "100"), ("200", "100")]),  # short last page
        (0, 100, [("0", "100")]),  # empty first page
        (5, DEFAULT_PAGE_SIZE, [("0", "100")]),  # one short page, default size
        (7, 3, [("0", "3"), ("3", "3"), ("6", "3")]),
        (1, 1, [("0", "1"), ("1", "1")]),
    ],
)
async def test_pages_across_boundaries(
    count: int, page_size: int, asked: list[tuple[str, str]]
) -> None:
    products = Products(count)
    async for client in _serve(products):
        got = [p async for p in client.products.iter_all(CREDITOR, page_size=page_size)]
    assert pages_asked(products) == asked
    assert [p.article_number for p in got] == [p.article_number for p in products.items]
    assert all(isinstance(p, m.Product) for p in got)


async def test_sorting_is_sent_with_every_page() -> None:
    products = Products(3)
    async for client in _serve(products):
        items = client.products.iter_all(
            CREDITOR, sorting_field="ArticleNumber", ascending=False, page_size=2
        )
        assert len([p async for p in items]) == 3
    assert products.queries == [
        {"offset": "0", "limit": "2", "sortingfield": "ArticleNumber", "asc": "false"},
        {"offset": "2", "limit": "2", "sortingfield": "ArticleNumber", "asc": "false"},
    ]


async def test_pages_are_fetched_as_the_items_are_consumed() -> None:
    products = Products(10)
    async for client in _serve(products):
        async for product in client.products.iter_all(CREDITOR, page_size=4):
            if product.article_number == "A0005":
                break
    assert pages_asked(products) == [("0", "4"), ("4", "4")]


@pytest.mark.parametrize("page_size", [0, -1, True, 2.0, "5", None])
def test_bad_page_size_is_refused_at_once(page_size: Any) -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    with pytest.raises(ParameterError) as caught:
        client.invoices.iter_open(CREDITOR, page_size=page_size)
    assert caught.value.name == "page_size"


def test_unique_api_call_id_is_refused_for_many_requests() -> None:
    client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    with pytest.raises(ParameterError) as caught:
        client.debtors.iter_all(CREDITOR, unique_api_call_id="once")
    assert caught.value.name == "unique_api_call_id"


async def test_a_page_longer_than_asked_for_is_the_whole_listing() -> None:
    asked: list[tuple[int, int]] = []

    async def unpaged(offset: int, limit: int) -> list[int]:
        asked.append((offset, limit))
        return list(range(15))  # a server that ignores offset and limit

    assert [i async for i in paginate(unpaged, page_size=10)] == list(range(15))
    assert asked == [(0, 10)]
