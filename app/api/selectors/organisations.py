"""Organisations, the slugs every list filter refers to."""

from typing import TypedDict

from app.registry.models import Organisation


class OrganisationRow(TypedDict):
    slug: str
    name: str
    kind: str


def organisation_list() -> list[OrganisationRow]:
    return list(Organisation.objects.order_by("slug").values("slug", "name", "kind"))
