"""users create|list and tokens create|revoke, end to end (real subprocesses and CliRunner)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.users import authenticate_password, principal_for_token
from tests.cli.conftest import Cli


def test_users_create_prints_a_working_token_last(run_process: Cli, client: TestClient) -> None:
    done = run_process("users", "create", "Ops@Example.com", "--tenant", "acme",
                       "--role", "admin")
    assert done.code == 0, done.stderr
    token = done.last_line
    assert token.startswith("cc_") and " " not in token
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me == {"id": me["id"], "email": "ops@example.com", "role": "admin",
                  "tenant": {"id": me["tenant"]["id"], "name": "acme"}}


def test_password_stdin_sets_the_portal_password(run_process: Cli, ctx: AppContext) -> None:
    done = run_process("users", "create", "v@example.com", "--tenant", "acme", "--role",
                       "viewer", "--password-stdin", input="correct horse battery\n")
    assert done.code == 0, done.stderr
    assert "correct horse" not in done.stdout + done.stderr
    assert authenticate_password(ctx, "v@example.com", "correct horse battery") is not None
    assert authenticate_password(ctx, "v@example.com", "wrong password!") is None


def test_short_password_is_refused_in_one_line(run: Cli) -> None:
    done = run("users", "create", "v@example.com", "--tenant", "acme", "--role", "viewer",
               "--password-stdin", input="short\n")
    assert done.code == 1
    assert done.stderr == "error: password: must be at least 8 characters\n"


def test_duplicate_user_and_bad_role(run: Cli) -> None:
    assert run("users", "create", "a@example.com", "--tenant", "t", "--role", "admin").code == 0
    again = run("users", "create", "a@example.com", "--tenant", "t", "--role", "admin")
    assert again.code == 1 and again.stderr.startswith("error: email:")
    bad = run("users", "create", "b@example.com", "--tenant", "t", "--role", "owner")
    assert bad.code == 2 and bad.stderr.count("\n") == 1 and "--role" in bad.stderr


def test_users_list_table_and_json(run: Cli) -> None:
    run("users", "create", "a@example.com", "--tenant", "red", "--role", "admin")
    run("users", "create", "b@example.com", "--tenant", "blue", "--role", "viewer")
    table = run("users", "list")
    assert "a@example.com" in table.stdout and "blue" in table.stdout
    listed = json.loads(run("users", "list", "--json").stdout)
    assert listed == [{"email": "b@example.com", "tenant": "blue", "role": "viewer"},
                      {"email": "a@example.com", "tenant": "red", "role": "admin"}]


def test_tokens_create_and_revoke(run: Cli, ctx: AppContext) -> None:
    first = run("users", "create", "a@example.com", "--tenant", "t", "--role", "admin").last_line
    second = run("tokens", "create", "a@example.com")
    assert second.code == 0
    assert principal_for_token(ctx, second.last_line) is not None
    revoked = run("tokens", "revoke", "A@example.com")
    assert revoked.code == 0 and "Revoked 2" in revoked.stdout
    assert principal_for_token(ctx, first) is None
    assert principal_for_token(ctx, second.last_line) is None
    missing = run("tokens", "create", "nobody@example.com")
    assert missing.code == 1 and missing.stderr == "error: no user nobody@example.com\n"
