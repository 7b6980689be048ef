"""The ``cloudconnectors`` command group; every error becomes one line on stderr.

Commands are loaded when they run (:class:`LazyGroup`): ``--help``, ``--version`` and a
command's own module never import what other commands need (boto3, SQLAlchemy, Alembic, the
cloud SDKs), so the CLI answers at once. ``tests/cli/test_startup.py`` keeps it so.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, NoReturn

import click
from click.exceptions import NoArgsIsHelpError

from cloudconnectors import __version__
from cloudconnectors.cli.output import EXIT_FAILED, EXIT_INTERRUPTED, fail, one_line
from cloudconnectors.domain.errors import CloudConnectorsError

DEBUG_ENV = "CLOUDCONNECTORS_DEBUG"

# name -> ("module:attribute", the summary line of its help). Adding a command is one line;
# a test checks each summary against the command's own docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("cloudconnectors.cli.serve:serve",
              "Run the web portal, the REST API and the scheduler (the tick, with a broker)."),
    "worker": ("cloudconnectors.cli.worker:worker",
               "Poll due connectors until stopped (Ctrl-C or SIGTERM); no web server."),
    "scheduler": ("cloudconnectors.cli.scheduler:scheduler",
                  "Queue due connectors for the Celery workers until stopped (needs a broker)."),
    "status": ("cloudconnectors.cli.status:status",
               "Connectors by status, runs queued and running, late connectors; with a broker "
               "also the queue depths and the workers that answered."),
    "connectors": ("cloudconnectors.cli.connectors:connectors",
                   "Manage connectors (AWS accounts, GCP projects, Azure subscriptions)."),
    "users": ("cloudconnectors.cli.users:users", "Create and list users."),
    "tokens": ("cloudconnectors.cli.tokens:tokens", "Create and revoke API tokens."),
    "scan": ("cloudconnectors.cli.scan:scan",
             "Poll CONNECTOR (ID or name) now and print what was collected, region by region."),
    "report": ("cloudconnectors.cli.report:report",
               "The report of CONNECTOR (ID or name) from its latest evaluation."),
    "frameworks": ("cloudconnectors.cli.frameworks:frameworks",
                   "Compliance frameworks reports are built against."),
    "rules": ("cloudconnectors.cli.rules:rules",
              "Compliance rules: list the built-in and custom ones, upload or delete custom "
              "ones."),
    "demo": ("cloudconnectors.cli.demo:demo",
             "Start the portal with an emulated AWS account, demo users and connectors."),
}


def load_command(name: str) -> click.Command:
    module_name, _, attribute = COMMANDS[name][0].partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    assert isinstance(command, click.Command), f"{COMMANDS[name][0]} is not a click command"
    return command


def _interrupted(exc: BaseException) -> bool:
    """click turns Ctrl-C into ``Abort``; a refused prompt is an ``Abort`` too, but exit 1."""
    return isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt)


def _database_error(exc: Exception) -> bool:
    if "sqlalchemy" not in sys.modules:  # nothing touched a database: it cannot be one
        return False
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError)


class LazyGroup(click.Group):
    """Lists commands from :data:`COMMANDS`, imports one only when it is invoked, and runs
    click without its own error printing, so every failure is one stderr line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            return load_command(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
                for name in self.list_commands(ctx) if name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        try:
            result = super().main(
                args=args, prog_name=prog_name or "cloudconnectors",
                complete_var=complete_var, standalone_mode=False, **extra,
            )
        except NoArgsIsHelpError as exc:  # a bare group prints its help, as --help would
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(0)
        except click.ClickException as exc:
            hint = " (see --help)" if isinstance(exc, click.UsageError) else ""
            fail(exc.format_message() + hint, exc.exit_code)
        except click.Abort as exc:
            if _interrupted(exc):
                fail("interrupted", EXIT_INTERRUPTED)
            fail("aborted", EXIT_FAILED)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        except CloudConnectorsError as exc:
            fail(str(exc) or type(exc).__name__)
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            if _database_error(exc):
                reason = str(getattr(exc, "orig", None) or type(exc).__name__)
                fail(f"database: {one_line(reason)[:300]}")
            fail(f"unexpected {type(exc).__name__}: {one_line(str(exc))[:300]} "
                 f"(set {DEBUG_ENV}=1 for a traceback)")
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cloudconnectors")
def cli() -> None:
    """Cloud Connectors: connect AWS, GCP and Azure; poll inventory; report posture.

    Works on the database named by CLOUDCONNECTORS_DATA_DIR / CLOUDCONNECTORS_DATABASE_URL.
    Connector commands act in the tenant given by --tenant NAME (or CLOUDCONNECTORS_TENANT),
    by default the only tenant there is.
    """


def main() -> None:
    cli.main()
