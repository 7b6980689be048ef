"""Attach the portal's routes and static files to the FastAPI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from cloudconnectors.web.routes import auth, pages
from cloudconnectors.web.security_headers import SecurityHeaders

STATIC_DIR = Path(__file__).with_name("static")


def mount_web(app: FastAPI) -> None:
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeaders)
