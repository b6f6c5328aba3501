"""Every documented endpoint, driven from the catalogue (schema/endpoints.json).

For each of the 254 endpoints of Billecta's API reference, in JSON and in XML, the test finds
the client method marked with ``@endpoint`` for it, calls it with typed values for every
parameter, and checks on the wire (aioresponses) that it sends exactly the documented verb, path
and query string, sends the request model in the client's format, and returns the documented
response model parsed from a realistic body. An endpoint with no method fails the test.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from aioresponses import CallbackResult
from yarl import URL

import billecta_async.models as m
from billecta_async import BillectaClient, from_json, from_xml, to_json, to_xml
from billecta_async.resources._base import EndpointSpec, Resource, endpoints_of
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


def _registry() -> dict[Key, tuple[str, str, EndpointSpec]]:
    client = BillectaClient(secure_token="x", base_url=BASE)
    found: dict[Key, tuple[str, str, EndpointSpec]] = {}
    for attr, resource in vars(client).items():
        if not isinstance(resource, Resource):
            continue
        for name, fn in inspect.getmembers(type(resource), inspect.isfunction):
            for spec in endpoints_of(fn):
                key = _key(spec.method, spec.path, spec.params)
                assert key not in found, f"{attr}.{name} and {found[key][:2]} both claim {key}"
                found[key] = (attr, name, spec)
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
        f"{attr}.{name}: {key}"
        for key, (attr, name, _) in REGISTRY.items()
        if key not in documented
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


@pytest.mark.parametrize(("entry", "fmt"), list(_cases()))
@pytest.mark.parametrize("optional", [True, False], ids=["all-params", "required-only"])
async def test_endpoint_on_the_wire(
    entry: dict[str, Any], fmt: str, optional: bool, mock_http: Any
) -> None:
    key = _catalogue_key(entry)
    if key not in REGISTRY:
        pytest.fail(f"no method for {entry['method']} {entry['path']}")
    attr, method_name, spec = REGISTRY[key]

    kwargs: dict[str, Any] = {}
    path = entry["path"]
    expected_query: list[tuple[str, str]] = []
    for param in entry["path_params"]:
        value, text = _value(param, in_path=True)
        kwargs[spec.params[param["name"]]] = value
        path = path.replace("{" + param["name"] + "}", quote(text, safe=""))
    for param in entry["query_params"]:
        if param["optional"] and not optional:
            continue
        value, text = _value(param, in_path=False)
        kwargs[spec.params[param["name"]]] = value
        expected_query.append((param["name"], text))

    request_model = _model_for((entry["request"] or {}).get("model"))
    expected_body: bytes | None = None
    if request_model is not None:
        assert spec.body, f"{attr}.{method_name} does not name its request body argument"
        body_value = _sample_body(request_model)
        kwargs[spec.body] = body_value
        expected_body = _encode(body_value, request_model, fmt)

    response = entry["response"] or {}
    if spec.response == "bytes":
        response = {"bytes": True}
    response_name = spec.response or response.get("model")
    response_model = None if response.get("bytes") else _model_for(response_name)
    content_type = "application/json" if fmt == "json" else "application/xml"
    if response.get("bytes"):
        answer = b"%PDF-1.4 binary \x00\xff"
        expected_result: Any = answer
        content_type = "application/pdf"
    elif response_model is not None:
        expected_result = _sample_body(response_model)
        answer = _encode(expected_result, response_model, fmt)
    else:
        answer = b""
        expected_result = None

    seen: list[dict[str, Any]] = []

    def record(url: Any, **request: Any) -> CallbackResult:
        seen.append({"url": url, **request})
        return CallbackResult(status=200, body=answer, content_type=content_type)

    async with BillectaClient(secure_token="token", base_url=BASE, format=fmt) as client:  # type: ignore[arg-type]
        method = getattr(getattr(client, attr), method_name)
        mock_http.add(re.compile(".*"), method=entry["method"], callback=record)
        result = await method(**kwargs)

    assert len(seen) == 1
    sent = seen[0]
    # aioresponses re-sorts and re-encodes the query of the URL it records, so the query is
    # compared as decoded pairs here; test_transport checks the exact encoding and order.
    url = sent["url"] if isinstance(sent["url"], URL) else URL(str(sent["url"]), encoded=True)
    assert f"{url.scheme}://{url.host}" == BASE
    assert url.raw_path == path
    assert sorted(parse_qsl(url.query_string, keep_blank_values=True)) == sorted(expected_query)
    headers = sent["headers"]
    assert headers["Accept"] == content_type if not response.get("bytes") else True
    if expected_body is not None:
        assert sent["data"] == expected_body
        assert headers["Content-Type"].startswith(
            "application/json" if fmt == "json" else "application/xml"
        )
    else:
        assert sent.get("data") is None
    assert result == expected_result
