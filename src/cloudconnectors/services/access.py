"""Role checks shared by every write use case."""

from __future__ import annotations

from cloudconnectors.domain.errors import PermissionDenied
from cloudconnectors.services.context import Principal


def require_admin(principal: Principal) -> None:
    if not principal.can_write:
        raise PermissionDenied("this action needs the admin role; viewers can only read")
