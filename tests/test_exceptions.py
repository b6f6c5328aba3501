"""The exception classes themselves: what survives pickling and copying."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from billecta_async import (
    AlreadyProcessedError,
    APIStatusError,
    BadRequestError,
    BillectaError,
    DecodeError,
    DuplicateRequestError,
    EncodeError,
    ErrorBudgetExhaustedError,
    ForbiddenError,
    NotFoundError,
    ParameterError,
    PollingTimeoutError,
    RateLimitedError,
    RedisUnavailableError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TLSError,
    TransportError,
    UnauthorizedError,
    UnderlyingError,
    WebhookError,
)

STATUS = {"method": "POST", "path": "/v1/invoice/action", "message": "Invalid debtor"}


def _errors() -> list[BaseException]:
    return [
        BillectaError("plain"),
        APIStatusError(status=418, **STATUS),
        BadRequestError(status=400, external_error_code="E1", **STATUS),
        UnauthorizedError(status=401, **STATUS),
        ForbiddenError(status=403, **STATUS),
        DuplicateRequestError(status=403, unique_api_call_id="order-1", **STATUS),
        AlreadyProcessedError(attempts=2, status=403, unique_api_call_id="order-1", **STATUS),
        NotFoundError(status=404, **STATUS),
        RateLimitedError(retry_after=3.0, status=429, **STATUS),
        ServerError(status=503, body_excerpt="<html>", method="GET", path="/v1/x"),
        TransportError("connection reset", method="GET", path="/v1/x"),
        RequestTimeoutError("no answer within the timeout", method="POST", path="/v1/x"),
        TLSError("certificate verify failed", method="GET", path="/v1/x"),
        ResponseTooLargeError(method="GET", path="/v1/x", status=200, limit=10),
        ErrorBudgetExhaustedError(
            method="GET", path="/v1/x", errors=50, max_errors=50, window=60, retry_after=1.5
        ),
        PollingTimeoutError("BankID", timeout=5, last_status=None),
        RedisUnavailableError("look", address="localhost:6379", reason="refused"),
        DecodeError("expected an integer", model="Invoice", path=["Total"], value="x"),
        EncodeError("expected a number", model="Invoice", path=["Total"], value="y"),
        ParameterError("take", 500, "expected 0 to 100"),
        WebhookError("not a webhook"),
        UnderlyingError("aiohttp.ServerDisconnectedError", "Server disconnected"),
    ]


def _with_call(error: BaseException) -> BaseException:
    if isinstance(error, BillectaError):
        error.record_call(
            method="POST",
            path="/v1/invoice/action",
            unique_api_call_id="order-1",
            attempts=2,
            maybe_processed=True,
        )
    return error


COPIES: dict[str, Callable[[Any], Any]] = {
    "pickle": lambda error: pickle.loads(pickle.dumps(error)),
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
}


@pytest.mark.parametrize("how", COPIES)
@pytest.mark.parametrize("recorded", [False, True], ids=["raised", "out-of-a-call"])
@pytest.mark.parametrize("index", range(len(_errors())))
def test_every_error_survives_pickling_and_copying(index: int, recorded: bool, how: str) -> None:
    """An error crosses a process boundary (multiprocessing, concurrent.futures, a task
    queue) or is copied whole: same class, message, args and attributes."""
    error = _errors()[index]
    if recorded:
        _with_call(error)
    again = COPIES[how](error)
    assert type(again) is type(error)
    assert str(again) == str(error) and again.args == error.args
    assert vars(again) == vars(error)
    if isinstance(error, BillectaError):
        assert (again.unique_api_call_id, again.attempts, again.maybe_processed) == (
            error.unique_api_call_id,
            error.attempts,
            error.maybe_processed,
        )


def test_an_error_of_the_sdk_without_a_message_of_its_own_gets_the_calls_outcome() -> None:
    """A RedisUnavailableError (or any error raised as text) leaving a call says what its
    attempts showed, once, however often it is recorded."""
    error = RedisUnavailableError("take a rate-limit slot", address="redis:6379", reason="-")
    for _ in range(2):
        _with_call(error)
    text = str(error)
    assert text.startswith("Redis at redis:6379 unavailable: could not take a rate-limit slot")
    assert text.count("Billecta may have acted on it (2 attempts)") == 1
    assert "unique_api_call_id='order-1'" in text and error.args == (text,)


@pytest.mark.parametrize(
    "text",
    [
        "faktura-198001139297.pdf",
        "kund-19800113-9297",
        "19800113-9297-2",
        "ref 8001139297-a",
        "debtor-800113-9297",
    ],
)
def test_a_personal_number_next_to_a_dash_is_masked(text: str) -> None:
    """Only a GUID's groups are kept (they can look like YYYYMMDD-NNNN), not every digit run
    that touches a dash: a personal number in a reference or file name is masked too."""
    from billecta_async._exceptions import mask_personal_numbers

    masked = mask_personal_numbers(text)
    assert "<masked>" in masked and not any(
        run in masked for run in ("198001139297", "19800113-9297", "8001139297", "800113-9297")
    )
    kept = "8a7e1b32-5f23-4f0e-9c2e-198001139297 12345678-1234-1234-1234-123456789012"
    assert mask_personal_numbers(kept) == kept


def test_an_error_message_masks_a_personal_number_next_to_a_dash() -> None:
    error = BadRequestError(
        status=400, method="POST", path="/v1/x", message="No debtor kund-19800113-9297"
    )
    assert "9297" not in str(error) and "9297" not in repr(error)


def test_an_error_raised_without_a_message_out_of_a_call_says_only_the_outcome() -> None:
    error = _with_call(BillectaError())
    assert str(error).startswith("Billecta may have acted on it (2 attempts)")
