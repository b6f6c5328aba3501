"""bench/peer_models.py: the wire benchmark's peer models come from Billecta's JSON schemas in
the shared reference, where the rest of the project reads it."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO.parent / "shared" / "reference"


def _peer_models(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.delenv("BILLECTA_JSONSCHEMA", raising=False)
    spec = importlib.util.spec_from_file_location("peer_models", REPO / "bench" / "peer_models.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_peer_models_read_the_shared_reference_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not (REFERENCE_DIR / "jsonschema").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"reference JSON schemas missing in CI: {REFERENCE_DIR}")
        pytest.skip(f"reference JSON schemas not available: {REFERENCE_DIR}")
    peer_models = _peer_models(monkeypatch)
    assert peer_models.DEFAULT_SCHEMAS == REFERENCE_DIR / "jsonschema"
    peer_models.generate(peer_models.DEFAULT_SCHEMAS, tmp_path)
    for flavour in ("pydantic", "msgspec"):
        source = (tmp_path / f"peers_{flavour}.py").read_text(encoding="utf-8")
        compile(source, f"peers_{flavour}.py", "exec")
        assert "class InvoiceActionSubView(" in source
