"""Billecta's XML, as the XSD describes it: no namespace, root named after the type, nil rules."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from lxml import etree

import billecta_async.models as m
from billecta_async import DecodeError, EncodeError, from_xml, to_xml

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def _tree(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def test_root_element_is_the_type_name_without_namespace() -> None:
    root = _tree(m.Debtor(name="Jenny").to_xml())
    assert root.tag == "Debtor"
    assert root.nsmap.get(None) is None
    assert [child.tag for child in root] == [
        "Name",
        "IsActive",
        "DebtorType",
        "Intermediator",
        "EInvoiceBank",
    ]


def test_nil_is_written_only_where_the_xsd_says_nillable() -> None:
    root = _tree(m.Debtor(name="Jenny").to_xml())
    nil = {child.tag for child in root if child.get(XSI_NIL) == "true"}
    # IsActive, DebtorType, Intermediator and EInvoiceBank are minOccurs=1 nillable=true.
    assert nil == {"IsActive", "DebtorType", "Intermediator", "EInvoiceBank"}
    # Required, non-nillable value types (ProtectedIdentity, DebtorPublicId, Created) that the
    # user did not set are left out, not made up.
    assert root.find("ProtectedIdentity") is None and root.find("DebtorPublicId") is None


def test_lists_inside_a_type_use_array_wrappers() -> None:
    debtor = m.Debtor(credit_cards=[m.DebtorCreditCard(credit_card_public_id="a")])
    root = _tree(debtor.to_xml())
    wrapper = root.find("CreditCards")
    assert wrapper is not None
    assert [c.tag for c in wrapper] == ["DebtorCreditCard"]
    assert wrapper[0].findtext("CreditCardPublicId") == "a"


def test_empty_list_survives_as_empty_wrapper_not_nil() -> None:
    data = m.Debtor(credit_cards=[]).to_xml()
    wrapper = _tree(data).find("CreditCards")
    assert wrapper is not None and wrapper.get(XSI_NIL) is None and len(wrapper) == 0
    assert m.Debtor.from_xml(data).credit_cards == []


def test_top_level_list_models_hold_their_items() -> None:
    data = to_xml([m.Debtor(name="a"), m.Debtor(name="b")], m.Debtors)
    root = _tree(data)
    assert root.tag == "Debtors" and [c.tag for c in root] == ["Debtor", "Debtor"]
    assert [d.name for d in from_xml(data, m.Debtors)] == ["a", "b"]


def test_enums_travel_by_name_and_parse_from_name() -> None:
    data = m.Debtor(debtor_type=m.DebtorType.COMPANY).to_xml()
    assert _tree(data).findtext("DebtorType") == "Company"
    assert m.Debtor.from_xml(data).debtor_type is m.DebtorType.COMPANY


def test_text_is_escaped_and_survives() -> None:
    name = 'A & B <AB> "q" \'s\r\nMalmö ☃'
    data = m.Debtor(name=name).to_xml()
    assert m.Debtor.from_xml(data).name == name


def test_characters_xml_cannot_carry_are_refused_with_the_field() -> None:
    with pytest.raises(EncodeError) as caught:
        m.Debtor(name="bell\x07").to_xml()
    assert caught.value.field == "Debtor.Name"


def test_billecta_style_document_with_nils_parses() -> None:
    doc = b"""<?xml version="1.0" encoding="utf-8"?>
<Debtor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <DebtorPublicId>93bcc725-6c25-451f-93b0-a91f8c56785e</DebtorPublicId>
  <Name>Jenny Doe</Name>
  <Email />
  <IsActive xsi:nil="true" />
  <ProtectedIdentity>false</ProtectedIdentity>
  <DebtorType>Private</DebtorType>
  <CreditCards />
  <Created>2021-01-20T16:02:04.1234567+01:00</Created>
  <SomethingNew><Deep>1</Deep></SomethingNew>
</Debtor>"""
    debtor = m.Debtor.from_xml(doc)
    assert debtor.name == "Jenny Doe"
    assert debtor.email == ""  # an empty element is an empty string
    assert debtor.is_active is None
    assert debtor.protected_identity is False
    assert debtor.debtor_type is m.DebtorType.PRIVATE
    assert debtor.credit_cards == []
    assert debtor.created == datetime(2021, 1, 20, 15, 2, 4, 123456, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "doc",
    [
        b"<Debtor><Name>Jenny</Name>",  # truncated
        b"<Debtor><Name>Jenny</Nam></Debtor>",  # not well-formed
        b"",
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",  # a proxy's error page
        b"<Foo/>",  # wrong root
        b"<ns:Debtor xmlns:ns='urn:x'/>",  # namespaced root
    ],
)
def test_broken_or_wrong_documents_never_give_an_empty_model(doc: bytes) -> None:
    with pytest.raises(DecodeError) as caught:
        m.Debtor.from_xml(doc)
    assert caught.value.field == "Debtor"


def test_external_entities_are_never_resolved(tmp_path: object) -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE Debtor [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Debtor><Name>&x;</Name></Debtor>"
    )
    with pytest.raises(DecodeError, match="DOCTYPE"):
        m.Debtor.from_xml(doc)


def test_billion_laughs_is_refused() -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE Debtor [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Debtor><Name>&b;</Name></Debtor>'
    )
    with pytest.raises(DecodeError):
        m.Debtor.from_xml(doc)


@pytest.mark.parametrize(
    ("doc", "field", "value"),
    [
        (b"<Debtor><IsActive>maybe</IsActive></Debtor>", "Debtor.IsActive", "maybe"),
        (b"<Amount><Value>12.5x</Value></Amount>", "Amount.Value", "12.5x"),
        (b"<Debtor><Created>soon</Created></Debtor>", "Debtor.Created", "soon"),
        (b"<Amount><Value /></Amount>", "Amount.Value", ""),
        (
            b"<Debtor><CreditCards><DebtorCreditCard/><DebtorCreditCard>"
            b"<Created>x</Created></DebtorCreditCard></CreditCards></Debtor>",
            "Debtor.CreditCards.1.Created",
            "x",
        ),
    ],
)
def test_bad_values_name_the_field_and_the_value(doc: bytes, field: str, value: str) -> None:
    model = m.Amount if doc.startswith(b"<Amount") else m.Debtor
    with pytest.raises(DecodeError) as caught:
        model.from_xml(doc)
    assert caught.value.field == field
    assert caught.value.value == value


def test_value_for_view_is_never_sent_in_xml() -> None:
    root = _tree(m.Amount(currency_code="SEK", value=1, value_for_view=0.01).to_xml())
    assert root.find("ValueForView") is None
