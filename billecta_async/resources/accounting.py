"""Accounting: AccountingResource (``client.accounting``)."""

from __future__ import annotations

import builtins
import datetime

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class AccountingResource(Resource):
    """Accounting.

    In the accounting section you manage all the accounting/bookkeeping data and settings. You
    get, create and manage payment means (method of payments) which describes how payments are
    booked. SIE4/CSV export file generation is made through the endpoints below. An alternative
    to export SIE/Visma files is that you can extract the raw data for bookkeeping as
    AccountingRecords and generate/import your own data.
    """

    # -- exports -------------------------------------------------------------------------------

    @endpoint("GET", "/v1/accounting/accountingexports/{id}", params={"id": "creditor_public_id"})
    async def list_exports(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.AccountingExport]:
        """Get accounting/bookkeeping export files (SIE4, etc).

        Returns all bookkeeping files (SIE4, Visma, ...) generated for the creditor. Exports are
        not generated automatically: a user must trigger them in the Portal or through the API
        (:meth:`create_export`, :meth:`create_export_with_content`).
        """
        return await self._request(
            "GET",
            "/v1/accounting/accountingexports/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.AccountingExports,
            options=options,
        )

    @endpoint(
        "PUT",
        "/v1/accounting/accountingexports/{id}",
        params={"id": "creditor_public_id", "period": "period", "format": "export_format"},
    )
    async def create_export(
        self,
        creditor_public_id: p.Guid,
        period: datetime.date,
        *,
        export_format: m.AccountingExportFormatType | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.AccountingExport:
        """Create accounting/bookkeeping file for a specific month with parameters.

        Generates a new bookkeeping file (SIE4, Visma, ...) for import into an external
        bookkeeping application and returns it. ``period`` can be any date in the month: the
        bookkeeping data of the entire month is written to the file. Earlier exports are listed
        by :meth:`list_exports`.

        ``export_format`` (Billecta's ``format``) is the file format; the reference lists it
        without "optional" but says it defaults to SIE4 when not specified, so it is optional
        here and left out of the query when ``None``. The CSV format needs the 'CSV-bookkeeping'
        addon, added in the Portal.
        """
        return await self._request(
            "PUT",
            "/v1/accounting/accountingexports/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("period", p.day(period, "period")),
                ("format", p.enum(export_format, m.AccountingExportFormatType, "export_format")),
            ],
            response=m.AccountingExport,
            options=options,
        )

    @endpoint("PUT", "/v1/accounting/accountingexports", body="creation")
    async def create_export_with_content(
        self, creation: m.AccountingExportCreation, **options: Unpack[RequestOptions]
    ) -> m.AccountingExport:
        """Create accounting/bookkeeping file for a specific month with content.

        Like :meth:`create_export`, but the export is described by a request body: it generates
        a new bookkeeping file (SIE4, Visma, ...) for import into an external bookkeeping
        application and returns it. The reference repeats that a 'Period' can be any date in the
        month and the entire month is written, although this request model states the interval
        as ``From``/``To`` (with a ``DateSelectionType``). An empty ``BookKeepingTypesFilter``
        means all types. The CSV format needs the 'CSV-bookkeeping' addon, added in the Portal.
        """
        return await self._request(
            "PUT",
            "/v1/accounting/accountingexports",
            body=creation,
            response=m.AccountingExport,
            options=options,
        )

    # -- settings ------------------------------------------------------------------------------

    @endpoint("GET", "/v1/accounting/accountingsettings/{id}", params={"id": "creditor_public_id"})
    async def get_settings(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.AccountingSettingsView:
        """Get accounting/bookkeeping settings.

        The settings are the creditor's configuration of how bookkeeping events are handled.
        When the creditor has defined none, the default settings are used (see Bookkeeping
        settings in the Portal).
        """
        return await self._request(
            "GET",
            "/v1/accounting/accountingsettings/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.AccountingSettingsView,
            options=options,
        )

    @endpoint("PUT", "/v1/accounting/accountingsettings", body="settings")
    async def update_settings(
        self, settings: m.AccountingSettingsView, **options: Unpack[RequestOptions]
    ) -> None:
        """Update accounting/bookkeeping settings (of the creditor named in the settings)."""
        await self._request(
            "PUT", "/v1/accounting/accountingsettings", body=settings, options=options
        )

    # -- vouchers ------------------------------------------------------------------------------

    @endpoint("PUT", "/v1/accounting/accountingvouchers", body="creation")
    async def get_vouchers(
        self, creation: m.AccountingVoucherExportCreation, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.AccountingVoucherRecord]:
        """Get accounting/bookkeeping vouchers for a specific period.

        [BETA] - possibly up for changes. Generates the bookkeeping vouchers of the period in the
        request, for analysis or for export to an external bookkeeping application, and returns
        them. An empty ``BookKeepingTypesFilter`` means all types.
        """
        return await self._request(
            "PUT",
            "/v1/accounting/accountingvouchers",
            body=creation,
            response=m.AccountingVoucherRecords,
            options=options,
        )

    # -- locked period -------------------------------------------------------------------------

    @endpoint("GET", "/v1/accounting/lockedperiod/{id}", params={"id": "creditor_public_id"})
    async def get_locked_period(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.LockedPeriod:
        """Get locked bookkeeping period.

        The bookkeeping can be locked up to a date: no invoices can be attested on or before it.
        """
        return await self._request(
            "GET",
            "/v1/accounting/lockedperiod/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.LockedPeriod,
            options=options,
        )

    @endpoint(
        "POST",
        "/v1/accounting/lockedperiod/{id}",
        params={"id": "creditor_public_id", "to": "to_date"},
    )
    async def update_locked_period(
        self, creditor_public_id: p.Guid, to_date: datetime.date, **options: Unpack[RequestOptions]
    ) -> None:
        """Update the locked bookkeeping period.

        Locks the bookkeeping up to and including ``to_date``: no invoices can be attested on or
        before it.
        """
        await self._request(
            "POST",
            "/v1/accounting/lockedperiod/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("to", p.day(to_date, "to_date"))],
            options=options,
        )

    @endpoint("DELETE", "/v1/accounting/lockedperiod/{id}", params={"id": "creditor_public_id"})
    async def delete_locked_period(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete locked bookkeeping period (the bookkeeping is then not locked)."""
        await self._request(
            "DELETE",
            "/v1/accounting/lockedperiod/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            options=options,
        )

    # -- payment means -------------------------------------------------------------------------

    @endpoint("GET", "/v1/accounting/paymentmeans/{id}", params={"id": "creditor_public_id"})
    async def list_payment_means(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.AccountingPaymentMean]:
        """Get payment means.

        Returns all the creditor's payment means (methods of payment and their bookkeeping
        setup). The reference documents ``GET /v1/accounting/paymentmeans/{id}`` twice; with a
        ``paymentmeancode`` it returns a single payment mean, which is
        :meth:`get_payment_mean` (the two answer with different models, hence two methods).
        """
        return await self._request(
            "GET",
            "/v1/accounting/paymentmeans/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.AccountingPaymentMeans,
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/accounting/paymentmeans/{id}",
        params={"id": "creditor_public_id", "paymentmeancode": "payment_mean_code"},
    )
    async def get_payment_mean(
        self,
        creditor_public_id: p.Guid,
        payment_mean_code: str,
        **options: Unpack[RequestOptions],
    ) -> m.AccountingPaymentMean:
        """Get a single payment mean.

        Returns the creditor's payment mean (method of payment and its bookkeeping setup) with
        this code. Without a code the same path lists all of them: :meth:`list_payment_means`.
        """
        return await self._request(
            "GET",
            "/v1/accounting/paymentmeans/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("paymentmeancode", p.ident(payment_mean_code, "payment_mean_code"))],
            response=m.AccountingPaymentMean,
            options=options,
        )

    @endpoint("PUT", "/v1/accounting/paymentmeans", body="payment_mean")
    async def update_payment_mean(
        self, payment_mean: m.AccountingPaymentMean, **options: Unpack[RequestOptions]
    ) -> None:
        """Update a payment mean (named by its ``CreditorPublicId`` and ``PaymentCode``)."""
        await self._request(
            "PUT", "/v1/accounting/paymentmeans", body=payment_mean, options=options
        )

    @endpoint("POST", "/v1/accounting/paymentmeans", body="payment_mean")
    async def create_payment_mean(
        self, payment_mean: m.AccountingPaymentMean, **options: Unpack[RequestOptions]
    ) -> None:
        """Create a payment mean for the creditor named by its ``CreditorPublicId``."""
        await self._request(
            "POST", "/v1/accounting/paymentmeans", body=payment_mean, options=options
        )

    @endpoint(
        "DELETE",
        "/v1/accounting/paymentmeans/{id}",
        params={"id": "creditor_public_id", "paymentmeancode": "payment_mean_code"},
    )
    async def delete_payment_mean(
        self,
        creditor_public_id: p.Guid,
        payment_mean_code: str,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete a payment mean.

        Deletes the creditor's payment mean with this code if possible: a payment mean that has
        been used cannot be deleted (400 Bad Request).
        """
        await self._request(
            "DELETE",
            "/v1/accounting/paymentmeans/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("paymentmeancode", p.ident(payment_mean_code, "payment_mean_code"))],
            options=options,
        )
