"""Creditors (the companies a user acts for), their settings and shares; the domain's users,
their SecureTokens, passwords and invoice subscriptions.

* A SecureToken is valid until a new one is created (one per user) or it is deleted; deleted,
  only Basic auth signs the user in.
* Sharing a creditor with a user of the emulator gives that user access to it (``list_shared``
  shows it to them) until it is unshared.
* The KYC form reads Pending once sent (Billecta reviews it; the emulator never does).
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from billecta_async import models as m
from billecta_async.testing.emulator._common import DEBT_COLLECTION_MESSAGES
from billecta_async.testing.emulator._http import Call, access_denied, bad_request, new_id, now
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import Account, copy_fields

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


def _check_username(call: Call, user: m.User, known: m.User | None = None) -> None:
    """400 unless ``user`` has a username no other user has (``known``: the one updated)."""
    if not user.username:
        raise bad_request("User.Username is required")
    for other in call.state.users.values():
        if other is not known and other.username == user.username:
            raise bad_request(f"The username '{user.username}' is already taken")


@routes("POST", "/v1/users/user")
async def create_user(call: Call) -> m.Created:
    user: m.User = call.require_body()
    _check_username(call, user)
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
    _check_username(call, user, known)
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
    # Its SecureToken and password sign in no more.
    call.state.accounts = [
        a for a in call.state.accounts if a.user.user_public_id != user.user_public_id
    ]


@routes("GET", "/v1/users/users")
async def list_users(call: Call) -> list[Any]:
    return list(call.state.users.values())


@routes("GET", "/v1/creditors/creditorsubs")
async def list_creditor_subs(call: Call) -> list[m.CreditorSub]:
    return [
        copy_fields(m.CreditorSub, c)
        for k, c in call.state.creditors.items()
        if k in call.account.creditor_ids
    ]


@routes("PUT", "/v1/users/changepassword")
async def change_password(call: Call) -> None:
    """The signed-in user's own password (Basic auth uses the new one at once)."""
    password: m.Password = call.require_body()
    if not password.password or len(password.password) < 8:
        raise bad_request("Password.Password must have at least 8 characters")
    call.account.password = password.password
    call.account.user.password_expired = False


# -- SecureTokens ---------------------------------------------------------------------------------


def _new_token() -> str:
    return base64.b64encode(secrets.token_bytes(24)).decode("ascii")


@routes("GET", "/v1/authentication/securetoken")
async def get_secure_token(call: Call) -> m.SecureTokenView:
    """The signed-in user's SecureToken (no value once it is deleted); it does not expire."""
    return m.SecureTokenView(value=call.account.secure_token)


@routes("POST", "/v1/authentication/securetoken/{id}")
async def create_secure_token(call: Call) -> m.SecureTokenView:
    """A new SecureToken for the user (the signed-in one without an id); the old one stops
    working at once, since one user has one token."""
    wanted = call.path().strip().lower()
    account = call.account
    if wanted and wanted != (account.user.user_public_id or "").lower():
        user = _user(call, wanted)
        account = next(
            (a for a in call.state.accounts if a.user.user_public_id == user.user_public_id),
            None,
        ) or Account(
            user,
            user.username or "",
            secrets.token_urlsafe(24),  # no Basic sign-in: the API never learns a password
            None,
            set(call.account.creditor_ids),  # a user of the domain sees its creditors
        )
        if account not in call.state.accounts:
            call.state.accounts.append(account)
    account.secure_token = _new_token()
    return m.SecureTokenView(value=account.secure_token)


@routes("DELETE", "/v1/authentication/apiauthenticate")
async def delete_secure_token(call: Call) -> None:
    """Only Basic auth signs the user in until a new SecureToken is created."""
    call.account.secure_token = None


# -- invoice subscriptions ------------------------------------------------------------------------


def _subscription(call: Call) -> tuple[str, str]:
    user = _user(call, call.require_query("userpublicid"))
    action_public_id = call.require_query("actionpublicid")
    action = call.owned(call.state.invoices, action_public_id, "invoice")
    return (user.user_public_id or "", action.action_public_id or "")


@routes("POST", "/v1/notifications/invoicesubscription")
async def subscribe_to_invoice(call: Call) -> None:
    call.state.subscriptions.add(_subscription(call))


