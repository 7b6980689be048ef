"""Make tenants, users and tokens the way an operator would (through the service)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.users import create_user, principal_for_token

_counter = itertools.count()


@dataclass(frozen=True)
class Person:
    email: str
    tenant: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_person(ctx: AppContext, tenant: str = "acme", role: str = "admin",
                password: str | None = None) -> Person:
    email = f"user{next(_counter)}@{tenant.lower().replace(' ', '-')}.example"
    created = create_user(ctx, email, tenant=tenant, role=role, password=password)
    return Person(email, tenant, role, created.token)


def principal_of(ctx: AppContext, person: Person):  # type: ignore[no-untyped-def]
    principal = principal_for_token(ctx, person.token)
    assert principal is not None
    return principal
