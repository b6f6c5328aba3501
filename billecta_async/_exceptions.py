"""Every exception the SDK raises, in one hierarchy rooted at :class:`BillectaError`.

An error raised out of an API call tells the truth about that call: whether Billecta may have
acted on it (``maybe_processed``), how many attempts were sent (``attempts``) and the call's
``unique_api_call_id``, and its message says in words how to resume safely. No error holds a
credential, a filled-in path or query, or a personal identity number: messages show the path
template, mask digit runs that look like Swedish personal identity or organisation numbers, and
exceptions from aiohttp or the OS in the chain are replaced by an :class:`UnderlyingError` that
keeps their type and reason only (see :func:`scrub_chain`).
"""

from __future__ import annotations

import re
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
    "ResponseTooLargeError",
    "ServerError",
    "TLSError",
    "TransportError",
    "UnauthorizedError",
    "UnderlyingError",
    "WebhookError",
    "mask_personal_numbers",
    "scrub_chain",
    "underlying",
]

# 10 or 12 digits, optionally with "-" or "+" before the last four, not part of a longer run of
# digits: how Swedish personal identity numbers (YYMMDD-NNNN, YYYYMMDDNNNN) and organisation
# numbers (NNNNNN-NNNN, 16NNNNNNNNNN) are written, also inside a VAT number (SE...01) or next to
# a dash (kund-198001139297). A GUID is matched first and kept whole: its groups can look like
# one (12345678-1234, a last group of 12 digits).
_PERSONAL_NUMBER = re.compile(
    r"(?P<guid>[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})"
    r"|(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)"
)
_MASK = "<masked>"


def _mask(match: re.Match[str]) -> str:
    return match.group() if match.group("guid") else _MASK


def mask_personal_numbers(text: str) -> str:
    """``text`` with every digit run that looks like a Swedish personal identity or organisation
    number replaced by ``<masked>``."""
    return _PERSONAL_NUMBER.sub(_mask, text)


def _outcome(method: str, unique_api_call_id: str | None, attempts: int, maybe: bool) -> str:
    """What a failed call's attempts mean for the caller, in words."""
    tried = f"{attempts} attempt{'' if attempts == 1 else 's'}"
    if maybe:
        if unique_api_call_id is not None:
            return (
                f"Billecta may have acted on it ({tried}). To resume safely, call again with "
                f"unique_api_call_id={unique_api_call_id!r}: if Billecta did act, it answers "
                "the repeat with 403, raised as already processed (DuplicateRequestError); if "
                "not, it acts once"
            )
        if method == "GET":
            return (
                f"it may have reached Billecta ({tried}); a GET only reads, so calling again "
                "is safe"
            )
        return (
            f"Billecta may have acted on it ({tried}) and it carried no UniqueApiCallId, so a "
            "repeat could not be recognised: check whether it took effect before calling again"
        )
    if attempts == 0:
        return "not sent, so Billecta did not act on it; calling again is safe"
    return f"Billecta did not act on it ({tried}); calling again is safe"


def _restore(cls: type[BaseException], args: tuple[Any, ...]) -> BaseException:
    """An exception of ``cls`` with ``args``, built without calling its ``__init__`` (its
    attributes follow as its state): how :meth:`BillectaError.__reduce__` unpickles and copies."""
    error = cls.__new__(cls)
    error.args = args
    return error


