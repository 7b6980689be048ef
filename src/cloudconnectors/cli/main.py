"""The ``cloudconnectors`` command group; every error becomes one line on stderr."""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click
from click.exceptions import NoArgsIsHelpError
from sqlalchemy.exc import SQLAlchemyError

from cloudconnectors import __version__
from cloudconnectors.cli import (
    connectors,
    frameworks,
    report,
    rules,
    scan,
    scheduler,
    serve,
    status,
    tokens,
    users,
    worker,
)
from cloudconnectors.cli.demo import demo
from cloudconnectors.cli.output import EXIT_FAILED, EXIT_INTERRUPTED, fail, one_line
from cloudconnectors.domain.errors import CloudConnectorsError

DEBUG_ENV = "CLOUDCONNECTORS_DEBUG"


class CliGroup(click.Group):
    """Runs click without its own error printing, so every failure is one stderr line."""

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
        except click.Abort:
            fail("aborted", EXIT_FAILED)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        except CloudConnectorsError as exc:
            fail(str(exc) or type(exc).__name__)
        except SQLAlchemyError as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            reason = str(getattr(exc, "orig", None) or type(exc).__name__)
            fail(f"database: {one_line(reason)[:300]}")
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            fail(f"unexpected {type(exc).__name__}: {one_line(str(exc))[:300]} "
                 f"(set {DEBUG_ENV}=1 for a traceback)")
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=CliGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cloudconnectors")
def cli() -> None:
    """Cloud Connectors: connect AWS, GCP and Azure; poll inventory; report posture.

    Works on the database named by CLOUDCONNECTORS_DATA_DIR / CLOUDCONNECTORS_DATABASE_URL.
    Connector commands act in the tenant given by --tenant NAME (or CLOUDCONNECTORS_TENANT),
    by default the only tenant there is.
    """


cli.add_command(serve.serve)
cli.add_command(worker.worker)
cli.add_command(scheduler.scheduler)
cli.add_command(status.status)
cli.add_command(connectors.connectors)
cli.add_command(users.users)
cli.add_command(tokens.tokens)
cli.add_command(scan.scan)
cli.add_command(report.report)
cli.add_command(frameworks.frameworks)
cli.add_command(rules.rules)
cli.add_command(demo)


def main() -> None:
    cli.main()
