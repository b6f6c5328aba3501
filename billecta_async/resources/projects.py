"""Projects: ProjectsResource (``client.projects``)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class ProjectsResource(Resource):
    """Projects.

    Projects are mainly a bookkeeping feature and enabled you to in the bookkeeping mark
    invoices to certain project groups. The feature can also be used to group invoice rows for
    later searches. The information is not show on the invoices towards the customers.

    A project is identified by the creditor and its project number.
    """

    @endpoint(
        "GET",
        "/v1/projects/project/{id}",
        params={"id": "creditor_public_id", "projectnumber": "project_number"},
        response="Project",
    )
    async def get(
        self, creditor_public_id: p.Guid, project_number: str, **options: Unpack[RequestOptions]
    ) -> m.Project:
        """Get a project: the creditor's project with this project number.

        The reference documents no response model for this endpoint; it answers with the
        project (a ``Project``), which is what this method returns.
        """
        return await self._request(
            "GET",
            "/v1/projects/project/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("projectnumber", p.ident(project_number, "project_number"))],
            response=m.Project,
            options=options,
        )

    @endpoint("PUT", "/v1/projects/project", body="project")
    async def update(self, project: m.Project, **options: Unpack[RequestOptions]) -> None:
        """Update a project (named by its ``CreditorPublicId`` and ``ProjectNumber``)."""
        await self._request("PUT", "/v1/projects/project", body=project, options=options)

    @endpoint("POST", "/v1/projects/project", body="project")
    async def create(self, project: m.Project, **options: Unpack[RequestOptions]) -> m.Created:
        """Create a project.

        ``CreditorPublicId`` is required: it says under which creditor the project is created,
        since creditors do not share data. Returns the id Billecta gives the new project.
        """
        return await self._request(
            "POST", "/v1/projects/project", body=project, response=m.Created, options=options
        )

    @endpoint(
        "DELETE",
        "/v1/projects/project/{id}",
        params={"id": "creditor_public_id", "projectnumber": "project_number"},
    )
    async def delete(
        self, creditor_public_id: p.Guid, project_number: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete a project.

        Deletes the creditor's project with this project number. A project used on an invoice
        (of any kind) cannot be deleted.
        """
        await self._request(
            "DELETE",
            "/v1/projects/project/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("projectnumber", p.ident(project_number, "project_number"))],
            options=options,
        )

    @endpoint("GET", "/v1/projects/projects/{id}", params={"id": "creditor_public_id"})
    async def list(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.Project]:
        """Get all projects of the creditor."""
        return await self._request(
            "GET",
            "/v1/projects/projects/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.Projects,
            options=options,
        )

    @endpoint("POST", "/v1/projects/projects", body="projects")
    async def create_many(
        self, projects: Sequence[m.Project], **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Create multiple projects.

        Imports the projects: each one is matched on its ``ProjectNumber`` and updates the
        existing project with that number, or is created when there is none.
        """
        return await self._request(
            "POST",
            "/v1/projects/projects",
            body=list(projects),
            body_model=m.Projects,
            response=m.Created,
            options=options,
        )
