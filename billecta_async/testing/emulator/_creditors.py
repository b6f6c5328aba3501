"""Creditors (the companies a user acts for) and the domain's users."""

from __future__ import annotations

from typing import Any

from billecta_async import models as m
from billecta_async.testing.emulator._http import Call, access_denied, bad_request, new_id, now
from billecta_async.testing.emulator._routes import Routes

routes = Routes()


@routes("POST", "/v1/creditors/creditor")
async def create_creditor(call: Call) -> m.Created:
    creditor: m.Creditor = call.require_body()
    if not creditor.name:
        raise bad_request("Creditor.Name is required")
    creditor.creditor_public_id = new_id()
    call.state.creditors[creditor.creditor_public_id] = creditor
    call.account.creditor_ids.add(creditor.creditor_public_id)
    call.state.emit("CreditorCreated", creditor.creditor_public_id, creditor)
    return m.Created(public_id=creditor.creditor_public_id)


@routes("GET", "/v1/creditors/creditor/{id}")
async def get_creditor(call: Call) -> m.Creditor:
    return call.state.creditors[call.creditor(call.path())]


@routes("PUT", "/v1/creditors/creditor")
async def update_creditor(call: Call) -> None:
    creditor: m.Creditor = call.require_body()
    creditor_public_id = call.creditor(creditor.creditor_public_id)
    if not creditor.name:
        raise bad_request("Creditor.Name is required")
    creditor.creditor_public_id = creditor_public_id
    call.state.creditors[creditor_public_id] = creditor
    call.state.emit("CreditorUpdated", creditor_public_id, creditor)


@routes("DELETE", "/v1/creditors/creditor/{id}")
async def delete_creditor(call: Call) -> None:
    creditor_public_id = call.creditor(call.path())
    # "A creditor can't be deleted if an invoice, debtor, product, etc has been created on it."
    state = call.state
    stores: list[Any] = [
        state.invoices.values(),
        state.debtors.values(),
        state.products.values(),
        state.cost_centers.values(),
        state.projects.values(),
        state.reconciliation_invoices.values(),
        state.self_invoices.values(),
        state.contract_invoices.values(),
        state.debt_collections.values(),
    ]
    if any(o.creditor_public_id == creditor_public_id for store in stores for o in store):
        raise bad_request("A creditor with invoices, debtors, products, etc. cannot be deleted")
    del call.state.creditors[creditor_public_id]
    call.account.creditor_ids.discard(creditor_public_id)
    call.state.emit("CreditorDeleted", creditor_public_id, creditor_public_id)


@routes("GET", "/v1/creditors/creditors")
async def list_creditors(call: Call) -> list[m.Creditor]:
    owned = [c for k, c in call.state.creditors.items() if k in call.account.creditor_ids]
    return call.page(owned)


def _user(call: Call, user_public_id: str | None) -> m.User:
    user = call.state.users.get((user_public_id or "").lower())
    if user is None:
        raise access_denied("user", user_public_id)
    return user


@routes("POST", "/v1/users/user")
async def create_user(call: Call) -> m.Created:
    user: m.User = call.require_body()
    if not user.username:
        raise bad_request("User.Username is required")
    if any(u.username == user.username for u in call.state.users.values()):
        raise bad_request(f"The username '{user.username}' is already taken")
    user.user_public_id = new_id()
    user.created = now()
    user.password = None  # never stored in the clear, never answered
    call.state.users[user.user_public_id] = user
    return m.Created(public_id=user.user_public_id)


@routes("GET", "/v1/users/user/{id}")
async def get_user(call: Call) -> m.User:
    return _user(call, call.path())


@routes("PUT", "/v1/users/user")
async def update_user(call: Call) -> None:
    user: m.User = call.require_body()
    known = _user(call, user.user_public_id)
    user.user_public_id = known.user_public_id
    user.password = None
    user.created = known.created
    call.state.users[known.user_public_id or ""] = user


@routes("DELETE", "/v1/users/user/{id}")
async def delete_user(call: Call) -> None:
    user = _user(call, call.path())
    if user.user_public_id == call.account.user.user_public_id:
        raise bad_request("A user cannot delete itself")
    del call.state.users[user.user_public_id or ""]


@routes("GET", "/v1/users/users")
async def list_users(call: Call) -> list[Any]:
    return list(call.state.users.values())