class BillectaError(Exception):
    """Base class of every error raised by billecta-async.

    An error raised out of an API call carries what the call's attempts showed:

    - ``unique_api_call_id``: the call's ``UniqueApiCallId`` (yours, or the one the client
      generated for every call other than GET), ``None`` for a call without one;
    - ``attempts``: how many attempts the client made (0: the call was held back before its
      first attempt, by the error budget);
    - ``maybe_processed``: true once any attempt may have reached Billecta without a clear
      refusal, so that Billecta may have acted on it.

    The message says in words whether Billecta may have acted and how to resume: call again
    with ``unique_api_call_id=error.unique_api_call_id``; Billecta processes a call with a
    given id at most once and answers a repeat with 403, which the client raises as
    :class:`DuplicateRequestError` (already processed). Errors raised before anything was sent
    (``ParameterError``, ``EncodeError``) keep the defaults (``None``, 0, false).
    """

    unique_api_call_id: str | None = None
    attempts: int = 0
    maybe_processed: bool = False
    _call: tuple[str, str] | None = None  # (method, path template) once recorded
    _raised_as: str | None = None  # the message before the call's outcome was added

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own rebuilds an error by calling its class with ``args``, which most of
        # these classes' keyword-only constructors refuse: pickling, copy.copy and deepcopy
        # would raise TypeError (a process pool handing back a failed call's error).
        return (_restore, (type(self), self.args), self.__dict__)

    def record_call(
        self,
        *,
        method: str,
        path: str,
        unique_api_call_id: str | None,
        attempts: int,
        maybe_processed: bool,
    ) -> None:
        """Set what the call's attempts showed and reword the message (done by the transport
        as the error leaves the call)."""
        if self._call is None:
            self._raised_as = str(self.args[0]) if self.args else ""
        self._call = (method, path)
        self.unique_api_call_id = unique_api_call_id
        self.attempts = attempts
        self.maybe_processed = maybe_processed
        self.args = (self._describe(),)

    def _describe(self) -> str:
        """The message; once the error left a call, followed by the call's outcome (an error
        of the rate limiter's or error budget's store, say, on a retry)."""
        if self._raised_as is None:
            return str(self.args[0]) if self.args else ""
        return self._with_outcome(self._raised_as) if self._raised_as else self._outcome()

    def _outcome(self) -> str:
        """The call's outcome in words ("" for an error not raised out of a call)."""
        if self._call is None:
            return ""
        return _outcome(self._call[0], self.unique_api_call_id, self.attempts, self.maybe_processed)

    def _with_outcome(self, text: str) -> str:
        """``text``, then the call's outcome in words if the error left a call."""
        outcome = self._outcome()
        return f"{text}; {outcome}" if outcome else text


class UnderlyingError(Exception):
    """Stands for an exception from aiohttp, ``ssl`` or the OS in the ``__cause__`` chain of an
    SDK error.

    Those exceptions can hold the filled-in URL (with its query) and the request's headers,
    ``Authorization`` included, in their message, ``repr`` or ``args``. This keeps only what
    helps: ``type_name``, the original's qualified type name (``aiohttp.ServerDisconnectedError``),
    and ``reason``, its message without the URL, query or credentials (personal numbers masked).
    The original's traceback is kept.
    """

    def __init__(self, type_name: str, reason: str) -> None:
        super().__init__(f"{type_name}: {reason}" if reason else type_name)
        self.type_name = type_name
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self.args), self.__dict__)


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    module = cls.__module__
    if module.startswith("aiohttp."):
        module = "aiohttp"  # aiohttp exports every exception at the top level
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def _redacted(text: str, redact: Sequence[tuple[str, str]]) -> str:
    for secret, replacement in redact:
        if secret:
            text = text.replace(secret, replacement)
    return mask_personal_numbers(text)


def underlying(exc: BaseException, redact: Sequence[tuple[str, str]] = ()) -> UnderlyingError:
    """The :class:`UnderlyingError` standing for ``exc`` (each ``(secret, replacement)`` of
    ``redact`` replaced in its reason, personal numbers masked), with ``exc``'s traceback."""
    status = getattr(exc, "status", None)
    if getattr(exc, "request_info", None) is not None and isinstance(status, int):
        # aiohttp's ClientResponseError: its str, repr and args hold the URL and the headers
        message = getattr(exc, "message", "")
        reason = f"{status}, message={message!r}" if status else repr(message)
    else:
        reason = str(exc)
    stand_in = UnderlyingError(_type_name(exc), _redacted(reason, redact))
    return stand_in.with_traceback(exc.__traceback__)


_MAX_CHAIN = 64


def scrub_chain(error: BaseException, redact: Sequence[tuple[str, str]] = ()) -> None:
    """Make the whole ``__cause__``/``__context__`` chain of ``error`` safe to print or log.

    Every exception in it that is not the SDK's is replaced by its :func:`underlying` stand-in
    (the same stand-in wherever the same exception appears); a chain longer than 64 links is cut.
    """
    originals: dict[int, BaseException] = {}  # keeps each original alive while its id is a key
    stand_ins: dict[int, UnderlyingError] = {}
    done: set[int] = set()
    todo: list[BaseException] = [error]
    while todo:
        link = todo.pop()
        if id(link) in done:
            continue
        done.add(id(link))
        suppress = link.__suppress_context__
        if len(done) > _MAX_CHAIN:
            link.__cause__ = link.__context__ = None
            continue
        for attribute in ("__cause__", "__context__"):
            nxt: BaseException | None = getattr(link, attribute)
            if nxt is None:
                continue
            if not isinstance(nxt, (BillectaError, UnderlyingError)):
                key = id(nxt)
                if key not in stand_ins:
                    stand_in = underlying(nxt, redact)
                    stand_in.__cause__ = nxt.__cause__
                    stand_in.__context__ = nxt.__context__
                    stand_in.__suppress_context__ = nxt.__suppress_context__
                    originals[key] = nxt
                    stand_ins[key] = stand_in
                nxt = stand_ins[key]
                setattr(link, attribute, nxt)
            todo.append(nxt)
        link.__suppress_context__ = suppress


