"""Checks a built site (``python docs/_scripts/check_site.py SITE_DIR``), after
``mkdocs build --strict`` has checked its links and references.

* every section of the API has a page, async and sync, with an anchor for each of its
  endpoint methods; every model has a page;
* no page shows a docstring's reST markup raw (``:class:`...```): the griffe extension
  rest_roles.py turned each role into a cross-reference or code.

Exits 1 naming what is wrong.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from billecta_async._catalogue import catalogue
from billecta_async.models import __all__ as MODEL_NAMES

ROLE = re.compile(r":(?:py:)?(?:class|meth|func|mod|data|attr|exc|obj|const):[`~\w]")


def problems(site: Path) -> list[str]:
    found: list[str] = []
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        for match in ROLE.finditer(text):
            found.append(f"{page.relative_to(site)}: raw reST role {text[match.start() :][:60]!r}")
    cat = catalogue()
    for info in cat.resources:
        for folder, path in (
            ("sections", f"billecta_async.resources.{info.module}.{info.class_name}"),
            ("sync-sections", f"billecta_async.sync_resources.{info.module}.Sync{info.class_name}"),
        ):
            page = site / "reference" / folder / info.attr / "index.html"
            if not page.exists():
                found.append(f"no page for client.{info.attr} ({folder})")
                continue
            html = page.read_text(encoding="utf-8")
            for op in cat.operations:
                if op.resource == info.attr and f'id="{path}.{op.name}"' not in html:
                    found.append(f"{page.relative_to(site)}: no {op.name}")
    for name in MODEL_NAMES:
        if not (site / "reference" / "models" / name / "index.html").exists():
            found.append(f"no page for the model {name}")
    print(f"{len(pages)} pages checked", file=sys.stderr)
    return found


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    found = problems(site)
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
