"""Every documented endpoint, driven from the catalogue (schema/endpoints.json).

For each of the 254 endpoints of Billecta's API reference, in JSON and in XML, the test finds
the client method the runtime catalogue (``billecta_async/_catalogue.json``) names for it, calls
it with typed values for every parameter, and checks on the wire (aioresponses) that it sends
exactly the documented verb, path and query string, sends the request model in the client's
format, and returns the documented response model parsed from a realistic body, of the type its
annotation says. An endpoint with no method fails the test.
"""

from __future__ import annotations

import functools
import json
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from aioresponses import CallbackResult
from yarl import URL

import billecta_async.models as m
from billecta_async import (
    AsyncPaginator,
    BillectaClient,
    BinaryResponse,
    SyncBillectaClient,
    SyncBinaryResponse,
    SyncPaginator,
    from_json,
    from_xml,
    to_json,
    to_xml,
)
from billecta_async._catalogue import Operation, catalogue
from billecta_async._transport import tls_context
from billecta_async.testing import sample_list, sample_model

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = json.loads((ROOT / "schema" / "endpoints.json").read_text(encoding="utf-8"))
ENDPOINTS: list[dict[str, Any]] = CATALOGUE["endpoints"]
BASE = "https://api.test.invalid"

Key = tuple[str, str, frozenset[str]]


def _key(method: str, path: str, params: Any) -> Key:
    return (method, path, frozenset(params))


def _catalogue_key(entry: dict[str, Any]) -> Key:
    names = [p["name"] for p in entry["path_params"] + entry["query_params"]]
    return _key(entry["method"], entry["path"], names)


def _registry() -> dict[Key, Operation]:
    found: dict[Key, Operation] = {}
    for operation in catalogue().operations:
        for form in operation.forms:
            key = _key(operation.method, operation.path, form)
            assert key not in found, f"{operation.name} and {found[key].name} both claim {key}"
            found[key] = operation
    return found


REGISTRY = _registry()


def test_catalogue_has_every_documented_endpoint() -> None:
    assert CATALOGUE["count"] == len(ENDPOINTS) == 254


def test_every_documented_endpoint_has_a_method() -> None:
    missing = [
        f"{e['section']}: {e['method']} {e['path']} {sorted(_catalogue_key(e)[2])}"
        for e in ENDPOINTS
        if _catalogue_key(e) not in REGISTRY
    ]
    assert not missing, f"{len(missing)} endpoints have no method:\n" + "\n".join(missing)


def test_every_marked_method_is_a_documented_endpoint() -> None:
    documented = {_catalogue_key(e) for e in ENDPOINTS}
    extra = [
        f"{op.resource}.{op.name}: {key}" for key, op in REGISTRY.items() if key not in documented
    ]
    assert not extra, "methods marked for undocumented endpoints:\n" + "\n".join(extra)


# -- sample values per documented parameter type -------------------------------------------

PATH_TEXT = "A 1/ä?&"  # exercises quoting of path and query values


def _enum_class(type_name: str) -> Any:
    name = type_name[:-4] if type_name.endswith("View") else type_name
    return getattr(m, name)


def _value(param: dict[str, Any], in_path: bool) -> tuple[Any, str]:
    """A typed Python value for a parameter and the text Billecta must receive for it."""
    kind = param["type"]
    if kind == "guid":
        return "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70", "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
    if kind == "string":
        return PATH_TEXT, PATH_TEXT
    if kind == "int":
        return 7, "7"
    if kind == "double":
        return 12.5, "12.5"
    if kind == "date":
        return date(2024, 2, 29), "2024-02-29"
    if kind in ("bool", "nullable boolean"):
        return True, "true"
    if kind == "string[]":
        return ["a1", "b2"], "a1,b2"
    enum_cls = _enum_class(kind)
    member = list(enum_cls)[-1]
    return member, member.value


def _model_for(name: str | None) -> Any:
    return getattr(m, name) if name else None


def _sample_body(model: Any) -> Any:
    if isinstance(model, m.ListOf):
        return sample_list(model, count=2, depth=2)
    return sample_model(model, depth=2)


def _encode(value: Any, model: Any, fmt: str) -> bytes:
    if isinstance(model, m.ListOf):
        return to_json(value, model) if fmt == "json" else to_xml(value, model)
    return value.to_json() if fmt == "json" else value.to_xml()


def _decode(body: bytes, model: Any, fmt: str) -> Any:
    return from_json(body, model) if fmt == "json" else from_xml(body, model)


def _cases() -> Iterator[Any]:
    for index, entry in enumerate(ENDPOINTS):
        for fmt in ("json", "xml"):
            yield pytest.param(
                entry, fmt, id=f"{index:03d}-{entry['method']}-{entry['path']}-{fmt}"
            )


@dataclass
class Case:
    """One documented endpoint called as the catalogue says: the arguments and what Billecta
    must receive and answer."""

    operation: Operation
    kwargs: dict[str, Any]
    path: str
    query: list[tuple[str, str]]
    body: bytes | None
    answer: bytes
    content_type: str
    binary: bool
    expected: Any


