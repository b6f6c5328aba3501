"""Bookkeeping: each creditor's settings, exports, locked period, payment means and dimensions.

* The locked period: no invoice dated on or before its ``To`` date can be attested (the
  reference); :func:`check_not_locked` is what attest asks.
* Payment means are keyed by ``PaymentCode``; one used by a registered payment cannot be deleted.
* Accounting dimensions are keyed by (``Dimension``, ``Code``); dimensions 1 and 6 are the cost
  centers and projects, which have their own endpoints. One used on an invoice cannot be deleted.
* The vouchers of a period are its attested invoices and the payments on them; an export is a
  SIE4 (or CSV) file of them, stored as a file.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from billecta_async import models as m
from billecta_async.testing.emulator._http import (
    Call,
    access_denied,
    bad_request,
    day_of,
    midnight,
    new_id,
    now,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import State, StoredFile

routes = Routes()

#: Dimensions with their own endpoints: 1 is the cost center, 6 the project.
RESERVED_DIMENSIONS = {1: "cost centers", 6: "projects"}


# -- settings -------------------------------------------------------------------------------------


@routes("GET", "/v1/accounting/accountingsettings/{id}")
async def get_settings(call: Call) -> m.AccountingSettingsView:
    creditor_public_id = call.creditor(call.path())
    known = call.state.accounting_settings.get(creditor_public_id)
    # "If no settings have been defined the default setting will be used."
    return known or m.AccountingSettingsView(
        creditor_public_id=creditor_public_id,
        book_keeping_method=m.BookKeepingMethod.INVOICE_METHOD,
        fiscal_year=m.FiscalYearType.CALENDAR_YEAR,
    )


@routes("PUT", "/v1/accounting/accountingsettings")
async def update_settings(call: Call) -> None:
    settings: m.AccountingSettingsView = call.require_body()
    settings.creditor_public_id = call.creditor(settings.creditor_public_id)
    call.state.accounting_settings[settings.creditor_public_id] = settings


# -- exports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voucher:
    """One bookkeeping voucher: its date, kind, invoice number, text and rows (account,
    amount in minor units: positive debit, negative credit)."""

    day: date
    kind: m.AccountingRecordType
    invoice_number: str | None
    text: str
    currency: str
    rows: tuple[tuple[str, int], ...]


def vouchers(
    state: State,
    creditor_public_id: str,
    start: date,
    end: date,
    kinds: Collection[m.AccountingRecordType] = (),
) -> list[Voucher]:
    """The creditor's bookkeeping between ``start`` and ``end`` (of ``kinds``, all when
    empty): each invoice attested (receivable 1510, sales 3001, VAT 2611) and each payment
    registered on an invoice (bank 1930, receivable 1510)."""
    found = []
    for action in state.invoices.values():
        attested = day_of(action.state.attested_date if action.state else None)
        if action.creditor_public_id != creditor_public_id or attested is None:
            continue
        if not start <= attested <= end:
            continue
        invoiced = action.invoiced_amount or m.Amount()
        total = invoiced.value or 0
        vat = (action.total_vat_amount.value or 0) if action.total_vat_amount else 0
        rows: tuple[tuple[str, int], ...] = (
            ("1510", total),
            ("3001", -(total - vat)),
            ("2611", -vat),
        )
        text = f"Invoice {action.invoice_number}"
        sales = m.AccountingRecordType.PRODUCT_SALES
        currency = invoiced.currency_code or "SEK"
        found.append(Voucher(attested, sales, action.invoice_number, text, currency, rows))
    for payment in state.incoming_payments:
        paid = day_of(payment.payment_date)
        if payment.creditor_public_id != creditor_public_id or paid is None:
            continue
        if not start <= paid <= end or payment.action_type != m.ActionType.INVOICE_ACTION:
            continue
        paid_amount = payment.amount or m.Amount()
        amount = paid_amount.value or 0
        text = f"Payment of invoice {payment.invoice_number}"
        kind = m.AccountingRecordType.PAYMENT_TO_BANK_ACCOUNT
        rows = (("1930", amount), ("1510", -amount))
        currency = paid_amount.currency_code or "SEK"
        found.append(Voucher(paid, kind, payment.invoice_number, text, currency, rows))
    found.sort(key=lambda v: v.day)
    return [v for v in found if not kinds or v.kind in kinds]


def _export_file(
    state: State,
    creditor_public_id: str,
    start: date,
    end: date,
    export_format: m.AccountingExportFormatType,
) -> bytes:
    """The bookkeeping between ``start`` and ``end`` (:func:`vouchers`), as SIE4 or CSV."""
    creditor = state.creditors.get(creditor_public_id) or m.Creditor()
    found = vouchers(state, creditor_public_id, start, end)
    if export_format == m.AccountingExportFormatType.CSV:
        lines = ["Date;Account;Amount;Text"]
        for v in found:
            lines += [
                f"{v.day:%Y-%m-%d};{acc};{amount / 100:.2f};{v.text}" for acc, amount in v.rows
            ]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lines = [
        "#FLAGGA 0",
        '#PROGRAM "Billecta emulator" 1.0',
        "#FORMAT PC8",
        f"#GEN {now():%Y%m%d}",
        "#SIETYP 4",
        f'#FNAMN "{creditor.name or ""}"',
    ]
    for number, v in enumerate(found, start=1):
        lines += [f'#VER A {number} {v.day:%Y%m%d} "{v.text}"', "{"]
        lines += [f"   #TRANS {acc} {{}} {amount / 100:.2f}" for acc, amount in v.rows]
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437", "replace")  # SIE's PC8


def _create_export(
    call: Call,
    creditor_public_id: str,
    start: date,
    end: date,
    export_format: m.AccountingExportFormatType | None,
    date_selection: m.AccountingExportDateSelectionType | None,
) -> m.AccountingExport:
    if end < start:
        raise bad_request(f"The export period ends ({end}) before it starts ({start})")
    export_format = export_format or m.AccountingExportFormatType.SIE4  # the documented default
    if export_format not in (m.AccountingExportFormatType.SIE4, m.AccountingExportFormatType.CSV):
        raise bad_request(f"'{export_format.value}' is not an export format (SIE4 or CSV)")
    data = _export_file(call.state, creditor_public_id, start, end, export_format)
    suffix = "se" if export_format == m.AccountingExportFormatType.SIE4 else "csv"
    stored = StoredFile(
        new_id(),
        creditor_public_id,
        f"Bookkeeping_{start:%Y%m%d}_{end:%Y%m%d}.{suffix}",
        "text/plain" if suffix == "se" else "text/csv",
        data,
    )
    call.state.files[stored.file_public_id] = stored
    export = m.AccountingExport(
        creditor_public_id=creditor_public_id,
        start=midnight(start),
        end=midnight(end),
        created=now(),
        created_by=call.account.username,
        format=export_format,
        date_selection_type=date_selection or m.AccountingExportDateSelectionType.EVENT_DATE,
        file=m.File(
            file_public_id=stored.file_public_id,
            content_type=stored.content_type,
            file_name=stored.file_name,
        ),
    )
    call.state.accounting_exports.setdefault(creditor_public_id, []).append(export)
    return export


@routes("PUT", "/v1/accounting/accountingexports/{id}")
async def create_export(call: Call) -> m.AccountingExport:
    """The whole month of ``period`` (any date in it)."""
    creditor_public_id = call.creditor(call.path())
    period = call.query_date("period", required=True)
    assert period is not None
    last = calendar.monthrange(period.year, period.month)[1]
    export_format = call.query("format")
    try:
        chosen = m.AccountingExportFormatType(export_format) if export_format else None
    except ValueError:
        raise bad_request(f"'{export_format}' is not a valid AccountingExportFormatType") from None
    return _create_export(
        call, creditor_public_id, period.replace(day=1), period.replace(day=last), chosen, None
    )


@routes("PUT", "/v1/accounting/accountingexports")
async def create_export_with_content(call: Call) -> m.AccountingExport:
    creation: m.AccountingExportCreation = call.require_body()
    creditor_public_id = call.creditor(creation.creditor_public_id)
    start, end = day_of(creation.from_), day_of(creation.to)
    if start is None or end is None:
        raise bad_request("AccountingExportCreation.From and To are required")
    return _create_export(
        call, creditor_public_id, start, end, creation.format, creation.date_selection_type
    )


@routes("PUT", "/v1/accounting/accountingvouchers")
async def get_vouchers(call: Call) -> list[m.AccountingVoucherRecord]:
    """The vouchers of the period (:func:`vouchers`); an empty ``BookKeepingTypesFilter``
    means all types."""
    creation: m.AccountingVoucherExportCreation = call.require_body()
    creditor_public_id = call.creditor(creation.creditor_public_id)
    start, end = day_of(creation.from_), day_of(creation.to)
    if start is None or end is None:
        raise bad_request("AccountingVoucherExportCreation.From and To are required")
    if end < start:
        raise bad_request(f"The period ends ({end}) before it starts ({start})")
    kinds = creation.book_keeping_types_filter or []
    return [
        m.AccountingVoucherRecord(
            description=v.text,
            invoice_number=v.invoice_number,
            transaction_date=midnight(v.day),
            transactions=[
                m.AccountingVoucherTransaction(
                    account=account,
                    debet_amount=m.Amount(currency_code=v.currency, value=max(amount, 0)),
                    credit_amount=m.Amount(currency_code=v.currency, value=max(-amount, 0)),
                )
                for account, amount in v.rows
            ],
        )
        for v in vouchers(call.state, creditor_public_id, start, end, kinds)
    ]


@routes("GET", "/v1/accounting/accountingexports/{id}")
async def list_exports(call: Call) -> list[m.AccountingExport]:
    return list(call.state.accounting_exports.get(call.creditor(call.path()), []))


# -- locked period --------------------------------------------------------------------------------


@routes("GET", "/v1/accounting/lockedperiod/{id}")
async def get_locked_period(call: Call) -> m.LockedPeriod:
    creditor_public_id = call.creditor(call.path())
    known = call.state.locked_periods.get(creditor_public_id)
    return known or m.LockedPeriod(creditor_public_id=creditor_public_id)


@routes("POST", "/v1/accounting/lockedperiod/{id}")
async def update_locked_period(call: Call) -> None:
    creditor_public_id = call.creditor(call.path())
    to = call.query_date("to", required=True)
    assert to is not None
    call.state.locked_periods[creditor_public_id] = m.LockedPeriod(
        creditor_public_id=creditor_public_id, to=midnight(to)
    )


@routes("DELETE", "/v1/accounting/lockedperiod/{id}")
async def delete_locked_period(call: Call) -> None:
    call.state.locked_periods.pop(call.creditor(call.path()), None)


def check_not_locked(state: State, creditor_public_id: str, invoice_date: datetime | None) -> None:
    """400 when ``invoice_date`` is on or before the creditor's locked period ("no invoices
    can be attested before or on that date"; the to date is inclusive)."""
    locked = state.locked_periods.get(creditor_public_id)
    locked_to, day = day_of(locked.to if locked else None), day_of(invoice_date)
    if locked_to is not None and day is not None and day <= locked_to:
        raise bad_request(
            f"The invoice date {day} is in the locked bookkeeping period (up to {locked_to})"
        )


