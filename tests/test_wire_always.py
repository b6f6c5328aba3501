"""Fields Billecta always returns (metadata ``always``): an answer without one is a DecodeError."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pytest

from billecta_async import DecodeError, from_json, from_xml
from billecta_async._wire import Model, field_specs


@dataclass(kw_only=True, slots=True)
class Receipt(Model):
    """A response-only model: ``PublicId`` and ``Count`` always come back, ``Note`` may not."""

    __wire_name__: ClassVar[str] = "Receipt"

    public_id: str = field(metadata={"name": "PublicId", "wire": "guid", "always": True})
    count: int = field(metadata={"name": "Count", "wire": "int", "always": True})
    note: str | None = field(default=None, metadata={"name": "Note", "wire": "string"})


GUID = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
XML_HEAD = '<Receipt xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'


def test_the_metadata_key_sets_always_on_the_field_spec() -> None:
    assert [(s.attr, s.always) for s in field_specs(Receipt)] == [
        ("public_id", True),
        ("count", True),
        ("note", False),
    ]


def test_present_always_fields_decode_in_both_formats() -> None:
    expected = Receipt(public_id=GUID, count=0)
    assert from_json(f'{{"PublicId": "{GUID}", "Count": 0}}', Receipt) == expected
    xml = f"{XML_HEAD}<PublicId>{GUID}</PublicId><Count>0</Count></Receipt>"
    assert from_xml(xml, Receipt) == expected


@pytest.mark.parametrize(
    ("doc", "field_name"),
    [
        ('{"Count": 1, "Note": "x"}', "Receipt.PublicId"),
        ('{"PublicId": null, "Count": 1}', "Receipt.PublicId"),
        (f'{{"PublicId": "{GUID}"}}', "Receipt.Count"),
        (f'{{"PublicId": "{GUID}", "Count": null}}', "Receipt.Count"),
    ],
)
def test_json_without_an_always_field_names_it(doc: str, field_name: str) -> None:
    with pytest.raises(DecodeError) as caught:
        from_json(doc, Receipt)
    assert caught.value.field == field_name
    assert "Billecta always returns" in caught.value.reason
    assert str(caught.value) == f"{field_name}: {caught.value.reason}"


@pytest.mark.parametrize(
    ("body", "field_name"),
    [
        ("<Count>1</Count><Note>x</Note>", "Receipt.PublicId"),
        ('<PublicId xsi:nil="true" /><Count>1</Count>', "Receipt.PublicId"),
        (f"<PublicId>{GUID}</PublicId>", "Receipt.Count"),
        (f'<PublicId>{GUID}</PublicId><Count xsi:nil="true" />', "Receipt.Count"),
    ],
)
def test_xml_without_an_always_field_names_it(body: str, field_name: str) -> None:
    with pytest.raises(DecodeError) as caught:
        from_xml(f"{XML_HEAD}{body}</Receipt>", Receipt)
    assert caught.value.field == field_name
    assert "Billecta always returns" in caught.value.reason
