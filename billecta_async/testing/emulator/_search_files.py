"""Searching actions (by invoice number, OCR, debtor, ...) and reading stored files."""

from __future__ import annotations

from billecta_async import models as m
from billecta_async.testing.emulator._http import Call
from billecta_async.testing.emulator._invoices import is_closed, ocr_of, sub_of
from billecta_async.testing.emulator._reconciliation_invoices import reconciliation_sub
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import StoredFile

routes = Routes()


def _matches(text: str, *values: str | None) -> bool:
    """``SearchValue`` "can only contain the complete invoice number or OCR" (the reference)."""
    return any(v is not None and text == v.strip().lower() for v in values)


@routes("POST", "/v1/search/actions")
async def search_actions(call: Call) -> m.SearchResult:
    """Search by ``SearchValue`` (the complete invoice number or OCR) and by debtor, limited to
    ``CreditorPublicId`` unless ``SearchOnAllCreditors``; ``Status`` Open or Closed narrows it."""
    search: m.Search = call.require_body()
    if search.search_on_all_creditors:
        creditors = set(call.account.creditor_ids)
    else:
        creditors = {call.creditor(search.creditor_public_id)}
    text = (search.search_value or "").strip().lower()
    debtors = {d.lower() for d in search.debtor_public_ids or []}
    statuses = set(search.status or [])

    def wanted(closed: bool) -> bool:
        if not statuses or m.ActionSearchStatusType.ALL in statuses:
            return True
        if closed:
            return m.ActionSearchStatusType.CLOSED in statuses
        return m.ActionSearchStatusType.OPEN in statuses

    invoices = []
    for action in call.state.invoices.values():
        if action.creditor_public_id not in creditors or not wanted(is_closed(action)):
            continue
        debtor = action.debtor or m.Debtor()
        if debtors and (debtor.debtor_public_id or "").lower() not in debtors:
            continue
        if text and not _matches(text, action.invoice_number, ocr_of(action)):
            continue
        invoices.append(sub_of(call.state, action))
    reconciliation = []
    for rec in call.state.reconciliation_invoices.values():
        closed = (
            rec.state is not None
            and rec.state.stage == m.ReconciliationInvoiceActionStageType.COMPLETED
        )
        if rec.creditor_public_id not in creditors or not wanted(closed) or debtors:
            continue
        if text and not _matches(text, rec.invoice_number, rec.ocr):
            continue
        reconciliation.append(reconciliation_sub(call.state, rec))
    return m.SearchResult(
        invoice_actions=invoices,
        reconciliation_invoice_actions=reconciliation,
        self_invoice_actions=[],
        debt_collection_actions=[],
        installment_plan_actions=[],
        contract_invoice_actions=[],
        supplier_invoice_actions=[],
    )


def _file(call: Call) -> StoredFile:
    return call.owned(call.state.files, call.path(), "file")


@routes("GET", "/v1/files/file/{id}")
async def get_file_content(call: Call) -> tuple[bytes, str]:
    stored = _file(call)
    return stored.data, stored.content_type


@routes("GET", "/v1/files/fileobject/{id}")
async def get_file(call: Call) -> m.File:
    stored = _file(call)
    include = call.query_bool("includedata")
    return m.File(
        file_public_id=stored.file_public_id,
        content_type=stored.content_type,
        file_name=stored.file_name,
        data=stored.data if include else None,
    )