# -- payment means --------------------------------------------------------------------------------


def _payment_mean_key(call: Call, mean: m.AccountingPaymentMean) -> tuple[str, str]:
    creditor_public_id = call.creditor(mean.creditor_public_id)
    if not mean.payment_code:
        raise bad_request("AccountingPaymentMean.PaymentCode is required")
    mean.creditor_public_id = creditor_public_id
    return (creditor_public_id, mean.payment_code)


def _known_payment_mean(call: Call) -> tuple[str, str]:
    key = (call.creditor(call.path()), call.require_query("paymentmeancode"))
    if key not in call.state.payment_means:
        raise access_denied("payment mean", key[1])
    return key


@routes("GET", "/v1/accounting/paymentmeans/{id}")
async def get_payment_means(call: Call) -> m.AccountingPaymentMean | list[m.AccountingPaymentMean]:
    """Two documented forms: all payment means, or the one ``paymentmeancode`` names."""
    if "paymentmeancode" in call.form.query:
        return call.state.payment_means[_known_payment_mean(call)]
    creditor_public_id = call.creditor(call.path())
    return [p for (c, _), p in call.state.payment_means.items() if c == creditor_public_id]


@routes("POST", "/v1/accounting/paymentmeans")
async def create_payment_mean(call: Call) -> None:
    mean: m.AccountingPaymentMean = call.require_body()
    key = _payment_mean_key(call, mean)
    if key in call.state.payment_means:
        raise bad_request(f"The payment mean '{key[1]}' exists")
    call.state.payment_means[key] = mean