def _render_path(model: str | None, path: Sequence[str]) -> str:
    parts = [model] if model else []
    parts.extend(path)
    return ".".join(parts) if parts else "document"


def _excerpt(value: object, limit: int = 80) -> str:
    """``repr(value)``, personal numbers masked, cut to ``limit`` characters."""
    text = mask_personal_numbers(repr(value))
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
        text = f"{self.field}: {mask_personal_numbers(self.reason)}"
        if self.has_value:
            text += f" (got {_excerpt(self.value)})"
        if self._call is not None:  # an answer that could not be decoded
            text = f"{self._call[0]} {self._call[1]}: {text}; {self._outcome()}"
        return text

    def _describe(self) -> str:
        return self.reason  # args stay (reason,); str() is built when asked

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
    wrong root element, is reported at ``document`` level with an excerpt (personal numbers
    masked). Raised for an answer of a call, it carries the call's ``unique_api_call_id``,
    ``attempts`` and ``maybe_processed`` (true: Billecta answered, so it acted).
    """


class EncodeError(_WireError):
    """A model holds a value that cannot be sent to Billecta; raised before anything is sent.

    ``field`` names the offending field from the model being encoded down, ``value`` is the
    value found there and ``reason`` says what was expected.
    """


class ParameterError(BillectaError, ValueError):
    """An argument (a path or query parameter, or the request body) has a value Billecta
    cannot take; raised before sending."""

    def __init__(self, name: str, value: object, reason: str) -> None:
        super().__init__(f"{name}: {reason} (got {_excerpt(value)})")
        self.name = name
        self.value = value
        self.reason = reason


class APIStatusError(BillectaError):
    """Billecta answered with an error status (or a redirect, 3xx, which the client does not
    follow: nothing was done).

    Carries what Billecta said: ``message`` (the body's ``Message``), ``external_error_code``,
    ``request_content`` and ``error_message_header`` (the ``ErrorMessage`` header, decoded as
    ISO-8859-1), plus the HTTP ``status`` and the request's ``method`` and ``path`` (the path
    template). A body that is not Billecta's (an HTML page from a proxy, an empty body) leaves
    those ``None`` and ``body_excerpt`` shows its start. The attributes hold Billecta's text as
    it came (it may echo what you sent), except that the call's filled-in path, query and
    credentials are replaced should it echo them; the message also masks personal numbers.
    Credentials are never included. Like every error of a call it carries
    ``unique_api_call_id``, ``attempts`` and ``maybe_processed`` (see :class:`BillectaError`).
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
        if 300 <= self.status < 400:
            text += (
                " (a redirect, not followed: nothing was done; check base_url, https://, and "
                "any proxy)"
            )
        if said:
            text += f": {mask_personal_numbers(said)}"
        elif self.body_excerpt:
            text += f" (not a Billecta error body: {mask_personal_numbers(self.body_excerpt)!r})"
        if self.external_error_code:
            text += f" [ExternalErrorCode {self.external_error_code}]"
        if self.unique_api_call_id:
            text += f" [UniqueApiCallId {self.unique_api_call_id}]"
        return self._with_outcome(text)


class BadRequestError(APIStatusError):
    """400: the data sent was wrong (Billecta's message says what)."""


class UnauthorizedError(APIStatusError):
    """401: bad credentials, or an id (creditor, debtor, ...) the user may not access."""


class ForbiddenError(APIStatusError):
    """403: Billecta refused to process the request."""


