"""Products: ProductsResource (``client.products``)."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._pagination import DEFAULT_PAGE_SIZE, check_repeatable, paginate
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class ProductsResource(Resource):
    """Products: the articles and services that go onto invoice records.

    Each creditor has its own products. A product's values are a template for new invoice
    records, except its bookkeeping accounts.
    """

    @endpoint("GET", "/v1/products/product/{id}", params={"id": "product_public_id"})
    async def get(self, product_public_id: p.Guid, **options: Unpack[RequestOptions]) -> m.Product:
        """Get a product.

        Returns the product. Its values are only a template for invoice records (except the
        bookkeeping accounts): changing a product does not change existing invoices.
        """
        return await self._request(
            "GET",
            "/v1/products/product/{id}",
            path_params={"id": p.guid(product_public_id, "product_public_id")},
            response=m.Product,
            options=options,
        )

    @endpoint("PUT", "/v1/products/product", body="product")
    async def update(self, product: m.Product, **options: Unpack[RequestOptions]) -> None:
        """Update a product.

        ``ProductPublicId`` must be set: it identifies the product to update.
        ``CreditorPublicId`` says which creditor the product belongs to.
        """
        await self._request("PUT", "/v1/products/product", body=product, options=options)

    @endpoint("POST", "/v1/products/product", body="product")
    async def create(self, product: m.Product, **options: Unpack[RequestOptions]) -> m.Created:
        """Create a product.

        Billecta generates the ``ProductPublicId`` (leave it unset); ``CreditorPublicId`` says
        which creditor the product belongs to. Returns the id of the new product.
        """
        return await self._request(
            "POST", "/v1/products/product", body=product, response=m.Created, options=options
        )

    @endpoint("DELETE", "/v1/products/product/{id}", params={"id": "product_public_id"})
    async def delete(self, product_public_id: p.Guid, **options: Unpack[RequestOptions]) -> None:
        """Delete a product. A product used on any invoice cannot be deleted (400)."""
        await self._request(
            "DELETE",
            "/v1/products/product/{id}",
            path_params={"id": p.guid(product_public_id, "product_public_id")},
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/products/productbyarticlenumber/{id}",
        params={"id": "creditor_public_id", "articlenumber": "article_number"},
        response="Product",
    )
    async def get_by_article_number(
        self, creditor_public_id: p.Guid, article_number: str, **options: Unpack[RequestOptions]
    ) -> m.Product:
        """Get a single product by its article number.

        The reference documents no response model for this endpoint; it answers with the
        product (a ``Product``), which is what this method returns.
        """
        return await self._request(
            "GET",
            "/v1/products/productbyarticlenumber/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("articlenumber", p.string(article_number, "article_number"))],
            response=m.Product,
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/products/productbyexternalid/{id}",
        params={"id": "creditor_public_id", "externalid": "external_id"},
        response="Products",
    )
    async def get_by_external_id(
        self, creditor_public_id: p.Guid, external_id: str, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.Product]:
        """Get one or more products by external id.

        The reference documents no response model for this endpoint; since it returns "one or
        more products", this method returns them as a list (``Products``).
        """
        return await self._request(
            "GET",
            "/v1/products/productbyexternalid/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("externalid", p.string(external_id, "external_id"))],
            response=m.Products,
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/products/products/{id}",
        params={
            "id": "creditor_public_id",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list(
        self,
        creditor_public_id: p.Guid,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.Product]:
        """Get all products for a creditor, a page at a time (``offset``, ``limit``)."""
        return await self._request(
            "GET",
            "/v1/products/products/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=p.paging(offset, limit, sorting_field, ascending),
            response=m.Products,
            options=options,
        )

    def iter_all(
        self,
        creditor_public_id: p.Guid,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.Product]:
        """All products for a creditor, across all pages.

        Iterates over the items :meth:`list` returns, asking for ``page_size`` at a time (offsets 0,
        ``page_size``, ...) and stopping after a short or empty page. Takes the same filters and
        sorting as :meth:`list`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list(
                creditor_public_id,
                offset=offset,
                limit=limit,
                sorting_field=sorting_field,
                ascending=ascending,
                **options,
            ),
            page_size=page_size,
        )

    @endpoint("POST", "/v1/products/products", body="products")
    async def create_many(
        self, products: Sequence[m.Product], **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Create or update multiple products.

        A product with ``ProductPublicId`` set updates that product; one without it is created
        (or, when its ``ArticleNumber`` matches an existing product, updates that one).
        """
        return await self._request(
            "POST",
            "/v1/products/products",
            body=list(products),
            body_model=m.Products,
            response=m.Created,
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/products/productsbydescription/{id}",
        params={
            "id": "creditor_public_id",
            "description": "description",
            "skip": "skip",
            "take": "take",
        },
    )
    async def list_by_description(
        self,
        creditor_public_id: p.Guid,
        description: str,
        *,
        skip: int,
        take: int,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.Product]:
        """Get all products by their product description.

        ``skip`` products are skipped and at most ``take`` (at most 100) are returned.
        """
        take_text = p.integer(take, "take")  # the type first: the bound compares numbers
        if take_text is None or not 0 <= take <= 100:
            raise p.ParameterError("take", take, "expected 0 to 100 (Billecta's maximum)")
        return await self._request(
            "GET",
            "/v1/products/productsbydescription/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("description", p.string(description, "description")),
                ("skip", p.integer(skip, "skip")),
                ("take", take_text),
            ],
            response=m.ArrayOfProduct,
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/products/productsbyexternalid/{id}",
        params={
            "id": "creditor_public_id",
            "productexternalid": "product_external_id",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list_by_external_id(
        self,
        creditor_public_id: p.Guid,
        product_external_id: str,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.Product]:
        """Get products by their external id, a page at a time.

        The external id is a field of the product for your own system's id.
        """
        return await self._request(
            "GET",
            "/v1/products/productsbyexternalid/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("productexternalid", p.string(product_external_id, "product_external_id")),
                *p.paging(offset, limit, sorting_field, ascending),
            ],
            response=m.Products,
            options=options,
        )

    def iter_by_external_id(
        self,
        creditor_public_id: p.Guid,
        product_external_id: str,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.Product]:
        """Products by their external id, across all pages.

        Iterates over the items :meth:`list_by_external_id` returns, asking for ``page_size`` at a
        time (offsets 0, ``page_size``, ...) and stopping after a short or empty page. Takes the
        same filters and sorting as :meth:`list_by_external_id`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list_by_external_id(
                creditor_public_id,
                product_external_id,
                offset=offset,
                limit=limit,
                sorting_field=sorting_field,
                ascending=ascending,
                **options,
            ),
            page_size=page_size,
        )

    @endpoint("GET", "/v1/products/productstemplate/{id}", params={"id": "creditor_public_id"})
    async def get_template(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.ProductsTemplate:
        """Get the creditor's product template."""
        return await self._request(
            "GET",
            "/v1/products/productstemplate/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.ProductsTemplate,
            options=options,
        )

    @endpoint("PUT", "/v1/products/productstemplate", body="template")
    async def update_template(
        self, template: m.ProductsTemplate, **options: Unpack[RequestOptions]
    ) -> None:
        """Create or update the creditor's product template."""
        await self._request("PUT", "/v1/products/productstemplate", body=template, options=options)