@routes("DELETE", "/v1/notifications/invoicesubscription")
async def unsubscribe_from_invoice(call: Call) -> None:
    call.state.subscriptions.discard(_subscription(call))


@routes("GET", "/v1/notifications/invoicesubscription")
async def list_invoice_subscriptions(call: Call) -> list[m.UserSubscribedInvoice]:
    user = _user(call, call.require_query("userpublicid"))
    visible = {
        key
        for key, invoice in call.state.invoices.items()
        if invoice.creditor_public_id in call.account.creditor_ids
    }
    return [
        m.UserSubscribedInvoice(user_public_id=u, action_public_id=a)
        for u, a in sorted(call.state.subscriptions)
        if u == user.user_public_id and a in visible
    ]


# -- creditor settings: default configuration, KYC, text templates, sign-in tokens ----------------


@routes("GET", "/v1/creditors/defaultactionconfig/{id}")
async def get_default_action_config(call: Call) -> m.DefaultActionConfig:
    creditor_public_id = call.creditor(call.path())
    known = call.state.default_action_configs.get(creditor_public_id)
    return known or m.DefaultActionConfig(
        creditor_public_id=creditor_public_id,
        delivery_method=m.DeliveryMethodType.EMAIL,
        communication_language=m.LanguageType.SV,
        currency_code="SEK",
        invoice_payment_terms_in_days=30,
        payment_terms_in_days=30,
        debt_collection_payment_terms_in_days=10,
    )


@routes("PUT", "/v1/creditors/defaultactionconfig")
async def update_default_action_config(call: Call) -> None:
    config: m.DefaultActionConfig = call.require_body()
    config.creditor_public_id = call.creditor(config.creditor_public_id)
    if config.debt_collection_message_public_id and not any(
        message.public_id == config.debt_collection_message_public_id
        for message in DEBT_COLLECTION_MESSAGES
    ):
        raise bad_request(
            "DefaultActionConfig.DebtCollectionMessagePublicId is not a debt collection message"
        )
    call.state.default_action_configs[config.creditor_public_id] = config


@routes("GET", "/v1/creditors/kyc/{id}")
async def get_kyc(call: Call) -> m.CreditorKyc:
    creditor_public_id = call.creditor(call.path())
    known = call.state.kyc.get(creditor_public_id)
    return known or m.CreditorKyc(
        creditor_public_id=creditor_public_id, state=m.CreditorKycStateType.UNKNOWN
    )


@routes("PUT", "/v1/creditors/kyc")
async def update_kyc(call: Call) -> None:
    """The form goes to Billecta's review: it reads Pending until then (the emulator never
    reviews it)."""
    kyc: m.CreditorKyc = call.require_body()
    kyc.creditor_public_id = call.creditor(kyc.creditor_public_id)
    if kyc.creditor_kyc_form is None:
        raise bad_request("CreditorKyc.CreditorKycForm is required")
    if kyc.mobile_bank_id_token_used_for_sign:
        flow = call.state.flows.get(kyc.mobile_bank_id_token_used_for_sign.lower())
        if flow is None or flow.kind != "bankid-sign":
            raise access_denied("BankID reference", kyc.mobile_bank_id_token_used_for_sign)
        kyc.signed_by_ssn = kyc.signed_by_ssn or flow.subject or None
    kyc.state = m.CreditorKycStateType.PENDING
    kyc.signed_date = kyc.signed_date or now()
    call.state.kyc[kyc.creditor_public_id] = kyc
    call.state.emit("CreditorKYCUpdated", kyc.creditor_public_id, kyc)


@routes("GET", "/v1/creditors/creditortexttemplate/{id}")
async def list_text_templates(call: Call) -> list[m.InvoiceTextTemplate]:
    """Text templates are saved in the Portal (the emulator's ``add_text_template``)."""
    creditor_public_id = call.creditor(call.path())
    return [
        t for t in call.state.text_templates.values() if t.creditor_public_id == creditor_public_id
    ]


@routes("DELETE", "/v1/creditors/creditortexttemplate")
async def delete_text_template(call: Call) -> None:
    creditor_public_id = call.creditor(call.require_query("creditorpublicid"))
    template = call.owned(
        call.state.text_templates,
        call.require_query("invoicetexttemplatepublicid"),
        "invoice text template",
    )
    if template.creditor_public_id != creditor_public_id:
        raise access_denied("invoice text template", template.invoice_text_template_public_id)
    del call.state.text_templates[template.invoice_text_template_public_id or ""]


