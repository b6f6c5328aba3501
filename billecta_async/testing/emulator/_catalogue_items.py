"""Products, the products template, cost centers and projects: each creditor's registers.

Article numbers, cost center codes and project numbers are unique per creditor. The imports
(``create_many``) check every item before storing any: one refused, nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from billecta_async import models as m
from billecta_async.testing.emulator._http import (
    ApiError,
    Call,
    access_denied,
    bad_request,
    new_id,
)
from billecta_async.testing.emulator._routes import Routes

routes = Routes()


def _used_on_invoice(
    call: Call, creditor_public_id: str | None, field: str, value: str | None
) -> bool:
    """Whether a record of an invoice of any kind of the creditor (of any, for None) has
    ``value`` in ``field``."""
    records = call.state.invoice_records(creditor_public_id)
    return any(getattr(record, field, None) == value for record in records)


# -- products -------------------------------------------------------------------------------------


def _check_product(
    call: Call, product: m.Product, known: m.Product | None, batch: Sequence[m.Product] = ()
) -> str:
    """The product's creditor; 400 when Billecta refuses it. ``known``: the product it
    updates; ``batch``: the products imported with it (article numbers are unique)."""
    creditor_public_id = call.creditor(product.creditor_public_id)
    if not product.description and not product.article_number:
        raise bad_request("Product.Description or Product.ArticleNumber is required")
    if product.article_number:
        for other in [*call.state.products.values(), *batch]:
            if other is product or (
                known is not None and other.product_public_id == known.product_public_id
            ):
                continue
            if (
                other.article_number == product.article_number
                and (other.creditor_public_id or "").lower() == creditor_public_id
            ):
                raise bad_request(
                    f"A product with article number '{product.article_number}' exists"
                )
    return creditor_public_id


def _store_new_product(call: Call, product: m.Product) -> str:
    product.creditor_public_id = call.creditor(product.creditor_public_id)
    product.product_public_id = new_id()
    if product.is_active is None:
        product.is_active = True
    call.state.products[product.product_public_id] = product
    call.state.emit("ProductCreated", product.creditor_public_id, product)
    return product.product_public_id


def _store_product_update(call: Call, product: m.Product, known: m.Product) -> str:
    product.product_public_id = known.product_public_id
    product.creditor_public_id = call.creditor(product.creditor_public_id)
    call.state.products[known.product_public_id or ""] = product
    call.state.emit("ProductUpdated", product.creditor_public_id, product)
    return product.product_public_id or ""


@routes("POST", "/v1/products/product")
async def create_product(call: Call) -> m.Created:
    product: m.Product = call.require_body()
    _check_product(call, product, None)
    return m.Created(public_id=_store_new_product(call, product))


@routes("POST", "/v1/products/products")
async def create_products(call: Call) -> m.Created:
    """Import: a product with ``ProductPublicId`` updates that product, one without is created.
    Every product is checked before any is stored: one refused, none is kept."""
    products: list[m.Product] = call.require_body()
    known = [
        call.owned(call.state.products, p.product_public_id, "product")
        if p.product_public_id
        else None
        for p in products
    ]
    for product, updated in zip(products, known, strict=True):
        _check_product(call, product, updated, products)
    ids = [
        _store_product_update(call, product, updated)
        if updated is not None
        else _store_new_product(call, product)
        for product, updated in zip(products, known, strict=True)
    ]
    if not ids:
        raise bad_request("Nothing to import: the list of products is empty")
    return m.Created(public_id=ids[-1])


@routes("GET", "/v1/products/product/{id}")
async def get_product(call: Call) -> m.Product:
    return call.owned(call.state.products, call.path(), "product")


@routes("PUT", "/v1/products/product")
async def update_product(call: Call) -> None:
    product: m.Product = call.require_body()
    known = call.owned(call.state.products, product.product_public_id, "product")
    _check_product(call, product, known)
    _store_product_update(call, product, known)


@routes("DELETE", "/v1/products/product/{id}")
async def delete_product(call: Call) -> None:
    product = call.owned(call.state.products, call.path(), "product")
    if _used_on_invoice(call, None, "product_public_id", product.product_public_id):
        raise bad_request("The product is used on an invoice and cannot be deleted")
    del call.state.products[product.product_public_id or ""]


def _products_of(call: Call) -> list[m.Product]:
    creditor_public_id = call.creditor(call.path())
    return [p for p in call.state.products.values() if p.creditor_public_id == creditor_public_id]


@routes("GET", "/v1/products/products/{id}")
async def list_products(call: Call) -> list[m.Product]:
    return call.page(_products_of(call))


@routes("GET", "/v1/products/productbyarticlenumber/{id}")
async def get_product_by_article_number(call: Call) -> m.Product:
    number = call.require_query("articlenumber")
    for product in _products_of(call):
        if product.article_number == number:
            return product
    raise ApiError(404, f"No product with article number '{number}'")


@routes("GET", "/v1/products/productbyexternalid/{id}")
async def get_product_by_external_id(call: Call) -> list[m.Product]:
    external_id = call.require_query("externalid")
    return [p for p in _products_of(call) if p.product_external_id == external_id]


@routes("GET", "/v1/products/productsbyexternalid/{id}")
async def list_products_by_external_id(call: Call) -> list[m.Product]:
    external_id = call.require_query("productexternalid")
    return call.page([p for p in _products_of(call) if p.product_external_id == external_id])


@routes("GET", "/v1/products/productsbydescription/{id}")
async def list_products_by_description(call: Call) -> list[m.Product]:
    text = (call.query("description") or "").lower()
    found = [p for p in _products_of(call) if text in (p.description or "").lower()]
    skip = call.query_int("skip", 0) or 0
    take = call.query_int("take")
    return found[skip:] if take is None else found[skip : skip + take]


# -- cost centers and projects --------------------------------------------------------------------

# Both registers are keyed by (creditor, code): a cost center's Code, a project's ProjectNumber.
Registered = TypeVar("Registered", m.CostCenter, m.Project)


def _store_registered(
    call: Call,
    store: dict[tuple[str, str], Registered],
    item: Registered,
    code: str | None,
    what: str,
    required: str,
    *,
    new: bool | None,
) -> str:
    """Store ``item`` under its ``code``: ``new`` True creates, False updates, None does either."""
    key = _key_of(call, item, code, required)
    creditor_public_id = key[0]
    if new is True and key in store:
        raise bad_request(f"The {what} '{code}' exists")
    if new is False and key not in store:
        raise access_denied(what, code)
    item.creditor_public_id = creditor_public_id
    store[key] = item
    return key[1]


def _key_of(call: Call, item: Registered, code: str | None, required: str) -> tuple[str, str]:
    """(creditor, code) of a cost center or project to store; 401/400 when it is refused."""
    creditor_public_id = call.creditor(item.creditor_public_id)
    if not code:
        raise bad_request(f"{required} is required")
    return (creditor_public_id, code)


def _registered_key(
    call: Call, store: dict[tuple[str, str], Registered], code_query: str, what: str
) -> tuple[str, str]:
    """The key of the path creditor's entry named by the query parameter ``code_query``."""
    key = (call.creditor(call.path()), call.require_query(code_query))
    if key not in store:
        raise access_denied(what, key[1])
    return key


