"""The hand-written checks of the few endpoint methods whose arguments depend on each other or
carry bounds that the documented types do not say.

Each check runs after every argument has been converted (so the types are right), before
anything is sent, and raises :class:`~billecta_async.ParameterError` naming the argument. The
overrides mark these methods with ``"check": true``; :data:`CHECKS` holds them by
``(client attribute, method)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from billecta_async._exceptions import ParameterError

__all__ = ["CHECKS", "Check"]

Check = Callable[[Mapping[str, Any]], None]
"""A check: the method's arguments by name -> ``None``, or a ParameterError."""

_FILTER_ONLY = ("exclude_inactive", "category_public_id", "delivery_method")


def _debtors_list(args: Mapping[str, Any]) -> None:
    """The filters documented only in the form of the listing that takes ``filter``."""
    if args["filter"] is None:
        for name in _FILTER_ONLY:
            if args[name] is not None:
                raise ParameterError(
                    name, args[name], "documented only together with filter; pass filter as well"
                )


def _one_postponement(args: Mapping[str, Any]) -> None:
    """A postponement by ``days`` or to ``to_date`` (two documented forms): exactly one."""
    days, to_date = args["days"], args["to_date"]
    if (days is None) == (to_date is None):
        raise ParameterError(
            "days/to_date", (days, to_date), "expected exactly one of days or to_date"
        )


def _invoices_postpone(args: Mapping[str, Any]) -> None:
    _one_postponement(args)
    if args["days"] is not None and args["days"] < 1:
        raise ParameterError("days", args["days"], "expected at least 1 (postpone only forward)")


def _swish_message(args: Mapping[str, Any]) -> None:
    message = args["message"]
    if message is not None and len(message) > 50:
        raise ParameterError("message", message, "expected at most 50 letters")


def _products_take(args: Mapping[str, Any]) -> None:
    take = args["take"]
    if take is None or not 0 <= take <= 100:
        raise ParameterError("take", take, "expected 0 to 100 (Billecta's maximum)")


CHECKS: dict[tuple[str, str], Check] = {
    ("debtors", "list"): _debtors_list,
    ("invoices", "postpone"): _invoices_postpone,
    ("debt_collection", "postpone"): _one_postponement,
    ("payments", "create_swish_payment"): _swish_message,
    ("products", "list_by_description"): _products_take,
}