@routes("GET", "/v1/creditors/creditortoken/{id}")
async def create_sign_in_token(call: Call) -> m.CreditorToken:
    """A one-minute sign-in key for the Billecta app (the emulator has no app to sign in to)."""
    creditor_public_id = call.creditor(call.path())
    username = call.query("username")
    if username and not any(u.username == username for u in call.state.users.values()):
        raise bad_request(f"No user '{username}' to sign in as")
    token = new_id()
    return m.CreditorToken(
        token=token,
        portal_url=f"{call.request.url.origin()}/emulator/signin/{creditor_public_id}/{token}",
    )


# -- shares ---------------------------------------------------------------------------------------


def _share_target(call: Call, share: m.CreditorShare) -> Account | None:
    """The account of the user the share is given to (None: a user of another domain)."""
    if not share.shared_with_user_name:
        raise bad_request("CreditorShare.SharedWithUserName is required")
    return next((a for a in call.state.accounts if a.username == share.shared_with_user_name), None)


@routes("POST", "/v1/creditors/shares")
async def share_creditor(call: Call) -> None:
    """Grants another Billecta user access to the creditor with the rights given."""
    share: m.CreditorShare = call.require_body()
    share.creditor_public_id = call.creditor(share.creditor_public_id)
    target = _share_target(call, share)
    if target is not None and share.creditor_public_id in target.creditor_ids:
        raise bad_request(f"'{share.shared_with_user_name}' already has the creditor")
    if any(
        s.creditor_public_id == share.creditor_public_id
        and s.shared_with_user_name == share.shared_with_user_name
        for s in call.state.shares.values()
    ):
        raise bad_request(f"The creditor is already shared with '{share.shared_with_user_name}'")
    share.share_public_id = new_id()
    call.state.shares[share.share_public_id] = share
    if target is not None:
        target.creditor_ids.add(share.creditor_public_id)
    call.state.emit(
        "CreditorShared",
        share.creditor_public_id,
        m.WebhookCreditorShare(
            shared_by_user_name=call.account.username,
            creditor_public_id=share.creditor_public_id,
            target=m.CreditorShareTargetType.CONTRIBUTOR,
            can_attest_invoice=bool(share.can_attest_invoice),
            can_manage_invoice_payments=bool(share.can_manage_invoice_payments),
            can_write_creditor=bool(share.can_write_creditor),
            can_attest_supplier_invoice=bool(share.can_attest_supplier_invoice),
            can_pay_supplier_invoice=bool(share.can_pay_supplier_invoice),
        ),
    )


def _share(call: Call, share_public_id: str | None) -> m.CreditorShare:
    share = call.state.shares.get((share_public_id or "").strip().lower())
    if share is None or share.creditor_public_id not in call.account.creditor_ids:
        raise access_denied("creditor share", share_public_id)
    return share


@routes("PUT", "/v1/creditors/shares")
async def update_share(call: Call) -> None:
    """New rights on an existing share (its creditor and user stay)."""
    update: m.CreditorShare = call.require_body()
    known = _share(call, update.share_public_id)
    update.share_public_id = known.share_public_id
    update.creditor_public_id = known.creditor_public_id
    update.shared_with_user_name = known.shared_with_user_name
    call.state.shares[known.share_public_id or ""] = update


@routes("DELETE", "/v1/creditors/shares/{id}")
async def unshare_creditor(call: Call) -> None:
    share = _share(call, call.path())
    del call.state.shares[share.share_public_id or ""]
    target = _share_target(call, share)
    if target is not None and target is not call.account:
        target.creditor_ids.discard(share.creditor_public_id or "")
    call.state.emit("CreditorUnshared", share.creditor_public_id, None)


@routes("GET", "/v1/creditors/shares/{id}")
async def list_shares(call: Call) -> list[m.CreditorShare]:
    """The users the creditor is shared with."""
    creditor_public_id = call.creditor(call.path())
    return [s for s in call.state.shares.values() if s.creditor_public_id == creditor_public_id]


@routes("GET", "/v1/creditors/shares")
async def list_shared(call: Call) -> list[m.CreditorShare]:
    """The creditors shared with the signed-in user."""
    return [
        s for s in call.state.shares.values() if s.shared_with_user_name == call.account.username
    ]