def _store_cost_center(call: Call, center: m.CostCenter, *, new: bool | None) -> str:
    code = center.code
    return _store_registered(
        call, call.state.cost_centers, center, code, "cost center", "CostCenter.Code", new=new
    )


@routes("POST", "/v1/costcenters/costcenter")
async def create_cost_center(call: Call) -> m.Created:
    return m.Created(public_id=_store_cost_center(call, call.require_body(), new=True))


@routes("POST", "/v1/costcenters/costcenters")
async def create_cost_centers(call: Call) -> m.Created:
    """Import: matched on the code, an existing cost center is updated, a new one created.
    Every one is checked before any is stored: one refused, none is kept."""
    centers: list[m.CostCenter] = call.require_body()
    for center in centers:
        _key_of(call, center, center.code, "CostCenter.Code")
    codes = [_store_cost_center(call, center, new=None) for center in centers]
    if not codes:
        raise bad_request("Nothing to import: the list of cost centers is empty")
    return m.Created(public_id=codes[-1])


@routes("PUT", "/v1/costcenters/costcenter")
async def update_cost_center(call: Call) -> None:
    _store_cost_center(call, call.require_body(), new=False)


def _cost_center(call: Call) -> tuple[str, str]:
    return _registered_key(call, call.state.cost_centers, "code", "cost center")


