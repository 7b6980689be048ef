"""``cloudconnectors demo``: the portal with a built-in AWS sandbox, one command."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port for the portal and API.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the demo's data here (an empty folder) instead of a temporary one.")
@click.option("--open", "open_browser", is_flag=True,
              help="Open the one-time sign-in link in your web browser.")
def demo(host: str, port: int, data_dir: Path | None, open_browser: bool) -> None:
    """Start the portal with an emulated AWS account, demo users and connectors."""
    try:
        from cloudconnectors.demo.runner import DemoError, DemoOptions, run_demo
    except ImportError as exc:  # the [demo] extra is missing
        raise click.ClickException(
            f"the demo needs its extra: pip install 'cloudconnectors[demo]' ({exc})"
        ) from exc
    try:
        run_demo(
            DemoOptions(host=host, port=port, data_dir=data_dir, open_browser=open_browser),
            say=click.echo,
        )
    except DemoError as exc:
        raise click.ClickException(str(exc)) from exc
