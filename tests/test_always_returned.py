"""Values Billecta always returns: which models are response-only, how their fields are generated,
and what decoding an answer without one does (codegen/usage.py, the generated models, the codecs).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import billecta_async.models as m
from billecta_async import DecodeError, from_json, from_xml, to_json, to_xml
from billecta_async._wire import field_specs
from billecta_async.testing import default_model, sample_model
from billecta_async.webhooks import WEBHOOK_PAYLOAD_TYPES

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # codegen is a repo-local package, not installed
    sys.path.insert(0, str(REPO))

from codegen.cli import NO_CATALOGUE, main  # noqa: E402
from codegen.fingerprint import CATALOGUE, SCHEMA, WEBHOOK_EVENTS  # noqa: E402
from codegen.ir import SchemaError, load_schema  # noqa: E402
from codegen.usage import (  # noqa: E402
    ALWAYS_KINDS,
    ALWAYS_RETURNED_STRINGS,
    Usage,
    always_fields,
    read_usage,
    webhook_payload_models,
)

SHOP = REPO / "tests" / "fixtures" / "codegen" / "shop_v1.xsd"
CONFIG = REPO / "codegen" / "xsdata.xml"


def _models() -> list[type[Any]]:
    found = (getattr(m, name) for name in m.__all__)
    return [cls for cls in found if isinstance(cls, type) and dataclasses.is_dataclass(cls)]


# -- which models, which fields ------------------------------------------------------------------


@pytest.fixture(scope="module")
def always() -> dict[str, frozenset[str]]:
    ir = load_schema(SCHEMA)
    return dict(always_fields(ir, read_usage(CATALOGUE, WEBHOOK_EVENTS)))


def test_the_webhook_payload_models_are_read_from_the_event_table() -> None:
    in_table = {
        kind.__name__
        for payload in WEBHOOK_PAYLOAD_TYPES.values()
        for kind in (payload.data, payload.additional_data)
        if kind is not None and dataclasses.is_dataclass(kind)
    }
    read = webhook_payload_models(WEBHOOK_EVENTS)
    assert {name for name in read if name in load_schema(SCHEMA).complex_types} == in_table


def test_response_only_models_get_always_fields_and_request_models_none(
    always: dict[str, frozenset[str]],
) -> None:
    assert always["Created"] == {"PublicId"}
    assert always["InvoiceActionState"] == {"Stage", "IsPaused", "IsLocked", "UseDebtorBalance"}
    assert {"CreditorPublicId", "ActionType", "VatIsIncluded"} <= always["InvoiceAction"]
    # Webhook-only payloads are answers too.
    assert always["WebhookCreditorShare"] >= {"CreditorPublicId", "CanAttestInvoice"}
    # Sent in requests (directly or inside one): every field stays optional.
    for request_model in ("Debtor", "InvoiceActionEntry", "Amount", "Product", "Creditor"):
        assert request_model not in always


def test_only_required_non_nillable_value_types_are_always(
    always: dict[str, frozenset[str]],
) -> None:
    ir = load_schema(SCHEMA)
    for type_name, names in always.items():
        for f in ir.complex_types[type_name].fields:
            if f.name not in names:
                continue
            assert (type_name, f.name) in ALWAYS_RETURNED_STRINGS or (
                f.required and not f.nillable and not f.is_list and f.kind in ALWAYS_KINDS
            ), f"{type_name}.{f.name}"
    # .NET's empty date decodes to None: a date-time is never "always".
    date_times = [
        f"{t}.{f.name}"
        for t, names in always.items()
        for f in ir.complex_types[t].fields
        if f.name in names and f.kind == "dateTime"
    ]
    assert date_times == []


def test_the_generated_models_carry_exactly_those_fields(
    always: dict[str, frozenset[str]],
) -> None:
    generated: dict[str, set[str]] = {}
    for cls in _models():
        for f in dataclasses.fields(cls):
            if f.metadata.get("always"):
                assert f.default is dataclasses.MISSING, f"{cls.__name__}.{f.name}"
                assert "None" not in str(f.type), f"{cls.__name__}.{f.name}: {f.type}"
                generated.setdefault(cls.__wire_name__, set()).add(f.metadata["name"])
            else:
                assert f.default is None, f"{cls.__name__}.{f.name}"
    assert generated == {name: set(fields) for name, fields in always.items()}


def test_a_catalogue_naming_an_unknown_model_is_refused() -> None:
    ir = load_schema(SCHEMA)
    with pytest.raises(SchemaError, match=r"catalogue names models the schema lacks: \['Nope'\]"):
        always_fields(ir, Usage(requests=frozenset({"Nope"}), responses=frozenset({"Created"})))


# -- generating another schema with and without a catalogue ------------------------------------


@pytest.fixture
def generated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """Generate shop_v1.xsd into a package, with an optional catalogue: (package, stderr)."""
    loaded: list[str] = []

    def generate(package: str, catalogue: dict[str, Any] | None) -> tuple[ModuleType, str]:
        argv = ["--xsd", str(SHOP), "--config", str(CONFIG), "--package", package]
        argv += ["--out", str(tmp_path / package)]
        if catalogue is not None:
            path = tmp_path / f"{package}.json"
            path.write_text(json.dumps(catalogue), encoding="utf-8")
            argv += ["--catalogue", str(path)]
        capsys.readouterr()
        assert main(argv) == 0
        err = capsys.readouterr().err
        sys.path.insert(0, str(tmp_path))
        loaded.append(package)
        return importlib.import_module(package), err

    yield generate
    for package in loaded:
        for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
            del sys.modules[name]
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))


def _catalogue(request: str, response: str) -> dict[str, Any]:
    return {
        "endpoints": [
            {"request": {"model": request, "list": False}, "response": None},
            {"request": None, "response": {"model": response, "list": False}},
        ]
    }


def _always(cls: type[Any]) -> set[str]:
    return {s.attr for s in field_specs(cls) if s.always}


def test_through_a_base_type_a_request_keeps_the_base_optional(generated: Any) -> None:
    shop, err = generated("shop_always_a", _catalogue("CompanyCustomer", "Order"))
    assert "every field is optional" not in err
    # CompanyCustomer extends Customer: a request, so Customer (inside Order too) is optional.
    assert _always(shop.Order) == {"order_public_id", "total"}  # not the date-times
    assert _always(shop.Customer) == set() and _always(shop.CompanyCustomer) == set()
    order = shop.Order(order_public_id="0f8fad5b-d9cb-469f-a165-70867728950e", total=1.5)
    assert shop.Order.from_json(order.to_json()) == order
    with pytest.raises(DecodeError) as caught:
        shop.Order.from_xml(b"<Order><Total>1.5</Total></Order>")
    assert caught.value.field == "Order.OrderPublicId"


def test_a_response_only_model_reached_through_a_field(generated: Any) -> None:
    shop, _ = generated("shop_always_b", _catalogue("Address", "Order"))
    # Nillable (Created, CreditLimit) and reference types stay optional; read-only Balance is
    # always returned all the same.
    assert _always(shop.Customer) == {"customer_public_id", "type", "is_active", "balance"}
    assert _always(shop.Address) == set()


def test_without_a_catalogue_every_field_is_optional_and_the_cli_says_so(
    generated: Any,
) -> None:
    shop, err = generated("shop_always_c", None)
    assert f"codegen: {NO_CATALOGUE}\n" in err
    assert "every field is optional" in NO_CATALOGUE
    assert _always(shop.Order) == set()


# -- decoding answers ------------------------------------------------------------------------


def test_an_answer_without_an_always_field_names_it_in_both_formats() -> None:
    invoice = sample_model(m.InvoiceAction, depth=2)
    assert invoice.state is not None
    document = json.loads(invoice.to_json())
    del document["State"]["Stage"]
    with pytest.raises(DecodeError) as caught:
        m.InvoiceAction.from_json(json.dumps(document))
    assert caught.value.field == "InvoiceAction.State.Stage"
    assert "Billecta always returns" in str(caught.value)

    xml = invoice.to_xml()
    stage = f"<Stage>{invoice.state.stage.value}</Stage>".encode()
    assert stage in xml
    with pytest.raises(DecodeError) as caught:
        m.InvoiceAction.from_xml(xml.replace(stage, b'<Stage xsi:nil="true" />'))
    assert caught.value.field == "InvoiceAction.State.Stage"


def test_a_list_answer_names_the_item() -> None:
    rows = [default_model(m.InvoiceActionSub) for _ in range(2)]
    document = json.loads(to_json(rows, m.InvoiceActionSubs))
    document[1]["IsPaused"] = None
    with pytest.raises(DecodeError) as caught:
        from_json(json.dumps(document), m.InvoiceActionSubs)
    assert caught.value.field == "InvoiceActionSubs.1.IsPaused"


def test_created_without_public_id_is_a_decode_error() -> None:
    for document in (b"{}", b'{"PublicId": null}'):
        with pytest.raises(DecodeError) as caught:
            m.Created.from_json(document)
        assert caught.value.field == "Created.PublicId"
    with pytest.raises(DecodeError):
        m.Created.from_xml(b"<Created />")
    assert m.Created.from_json(b'{"PublicId": "abc"}') == m.Created(public_id="abc")


# -- building answers in tests ------------------------------------------------------------------


def test_default_model_fills_what_billecta_writes_for_an_unset_value() -> None:
    invoice = default_model(m.InvoiceAction, invoice_number="4711")
    assert invoice.invoice_number == "4711"
    assert invoice.creditor_public_id == "00000000-0000-0000-0000-000000000000"
    assert invoice.vat_is_included is False and invoice.payment_terms_in_days == 0
    assert invoice.interest_percentage == 0.0
    assert invoice.delivery_method is m.DeliveryMethodType.EMAIL  # the member with code 0
    assert invoice.invoice_date is None  # a date-time is not "always"
    assert from_json(to_json(invoice), m.InvoiceAction) == invoice
    assert from_xml(to_xml(invoice), m.InvoiceAction) == invoice
    # Request models have nothing to fill; Created.PublicId has no default.
    assert default_model(m.Debtor) == m.Debtor()
    with pytest.raises(TypeError, match="public_id"):
        default_model(m.Created)


def test_sample_models_fill_every_always_field() -> None:
    for cls in _models():
        sample = sample_model(cls, depth=1)
        missing = [s.attr for s in field_specs(cls) if s.always and getattr(sample, s.attr) is None]
        assert missing == [], cls.__name__
