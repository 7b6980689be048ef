"""``cloudconnectors serve``: the portal, the API and the embedded scheduler in one process."""

from __future__ import annotations

from typing import Any

import click

from cloudconnectors.services.context import AppContext


def forwarding_options(trusted_proxies: tuple[str, ...]) -> dict[str, Any]:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise, so anyone on
    the server's host could pick the client address the sign-in throttle counts. Forwarded
    headers are read only from the proxies the operator named."""
    if not trusted_proxies:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(trusted_proxies)}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(host: str, port: int, log_level: str) -> None:
    """Run the web portal, the REST API and the scheduler (the tick, with a broker)."""
    import uvicorn

    from cloudconnectors.composition import create_app, start_polling

    ctx = AppContext.create()
    app = create_app(ctx)
    poller = start_polling(ctx)  # embedded scheduler, or the scale-out tick with a broker
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level,
                    **forwarding_options(ctx.settings.trusted_proxies))
    finally:
        poller.stop()
        ctx.close()