class DuplicateRequestError(ForbiddenError):
    """403 on a request with a ``UniqueApiCallId`` that Billecta has already seen: already
    processed.

    Billecta did not process this request again: the first request with that id was processed.
    ``unique_api_call_id`` is the id. This is what a call resumed with the id of an earlier
    failed call raises when that earlier call had been processed after all.
    """

    def _describe(self) -> str:
        said = self.message or self.error_message_header
        text = (
            f"{self.method} {self.path} -> HTTP 403: already processed - Billecta refused this "
            f"call as a repeat of UniqueApiCallId {self.unique_api_call_id}, which it processed "
            "before; do not send it again (look up what the first call created instead)"
        )
        return f"{text} [Billecta: {mask_personal_numbers(said)}]" if said else text


class AlreadyProcessedError(DuplicateRequestError):
    """A retry was refused as a duplicate: an earlier attempt of *this* call was processed.

    The client sent the call, lost the answer (timeout, dropped connection, 5xx, truncated body)
    and retried with the same ``UniqueApiCallId``; Billecta answered 403 because it had already
    processed the first attempt. The call succeeded, only its answer is lost: do not send it
    again. For a call that creates something, look the new object up (e.g. by your own
    reference). ``unique_api_call_id`` is the id, ``attempts`` the number of attempts made.
    """

    maybe_processed = True

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
    """The request did not get a complete HTTP answer: connection failure, reset, truncated
    body or timeout.

    ``method`` and ``path`` (the path template) name the request and ``reason`` says what
    happened; ``__cause__`` is an :class:`UnderlyingError` naming aiohttp's or the OS's
    exception. ``maybe_processed`` says whether the request may have reached Billecta (false
    when the connection failed before anything was sent).
    """

    def __init__(self, reason: str, *, method: str, path: str) -> None:
        self.reason = reason
        self.method = method
        self.path = path
        super().__init__(f"{method} {path}: {reason}")

    def _describe(self) -> str:
        text = f"{self.method} {self.path}: {self.reason}"
        return self._with_outcome(text)


class RequestTimeoutError(TransportError):
    """No complete answer within the timeout, a streamed body stalled for longer than the read
    timeout, or the call's ``deadline`` passed."""


class TLSError(TransportError):
    """The TLS handshake failed or Billecta's certificate could not be verified.

    Nothing was sent, and the call is not retried (a retry would meet the same certificate):
    check the system's CA certificates, a proxy that intercepts TLS, or your ``ssl_context``.
    """

    def _describe(self) -> str:
        return (
            f"{super()._describe()} (not retried: check the system's CA certificates, a proxy "
            "that intercepts TLS, or your ssl_context)"
        )


class ResponseTooLargeError(BillectaError):
    """An answer was larger than the client's ``max_response_size``, counted as it was read
    (after decompression); the rest was not read.

    ``limit`` is the limit in bytes and ``status`` the answer's HTTP status. Billecta answered,
    so it acted on the call (``maybe_processed`` is true). Streamed answers (``stream_*``,
    ``download_*``) have no limit.
    """

    def __init__(self, *, method: str, path: str, status: int, limit: int) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.limit = limit
        super().__init__(self._describe())

    def _describe(self) -> str:
        text = (
            f"{self.method} {self.path} -> HTTP {self.status}: the answer is larger than "
            f"max_response_size ({self.limit} bytes), so it was not read"
        )
        return self._with_outcome(text)


class ErrorBudgetExhaustedError(BillectaError):
    """An attempt held back: the client's error answers would make Billecta delay the next call.

    Billecta delays a user who gets more than 50 error answers (status >= 400 except 404)
    within 60 s. ``errors`` error answers arrived within the last ``window`` seconds, which
    reached ``max_errors``; the oldest leaves the window in ``retry_after`` seconds.

    Raised on the first attempt, nothing was sent. Raised on a retry, ``__cause__`` is the
    failure of the attempt before, and ``maybe_processed`` says whether an earlier attempt may
    have reached Billecta (then resume with ``unique_api_call_id``, as the message says).
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
        super().__init__(self._describe())

    def _describe(self) -> str:
        budget = (
            f"{self.errors} error answers within the last {self.window:g} s reached the error "
            f"budget of {self.max_errors} (Billecta delays further calls); the oldest leaves the "
            f"window in {self.retry_after:.1f} s"
        )
        if not self.attempts:
            return f"{self.method} {self.path}: not sent - {budget}"
        return f"{self.method} {self.path}: retry held back - {budget}; {self._outcome()}"


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
