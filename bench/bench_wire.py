"""Wire-format benchmark: the SDK's JSON/XML codecs against the raw parsers on the same bytes.

    python bench/bench_wire.py [--invoices 2000] [--repeat 7]

Builds an InvoiceActionSubs list of N fully populated invoices, then times, interleaved in one
run, each SDK operation and its raw counterpart (orjson / lxml) on the same document, and reports
the ratio of the best times. Also times ``import billecta_async`` against a bare interpreter.
Ratios, not absolute times, are comparable across machines.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from billecta_async import models
from billecta_async.testing import sample_model


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes, after a full collection."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def import_time(statement: str, repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import time; t=time.perf_counter(); {statement}; print(time.perf_counter()-t)",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        best = min(best, float(out.stdout))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    item_type = models.InvoiceActionSubs.item_type
    items = [sample_model(item_type, seed=i) for i in range(args.invoices)]
    json_doc = models.to_json(items, models.InvoiceActionSubs)
    xml_doc = models.to_xml(items, models.InvoiceActionSubs)
    parsed_json = orjson.loads(json_doc)
    tree = etree.fromstring(xml_doc)
    assert models.from_json(json_doc, models.InvoiceActionSubs) == items
    assert models.from_xml(xml_doc, models.InvoiceActionSubs) == items

    cases = [
        (
            "JSON decode",
            lambda: models.from_json(json_doc, models.InvoiceActionSubs),
            "orjson.loads",
            lambda: orjson.loads(json_doc),
        ),
        (
            "JSON encode",
            lambda: models.to_json(items, models.InvoiceActionSubs),
            "orjson.dumps",
            lambda: orjson.dumps(parsed_json),
        ),
        (
            "XML decode",
            lambda: models.from_xml(xml_doc, models.InvoiceActionSubs),
            "lxml.etree.fromstring",
            lambda: etree.fromstring(xml_doc),
        ),
        (
            "XML encode",
            lambda: models.to_xml(items, models.InvoiceActionSubs),
            "lxml.etree.tostring",
            lambda: etree.tostring(tree),
        ),
    ]
    print(
        f"InvoiceActionSubs x {args.invoices}: JSON {len(json_doc) / 1e6:.1f} MB, "
        f"XML {len(xml_doc) / 1e6:.1f} MB, best of {args.repeat}"
    )
    print(f"{'operation':<12} {'sdk ms':>9} {'raw':<22} {'raw ms':>9} {'ratio':>7}")
    for label, sdk, raw_label, raw in cases:
        sdk_t = raw_t = float("inf")
        for _ in range(args.repeat):  # interleave so that machine noise hits both alike
            sdk_t = min(sdk_t, timed(sdk))
            raw_t = min(raw_t, timed(raw))
        print(
            f"{label:<12} {sdk_t * 1e3:>9.1f} {raw_label:<22} {raw_t * 1e3:>9.1f} "
            f"{sdk_t / raw_t:>6.2f}x"
        )
    bare = import_time("pass")
    sdk = import_time("import billecta_async")
    models_all = import_time(
        "import billecta_async.models as m; [getattr(m, n) for n in m.__all__]"
    )
    print(
        f"import billecta_async: {(sdk - bare) * 1e3:.1f} ms over a bare interpreter; "
        f"importing every model: {(models_all - bare) * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
