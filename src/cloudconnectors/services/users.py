"""Tenants, users and API tokens; authentication of a bearer token or a password."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select

from cloudconnectors.domain.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from cloudconnectors.security.passwords import (
    hash_password,
    hash_token,
    new_api_token,
    verify_password,
)
from cloudconnectors.services.context import AppContext, Principal, Role
from cloudconnectors.storage.tables import ApiTokenRow, TenantRow, UserRow
from cloudconnectors.storage.tables.base import utcnow

EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}$")
PASSWORD_MIN_LENGTH = 8


@dataclass(frozen=True)
class CreatedUser:
    user_id: str
    tenant_id: str
    tenant_name: str
    email: str
    role: Role
    token: str  # shown once; only its hash is stored


def _validate(email: str, tenant: str, role: str, password: str | None) -> None:
    problems = []
    if not EMAIL_PATTERN.match(email) or not email.isprintable():
        problems.append(FieldProblem("email", "must be an e-mail address"))
    if not tenant.strip() or len(tenant) > 100 or not tenant.isprintable():
        problems.append(FieldProblem("tenant", "must be 1-100 printable characters"))
    if role not in {r.value for r in Role}:
        problems.append(FieldProblem("role", "must be admin or viewer"))
    if password is not None and "\x00" in password:
        problems.append(FieldProblem("password", "must not contain NUL characters"))
    elif password is not None and len(password) < PASSWORD_MIN_LENGTH:
        problems.append(
            FieldProblem("password", f"must be at least {PASSWORD_MIN_LENGTH} characters")
        )
    if problems:
        raise ValidationFailed(problems)


def create_user(
    ctx: AppContext, email: str, *, tenant: str, role: str, password: str | None = None
) -> CreatedUser:
    """Create the tenant if needed, the user, and a first API token."""
    email = email.strip().lower()
    _validate(email, tenant, role, password)
    with ctx.db.write() as session:
        if session.scalar(select(UserRow.id).where(UserRow.email == email)):
            raise Conflict(f"email: a user {email} already exists")
        tenant_row = session.scalar(select(TenantRow).where(TenantRow.name == tenant))
        if tenant_row is None:
            tenant_row = TenantRow(name=tenant)
            session.add(tenant_row)
            session.flush()
        user = UserRow(
            tenant_id=tenant_row.id,
            email=email,
            role=role,
            password_hash=hash_password(password) if password else None,
        )
        session.add(user)
        session.flush()
        token = new_api_token()
        session.add(ApiTokenRow(user_id=user.id, token_hash=hash_token(token), label="initial"))
        return CreatedUser(user.id, tenant_row.id, tenant_row.name, email, Role(role), token)


def create_token(ctx: AppContext, email: str, label: str = "") -> str:
    with ctx.db.write() as session:
        user = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
        if user is None:
            raise NotFound(f"no user {email}")
        token = new_api_token()
        session.add(ApiTokenRow(user_id=user.id, token_hash=hash_token(token), label=label[:100]))
    return token


def revoke_tokens(ctx: AppContext, email: str) -> int:
    with ctx.db.write() as session:
        user = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
        if user is None:
            raise NotFound(f"no user {email}")
        rows = session.scalars(
            select(ApiTokenRow).where(
                ApiTokenRow.user_id == user.id, ApiTokenRow.revoked_at.is_(None)
            )
        ).all()
        for row in rows:
            row.revoked_at = utcnow()
        return len(rows)


def set_password(ctx: AppContext, email: str, password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValidationFailed.single(
            "password", f"must be at least {PASSWORD_MIN_LENGTH} characters"
        )
    with ctx.db.write() as session:
        user = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
        if user is None:
            raise NotFound(f"no user {email}")
        user.password_hash = hash_password(password)


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _principal(user: UserRow) -> Principal:
    return Principal(user.id, user.tenant_id, user.email, Role(user.role))


def principal_for_token(ctx: AppContext, token: str) -> Principal | None:
    with ctx.db.read() as session:
        row = session.execute(
            select(UserRow)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == hash_token(token), ApiTokenRow.revoked_at.is_(None))
        ).scalar_one_or_none()
        return _principal(row) if row else None


def principal_for_user_id(ctx: AppContext, user_id: str) -> Principal | None:
    with ctx.db.read() as session:
        row = session.get(UserRow, user_id)
        return _principal(row) if row else None


def authenticate_password(ctx: AppContext, email: str, password: str) -> Principal | None:
    with ctx.db.read() as session:
        user = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
        found = (_principal(user), user.password_hash) if user is not None else None
    if found is None:
        verify_password(password, _decoy_hash())  # same work as for a real user: no timing hint
        return None
    principal, password_hash = found
    return principal if verify_password(password, password_hash) else None


def list_users(ctx: AppContext) -> list[tuple[str, str, str]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(UserRow.email, TenantRow.name, UserRow.role)
            .join(TenantRow, TenantRow.id == UserRow.tenant_id)
            .order_by(TenantRow.name, UserRow.email)
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


@dataclass(frozen=True)
class Identity:
    """Who a principal is, for ``GET /api/v1/me`` and the portal header."""

    user_id: str
    email: str
    tenant_id: str
    tenant_name: str
    role: Role


def describe(ctx: AppContext, principal: Principal) -> Identity:
    with ctx.db.read() as session:
        tenant = session.get(TenantRow, principal.tenant_id)
        name = tenant.name if tenant else ""
    return Identity(principal.user_id, principal.email, principal.tenant_id, name, principal.role)


def operator_principal(ctx: AppContext, tenant: str | None) -> Principal:
    """The local operator (the CLI) acting as an admin of one tenant.

    ``tenant`` names it; when omitted and exactly one tenant exists, that one is used.
    """
    with ctx.db.read() as session:
        if tenant is not None:
            if "\x00" in tenant:
                raise NotFound("tenant: no tenant has that name")
            tenant_id = session.scalar(select(TenantRow.id).where(TenantRow.name == tenant))
            if tenant_id is None:
                raise NotFound(f"tenant: no tenant named {tenant!r}")
            return Principal("operator", tenant_id, "operator@localhost", Role.ADMIN)
        rows = list(session.scalars(select(TenantRow.id).limit(2)))
    if not rows:
        raise NotFound(
            "tenant: no tenant exists yet; create one with "
            "`cloudconnectors users create EMAIL --tenant NAME --role admin`"
        )
    if len(rows) > 1:
        raise ValidationFailed.single(
            "tenant", "several tenants exist: choose one with --tenant NAME"
        )
    return Principal("operator", rows[0], "operator@localhost", Role.ADMIN)
