"""Every exception the SDK raises, in one hierarchy rooted at :class:`BillectaError`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

if sys.version_info >= (3, 11):
    from typing import Self
else:  # pragma: no cover
    from typing_extensions import Self

__all__ = [
    "APIStatusError",
    "AlreadyProcessedError",
    "BadRequestError",
    "BillectaError",
    "DecodeError",
    "DuplicateRequestError",
    "EncodeError",
    "ErrorBudgetExhaustedError",
    "ForbiddenError",
    "NotFoundError",
    "ParameterError",
    "PollingTimeoutError",
    "RateLimitedError",
    "RedisUnavailableError",
    "RequestTimeoutError",
    "ServerError",
    "TransportError",
    "UnauthorizedError",
    "WebhookError",
]


class BillectaError(Exception):
    """Base class of every error raised by billecta-async."""


def _render_path(model: str | None, path: Sequence[str]) -> str:
    parts = [model] if model else []
    parts.extend(path)
    return ".".join(parts) if parts else "document"


def _excerpt(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _WireError(BillectaError, ValueError):
    """Common shape of :class:`DecodeError` and :class:`EncodeError`."""

    def __init__(
        self,
        reason: str,
        *,
        model: str | None = None,
        path: Sequence[str] = (),
        value: object = None,
        has_value: bool = True,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.model = model
        self.path = list(path)
        self.value = value
        self.has_value = has_value

    @property
    def field(self) -> str:
        """The offending field as ``Model.Wire.Path`` (``document`` for the whole document)."""
        return _render_path(self.model, self.path)

    def __str__(self) -> str:
        if self.has_value:
            return f"{self.field}: {self.reason} (got {_excerpt(self.value)})"
        return f"{self.field}: {self.reason}"

    def at(self, key: str) -> Self:
        """The same error one level up: ``key`` is prepended to the path."""
        return type(self)(
            self.reason,
            model=None,
            path=[key, *self.path],
            value=self.value,
            has_value=self.has_value,
        )

    def in_model(self, model: str) -> Self:
        """The same error, naming the model the path starts from."""
        return type(self)(
            self.reason, model=model, path=self.path, value=self.value, has_value=self.has_value
        )


class DecodeError(_WireError):
    """A JSON or XML document could not be turned into a model.

    ``field`` names the offending value from the model being decoded down
    (``InvoiceAction.Records.3.UnitPrice.Value``), ``value`` is the value found there and
    ``reason`` says what was expected. A document that is not JSON or XML at all, or has the
    wrong root element, is reported at ``document`` level with an excerpt.
    """


class EncodeError(_WireError):
    """A model holds a value that cannot be sent to Billecta; raised before anything is sent.

    ``field`` names the offending field from the model being encoded down, ``value`` is the
    value found there and ``reason`` says what was expected.
    """


class ParameterError(BillectaError, ValueError):
    """A path or query parameter has a value Billecta cannot take; raised before sending."""

    def __init__(self, name: str, value: object, reason: str) -> None:
        super().__init__(f"{name}: {reason} (got {_excerpt(value)})")
        self.name = name
        self.value = value
        self.reason = reason


class APIStatusError(BillectaError):
    """Billecta answered with an error status.

    Carries what Billecta said: ``message`` (the body's ``Message``), ``external_error_code``,
    ``request_content`` and ``error_message_header`` (the ``ErrorMessage`` header, decoded as
    ISO-8859-1), plus the HTTP ``status`` and the request's ``method`` and ``path``. A body that is
    not Billecta's (an HTML page from a proxy, an empty body) leaves those ``None`` and
    ``body_excerpt`` shows its start. Credentials are never included.
    """

    def __init__(
        self,
        *,
        status: int,
        method: str,
        path: str,
        message: str | None = None,
        external_error_code: str | None = None,
        request_content: str | None = None,
        error_message_header: str | None = None,
        body_excerpt: str | None = None,
        unique_api_call_id: str | None = None,
    ) -> None:
        self.status = status
        self.method = method
        self.path = path
        self.message = message
        self.external_error_code = external_error_code
        self.request_content = request_content
        self.error_message_header = error_message_header
        self.body_excerpt = body_excerpt
        self.unique_api_call_id = unique_api_call_id
        super().__init__(self._describe())

    def _describe(self) -> str:
        said = self.message or self.error_message_header
        text = f"{self.method} {self.path} -> HTTP {self.status}"
        if said:
            text += f": {said}"
        elif self.body_excerpt:
            text += f" (not a Billecta error body: {self.body_excerpt!r})"
        if self.external_error_code:
            text += f" [ExternalErrorCode {self.external_error_code}]"
        if self.unique_api_call_id:
            text += f" [UniqueApiCallId {self.unique_api_call_id}]"
        return text


class BadRequestError(APIStatusError):
    """400: the data sent was wrong (Billecta's message says what)."""


class UnauthorizedError(APIStatusError):
    """401: bad credentials, or an id (creditor, debtor, ...) the user may not access."""


class ForbiddenError(APIStatusError):
    """403: Billecta refused to process the request."""


class DuplicateRequestError(ForbiddenError):
    """403 on a request with a ``UniqueApiCallId`` that Billecta has already seen.

    Billecta did not process this request again: the first request with that id was processed.
    ``unique_api_call_id`` is the id.
    """


class AlreadyProcessedError(DuplicateRequestError):
    """A retry was refused as a duplicate: an earlier attempt of *this* call was processed.

    The client sent the call, lost the answer (timeout, dropped connection, 5xx, truncated body)
    and retried with the same ``UniqueApiCallId``; Billecta answered 403 because it had already
    processed the first attempt. The call succeeded, only its answer is lost: do not send it
    again. For a call that creates something, look the new object up (e.g. by your own
    reference). ``unique_api_call_id`` is the id, ``attempts`` the number of attempts made.
    """

    def __init__(self, *, attempts: int, **kwargs: Any) -> None:
        self.attempts = attempts
        super().__init__(**kwargs)

    def _describe(self) -> str:
        return (
            f"{self.method} {self.path}: already processed - attempt {self.attempts} was refused "
            f"as a duplicate of UniqueApiCallId {self.unique_api_call_id}, so an earlier attempt "
            "was accepted by Billecta but its answer was lost; do not send this call again "
            "(look up what it created instead)"
        )


class NotFoundError(APIStatusError):
    """404: no such resource."""


class RateLimitedError(APIStatusError):
    """429: a rate limit was reached; ``retry_after`` is Billecta's Retry-After in seconds."""

    def __init__(self, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)


class ServerError(APIStatusError):
    """5xx: Billecta failed to handle the request."""


class TransportError(BillectaError):
    """The request did not get an HTTP answer: connection failure, reset or timeout.

    ``method`` and ``path`` name the request; the underlying exception is ``__cause__``.
    """

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(f"{method} {path}: {message}")
        self.method = method
        self.path = path


class RequestTimeoutError(TransportError):
    """No complete answer within the timeout (or the call's ``deadline`` passed)."""


class ErrorBudgetExhaustedError(BillectaError):
    """Not sent: the client's error answers would make Billecta delay the next call.

    Billecta delays a user who gets more than 50 error answers (status >= 400 except 404)
    within 60 s. ``errors`` error answers arrived within the last ``window`` seconds, which
    reached ``max_errors``; the oldest leaves the window in ``retry_after`` seconds.
    """

    def __init__(
        self,
        *,
        method: str,
        path: str,
        errors: int,
        max_errors: int,
        window: float,
        retry_after: float,
    ) -> None:
        self.method = method
        self.path = path
        self.errors = errors
        self.max_errors = max_errors
        self.window = window
        self.retry_after = retry_after
        super().__init__(
            f"{method} {path}: not sent - {errors} error answers within the last {window:g} s "
            f"reached the error budget of {max_errors} (Billecta delays further calls); the "
            f"oldest leaves the window in {retry_after:.1f} s"
        )


class WebhookError(BillectaError, ValueError):
    """A webhook request that is not a delivery this SDK can read.

    Raised for an unsupported content type, a body that is not a webhook envelope (bad JSON or
    XML, wrong root element, no ``Event``), or ``Data`` / ``AdditionalData`` that does not match
    the event's documented type. The message says what is wrong; when a field failed to decode,
    the :class:`DecodeError` naming it is the ``__cause__``. Also raised by the encoder for a
    payload that does not match its event type.
    """


class PollingTimeoutError(BillectaError, TimeoutError):
    """A status poll (BankID, Swish, bank account retrieval) reached no final status in time.

    ``last_status`` is the last status model received (``None`` if no poll answered),
    ``timeout`` the seconds allowed and ``what`` names the flow polled. Also a
    :class:`TimeoutError`.
    """

    def __init__(self, what: str, *, timeout: float, last_status: Any) -> None:
        state = getattr(last_status, "status", None)
        said = getattr(state, "value", state)
        super().__init__(f"{what}: no final status within {timeout:g} s (last status: {said})")
        self.what = what
        self.timeout = timeout
        self.last_status = last_status


class RedisUnavailableError(BillectaError):
    """Redis, which keeps the rate limits, error budget or webhook claims shared by several
    processes (:mod:`billecta_async.redis`), did not answer in time or failed.

    Raised within the store's timeouts, never after a hang, and before the call it guards is
    sent (or the webhook callback called). ``operation`` says what was asked of Redis and
    ``address`` where it was (host and port, never a password); the cause is ``__cause__``.
    """

    def __init__(self, operation: str, *, address: str, reason: str) -> None:
        super().__init__(f"Redis at {address} unavailable: could not {operation} ({reason})")
        self.operation = operation
        self.address = address
        self.reason = reason
