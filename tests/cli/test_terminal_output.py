"""What a person sees in a real terminal: the CLI run in a pseudo-terminal (stdout and stderr
on one screen, as in a shell), its bytes rendered line by line."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

from sqlalchemy import select as sql_select

from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.tables import ConnectorRow
from cloudconnectors.storage.tables.base import utcnow
from tests.cli.conftest import SRC, Cli
from tests.support.credentials import AZURE_SECRET
from tests.support.people import make_person

TOKEN = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|(\r)|(\n)|([^\x1b\r\n]+)")


def screen_lines(raw: str) -> list[str]:
    """The lines a terminal shows after ``raw``: text overwrites from the cursor, carriage
    return, newline, cursor up (``ESC[nA``) and erase line (``ESC[2K``); other codes ignored."""
    lines, row, col = [""], 0, 0
    for params, code, cr, nl, text in TOKEN.findall(raw):
        if cr:
            col = 0
        elif nl:
            row, col = row + 1, 0
            if row == len(lines):
                lines.append("")
        elif code == "A":
            row = max(0, row - int(params or 1))
        elif code == "K" and params == "2":
            lines[row] = ""
        elif text:
            line = lines[row].ljust(col)
            lines[row] = line[:col] + text + line[col + len(text):]
            col += len(text)
    return [line.rstrip() for line in lines if line.strip()]


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, replica = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cloudconnectors", *args], stdin=replica, stdout=replica,
            stderr=replica, env={**os.environ, **env, "PYTHONPATH": str(SRC),
                                 "TERM": "xterm-256color", "COLUMNS": "100"},
            close_fds=True)
        os.close(replica)
        self.output = ""

    def read_until(self, text: str, within: float = 60) -> None:
        deadline = time.monotonic() + within
        while text not in self.output and time.monotonic() < deadline:
            if not self._read(0.2):
                break
        assert text in self.output, self.output

    def finish(self, within: float = 60) -> int:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and self._read(0.2):
            pass
        return self.process.wait(timeout=10)

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return self.process.poll() is None
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the other end closed
            return False
        self.output += chunk.decode("utf-8", "replace")
        return bool(chunk)


def test_refresh_wait_leaves_no_spinner_text_on_the_result_line(
        run: Cli, ctx: AppContext, cli_env: dict[str, str]) -> None:
    make_person(ctx, tenant="acme", role="admin")
    assert run("connectors", "add", "--name", "w", "--provider", "azure", "--application-id",
               "11111111-2222-3333-4444-555555555555", "--directory-id",
               "66666666-7777-8888-9999-000000000000", "--subscription-id",
               "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "--authentication-key-stdin",
               input=AZURE_SECRET + "\n").code == 0
    terminal = Terminal(["connectors", "refresh", "w", "--wait", "--timeout", "60"], cli_env)
    terminal.read_until("Refresh of w queued.")
    terminal.read_until("Waiting for a poller...")  # the spinner is up; no poller runs here
    with ctx.db.write() as session:  # the poll ends, as the scheduler would end it
        row = session.scalars(sql_select(ConnectorRow).where(ConnectorRow.name == "w")).one()
        row.status, row.last_run_at = "online", utcnow()
    assert terminal.finish() == 0, terminal.output
    lines = screen_lines(terminal.output)
    assert lines == ["Refresh of w queued.", "Poll finished: online"], terminal.output


def test_screen_lines_renders_what_a_terminal_shows() -> None:
    assert screen_lines("a\r\x1b[2K⠋ Polling...\r\n\r\x1b[1A\x1b[2KPoll finished: online\r\n"
                        ) == ["Poll finished: online"]
    assert screen_lines("⠋ Polling... status refreshingPoll finished\n") == [
        "⠋ Polling... status refreshingPoll finished"]
