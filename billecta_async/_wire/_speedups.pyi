"""Types of the C extension ``_speedups.c`` (the codecs' fast path, a GUID check and the
call preparer)."""

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

class CallPreparer:
    """One transport's preparer of calls without request options."""

    def __init__(
        self,
        call_class: type,
        base_url: str,
        url_class: type,
        headers: dict[str, str],
        body_headers: dict[str, str],
        timeout: Any,
        max_retries: int,
        encode: Callable[[Any, Any], bytes],
        new_id: Callable[[], str],
        quote: Callable[[str], str],
        /,
    ) -> None: ...
    def __call__(self, plan: tuple[Any, ...], values: tuple[Any, ...], /) -> Any: ...
