"""Writes the API reference pages that follow the code, when the site is built (mkdocs-gen-files).

* one page per section of the API (``client.invoices``, ...), async and sync, each opening with
  a table of its methods and the endpoints they call, from the endpoint catalogue;
* ``reference/endpoints.md``: every documented endpoint and the method that calls it;
* one page per model, enum and list model, and an index of them;
* ``reference/SUMMARY.md``: the reference's navigation (mkdocs-literate-nav), with the
  hand-written pages of ``docs/reference/`` first.

Nothing here is committed output: a section, endpoint or model that codegen adds appears on
the next build. Run by ``mkdocs build``; :func:`pages` can be called without mkdocs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from billecta_async import BillectaEnum, ListOf
from billecta_async._catalogue import Operation, catalogue
from billecta_async.models import __all__ as MODEL_NAMES

#: The hand-written reference pages (docs/reference/), in the order the navigation shows them.
HAND_WRITTEN = (
    ("Overview", "index.md"),
    ("Clients", "clients.md"),
    ("Listings, files and streams", "listings.md"),
    ("Errors", "errors.md"),
    ("Limits, retries and clocks", "reliability.md"),
    ("Models and wire formats", "wire.md"),
    ("Webhooks", "webhooks.md"),
    ("Redis", "redis.md"),
    ("Testing", "testing.md"),
)


@dataclass(frozen=True)
class Section:
    """One section of the API: ``client.<attr>``, its async and sync classes, its methods."""

    attr: str
    title: str
    async_path: str
    sync_path: str
    operations: tuple[Operation, ...]


def sections() -> list[Section]:
    """Every section of the client, in the order of the API reference."""
    found = catalogue()
    return [
        Section(
            attr=info.attr,
            title=info.section,
            async_path=f"billecta_async.resources.{info.module}.{info.class_name}",
            sync_path=f"billecta_async.sync_resources.{info.module}.Sync{info.class_name}",
            operations=tuple(op for op in found.operations if op.resource == info.attr),
        )
        for info in found.resources
    ]


def model_kinds() -> dict[str, list[str]]:
    """Every name of :mod:`billecta_async.models`, by kind: models, enums and list models."""
    import billecta_async.models as models

    kinds: dict[str, list[str]] = {"Models": [], "Enums": [], "List models": []}
    for name in sorted(MODEL_NAMES):
        value = getattr(models, name)
        if isinstance(value, ListOf):
            kinds["List models"].append(name)
        elif isinstance(value, type) and issubclass(value, BillectaEnum):
            kinds["Enums"].append(name)
        else:
            kinds["Models"].append(name)
    return kinds


def _endpoint_rows(section: Section, page_path: str) -> Iterator[str]:
    for op in section.operations:
        anchor = f"{page_path}.{op.name}"
        yield f"| [`{op.name}`](#{anchor}) | `{op.method} {op.path}` |"


def _section_page(section: Section, sync: bool) -> str:
    path = section.sync_path if sync else section.async_path
    client = "SyncBillectaClient" if sync else "BillectaClient"
    lines = [
        f"# `client.{section.attr}`{' (sync)' if sync else ''}",
        "",
        f"The **{section.title}** section of Billecta's API reference, as "
        f"[`{client}.{section.attr}`][billecta_async.{client}].",
        "",
        "| method | endpoint |",
        "| --- | --- |",
        *_endpoint_rows(section, path),
        "",
        f"::: {path}",
        "",
    ]
    return "\n".join(lines)


def _sections_index(all_sections: list[Section], sync: bool) -> str:
    client = "SyncBillectaClient" if sync else "BillectaClient"
    count = sum(len(section.operations) for section in all_sections)
    lines = [
        f"# Sections{' (sync)' if sync else ''}",
        "",
        f"`{client}` has one attribute per section of Billecta's API reference, {count} "
        "endpoint methods in all (an endpoint the reference documents twice is one method).",
        "",
        "| section | attribute | methods | e.g. |",
        "| --- | --- | ---: | --- |",
    ]
    for section in all_sections:
        names = sorted(op.name for op in section.operations)
        examples = ", ".join(f"`{name}`" for name in names[:4])
        lines.append(
            f"| {section.title} | [`client.{section.attr}`]({section.attr}.md) "
            f"| {len(names)} | {examples} |"
        )
    return "\n".join(lines) + "\n"


def _model_page(name: str, kind: str) -> str:
    enum = ["    options:", "      show_if_no_docstring: true", "      show_labels: false"]
    options = enum if kind == "Enums" else []
    return "\n".join([f"::: billecta_async.models.{name}", *options, ""])


def _model_index(kinds: dict[str, list[str]]) -> str:
    lines = [
        "# Models",
        "",
        "Every Billecta type as a class of `billecta_async.models`, generated from the schema by "
        "`python -m codegen` (see [Models](../../usage/models.md) for how they behave). "
        f"{sum(len(names) for names in kinds.values())} names: "
        + ", ".join(f"{len(names)} {kind.lower()}" for kind, names in kinds.items())
        + ".",
    ]
    for kind, names in kinds.items():
        lines += ["", f"## {kind}", ""]
        lines.append(" · ".join(f"[`{name}`]({name}.md)" for name in names))
    return "\n".join(lines) + "\n"


def _endpoints_page(all_sections: list[Section]) -> str:
    rows = sorted(
        ((section, op) for section in all_sections for op in section.operations),
        key=lambda row: (row[1].path, row[1].method, row[0].attr, row[1].name),
    )
    lines = [
        "# Endpoints",
        "",
        "Every endpoint of Billecta's API reference and the method that calls it (the same "
        "method, without `await`, on the synchronous client).",
        "",
        "| endpoint | method |",
        "| --- | --- |",
    ]
    for section, op in rows:
        target = f"sections/{section.attr}.md#{section.async_path}.{op.name}"
        method = f"client.{section.attr}.{op.name}"
        lines.append(f"| `{op.method} {op.path}` | [`{method}`]({target}) |")
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """Every generated page (path under ``docs/``: Markdown), the navigation included."""
    all_sections = sections()
    kinds = model_kinds()
    out: dict[str, str] = {}
    nav = [f"* [{title}]({page})" for title, page in HAND_WRITTEN]
    nav.append("* [Endpoints](endpoints.md)")
    out["reference/endpoints.md"] = _endpoints_page(all_sections)
    for sync in (False, True):
        folder = "sync-sections" if sync else "sections"
        nav.append(f"* [{'Sections (sync)' if sync else 'Sections'}]({folder}/index.md)")
        out[f"reference/{folder}/index.md"] = _sections_index(all_sections, sync)
        for section in all_sections:
            out[f"reference/{folder}/{section.attr}.md"] = _section_page(section, sync)
            nav.append(f"    * [client.{section.attr}]({folder}/{section.attr}.md)")
    out["reference/models/index.md"] = _model_index(kinds)
    nav.append("* [Models](models/index.md)")
    for kind, names in kinds.items():
        nav.append(f"    * {kind}")
        for name in names:
            out[f"reference/models/{name}.md"] = _model_page(name, kind)
            nav.append(f"        * [{name}](models/{name}.md)")
    out["reference/SUMMARY.md"] = "\n".join(nav) + "\n"
    return out


def main() -> None:
    import mkdocs_gen_files

    for path, text in pages().items():
        with mkdocs_gen_files.open(path, "w") as page:
            page.write(text)


if __name__ in {"__main__", "<run_path>"}:  # mkdocs-gen-files runs it as "<run_path>"
    main()
