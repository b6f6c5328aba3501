"""ROT and RUT (Skatteverket's tax reductions for work in the home): request files and which
invoices have been processed.

* The XML lists, per invoice with ROT (or RUT) work on its records and not marked processed,
  the buyers and the reduction asked for. It follows the shape of Skatteverket's request file
  (``Begaran``) without claiming its exact schema; the zipped variant is the same file in a ZIP.
* Marking invoices processed hides them from later files; unmarking shows them again.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from billecta_async import models as m
from billecta_async.testing.emulator._http import Call, access_denied, bad_request, now
from billecta_async.testing.emulator._invoices import value_of
from billecta_async.testing.emulator._routes import Routes

routes = Routes()

Kind = m.RotRutType
ROT_WORK = {
    Kind.CONSTRUCTION,
    Kind.ELECTRICITY,
    Kind.GLASS_METAL_WORK,
    Kind.GROUND_DRAINAGE_WORK,
    Kind.MASONRY,
    Kind.PAINTING_WALLPAPERING,
    Kind.HVAC,
}
RUT_WORK = {k for k in Kind if k.is_known and k not in ROT_WORK and k != Kind.UNKNOWN}


def _invoices(call: Call) -> list[m.InvoiceAction]:
    request: m.ActionPublicIds = call.require_body()
    ids = [i for i in request.action_public_ids or [] if i]
    if not ids:
        raise bad_request("ActionPublicIds.ActionPublicIds must name at least one invoice")
    return [call.owned(call.state.invoices, i, "invoice") for i in ids]


def _work(action: m.InvoiceAction, kind: str) -> list[m.InvoiceActionRecord]:
    """The records of ROT (or RUT) work on the invoice."""
    wanted = ROT_WORK if kind == "ROT" else RUT_WORK
    return [r for r in action.records or [] if r.rot_rut_activated and r.rot_rut_type in wanted]


def _request_file(call: Call, kind: str) -> bytes:
    actions = [
        a
        for a in _invoices(call)
        if _work(a, kind) and (kind, a.action_public_id or "") not in call.state.rot_rut_processed
    ]
    if not actions:
        raise bad_request(f"None of the invoices has {kind} work left to request")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<Begaran Typ={quoteattr(kind)}>"]
    for action in actions:
        records = _work(action, kind)
        work = sum(value_of(r.total_inc_vat) for r in records)
        asked = sum(value_of(r.rot_rut_amount) for r in records)
        details = action.rot_rut_details or m.RotRutDetails()
        lines.append("  <Arende>")
        lines.append(f"    <FakturaNr>{escape(action.invoice_number or '')}</FakturaNr>")
        for customer in details.customers or []:
            lines.append(
                f"    <Kopare Personnummer={quoteattr(customer.ssn or '')}"
                f' BegartBelopp="{value_of(customer.asked_amount) // 100}" />'
            )
        if details.property_designation:
            designation = escape(details.property_designation)
            lines.append(f"    <Fastighetsbeteckning>{designation}</Fastighetsbeteckning>")
        lines.append(f"    <PrisForArbete>{work // 100}</PrisForArbete>")
        lines.append(f"    <BegartBelopp>{asked // 100}</BegartBelopp>")
        lines.append("  </Arende>")
    lines.append("</Begaran>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _zipped(name: str, data: bytes) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue(), "application/zip"


def _mark(call: Call, kind: str, processed: bool) -> None:
    actions = _invoices(call)  # every id checked before any is marked
    for action in actions:
        key = (kind, action.action_public_id or "")
        if not processed:
            call.state.rot_rut_processed.pop(key, None)
        elif key not in call.state.rot_rut_processed:
            call.state.rot_rut_processed[key] = m.InvoiceActionRotRutProcessed(
                action_public_id=action.action_public_id,
                processed=now(),
                processed_by=call.account.username,
            )


def _processed(call: Call, kind: str) -> list[m.InvoiceActionRotRutProcessed]:
    """The listed invoices (``{id}``, comma-separated) marked processed, created up to
    ``createdto``; ``createdfrom`` is their creditor (the reference's documented types)."""
    creditor_public_id = call.creditor(call.require_query("createdfrom"))
    created_to = call.query_date("createdto", required=True)
    assert created_to is not None
    found = []
    for action_public_id in [i.strip() for i in call.path().split(",") if i.strip()]:
        action = call.owned(call.state.invoices, action_public_id, "invoice")
        if action.creditor_public_id != creditor_public_id:
            raise access_denied("invoice", action_public_id)
        marked = call.state.rot_rut_processed.get((kind, action.action_public_id or ""))
        if marked is not None and action.created and action.created.date() <= created_to:
            found.append(marked)
    return found


@routes("PUT", "/v1/invoice/rotxml")
async def create_rot_xml(call: Call) -> tuple[bytes, str]:
    return _request_file(call, "ROT"), "application/xml"


@routes("PUT", "/v1/invoice/rotxmlzipped")
async def create_rot_xml_zipped(call: Call) -> tuple[bytes, str]:
    return _zipped("ROT.xml", _request_file(call, "ROT"))


@routes("PUT", "/v1/invoice/rutxml")
async def create_rut_xml(call: Call) -> tuple[bytes, str]:
    return _request_file(call, "RUT"), "application/xml"


@routes("PUT", "/v1/invoice/rutxmlzipped")
async def create_rut_xml_zipped(call: Call) -> tuple[bytes, str]:
    return _zipped("RUT.xml", _request_file(call, "RUT"))


@routes("PUT", "/v1/invoice/rotprocessed")
async def mark_rot_processed(call: Call) -> None:
    _mark(call, "ROT", True)


@routes("DELETE", "/v1/invoice/rotprocessed")
async def unmark_rot_processed(call: Call) -> None:
    _mark(call, "ROT", False)


@routes("GET", "/v1/invoice/rotprocessed/{id}")
async def list_rot_processed(call: Call) -> list[m.InvoiceActionRotRutProcessed]:
    return _processed(call, "ROT")


@routes("PUT", "/v1/invoice/rutprocessed")
async def mark_rut_processed(call: Call) -> None:
    _mark(call, "RUT", True)


@routes("DELETE", "/v1/invoice/rutprocessed")
async def unmark_rut_processed(call: Call) -> None:
    _mark(call, "RUT", False)


@routes("GET", "/v1/invoice/rutprocessed/{id}")
async def list_rut_processed(call: Call) -> list[m.InvoiceActionRotRutProcessed]:
    return _processed(call, "RUT")
