"""billecta-async: an async-first Python SDK for the Billecta invoicing API.

    from billecta_async import BillectaClient
    from billecta_async.models import Debtor

    async with BillectaClient(secure_token=token, base_url=BillectaClient.TEST_URL) as client:
        created = await client.debtors.create(Debtor(creditor_public_id=cid, name="Jenny Doe"))

Models live in :mod:`billecta_async.models` (generated from Billecta's XSD); each one reads and
writes Billecta's JSON and XML. Every error is a :class:`BillectaError`.
"""

from billecta_async._client import BillectaClient
from billecta_async._clock import Clock, ScaledClock, SystemClock
from billecta_async._exceptions import (
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
    ServerError,
    TransportError,
    UnauthorizedError,
    WebhookError,
)
from billecta_async._limits import (
    BILLECTA_RATE_LIMITS,
    Admission,
    ErrorBudget,
    ErrorBudgetLimits,
    InMemoryErrorBudget,
    InMemoryRateLimiter,
    Limit,
    Permit,
    RateLimiter,
    RateLimits,
)
from billecta_async._params import Guid
from billecta_async._streaming import ByteStream
from billecta_async._transport import PRODUCTION_URL, TEST_URL, Backoff, RequestOptions
from billecta_async._version import __version__
from billecta_async._wire import (
    STOCKHOLM,
    BillectaEnum,
    ListOf,
    Model,
    currency_decimals,
    format_datetime,
    from_json,
    from_xml,
    parse_datetime,
    to_json,
    to_xml,
)

__all__ = [
    "BILLECTA_RATE_LIMITS",
    "PRODUCTION_URL",
    "STOCKHOLM",
    "TEST_URL",
    "APIStatusError",
    "Admission",
    "AlreadyProcessedError",
    "Backoff",
    "BadRequestError",
    "BillectaClient",
    "ByteStream",
    "BillectaEnum",
    "BillectaError",
    "Clock",
    "DecodeError",
    "DuplicateRequestError",
    "EncodeError",
    "ErrorBudget",
    "ErrorBudgetExhaustedError",
    "ErrorBudgetLimits",
    "ForbiddenError",
    "Guid",
    "InMemoryErrorBudget",
    "InMemoryRateLimiter",
    "Limit",
    "NotFoundError",
    "ParameterError",
    "Permit",
    "PollingTimeoutError",
    "RateLimitedError",
    "RateLimiter",
    "RateLimits",
    "RedisUnavailableError",
    "RequestOptions",
    "RequestTimeoutError",
    "ScaledClock",
    "ServerError",
    "SystemClock",
    "TransportError",
    "UnauthorizedError",
    "WebhookError",
    "ListOf",
    "Model",
    "__version__",
    "currency_decimals",
    "format_datetime",
    "from_json",
    "from_xml",
    "parse_datetime",
    "to_json",
    "to_xml",
]
