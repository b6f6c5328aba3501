"""Wire-format benchmark: the SDK's JSON/XML codecs, the raw parsers and peer libraries, one run.

    python bench/bench_wire.py [--invoices 2000] [--rounds 11] [--no-peers] [--cpu-time]
                               [--dates unique|billecta]

Builds an InvoiceActionSubs list of N fully populated invoices, writes it once as JSON and XML,
then times, in interleaved rounds, every operation on those same bytes:

* decode: the SDK (``from_json`` / ``from_xml``), the parsing floor (``orjson.loads`` /
  ``lxml.etree.fromstring``), pydantic v2 and msgspec (JSON, models generated from Billecta's
  2024 JSON schemas by ``bench/peer_models.py``) and xsdata's runtime (both formats, models
  generated from ``schema/billecta.xsd``);
* encode: each library writes the objects it decoded from the same JSON (or, for xsdata's XML,
  the same XML) document; the floors are ``orjson.dumps`` of the parsed JSON and
  ``lxml.etree.tostring`` of the parsed tree;
* a small answer (one Product in XML) against its parse alone.

The date-times of the sample invoices are random instants to the microsecond, each unique
(``--dates unique``, the default and the worst case for the codecs' date-time caches). Billecta's
own lists repeat them: ``--dates billecta`` gives each invoice the dates an invoicing run gives,
invoice, due and event dates at midnight Stockholm time on one of 90 days, the others (created,
attested, sent) a unique instant during that invoice's day. Report both.

Every figure is a ratio to the floor of its row: the best time over the floor's best time, and
the median of the rounds' ratios (each round times every library and the floor back to back). A
call is timed until it returns; freeing its result is left out for every library alike. Peers
are generated into ``bench/results/`` (git-ignored) and need the ``bench`` extra; without them
(or with ``--no-peers``) only the SDK and the floors run. Ratios, not absolute times, are
comparable across machines; ``--cpu-time`` times with the process's CPU clock, which a
busy machine disturbs less.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from billecta_async import models  # noqa: E402
from billecta_async._wire._base import field_specs  # noqa: E402
from billecta_async._wire._datetime import STOCKHOLM  # noqa: E402
from billecta_async.testing import sample_model  # noqa: E402

Op = Callable[[], object]
ROWS = [
    ("JSON decode", "orjson.loads"),
    ("JSON encode", "orjson.dumps"),
    ("XML decode", "lxml fromstring"),
    ("XML encode", "lxml tostring"),
    ("small XML decode", "lxml fromstring"),
]
LIBRARIES = ["sdk", "pydantic", "msgspec", "xsdata"]


def _peers_json(json_doc: bytes) -> dict[str, tuple[Op, Op]]:
    """(decode, encode) per JSON peer that is installed, on ``json_doc``."""
    import peer_models

    peer_models.generate(peer_models.DEFAULT_SCHEMAS, RESULTS)
    sys.path.insert(0, str(RESULTS))
    peers: dict[str, tuple[Op, Op]] = {}
    try:
        import pydantic

        p_models = importlib.import_module("peers_pydantic")
        adapter = pydantic.TypeAdapter(list[p_models.InvoiceActionSubView])
        p_objects = adapter.validate_json(json_doc)
        peers["pydantic"] = (
            lambda: adapter.validate_json(json_doc),
            lambda: adapter.dump_json(p_objects, exclude_none=True),
        )
    except ImportError:
        pass
    try:
        import msgspec

        m_models = importlib.import_module("peers_msgspec")
        decoder = msgspec.json.Decoder(list[m_models.InvoiceActionSubView])
        encoder = msgspec.json.Encoder()
        m_objects = decoder.decode(json_doc)
        peers["msgspec"] = (lambda: decoder.decode(json_doc), lambda: encoder.encode(m_objects))
    except ImportError:
        pass
    return peers


def _xsdata_factory(cls: type, params: dict[str, Any]) -> Any:
    # The XSD marks Amount.ValueForView required; Billecta (and the SDK) leave read-only fields out.
    for f in dataclasses.fields(cls):
        missing = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.init and missing and f.name not in params:
            params[f.name] = None
    return cls(**params)


def _peers_xsdata(json_doc: bytes, xml_doc: bytes) -> dict[str, Op]:
    """xsdata's runtime on both documents, with dataclasses generated from the project's XSD."""
    xsdata = shutil.which("xsdata") or str(Path(sys.executable).parent / "xsdata")
    if not Path(xsdata).exists():
        return {}
    package = RESULTS / "peers_xsdata"
    if not package.exists():
        bin_dir = Path(sys.executable).parent  # xsdata formats what it writes with ruff
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        schema = str(ROOT / "schema" / "billecta.xsd")
        subprocess.run(
            [xsdata, "generate", schema, "--package", "peers_xsdata"],
            cwd=RESULTS,
            env=env,
            check=True,
            capture_output=True,
        )
    from xsdata.formats.dataclass.parsers import JsonParser, XmlParser
    from xsdata.formats.dataclass.parsers.config import ParserConfig
    from xsdata.formats.dataclass.serializers import JsonSerializer, XmlSerializer

    warnings.filterwarnings("ignore", module="xsdata")
    x_models = importlib.import_module("peers_xsdata.billecta")
    config = ParserConfig(fail_on_unknown_properties=False, class_factory=_xsdata_factory)
    json_parser, xml_parser = JsonParser(config=config), XmlParser(config=config)
    item_list = list[x_models.InvoiceActionSub]  # type: ignore[name-defined]
    json_objects = json_parser.from_bytes(json_doc, item_list)
    xml_object = xml_parser.from_bytes(xml_doc, x_models.InvoiceActionSubs)
    json_writer, xml_writer = JsonSerializer(), XmlSerializer()
    return {
        "JSON decode": lambda: json_parser.from_bytes(json_doc, item_list),
        "JSON encode": lambda: json_writer.render(json_objects),
        "XML decode": lambda: xml_parser.from_bytes(xml_doc, x_models.InvoiceActionSubs),
        "XML encode": lambda: xml_writer.render(xml_object),
    }


# Date-time fields an invoicing run stamps with the moment it happens; the others are dates.
_MOMENTS = ("Created", "Attested", "Sent")


def _billecta_dates(item: Any, rng: random.Random) -> None:
    """Give ``item`` the date-times of an invoice in a real list (see the module's docstring)."""
    day = datetime(2024, 1, 1) + timedelta(days=rng.randrange(90))
    for spec in field_specs(type(item)):
        if spec.kind != "dateTime" or getattr(item, spec.attr) is None:
            continue
        if any(word in spec.name for word in _MOMENTS):
            moment = day + timedelta(seconds=rng.randrange(8 * 3600, 17 * 3600))
            moment += timedelta(microseconds=rng.randrange(1_000_000))
        else:
            days = 30 if spec.name == "DueDate" else 0
            moment = day + timedelta(days=days)
        setattr(item, spec.attr, moment.replace(tzinfo=STOCKHOLM))


def _cases(n: int, peers: bool, dates: str = "unique") -> dict[str, dict[str, Op]]:
    """Per row: the floor (``"floor"``), the SDK and each peer, as calls on the same bytes."""
    subs = models.InvoiceActionSubs
    items = [sample_model(subs.item_type, seed=i) for i in range(n)]
    if dates == "billecta":
        rng = random.Random(1)
        for item in items:
            _billecta_dates(item, rng)
    json_doc = models.to_json(items, subs)
    xml_doc = models.to_xml(items, subs)
    assert models.from_json(json_doc, subs) == items == models.from_xml(xml_doc, subs)
    decoded = models.from_json(json_doc, subs)  # what the SDK encodes, as each peer does
    parsed, tree = orjson.loads(json_doc), etree.fromstring(xml_doc)
    product = models.to_xml(sample_model(models.Product, seed=1))
    cases: dict[str, dict[str, Op]] = {
        "JSON decode": {
            "floor": lambda: orjson.loads(json_doc),
            "sdk": lambda: models.from_json(json_doc, subs),
        },
        "JSON encode": {
            "floor": lambda: orjson.dumps(parsed),
            "sdk": lambda: models.to_json(decoded, subs),
        },
        "XML decode": {
            "floor": lambda: etree.fromstring(xml_doc),
            "sdk": lambda: models.from_xml(xml_doc, subs),
        },
        "XML encode": {
            "floor": lambda: etree.tostring(tree),
            "sdk": lambda: models.to_xml(decoded, subs),
        },
        "small XML decode": {
            "floor": lambda: etree.fromstring(product),
            "sdk": lambda: models.Product.from_xml(product),
        },
    }
    print(
        f"InvoiceActionSubs x {n}: JSON {len(json_doc) / 1e6:.1f} MB, "
        f"XML {len(xml_doc) / 1e6:.1f} MB; one Product in XML: {len(product)} bytes; "
        f"{dates} date-times"
    )
    if peers:
        for name, (decode, encode) in _peers_json(json_doc).items():
            cases["JSON decode"][name] = decode
            cases["JSON encode"][name] = encode
        for row, op in _peers_xsdata(json_doc, xml_doc).items():
            cases[row]["xsdata"] = op
    return cases


def _timer(cpu: bool) -> Callable[[], float]:
    return time.process_time if cpu else time.perf_counter


def _timed(op: Op, repeat: int, clock: Callable[[], float]) -> float:
    """Seconds one call of ``op`` takes (mean of ``repeat`` calls), results freed afterwards."""
    gc.collect()
    results = []
    start = clock()
    for _ in range(repeat):
        results.append(op())
    elapsed = clock() - start
    del results
    return elapsed / repeat


def measure(
    cases: dict[str, dict[str, Op]], rounds: int, cpu: bool, slow_rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Per row and library (``"floor"`` included), the time of one call in each round; the
    rounds interleave every library, so that a shared machine's drift hits them alike."""
    clock = _timer(cpu)
    times: dict[str, dict[str, list[float]]] = {row: {} for row in cases}
    for op_map in cases.values():
        for op in op_map.values():
            op()  # warm up: compile the codecs, fill caches
    for round_no in range(rounds):
        for row, op_map in cases.items():
            repeat = 200 if row.startswith("small") else 1
            for name, op in op_map.items():
                if name == "xsdata" and round_no >= slow_rounds:
                    continue
                times[row].setdefault(name, []).append(_timed(op, repeat, clock))
    return times


def report(times: dict[str, dict[str, list[float]]]) -> str:
    """A Markdown table per row and library: the best time over the floor's best, and the
    median over the rounds of each round's ratio to the floor's time in that round."""
    lines = [
        "| operation | floor | " + " | ".join(LIBRARIES) + " |",
        "| --- | --- | " + " | ".join("---" for _ in LIBRARIES) + " |",
    ]
    for row, floor_name in ROWS:
        floor = times.get(row, {}).get("floor", [])
        cells = []
        for name in LIBRARIES:
            values = times.get(row, {}).get(name)
            if values and floor:
                ratios = [value / base for value, base in zip(values, floor, strict=False)]
                best = min(values) / min(floor)
                cells.append(f"{best:.2f}x / {statistics.median(ratios):.2f}x")
            else:
                cells.append("n/a")
        lines.append(f"| {row} | {floor_name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


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
            cwd=ROOT,
        )
        best = min(best, float(out.stdout))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--xsdata-rounds", type=int, default=3, help="xsdata is slow: fewer")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--cpu-time", action="store_true", help="time with the CPU clock")
    parser.add_argument("--no-import", action="store_true", help="skip the import timings")
    parser.add_argument(
        "--dates", choices=["unique", "billecta"], default="unique", help="see the docstring"
    )
    args = parser.parse_args()

    cases = _cases(args.invoices, peers=not args.no_peers, dates=args.dates)
    times = measure(cases, args.rounds, args.cpu_time, args.xsdata_rounds)
    print(f"ratio to the floor: best / median of {args.rounds} interleaved rounds")
    print(report(times))
    if not args.no_import:
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
