"""The exception tree. Every layer raises these; the API and CLI map them to answers.

CloudConnectorsError
├── ValidationFailed        bad input: names the field and the rule        -> 422
├── NotFound                no such object for this tenant                 -> 404
├── Conflict                unique name taken, state forbids the action    -> 409
├── PermissionDenied        the role may not do this                        -> 403
├── IllegalTransition       the state machine refused an event             -> 409
└── ProviderError           talking to a cloud failed
    ├── AuthenticationFailed  credentials or role refused: connector offline
    └── CollectionFailed      nothing could be read at all
"""

from __future__ import annotations

from dataclasses import dataclass


class CloudConnectorsError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class FieldProblem:
    """One refused field: where it is (``credentials.role_arn``) and the rule it broke."""

    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


class ValidationFailed(CloudConnectorsError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @classmethod
    def single(cls, field: str, rule: str) -> ValidationFailed:
        return cls([FieldProblem(field, rule)])


class NotFound(CloudConnectorsError):
    pass


class Conflict(CloudConnectorsError):
    pass


class PermissionDenied(CloudConnectorsError):
    pass


class IllegalTransition(Conflict):
    pass


class ProviderError(CloudConnectorsError):
    """A cloud refused or failed; ``message`` is written for a person to act on."""


class AuthenticationFailed(ProviderError):
    pass


class CollectionFailed(ProviderError):
    pass
