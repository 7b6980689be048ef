"""Map the domain's exception tree and request-validation errors to clear 4xx answers.

Every refusal is ``{"detail": "<field>: <rule>", "errors": [{"field", "rule"}]}`` so a person
reads one line and a client can place each message next to its field. Submitted values are
never echoed back: they may be secrets.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from cloudconnectors.domain.errors import (
    CloudConnectorsError,
    Conflict,
    FieldProblem,
    NotFound,
    PermissionDenied,
    ProviderError,
    ValidationFailed,
)
from cloudconnectors.domain.validation import rule_for
from cloudconnectors.services.platform import PlatformUnavailable


def _field_of(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        head, parts = parts[0], parts[1:]
        if not parts:
            return head
    return ".".join(parts)


def problems_from_validation(errors: list[dict[str, Any]]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        field = "body" if err.get("type") == "json_invalid" else _field_of(loc)
        problem = FieldProblem(field, rule_for(err))
        if problem not in problems:
            problems.append(problem)
    return problems


def problem_response(status: int, problems: list[FieldProblem]) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={
            "detail": "; ".join(str(p) for p in problems),
            "errors": [{"field": p.field, "rule": p.rule} for p in problems],
        },
    )


def detail_response(status: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


# Most specific first; every other error this package raises on purpose is a 400.
STATUS_BY_ERROR: dict[type[CloudConnectorsError], int] = {
    NotFound: 404,
    PermissionDenied: 403,
    Conflict: 409,
    PlatformUnavailable: 503,
    ProviderError: 502,
    CloudConnectorsError: 400,
}


def _status_of(exc: Exception) -> int:
    for error_class, status in STATUS_BY_ERROR.items():
        if isinstance(exc, error_class):
            return status
    return 400


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = problems_from_validation(list(exc.errors()))
        status = 400 if any(p.rule == "is not valid JSON" for p in problems) else 422
        return problem_response(status, problems)

    @app.exception_handler(ValidationFailed)
    async def _invalid(_: Request, exc: ValidationFailed) -> JSONResponse:
        return problem_response(422, exc.problems)

    async def _detail(_: Request, exc: Exception) -> JSONResponse:
        # Starlette picks the most specific class in the exception's MRO.
        return detail_response(_status_of(exc), str(exc))

    for error_class in STATUS_BY_ERROR:
        app.add_exception_handler(error_class, _detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": exc.detail},
            headers=getattr(exc, "headers", None),
        )
