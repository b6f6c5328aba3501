"""A griffe extension: the reST markup of the SDK's docstrings, read as Markdown.

The docstrings are written for Python's ``help()`` and Sphinx-style tools: cross-references
are roles (``:class:`~billecta_async.ScaledClock```, ``:meth:`attest```) and a code example is
introduced by ``::``. mkdocstrings reads docstrings as Markdown, where a role would show as
text. This turns each role into a cross-reference to the object it names (resolved like Sphinx: a
dotted path, or a name in the enclosing class or module), which links wherever the site
documents that object and shows as code elsewhere (a private helper), or into plain code when
it names nothing the package has; and ``text::`` into ``text:``. The docstrings stay as
they are; only what the site shows changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:class|meth|func|mod|data|attr|exc|obj|const):`(~?)([^`]+)`")
LITERAL_INTRO = re.compile(r"(?m)(\S)::$")  # "text::" ends a line: a code block follows
ALONE = re.compile(r"(?m)^(\s*)::\s*$")  # a line holding only "::"


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _objects(member)  # type: ignore[arg-type]


def _resolve(obj: griffe.Object, target: str, collection: Any) -> str | None:
    """The canonical path of what ``target`` names, seen from ``obj``, or None."""
    target = target.removesuffix("()")
    candidates = []
    if "." in target and target.split(".", 1)[0] in collection.members:
        candidates.append(target)
    scope: griffe.Object | None = obj
    while scope is not None:
        candidates.append(f"{scope.path}.{target}")
        scope = scope.parent
    for path in candidates:
        try:
            found = collection[path]
            return str(found.canonical_path)
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
    return None


def convert(obj: griffe.Object, text: str, collection: Any) -> str:
    """``text`` (a docstring of ``obj``) with its reST roles and ``::`` made Markdown."""

    def role(match: re.Match[str]) -> str:
        short, target = match.group(1), match.group(2).strip()
        shown = target.rsplit(".", 1)[-1] if short else target
        path = _resolve(obj, target, collection)
        if path is None:
            return f"`{shown}`"
        # Optional: a link where the site documents the object, else the name as code.
        return f'<autoref identifier="{path}" optional><code>{shown}</code></autoref>'

    text = ROLE.sub(role, text)
    text = ALONE.sub("", text)
    return LITERAL_INTRO.sub(r"\1:", text)


class RestRoles(griffe.Extension):
    """Converts every docstring of a loaded package once the package is complete."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **_: Any) -> None:
        for obj in _objects(pkg):
            if obj.docstring is not None:
                obj.docstring.value = convert(obj, obj.docstring.value, loader.modules_collection)
