"""The C call preparer (``_speedups.CallPreparer``) makes the call the Python path makes.

For every operation of the runtime catalogue, in JSON and in XML, arguments of every kind
(GUID texts and ``UUID``s, ids and strings that need percent-encoding, dates, enums, numbers,
bodies), with optional ones given and left out: the ``Call`` from the C preparer and the one
from ``_Plan.prepare`` + ``Transport.prepare`` hold the same values in every slot. Where the
Python path raises (a value a converter refuses, a required argument left out, a body of another
class, a dot segment), the preparer gives None, and ``Resource._send`` then takes the Python
path, which raises; through the client, the error is the same with the preparer and without.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
from billecta_async import BillectaClient, ParameterError
from billecta_async import _transport as transport_module
from billecta_async._catalogue import Arg, Operation, catalogue
from billecta_async._resource import Resource, _Plan
from billecta_async._transport import Call
from billecta_async._wire import _native
from billecta_async.testing import sample_model

pytestmark = pytest.mark.skipif(
    _native.CallPreparer is None, reason="the C extension is not built (no compiler at install)"
)

GUID = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
BASE = "https://api.test.invalid/base"


def _enum(kind: str) -> Any:
    return list(getattr(m, kind.partition(":")[2]))[-1]


# Per converter kind: values the Python path accepts (first: the common case).
GOOD: dict[str, list[Any]] = {
    "guid": [GUID, GUID.upper(), uuid.UUID(GUID), f" {GUID} "],
    "ident": ["A-1", "a/b ü?&=#%", "x y"],
    "strings": [["a1", "b 2"], ("ü",)],
    "string": ["plain", "a b&c=d/ü+%"],
    "integer": [7, 0],
    "number": [12.5, 3],
    "boolean": [True, False],
    "day": [date(2024, 2, 29)],
    "day_or_string": [date(2024, 2, 29), "2024-02-29"],
    "offset": [0, 40],
    "limit": [10],
    "integer_or_string": [3, "a b"],
    "ident_or_strings": ["x", ["a", "b c"]],
}
# Per converter kind: values the Python path refuses.
BAD: dict[str, list[Any]] = {
    "guid": ["not-a-guid", GUID + "0", 7, b"x"],
    "ident": ["", " ", 7],
    "strings": ["ab", [1], ["a,b"], 7, b"a", {"a": 1}],
    "ident_or_strings": ["", [], 7],
    "string": [7, b"x"],
    "integer": ["7", 1.5, True],
    "number": ["1", float("nan")],
    "boolean": [1, "true"],
    "day": ["Monday", 7],
    "offset": [-1, "0"],
    "limit": [0, "10"],
}


def _good(arg: Arg) -> list[Any]:
    kind = arg.kind or ""
    if kind.startswith("enum:"):
        return [_enum(kind), _enum(kind).value]
    if kind.startswith("enum_or_string:"):
        return [_enum(kind), "any text"]
    return GOOD[kind]


def _body(op: Operation) -> Any:
    model = op.body_model()
    return sample_model(model, depth=2)


def _argument_sets(op: Operation) -> Iterator[tuple[Any, ...]]:
    """Arguments in signature order: each kind's values in turn, optional ones set and unset."""
    options = []
    for arg in op.args:
        if arg.location == "body":
            values: list[Any] = [_body(op)]
        else:
            values = list(_good(arg))
        if arg.optional:
            values.append(None)
        options.append(values)
    width = max(len(v) for v in options) if options else 1
    for i in range(width):
        yield tuple(values[i % len(values)] for values in options)


def _fast_operations() -> list[Operation]:
    return [
        op
        for op in catalogue().operations
        if not op.check and not (op.body is not None and op.body.is_list)
    ]


def _slots(call: Call) -> dict[str, Any]:
    return {name: getattr(call, name) for name in Call.__slots__}