@routes("PUT", "/v1/accounting/paymentmeans")
async def update_payment_mean(call: Call) -> None:
    mean: m.AccountingPaymentMean = call.require_body()
    key = _payment_mean_key(call, mean)
    if key not in call.state.payment_means:
        raise access_denied("payment mean", key[1])
    call.state.payment_means[key] = mean


@routes("DELETE", "/v1/accounting/paymentmeans/{id}")
async def delete_payment_mean(call: Call) -> None:
    """ "Used payment means can't be deleted and will return a Bad Request response"."""
    creditor_public_id, code = key = _known_payment_mean(call)
    if any(
        p.creditor_public_id == creditor_public_id and p.payment_mean_code == code
        for p in call.state.incoming_payments
    ):
        raise bad_request(f"The payment mean '{code}' is used by a payment and cannot be deleted")
    del call.state.payment_means[key]


# -- accounting dimensions ------------------------------------------------------------------------


def _dimension_of(call: Call, dimension: m.AccountingDimension) -> tuple[str, int, str]:
    creditor_public_id = call.creditor(dimension.creditor_public_id)
    number = dimension.dimension
    if number is None or number < 1:
        raise bad_request(f"AccountingDimension.Dimension must be a positive number (got {number})")
    if number in RESERVED_DIMENSIONS:
        raise bad_request(
            f"Dimension {number} holds the {RESERVED_DIMENSIONS[number]}: use their endpoints"
        )
    if not dimension.code:
        raise bad_request("AccountingDimension.Code is required")
    dimension.creditor_public_id = creditor_public_id
    return (creditor_public_id, number, dimension.code)


