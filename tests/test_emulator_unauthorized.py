"""Every documented endpoint answers 401 for what the user may not see, before anything else.

The guide: "When requesting data without specifying the correct id:s the API will regardless of
if the referenced data exists or not respond with access denied". Driven from the catalogue:
every documented form whose path names something by id is sent an id nobody has, and every
body naming its creditor an unknown creditor; each must be 401, whatever else the request
holds (its body is left out, or carries nothing but the creditor). One emulator answers them
all (without the delay after 50 errors a minute, which these hundreds of 401s would trigger).
"""

from __future__ import annotations

import base64
import dataclasses
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from billecta_async import models as m
from billecta_async._catalogue import catalogue
from billecta_async.testing import BillectaEmulator


def _query_value(kind: str | None) -> str:
    """A valid value of a documented query parameter's kind (see billecta_async._params)."""
    if kind in ("day", "day_or_string"):
        return "2024-01-31"
    if kind in ("integer", "number", "integer_or_string", "offset", "limit"):
        return "1"
    if kind == "boolean":
        return "true"
    if kind == "guid":
        return str(uuid.uuid4())
    if kind and kind.startswith("enum:"):
        enum = getattr(m, kind.removeprefix("enum:"))
        return next(member.value for member in enum if member.is_known)
    return "x"


@dataclasses.dataclass
class Request:
    name: str
    method: str
    path: str
    query: dict[str, str]
    body: Any = None


def requests_with_unknown_ids() -> list[Request]:
    """Every documented form whose path names something by id, with an id nobody has."""
    found = []
    for operation in catalogue().operations:
        if "{" not in operation.path:
            continue
        for form in operation.forms:
            path = operation.path
            query = {}
            for arg in operation.args:
                if arg.wire is None or arg.wire not in form:
                    continue
                if arg.location == "path":
                    path = path.replace("{" + arg.wire + "}", str(uuid.uuid4()))
                elif not arg.optional:
                    query[arg.wire] = _query_value(arg.kind)
            name = f"{operation.resource}.{operation.name} {sorted(form)}"
            found.append(Request(name, operation.method, path, query))
    return found


def bodies_of_unknown_creditors() -> list[Request]:
    """Every endpoint without a path id whose body names its creditor, naming an unknown one."""
    found = []
    for operation in catalogue().operations:
        model = operation.body_model()
        if "{" in operation.path or model is None or isinstance(model, m.ListOf):
            continue
        if operation.method == "POST" and operation.path == "/v1/creditors/creditor":
            continue  # creates a creditor: its id is Billecta's to give, not one to look up
        if "creditor_public_id" not in {f.name for f in dataclasses.fields(model)}:
            continue
        query = {
            a.wire: _query_value(a.kind)
            for a in operation.args
            if a.location == "query" and not a.optional and a.wire is not None
        }
        body = model(creditor_public_id=str(uuid.uuid4()))
        name = f"{operation.resource}.{operation.name}"
        found.append(Request(name, operation.method, operation.path, query, body))
    return found


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[BillectaEmulator]:
    async with BillectaEmulator(error_penalty=False) as running:
        yield running


async def _statuses(emulator: BillectaEmulator, requests: list[Request], fmt: str) -> list[str]:
    """The requests not answered 401, each with what it was answered."""
    content_type = f"application/{fmt}"
    token = base64.b64encode(emulator.secure_token.encode()).decode()
    headers = {"Authorization": f"SecureToken {token}", "Accept": content_type}
    wrong = []
    async with aiohttp.ClientSession() as session:
        for request in requests:
            data = None
            if request.body is not None:
                data = request.body.to_json() if fmt == "json" else request.body.to_xml()
                headers["Content-Type"] = content_type
            async with session.request(
                request.method,
                emulator.url + request.path,
                params=request.query,
                data=data,
                headers=headers,
            ) as answer:
                body = await answer.read()
            if answer.status != 401:
                wrong.append(f"{request.name}: {answer.status} {body[:200]!r}")
    return wrong


async def test_every_path_id_nobody_has_is_401(emulator: BillectaEmulator) -> None:
    requests = requests_with_unknown_ids()
    wrong = await _statuses(emulator, requests, "json")
    assert not wrong, "\n".join(wrong)
    assert len(requests) > 150


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_every_body_naming_an_unknown_creditor_is_401(
    emulator: BillectaEmulator, fmt: str
) -> None:
    requests = bodies_of_unknown_creditors()
    wrong = await _statuses(emulator, requests, fmt)
    assert not wrong, "\n".join(wrong)
    assert len(requests) > 40
    assert emulator.state.events == []  # nothing acted on