@pytest.fixture
def ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Generated call ids the same on both paths: a counter (the preparer and the Python path
    both call ``_transport.new_call_id`` through the transport)."""
    counter = itertools.count()
    monkeypatch.setattr(transport_module, "new_call_id", lambda: f"id-{next(counter)}")
    yield


def _transport(fmt: str) -> transport_module.Transport:
    client = BillectaClient(secure_token="token", base_url=BASE, format=fmt)  # type: ignore[arg-type]
    return client._transport


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_preparer_makes_the_python_paths_call_for_every_operation(fmt: str, ids: None) -> None:
    transport = _transport(fmt)
    assert transport.prepare_fast is not None
    checked = 0
    for op in _fast_operations():
        plan = _Plan(op)
        assert plan.fast is not None, op.name
        for values in _argument_sets(op):
            fast = transport.prepare_fast(plan.fast, values)
            assert isinstance(fast, Call), (op.resource, op.name, values)
            target, body = plan.prepare(values)
            slow = transport.prepare(op.method, op.path, target, body, plan.body_model, {})
            fast_slots, slow_slots = _slots(fast), _slots(slow)
            if op.method != "GET":  # one id drawn per call: the preparer's came first
                number = int(slow_slots["unique_id"].removeprefix("id-"))
                assert fast_slots["unique_id"] == f"id-{number - 1}"
                fast_slots["unique_id"] = slow_slots["unique_id"]
                fast_slots["headers"]["UniqueApiCallId"] = slow_slots["unique_id"]
            assert fast_slots == slow_slots, (op.resource, op.name, values)
            assert str(fast.url) == str(slow.url)
            checked += 1
    assert checked > 600  # (658 argument sets per format when written)


def test_a_get_shares_the_transports_headers_and_a_post_gets_its_own(ids: None) -> None:
    transport = _transport("json")
    assert transport.prepare_fast is not None
    client_get = _Plan(catalogue().operation("products", "get"))
    create = _Plan(catalogue().operation("products", "create"))
    assert client_get.fast is not None and create.fast is not None
    got = transport.prepare_fast(client_get.fast, (GUID,))
    assert got is not None and got.headers is transport._headers
    # A tuple only (converters run Python code; a list could change meanwhile), of the
    # plan's length: anything else is left to the Python path.
    assert transport.prepare_fast(client_get.fast, [GUID]) is None
    assert transport.prepare_fast(client_get.fast, (GUID, GUID)) is None
    assert got.unique_id is None and got.generated_id is False
    product = m.Product(creditor_public_id=GUID, description="Sofa")
    first = transport.prepare_fast(create.fast, (product,))
    second = transport.prepare_fast(create.fast, (product,))
    assert first is not None and second is not None
    assert first.headers is not second.headers
    assert first.unique_id != second.unique_id
    assert first.headers["UniqueApiCallId"] == first.unique_id and first.generated_id is True
    assert "UniqueApiCallId" not in transport._body_headers
    assert first.data == product.to_json() and first.headers is not transport._body_headers


def _bad_sets(op: Operation) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Arguments with one of them refused by the Python path (named), the rest good."""
    good = next(_argument_sets(op))
    for i, arg in enumerate(op.args):
        bad: list[Any] = []
        if arg.location == "body":
            bad = [object(), "text"] + ([None] if not arg.optional else [])
        else:
            bad = list(BAD.get(arg.kind or "", [object()]))
            if arg.location == "path":
                bad += [".", ".."]  # (a dot segment, refused in a path only)
            if not arg.optional:
                bad.append(None)
        for value in bad:
            yield arg.name, (*good[:i], value, *good[i + 1 :])


def test_where_the_python_path_raises_the_preparer_gives_none(ids: None) -> None:
    transport = _transport("json")
    assert transport.prepare_fast is not None
    checked = 0
    for op in _fast_operations():
        plan = _Plan(op)
        assert plan.fast is not None
        for name, values in _bad_sets(op):
            with pytest.raises(ParameterError) as raised:
                plan.prepare(values)
            assert raised.value.name == name or raised.value.name.startswith(name)
            assert transport.prepare_fast(plan.fast, values) is None, (op.name, name, values)
            checked += 1
    assert checked > 1700  # (1,762 when written)


