"""What Billecta lists for everyone: countries, currencies and debt collection messages.

A fixed, small excerpt (the emulator's creditors are Swedish): the currencies' minor units are
what amounts are counted in.
"""

from __future__ import annotations

from billecta_async import models as m
from billecta_async.testing.emulator._http import Call
from billecta_async.testing.emulator._routes import Routes

routes = Routes()

COUNTRIES = (
    m.Country(
        country_code="SE",
        swedish_country_name="Sverige",
        english_country_name="Sweden",
        phone_code="46",
    ),
    m.Country(
        country_code="NO",
        swedish_country_name="Norge",
        english_country_name="Norway",
        phone_code="47",
    ),
    m.Country(
        country_code="DK",
        swedish_country_name="Danmark",
        english_country_name="Denmark",
        phone_code="45",
    ),
    m.Country(
        country_code="FI",
        swedish_country_name="Finland",
        english_country_name="Finland",
        phone_code="358",
    ),
    m.Country(
        country_code="DE",
        swedish_country_name="Tyskland",
        english_country_name="Germany",
        phone_code="49",
    ),
    m.Country(
        country_code="GB",
        swedish_country_name="Storbritannien",
        english_country_name="United Kingdom",
        phone_code="44",
    ),
)

#: (code, ISO 4217 number, name): all counted in hundredths.
_CURRENCIES = (
    ("SEK", "752", "Svenska kronor"),
    ("EUR", "978", "Euro"),
    ("NOK", "578", "Norska kronor"),
    ("DKK", "208", "Danska kronor"),
    ("USD", "840", "US dollar"),
    ("GBP", "826", "Brittiska pund"),
)
CURRENCIES = tuple(
    m.CurrencyView(currency_code=code, iso4217=number, description=name, decimals=2, one_unit=100)
    for code, number, name in _CURRENCIES
)

DEBT_COLLECTION_MESSAGES = (
    m.DebtCollectionMessage(
        public_id="6f1c1a52-3b1e-4c8e-9a4e-2d0f2b9a0c01",
        message="Betala omgående för att undvika ytterligare kostnader.",
        is_active=True,
    ),
    m.DebtCollectionMessage(
        public_id="6f1c1a52-3b1e-4c8e-9a4e-2d0f2b9a0c02",
        message="Kontakta oss om du har frågor om kravet.",
        is_active=True,
    ),
)


@routes("GET", "/v1/common/countries")
async def list_countries(call: Call) -> list[m.Country]:
    return list(COUNTRIES)


@routes("GET", "/v1/common/currencies")
async def list_currencies(call: Call) -> list[m.CurrencyView]:
    return list(CURRENCIES)


@routes("GET", "/v1/common/debtcollectionmesssages")
async def list_debt_collection_messages(call: Call) -> list[m.DebtCollectionMessage]:
    return list(DEBT_COLLECTION_MESSAGES)
