"""Products: ProductsResource (``client.products``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class ProductsResource(Resource):
    """Products.

    Billecta's Products section.
    """
