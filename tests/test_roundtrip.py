"""Every generated model round-trips model -> JSON -> model and model -> XML -> model.

Instances are built by billecta_async.testing.sample_model from each model's field metadata
(every field set, nested models filled), never written by hand.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from _builders import all_models

import billecta_async.models as m
from billecta_async import from_json, from_xml, to_json, to_xml
from billecta_async._wire import field_specs
from billecta_async.testing import sample_list, sample_model

MODELS = [cls.__name__ for cls in all_models()]
LISTS = sorted(name for name in m.__all__ if isinstance(getattr(m, name), m.ListOf))


def test_the_schema_generates_every_kind_of_model() -> None:
    assert len(MODELS) > 230
    assert len(LISTS) > 40
    assert "Debtor" in MODELS and "InvoiceAction" in MODELS and "Debtors" in LISTS


def _assert_fully_populated(obj: Any, path: str = "") -> None:
    for spec in field_specs(type(obj)):
        value = getattr(obj, spec.attr)
        where = f"{path}{type(obj).__name__}.{spec.attr}"
        if spec.read_only:
            continue
        if spec.kind == "model" and value in (None, []):
            continue  # beyond the sample depth
        assert value is not None, f"{where} was not populated"


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("seed", [0, 1])
def test_model_round_trips_through_json_and_xml(name: str, seed: int) -> None:
    cls = getattr(m, name)
    original = sample_model(cls, seed=seed)
    _assert_fully_populated(original)
    assert cls.from_json(original.to_json()) == original
    assert cls.from_xml(original.to_xml()) == original


@pytest.mark.parametrize("name", LISTS)
def test_list_model_round_trips_as_plain_list(name: str) -> None:
    model = getattr(m, name)
    items = sample_list(model, count=3)
    assert len(items) == 3
    decoded_json = from_json(to_json(items, model), model)
    decoded_xml = from_xml(to_xml(items, model), model)
    assert type(decoded_json) is list and decoded_json == items
    assert type(decoded_xml) is list and decoded_xml == items


def test_sample_instances_differ_by_seed_and_are_deterministic() -> None:
    assert sample_model(m.Debtor, seed=1) == sample_model(m.Debtor, seed=1)
    assert sample_model(m.Debtor, seed=1) != sample_model(m.Debtor, seed=2)


def test_every_field_has_wire_metadata() -> None:
    for name in MODELS:
        cls = getattr(m, name)
        for f in dataclasses.fields(cls):
            assert f.metadata["name"][:1].isupper() or f.metadata["name"][:1].isdigit(), (
                f"{name}.{f.name}"
            )
            if f.metadata.get("always"):  # Billecta always returns it: no default
                assert f.default is dataclasses.MISSING, f"{name}.{f.name} has a default"
            else:
                assert f.default is None, f"{name}.{f.name} must default to None"
