"""One resource class per section of Billecta's API reference."""

from billecta_async.resources.accounting import AccountingResource
from billecta_async.resources.accounting_dimensions import AccountingDimensionsResource
from billecta_async.resources.addons import AddonsResource
from billecta_async.resources.authentication import AuthenticationResource, BankIdResource
from billecta_async.resources.bank import BankResource
from billecta_async.resources.common import CommonResource
from billecta_async.resources.contract_invoices import ContractInvoicesResource
from billecta_async.resources.cost_centers import CostCentersResource
from billecta_async.resources.creditors import CreditorsResource
from billecta_async.resources.debt_collection import DebtCollectionResource
from billecta_async.resources.debtors import DebtorsResource
from billecta_async.resources.delivery import DeliveryResource
from billecta_async.resources.files import FilesResource
from billecta_async.resources.invoices import InvoicesResource
from billecta_async.resources.notifications import NotificationsResource
from billecta_async.resources.payments import PaymentsResource
from billecta_async.resources.products import ProductsResource
from billecta_async.resources.projects import ProjectsResource
from billecta_async.resources.reconciliation_invoices import ReconciliationInvoicesResource
from billecta_async.resources.search import SearchResource
from billecta_async.resources.self_invoices import SelfInvoicesResource
from billecta_async.resources.users import UsersResource

__all__ = [
    "AccountingDimensionsResource",
    "AccountingResource",
    "AddonsResource",
    "AuthenticationResource",
    "BankIdResource",
    "BankResource",
    "CommonResource",
    "ContractInvoicesResource",
    "CostCentersResource",
    "CreditorsResource",
    "DebtCollectionResource",
    "DebtorsResource",
    "DeliveryResource",
    "FilesResource",
    "InvoicesResource",
    "NotificationsResource",
    "PaymentsResource",
    "ProductsResource",
    "ProjectsResource",
    "ReconciliationInvoicesResource",
    "SearchResource",
    "SelfInvoicesResource",
    "UsersResource",
]
