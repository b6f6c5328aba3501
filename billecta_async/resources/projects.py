"""Projects: ProjectsResource (``client.projects``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class ProjectsResource(Resource):
    """Projects.

    Projects are mainly a bookkeeping feature and enabled you to in the bookkeeping mark
    invoices to certain project groups. The feature can also be used to group invoice rows for
    later searches. The information is not show on the invoices towards the customers.
    """
