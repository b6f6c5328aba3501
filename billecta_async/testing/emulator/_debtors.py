"""Debtors (a creditor's customers) and debtor categories."""

from __future__ import annotations

from billecta_async import models as m
from billecta_async.testing.emulator._http import (
    ApiError,
    Call,
    access_denied,
    bad_request,
    new_id,
    now,
)
from billecta_async.testing.emulator._routes import Routes

routes = Routes()


def _validate(debtor: m.Debtor) -> None:
    if not debtor.name:
        raise bad_request("Debtor.Name is required")
    if debtor.e_invoice_bank is not None and not debtor.org_no:
        # The guide's own example of a 400: e-invoice to a bank needs the person/org number.
        raise bad_request("Debtor.OrgNo is required when EInvoiceBank is set")


def _new_debtor(call: Call, debtor: m.Debtor) -> str:
    debtor.creditor_public_id = call.creditor(debtor.creditor_public_id)
    _validate(debtor)
    debtor.debtor_public_id = new_id()
    debtor.created = now()
    if debtor.is_active is None:
        debtor.is_active = True
    if not debtor.debtor_no:
        # Unique per creditor, also after deletions: one past the highest number in use.
        numbers = [
            int(d.debtor_no)
            for d in call.state.debtors.values()
            if d.creditor_public_id == debtor.creditor_public_id
            and d.debtor_no is not None
            and d.debtor_no.isdigit()
        ]
        debtor.debtor_no = str(max(numbers, default=0) + 1)
    call.state.debtors[debtor.debtor_public_id] = debtor
    call.state.emit("DebtorCreated", debtor.creditor_public_id, debtor)
    return debtor.debtor_public_id


@routes("POST", "/v1/debtors/debtor")
async def create_debtor(call: Call) -> m.Created:
    return m.Created(public_id=_new_debtor(call, call.require_body()))


@routes("POST", "/v1/debtors/debtors")
async def create_debtors(call: Call) -> None:
    """Import: a debtor with ``DebtorPublicId`` updates that debtor, one without is created."""
    debtors: list[m.Debtor] = call.require_body()
    for debtor in debtors:  # refuse the whole batch before storing any of it
        call.creditor(debtor.creditor_public_id)
        if debtor.debtor_public_id:
            call.owned(call.state.debtors, debtor.debtor_public_id, "debtor")
        _validate(debtor)
    for debtor in debtors:
        if debtor.debtor_public_id:
            _store_update(call, debtor)
        else:
            _new_debtor(call, debtor)


@routes("GET", "/v1/debtors/debtor/{id}")
async def get_debtor(call: Call) -> m.Debtor:
    return call.owned(call.state.debtors, call.path(), "debtor")


@routes("PUT", "/v1/debtors/debtor")
async def update_debtor(call: Call) -> None:
    _store_update(call, call.require_body())


def _store_update(call: Call, debtor: m.Debtor) -> None:
    known = call.owned(call.state.debtors, debtor.debtor_public_id, "debtor")
    call.creditor(debtor.creditor_public_id)
    _validate(debtor)
    debtor.debtor_public_id = known.debtor_public_id
    debtor.creditor_public_id = known.creditor_public_id
    debtor.created = known.created
    debtor.debtor_no = debtor.debtor_no or known.debtor_no
    call.state.debtors[known.debtor_public_id or ""] = debtor
    call.state.emit("DebtorUpdated", debtor.creditor_public_id, debtor)


@routes("DELETE", "/v1/debtors/debtor/{id}")
async def delete_debtor(call: Call) -> None:
    debtor = call.owned(call.state.debtors, call.path(), "debtor")
    for invoice in call.state.invoices.values():
        if (
            invoice.debtor is not None
            and invoice.debtor.debtor_public_id == debtor.debtor_public_id
        ):
            raise bad_request("A debtor with invoices cannot be deleted")
    del call.state.debtors[debtor.debtor_public_id or ""]
    for members in call.state.category_members.values():
        members.discard(debtor.debtor_public_id or "")
    call.state.emit("DebtorDeleted", debtor.creditor_public_id, debtor.debtor_public_id)


def _debtors_of(call: Call) -> list[m.Debtor]:
    creditor_public_id = call.creditor(call.path())
    return [d for d in call.state.debtors.values() if d.creditor_public_id == creditor_public_id]


@routes("GET", "/v1/debtors/debtors/{id}")
async def list_debtors(call: Call) -> list[m.Debtor]:
    found = _debtors_of(call)
    text = (call.query("filter") or "").lower()
    if text:
        found = [
            d
            for d in found
            if any(text in (v or "").lower() for v in (d.name, d.debtor_no, d.org_no, d.email))
        ]
    if call.query_bool("excludeinactive"):
        found = [d for d in found if d.is_active is not False]
    category = call.query("categorypublicid")
    if category:
        members = call.state.category_members.get(category.lower(), set())
        found = [d for d in found if d.debtor_public_id in members]
    return call.page(found)