def _dimension_key(call: Call) -> tuple[str, int, str]:
    """The stored dimension the query names; without ``code`` the dimension's only code."""
    creditor_public_id = call.creditor(call.path())
    number = call.query_int("dimension")
    if number is None:
        raise bad_request("The query parameter 'dimension' is required")
    code = call.query("code")
    if not code:
        codes = [k for k in call.state.dimensions if k[:2] == (creditor_public_id, number)]
        if len(codes) != 1:
            raise bad_request(
                f"Dimension {number} has {len(codes)} codes: give the code of the one to use"
            )
        return codes[0]
    key = (creditor_public_id, number, code)
    if key not in call.state.dimensions:
        raise access_denied("accounting dimension", f"{number}/{code}")
    return key


@routes("GET", "/v1/accountingdimensions/dimension/{id}")
async def get_dimension(call: Call) -> m.AccountingDimension:
    return call.state.dimensions[_dimension_key(call)]


@routes("POST", "/v1/accountingdimensions/dimension")
async def create_dimension(call: Call) -> m.AccountingDimension:
    dimension: m.AccountingDimension = call.require_body()
    key = _dimension_of(call, dimension)
    if key in call.state.dimensions:
        raise bad_request(f"The code '{key[2]}' of dimension {key[1]} exists")
    if dimension.active is None:
        dimension.active = True
    call.state.dimensions[key] = dimension
    return dimension


@routes("PUT", "/v1/accountingdimensions/dimension")
async def update_dimension(call: Call) -> None:
    dimension: m.AccountingDimension = call.require_body()
    key = _dimension_of(call, dimension)
    if key not in call.state.dimensions:
        raise access_denied("accounting dimension", f"{key[1]}/{key[2]}")
    call.state.dimensions[key] = dimension


@routes("DELETE", "/v1/accountingdimensions/dimension/{id}")
async def delete_dimension(call: Call) -> None:
    """ "A dimension can't be deleted if it has been used on any invoice."."""
    key = creditor_public_id, number, code = _dimension_key(call)
    for record in call.state.invoice_records(creditor_public_id):
        if any(d.dimension == number and d.code == code for d in record.dimensions or []):
            raise bad_request(
                f"The code '{code}' of dimension {number} is used on an invoice "
                "and cannot be deleted"
            )
    del call.state.dimensions[key]


@routes("GET", "/v1/accountingdimensions/dimensions/{id}")
async def list_dimensions(call: Call) -> list[m.AccountingDimension]:
    creditor_public_id = call.creditor(call.path())
    return [d for (c, _, _), d in call.state.dimensions.items() if c == creditor_public_id]