def _case(entry: dict[str, Any], fmt: str, optional: bool) -> Case:
    key = _catalogue_key(entry)
    if key not in REGISTRY:
        pytest.fail(f"no method for {entry['method']} {entry['path']}")
    operation = REGISTRY[key]
    params = operation.params
    kwargs: dict[str, Any] = {}
    path = entry["path"]
    expected_query: list[tuple[str, str]] = []
    for param in entry["path_params"]:
        value, text = _value(param, in_path=True)
        kwargs[params[param["name"]]] = value
        path = path.replace("{" + param["name"] + "}", quote(text, safe=""))
    for param in entry["query_params"]:
        if param["optional"] and not optional:
            continue
        value, text = _value(param, in_path=False)
        kwargs[params[param["name"]]] = value
        expected_query.append((param["name"], text))

    request_model = _model_for((entry["request"] or {}).get("model"))
    expected_body: bytes | None = None
    if request_model is not None:
        body = operation.body
        assert body is not None, f"{operation.name} does not name its request body argument"
        body_value = _sample_body(request_model)
        kwargs[body.name] = body_value
        expected_body = _encode(body_value, request_model, fmt)

    documented = entry["response"]
    if documented is not None:  # the SDK answers what the reference documents
        assert operation.response == ("bytes" if documented.get("bytes") else documented["model"])
    response_model = None if operation.binary else _model_for(operation.response)
    content_type = "application/json" if fmt == "json" else "application/xml"
    if operation.binary:
        answer = b"%PDF-1.4 binary \x00\xff"
        expected_result: Any = answer
        content_type = "application/pdf"
    elif response_model is not None:
        expected_result = _sample_body(response_model)
        answer = _encode(expected_result, response_model, fmt)
    else:
        answer = b""
        expected_result = None
    return Case(
        operation,
        kwargs,
        path,
        expected_query,
        expected_body,
        answer,
        content_type,
        operation.binary,
        expected_result,
    )


def _recorder(case: Case, mock_http: Any) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def record(url: Any, **request: Any) -> CallbackResult:
        seen.append({"url": url, **request})
        return CallbackResult(status=200, body=case.answer, content_type=case.content_type)

    mock_http.add(re.compile(".*"), method=case.operation.method, callback=record)
    return seen


def _check_sent(case: Case, fmt: str, seen: list[dict[str, Any]]) -> None:
    assert len(seen) == 1
    sent = seen[0]
    # aioresponses re-sorts and re-encodes the query of the URL it records, so the query is
    # compared as decoded pairs here; test_transport checks the exact encoding and order.
    url = sent["url"] if isinstance(sent["url"], URL) else URL(str(sent["url"]), encoded=True)
    assert f"{url.scheme}://{url.host}" == BASE
    assert url.raw_path == case.path
    assert sorted(parse_qsl(url.query_string, keep_blank_values=True)) == sorted(case.query)
    headers = sent["headers"]
    assert headers["Accept"] == case.content_type if not case.binary else True
    if case.body is not None:
        assert sent["data"] == case.body
        assert headers["Content-Type"].startswith(
            "application/json" if fmt == "json" else "application/xml"
        )
    else:
        assert sent.get("data") is None


def _conforms(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of the (generic) type ``hint``."""
    origin = typing.get_origin(hint)
    if hint is type(None):
        return value is None
    if origin is None:
        return isinstance(value, hint)
    if origin in (list, AsyncPaginator, SyncPaginator):
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(isinstance(v, item) for v in value)
    raise AssertionError(f"unexpected return annotation {hint}")


@functools.cache
def _returns(cls: type, name: str) -> Any:
    """What awaiting (or, on the sync client, calling) the method gives, per its annotation."""
    hint = typing.get_type_hints(getattr(cls, name))["return"]
    if hint in (BinaryResponse, SyncBinaryResponse):
        return bytes
    return hint


def _given(result: Any) -> Any:
    """A sync client's result as an awaited async one is: a page, or the bytes."""
    if isinstance(result, SyncPaginator):
        return result.page()
    if isinstance(result, SyncBinaryResponse):
        return result.read()
    return result


CASES = list(_cases())
# One TLS context for all the clients: building one loads the system's CA certificates (~50 ms).
TLS = tls_context(None)


@pytest.mark.parametrize(("entry", "fmt"), CASES)
@pytest.mark.parametrize("optional", [True, False], ids=["all-params", "required-only"])
async def test_endpoint_on_the_wire(
    entry: dict[str, Any], fmt: str, optional: bool, mock_http: Any
) -> None:
    case = _case(entry, fmt, optional)
    seen = _recorder(case, mock_http)
    async with BillectaClient(
        secure_token="token",
        base_url=BASE,
        format=fmt,  # type: ignore[arg-type]
        ssl_context=TLS,
    ) as client:
        resource = getattr(client, case.operation.resource)
        result = await getattr(resource, case.operation.name)(**case.kwargs)
    _check_sent(case, fmt, seen)
    assert result == case.expected
    assert _conforms(result, _returns(type(resource), case.operation.name))


@pytest.fixture(scope="module")
def sync_clients() -> Iterator[dict[str, SyncBillectaClient]]:
    """One synchronous client per format for the module (each owns a thread and a loop)."""
    clients = {
        fmt: SyncBillectaClient(secure_token="token", base_url=BASE, format=fmt)  # type: ignore[arg-type]
        for fmt in ("json", "xml")
    }
    yield clients
    for client in clients.values():
        client.close()


@pytest.mark.parametrize(("entry", "fmt"), CASES)
@pytest.mark.parametrize("optional", [True, False], ids=["all-params", "required-only"])
def test_endpoint_on_the_wire_sync(
    entry: dict[str, Any],
    fmt: str,
    optional: bool,
    mock_http: Any,
    sync_clients: dict[str, SyncBillectaClient],
) -> None:
    case = _case(entry, fmt, optional)
    seen = _recorder(case, mock_http)
    resource = getattr(sync_clients[fmt], case.operation.resource)
    result = _given(getattr(resource, case.operation.name)(**case.kwargs))
    _check_sent(case, fmt, seen)
    assert result == case.expected
    assert _conforms(result, _returns(type(resource), case.operation.name))