@routes("GET", "/v1/debtors/debtorbydebtorno/{id}")
async def get_debtor_by_debtor_no(call: Call) -> m.Debtor:
    number = call.require_query("debtorno")
    for debtor in _debtors_of(call):
        if debtor.debtor_no == number:
            return debtor
    raise ApiError(404, f"No debtor with debtor number '{number}'")


@routes("GET", "/v1/debtors/debtorsbyexternalid/{id}")
async def list_debtors_by_external_id(call: Call) -> list[m.Debtor]:
    external_id = call.require_query("externalid")
    return call.page([d for d in _debtors_of(call) if d.debtor_external_id == external_id])


def _digits(text: str | None) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


@routes("GET", "/v1/debtors/debtorsbyorgno/{id}")
async def list_debtors_by_org_no(call: Call) -> list[m.Debtor]:
    org_no = _digits(call.require_query("orgno"))
    country = call.query("countrycode")
    found = [
        d
        for d in _debtors_of(call)
        if _digits(d.org_no)[-10:] == org_no[-10:] and (not country or d.country_code == country)
    ]
    return call.page(found)


# -- categories ----------------------------------------------------------------------------


def _category(
    call: Call, creditor_public_id: str, category_public_id: str | None
) -> m.DebtorCategory:
    category = call.state.debtor_categories.get((category_public_id or "").lower())
    if category is None or category.creditor_public_id != creditor_public_id:
        raise access_denied("debtor category", category_public_id)
    return category


@routes("PUT", "/v1/debtors/debtorcategory/{id}")
async def update_category(call: Call) -> None:
    creditor_public_id = call.creditor(call.path())
    name = call.require_query("name")
    category_public_id = call.query("categorypublicid")
    if category_public_id:
        _category(call, creditor_public_id, category_public_id).category_name = name
        return
    created = m.DebtorCategory(
        creditor_public_id=creditor_public_id, category_public_id=new_id(), category_name=name
    )
    call.state.debtor_categories[created.category_public_id or ""] = created
    call.state.category_members[created.category_public_id or ""] = set()


@routes("GET", "/v1/debtors/debtorcategories/{id}")
async def list_categories(call: Call) -> list[m.DebtorCategory]:
    creditor_public_id = call.creditor(call.path())
    return [
        c
        for c in call.state.debtor_categories.values()
        if c.creditor_public_id == creditor_public_id
    ]


@routes("DELETE", "/v1/debtors/deletedebtorcategory/{id}")
async def delete_category(call: Call) -> None:
    category = _category(call, call.creditor(call.path()), call.require_query("categorypublicid"))
    del call.state.debtor_categories[category.category_public_id or ""]
    call.state.category_members.pop(category.category_public_id or "", None)


def _membership(call: Call) -> tuple[set[str], str]:
    creditor_public_id = call.creditor(call.path())
    category = _category(call, creditor_public_id, call.require_query("categorypublicid"))
    debtor = call.owned(call.state.debtors, call.require_query("debtorpublicid"), "debtor")
    members = call.state.category_members.setdefault(category.category_public_id or "", set())
    return members, debtor.debtor_public_id or ""


@routes("POST", "/v1/debtors/adddebtortocategory/{id}")
async def add_to_category(call: Call) -> None:
    members, debtor_public_id = _membership(call)
    members.add(debtor_public_id)


@routes("DELETE", "/v1/debtors/deletedebtorfromcategory/{id}")
async def remove_from_category(call: Call) -> None:
    members, debtor_public_id = _membership(call)
    members.discard(debtor_public_id)


@routes("POST", "/v1/debtors/adddebtorstocategory")
async def add_many_to_category(call: Call) -> None:
    request: m.AddMultipleDebtorsToCategoryRequest = call.require_body()
    creditor_public_id = call.creditor(request.creditor_public_id)
    category = _category(call, creditor_public_id, request.category_public_id)
    debtors = [
        call.owned(call.state.debtors, debtor_public_id, "debtor")
        for debtor_public_id in request.debtor_public_ids or []
    ]
    members = call.state.category_members.setdefault(category.category_public_id or "", set())
    members.update(d.debtor_public_id or "" for d in debtors)


@routes("GET", "/v1/debtors/debtorsincategory/{id}")
async def list_in_category(call: Call) -> list[m.Debtor]:
    creditor_public_id = call.creditor(call.path())
    category = _category(call, creditor_public_id, call.require_query("categorypublicid"))
    members = call.state.category_members.get(category.category_public_id or "", set())
    return [d for d in call.state.debtors.values() if d.debtor_public_id in members]