async def test_through_the_client_a_refused_argument_raises_the_python_paths_error() -> None:
    async with BillectaClient(secure_token="token", base_url=BASE) as client:
        assert client._transport.prepare_fast is not None
        with pytest.raises(ParameterError, match="product_public_id") as fast:
            await client.products.get("not-a-guid")
        client._transport.prepare_fast = None
        with pytest.raises(ParameterError, match="product_public_id") as slow:
            await client.products.get("not-a-guid")
    assert str(fast.value) == str(slow.value)


async def test_through_the_client_the_fast_path_sends_what_the_python_path_sends() -> None:
    """The same calls, with the preparer and without, as a real server receives them."""
    sent: list[tuple[str, str, dict[str, str], bytes]] = []

    async def record(request: web.Request) -> web.Response:
        sent.append((request.method, request.raw_path, dict(request.headers), await request.read()))
        body = b"{}" if request.method == "GET" else b'{"PublicId": "%s"}' % GUID.encode()
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    product = m.Product(creditor_public_id=GUID, description="Sofa")
    async with (
        serve_app(app) as base,
        BillectaClient(secure_token="token", base_url=base) as client,
    ):
        assert client._transport.prepare_fast is not None
        for fast in (True, False):
            if not fast:
                client._transport.prepare_fast = None
            await client.products.get(GUID)
            await client.products.create(product)
            await client.products.get_by_article_number(GUID, "a b&c=d/ü")
    assert len(sent) == 6
    for with_c, without in zip(sent[:3], sent[3:], strict=True):
        ids = {with_c[2].pop("UniqueApiCallId", None), without[2].pop("UniqueApiCallId", None)}
        assert ids == {None} if with_c[0] == "GET" else len(ids) == 2 and None not in ids
        assert with_c == without
    assert sent[2][1] == (
        f"/v1/products/productbyarticlenumber/{GUID}?articlenumber=a%20b%26c%3Dd%2F%C3%BC"
    )


def test_no_preparer_with_a_deadline_or_request_options() -> None:
    """A deadline needs the clock's start on the call; request options (timeout, retries,
    headers, an id) are checked by the Python path."""
    with_deadline = BillectaClient(secure_token="token", base_url=BASE, deadline=5)
    assert with_deadline._transport.prepare_fast is None
    transport = _transport("json")
    calls: list[Any] = []
    real = transport.prepare_fast
    assert real is not None

    def spy(plan: Any, values: Any) -> Any:
        calls.append(values)
        return real(plan, values)

    transport.prepare_fast = spy
    resource = Resource(transport)
    plan = _Plan(catalogue().operation("products", "get"))
    resource._send(plan, (GUID,), m.Product, {"max_retries": 0}).close()  # type: ignore[attr-defined]
    assert calls == []
    resource._send(plan, (GUID,), m.Product, {}).close()  # type: ignore[attr-defined]
    assert calls == [(GUID,)]


def test_plans_with_a_check_or_a_list_body_take_the_python_path() -> None:
    ops = catalogue().operations
    slow = [op for op in ops if op.check or (op.body is not None and op.body.is_list)]
    assert slow  # (there are such operations: 5 with checks, 5 with list bodies)
    assert all(_Plan(op).fast is None for op in slow)


def test_the_preparer_refuses_a_call_class_it_cannot_fill() -> None:
    assert _native.CallPreparer is not None

    class Other:
        __slots__ = ("method",)

    class WithDict:
        pass

    args = (BASE, str, {}, {}, None, 2, len, str, str)
    with pytest.raises(AttributeError):
        _native.CallPreparer(Other, *args)
    with pytest.raises(TypeError, match="__slots__ only"):
        _native.CallPreparer(WithDict, *args)

    class Extra(Call):  # (slots the preparer would leave unset)
        __slots__ = ("more",)

    with pytest.raises(TypeError, match="derive from object alone"):
        _native.CallPreparer(Extra, *args)

    class Fewer:
        __slots__ = (*Call.__slots__[:-1], "other")

    with pytest.raises(AttributeError):
        _native.CallPreparer(Fewer, *args)

    class More:
        __slots__ = (*Call.__slots__, "other")

    with pytest.raises(TypeError, match="17 slots, expected 16"):
        _native.CallPreparer(More, *args)
