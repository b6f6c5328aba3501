"""Types of the C extension ``_speedups.c`` (the codecs' fast path, and a GUID check)."""

from collections.abc import Callable, Sequence
from typing import Any

class Codec:
    """One model class's JSON decoder or encoder."""

    def __init__(self) -> None: ...
    def setup(
        self,
        cls: type,
        fallback: Callable[[Any], Any],
        encode: bool,
        fields: Sequence[tuple[Any, ...]],
    ) -> None: ...
    def __call__(self, value: Any, /) -> Any: ...

def configure(
    slow: type[Exception],
    seen: dict[str, Any],
    new: Callable[[str], Any],
    parse: Callable[[object], Any],
    timezones: Sequence[Any],
    /,
) -> None: ...
def configure_xml(element_type: type, /) -> None: ...
def xml_probe(
    element: Any, /
) -> tuple[bytes, list[tuple[int, bytes, bytes | None, int, int, int]]]: ...
def xml_has_doctype(element: Any, /) -> bool: ...
def is_guid(value: object, /) -> bool: ...