@routes("GET", "/v1/costcenters/costcenter/{id}")
async def get_cost_center(call: Call) -> m.CostCenter:
    return call.state.cost_centers[_cost_center(call)]


@routes("DELETE", "/v1/costcenters/costcenter/{id}")
async def delete_cost_center(call: Call) -> None:
    key = _cost_center(call)
    if _used_on_invoice(call, key[0], "cost_center", key[1]):
        raise bad_request(f"The cost center '{key[1]}' is used on an invoice and cannot be deleted")
    del call.state.cost_centers[key]


@routes("GET", "/v1/costcenters/costcenters/{id}")
async def list_cost_centers(call: Call) -> list[m.CostCenter]:
    creditor_public_id = call.creditor(call.path())
    return [c for (k, _), c in call.state.cost_centers.items() if k == creditor_public_id]


def _store_project(call: Call, project: m.Project, *, new: bool | None) -> str:
    number = project.project_number
    return _store_registered(
        call, call.state.projects, project, number, "project", "Project.ProjectNumber", new=new
    )


@routes("POST", "/v1/projects/project")
async def create_project(call: Call) -> m.Created:
    return m.Created(public_id=_store_project(call, call.require_body(), new=True))


@routes("POST", "/v1/projects/projects")
async def create_projects(call: Call) -> m.Created:
    """Import: matched on the project number, an existing project is updated, a new created.
    Every one is checked before any is stored: one refused, none is kept."""
    projects: list[m.Project] = call.require_body()
    for project in projects:
        _key_of(call, project, project.project_number, "Project.ProjectNumber")
    numbers = [_store_project(call, project, new=None) for project in projects]
    if not numbers:
        raise bad_request("Nothing to import: the list of projects is empty")
    return m.Created(public_id=numbers[-1])


@routes("PUT", "/v1/projects/project")
async def update_project(call: Call) -> None:
    _store_project(call, call.require_body(), new=False)


def _project(call: Call) -> tuple[str, str]:
    return _registered_key(call, call.state.projects, "projectnumber", "project")


@routes("GET", "/v1/projects/project/{id}")
async def get_project(call: Call) -> m.Project:
    return call.state.projects[_project(call)]


@routes("DELETE", "/v1/projects/project/{id}")
async def delete_project(call: Call) -> None:
    key = _project(call)
    if _used_on_invoice(call, key[0], "project", key[1]):
        raise bad_request(f"The project '{key[1]}' is used on an invoice and cannot be deleted")
    del call.state.projects[key]


@routes("GET", "/v1/projects/projects/{id}")
async def list_projects(call: Call) -> list[m.Project]:
    creditor_public_id = call.creditor(call.path())
    return [p for (k, _), p in call.state.projects.items() if k == creditor_public_id]


# -- the products template ------------------------------------------------------------------------


@routes("GET", "/v1/products/productstemplate/{id}")
async def get_products_template(call: Call) -> m.ProductsTemplate:
    creditor_public_id = call.creditor(call.path())
    known = call.state.products_templates.get(creditor_public_id)
    return known or m.ProductsTemplate(creditor_public_id=creditor_public_id)


@routes("PUT", "/v1/products/productstemplate")
async def update_products_template(call: Call) -> None:
    template: m.ProductsTemplate = call.require_body()
    template.creditor_public_id = call.creditor(template.creditor_public_id)
    call.state.products_templates[template.creditor_public_id] = template
