"""Tests of the endpoint catalogue schema/endpoints.json and its generator codegen.catalogue."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"
CATALOGUE_PATH = REPO / "schema" / "endpoints.json"
PARAM_KEYS = {"name", "description", "type", "optional", "note"}

if str(REPO) not in sys.path:  # codegen is a repo-local package, not installed
    sys.path.insert(0, str(REPO))

from codegen import catalogue  # noqa: E402


def reference_text() -> str:
    """The API reference; skipped when absent locally, a failure in CI."""
    path = REFERENCE_DIR / "billecta-api-reference.txt"
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"reference data missing in CI: {path}")
        pytest.skip(f"reference data not available: {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def endpoints(document: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = document["endpoints"]
    return result


def find(
    endpoints: list[dict[str, Any]], method: str, path: str, query: list[str] | None = None
) -> dict[str, Any]:
    """The single endpoint with this method, path (and query parameter names)."""
    matches = [
        e
        for e in endpoints
        if e["method"] == method
        and e["path"] == path
        and (query is None or [p["name"] for p in e["query_params"]] == query)
    ]
    assert len(matches) == 1, (method, path, query, len(matches))
    return matches[0]


def test_counts(document: dict[str, Any]) -> None:
    assert document["source"] == "billecta-api-reference.txt"
    assert document["count"] == 254
    assert len(document["endpoints"]) == 254
    assert len(document["sections"]) == 22
    names = [s["name"] for s in document["sections"]]
    assert names[0] == "Accounting" and names[-1] == "Users"
    assert len(set(names)) == 22
    assert {e["section"] for e in document["endpoints"]} == set(names)


def test_endpoint_shape(endpoints: list[dict[str, Any]]) -> None:
    for endpoint in endpoints:
        assert endpoint["method"] in {"GET", "PUT", "POST", "DELETE"}
        assert endpoint["path"].startswith("/v1/")
        assert "?" not in endpoint["path"]
        assert endpoint["summary"]
        placeholders = re.findall(r"\{([^}]+)\}", endpoint["path"])
        assert [p["name"] for p in endpoint["path_params"]] == placeholders
        for param in endpoint["path_params"] + endpoint["query_params"]:
            assert set(param) == PARAM_KEYS
            assert param["type"]
        for role in ("request", "response"):
            ref = endpoint[role]
            if ref is not None:
                assert ref["model"] is not None or ref.get("bytes") is True


def test_file_is_canonical_json(document: dict[str, Any]) -> None:
    text = CATALOGUE_PATH.read_text(encoding="utf-8")
    assert text == catalogue.render_catalogue(document)


def test_postpone_endpoints_stay_separate(endpoints: list[dict[str, Any]]) -> None:
    postpone = [e for e in endpoints if e["path"].endswith("/postpone/{id}")]
    assert [(e["path"], e["query_params"][0]["name"]) for e in postpone] == [
        ("/v1/debtcollection/postpone/{id}", "days"),
        ("/v1/debtcollection/postpone/{id}", "date"),
        ("/v1/invoice/postpone/{id}", "days"),
        ("/v1/invoice/postpone/{id}", "date"),
    ]
    invoice_days = find(endpoints, "PUT", "/v1/invoice/postpone/{id}", ["days"])
    assert invoice_days["query_params"][0]["type"] == "int"
    # The reference documents the debt collection 'days' as a string; kept as written.
    collection_days = find(endpoints, "PUT", "/v1/debtcollection/postpone/{id}", ["days"])
    assert collection_days["query_params"][0]["type"] == "string"
    invoice_date = find(endpoints, "PUT", "/v1/invoice/postpone/{id}", ["date"])
    assert invoice_date["query_params"][0]["type"] == "date"


def test_endpoints_documented_twice(endpoints: list[dict[str, Any]]) -> None:
    calls = Counter((e["method"], e["path"]) for e in endpoints)
    assert sorted(call for call, n in calls.items() if n > 1) == [
        ("GET", "/v1/accounting/paymentmeans/{id}"),
        ("GET", "/v1/debtors/debtors/{id}"),
        ("GET", "/v1/payments/outgoingpayments/{id}"),
        ("PUT", "/v1/debtcollection/postpone/{id}"),
        ("PUT", "/v1/invoice/postpone/{id}"),
    ]
    assert max(calls.values()) == 2


def test_action_by_invoice_number(endpoints: list[dict[str, Any]]) -> None:
    endpoint = find(endpoints, "GET", "/v1/invoice/actionbyinvoicenumber/{id}")
    assert endpoint["path_params"][0]["type"] == "guid"
    assert endpoint["query_params"] == [
        {
            "name": "invoicenumber",
            "description": "Invoice number",
            "type": "string",
            "optional": False,
            "note": None,
        }
    ]
    assert endpoint["response"] == {
        "reference": "InvoiceActionView",
        "model": "InvoiceAction",
        "list": False,
    }


def test_first_endpoint(endpoints: list[dict[str, Any]]) -> None:
    first = endpoints[0]
    assert first["section"] == "Accounting"
    assert first["summary"] == "Get accounting/bookkeeping export files (SIE4, etc)"
    assert first["description"].startswith("Returns all generated bookkeeping files")
    assert first["method"] == "GET" and first["path"] == "/v1/accounting/accountingexports/{id}"
    assert first["request"] is None


def test_bytes_response(endpoints: list[dict[str, Any]]) -> None:
    endpoint = find(endpoints, "GET", "/v1/files/file/{id}")
    assert endpoint["response"] == {
        "reference": "Byte[]",
        "model": None,
        "list": False,
        "bytes": True,
    }
    assert sum(1 for e in endpoints if (e["response"] or {}).get("bytes")) == 9


def test_list_response(endpoints: list[dict[str, Any]]) -> None:
    listed = [e for e in endpoints if e["response"] and e["response"]["list"]]
    assert len(listed) == 1
    endpoint = listed[0]
    assert endpoint["path"] == "/v1/products/productsbydescription/{id}"
    assert endpoint["response"] == {
        "reference": "ProductView[]",
        "model": "ArrayOfProduct",
        "list": True,
    }
    assert [p["name"] for p in endpoint["query_params"]] == ["description", "skip", "take"]


def test_model_names(endpoints: list[dict[str, Any]]) -> None:
    settings = find(endpoints, "PUT", "/v1/accounting/accountingsettings")
    assert settings["request"]["model"] == "AccountingSettingsView"  # keeps its suffix
    debtor = find(endpoints, "POST", "/v1/debtors/debtor")
    assert debtor["request"]["model"] == "Debtor"
    assert debtor["response"]["model"] == "Created"
    assert catalogue.model_name("SecureTokenView") == "SecureTokenView"
    assert catalogue.model_name("DebtorsView") == "Debtors"


def test_optional_parameters(endpoints: list[dict[str, Any]]) -> None:
    dimension = find(endpoints, "GET", "/v1/accountingdimensions/dimension/{id}")
    code = dimension["query_params"][1]
    assert code["name"] == "code" and code["type"] == "string" and code["optional"]
    assert code["note"] == "unique dimension required if omitted"
    send = find(endpoints, "PUT", "/v1/invoice/sendinvoice/{id}")
    method = send["query_params"][0]
    assert method["type"] == "DeliveryMethodTypeView" and method["optional"]
    bank = find(endpoints, "POST", "/v1/bank/accounts/{id}")
    assert {p["name"]: p["type"] for p in bank["query_params"]}["other_device"] == (
        "nullable boolean"
    )


def test_irregular_parameter_lines_keep_raw_text(endpoints: list[dict[str, Any]]) -> None:
    take = find(endpoints, "GET", "/v1/products/productsbydescription/{id}")["query_params"][2]
    assert take["type"] == "int" and take["note"] == "{take}Take (int) - max value 100"
    merge = find(endpoints, "PUT", "/v1/invoice/merge")["query_params"][0]
    assert merge["type"] == "string" and merge["note"].startswith("{actionpublicid}Id of")
    viewed = find(endpoints, "PUT", "/v1/invoice/markasviewed/{id}")["path_params"][0]
    assert viewed["type"] == "string" and viewed["description"] == ""
    assert viewed["note"] == catalogue.UNDESCRIBED_NOTE
    closed = find(endpoints, "GET", "/v1/reconciliationinvoice/closedbydebtor/{id}")
    orgno = closed["query_params"][0]
    assert orgno["type"] == "string" and orgno["note"] == "{debtororgno}Debtor ssn/orgno"


def test_sections_and_notes(document: dict[str, Any], endpoints: list[dict[str, Any]]) -> None:
    sections = {s["name"]: s["description"] for s in document["sections"]}
    assert sections["Addons"] == ""
    assert sections["Bank"].startswith("To get a consumer (private person) bank accounts")
    assert "Supported banks are" in sections["Bank"]
    unhandled = find(endpoints, "GET", "/v1/payments/unhandledpayment/{id}")
    assert unhandled["description"].endswith("regarding state types.")
    assert find(endpoints, "GET", "/v1/payments/unhandledpayments/{id}")["summary"] == (
        "Get unhandled payments"
    )


def test_parse_reference_fails_loudly_on_missing_endpoints() -> None:
    text = reference_text()
    truncated = text[: text.rindex("GET\u00a0/v1/users/users")] + "§"
    with pytest.raises(ValueError, match="expected 254 endpoints"):
        catalogue.parse_reference(truncated)


def test_committed_catalogue_matches_reference(document: dict[str, Any]) -> None:
    text = reference_text()
    assert catalogue.parse_reference(text) == document["endpoints"]
    rendered = catalogue.render_catalogue(catalogue.build_catalogue(text))
    assert rendered == CATALOGUE_PATH.read_text(encoding="utf-8")


def test_main_writes_the_catalogue(tmp_path: Path) -> None:
    reference_text()
    out = tmp_path / "endpoints.json"
    reference = REFERENCE_DIR / "billecta-api-reference.txt"
    assert catalogue.main(["--reference", str(reference), "--out", str(out)]) == 0
    assert out.read_bytes() == CATALOGUE_PATH.read_bytes()
