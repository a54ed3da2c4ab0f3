"""The web client: static ES modules and one HTML shell for every client-side route."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from hobnail.api.errors import error_response

WEB_DIR = Path(__file__).parent
RESERVED = ("api/", "static/", "healthz", "readyz", "metrics")


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    shell = (WEB_DIR / "templates" / "index.html").read_text(encoding="utf-8")

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    async def web_shell(path: str, request: Request) -> HTMLResponse:
        if path.startswith(RESERVED):
            return error_response(404, "not_found", "Not found.")  # type: ignore[return-value]
        return HTMLResponse(shell, headers={"Cache-Control": "no-cache"})
