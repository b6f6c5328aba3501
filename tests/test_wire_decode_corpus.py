"""What the decoders make of every field given a value of every wrong shape, pinned in a file.

Each line of ``fixtures/wire_decode_corpus.txt`` is one document: a sample model's JSON or XML
with one field replaced by an odd value, and the outcome: the decoded field's repr or the
``DecodeError`` message. A change in what any odd value decodes to, or in an error's field
path, reason or value, shows up as a diff of that file. Regenerate it only when a
change is meant: ``python tests/test_wire_decode_corpus.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from lxml import etree

import billecta_async.models as m
from billecta_async import DecodeError
from billecta_async._wire import field_specs
from billecta_async.testing import sample_model

CORPUS = Path(__file__).resolve().parent / "fixtures" / "wire_decode_corpus.txt"

# Request models (their fields stay optional): every wire kind, nested models and lists.
MODELS = [m.Debtor, m.Amount, m.DefaultActionConfig, m.MailDelivery, m.DebtorCreditCard]

JSON_VALUES: list[tuple[str, Any]] = [
    ("int", 12),
    ("big", "__BIG__"),  # written as the integer 12345678901234567890123
    ("float", 1.5),
    ("true", True),
    ("text", "x"),
    ("code", "2"),
    ("empty", ""),
    ("list", [1]),
    ("object", {"a": 1}),
    ("null", None),
    ("empty_date", "0001-01-01 00:00:00+01:00"),
]

XML_TEXTS: list[tuple[str, str]] = [
    ("int", "<X>12</X>"),
    ("big", "<X>12345678901234567890123</X>"),
    ("float", "<X>1.5</X>"),
    ("true", "<X>true</X>"),
    ("text", "<X>x</X>"),
    ("code", "<X>2</X>"),
    ("empty", "<X></X>"),
    ("child", "<X><Y>1</Y></X>"),
    ("nil", '<X xsi:nil="true" />'),
    ("empty_date", "<X>0001-01-01 00:00:00+01:00</X>"),
]


def _outcome(decode: Any, spec_attr: str) -> str:
    try:
        obj = decode()
    except DecodeError as exc:
        return f"error {exc}"
    return f"ok {getattr(obj, spec_attr)!r}"


def _json_lines() -> Iterator[str]:
    for cls in MODELS:
        base = orjson.loads(sample_model(cls, seed=0).to_json())
        for spec in field_specs(cls):
            for label, value in JSON_VALUES:
                doc = orjson.dumps({**base, spec.name: value})
                doc = doc.replace(b'"__BIG__"', b"12345678901234567890123")
                outcome = _outcome(lambda doc=doc, cls=cls: cls.from_json(doc), spec.attr)
                yield f"json {cls.__name__}.{spec.name} {label}: {outcome}"


def _xml_lines() -> Iterator[str]:
    for cls in MODELS:
        base = sample_model(cls, seed=0).to_xml()
        for spec in field_specs(cls):
            for label, snippet in XML_TEXTS:
                root = etree.fromstring(base)
                for old in root.findall(spec.name):
                    root.remove(old)
                wrapper = etree.fromstring(
                    "<W xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>"
                    + snippet.replace("X>", f"{spec.name}>").replace("<X ", f"<{spec.name} ")
                    + "</W>"
                )
                root.append(wrapper[0])
                doc = etree.tostring(root)
                outcome = _outcome(lambda doc=doc, cls=cls: cls.from_xml(doc), spec.attr)
                yield f"xml {cls.__name__}.{spec.name} {label}: {outcome}"


def _lines() -> list[str]:
    return [*_json_lines(), *_xml_lines()]


def test_every_odd_value_decodes_as_pinned() -> None:
    expected = CORPUS.read_text(encoding="utf-8").splitlines()
    actual = _lines()
    changed = [(e, a) for e, a in zip(expected, actual, strict=False) if e != a]
    assert changed == [] and len(actual) == len(expected)


if __name__ == "__main__":  # pragma: no cover
    CORPUS.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
