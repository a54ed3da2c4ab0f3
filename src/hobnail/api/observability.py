"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hobnail.api.errors import FastJSONResponse

router = APIRouter(tags=["operations"])


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hobnail_http_requests_total", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "hobnail_http_request_seconds", "HTTP request latency", ["method", "route"], registry=self.registry
        )
        self.connections = Gauge("hobnail_ws_connections", "Open event-stream connections", registry=self.registry)
        self.frames = Gauge("hobnail_ws_frames_sent", "Event frames sent by this process", registry=self.registry)
        self.direct_frames = Gauge(
            "hobnail_ws_frames_written_directly",
            "Event frames written straight to the socket (the fast path)",
            registry=self.registry,
        )


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or ("/static" if scope["path"].startswith("/static") else "other")
            self.metrics.requests.labels(scope["method"], path, str(status)).inc()
            self.metrics.latency.labels(scope["method"], path).observe(time.perf_counter() - started)


@router.get("/healthz", include_in_schema=True)
async def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> Any:
    """Readiness: the database answers and its schema is at the latest migration."""
    from hobnail.db.migrate import current_revision, head_revision

    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
            current = await current_revision(conn)
    except Exception as error:  # any database failure means not ready
        return FastJSONResponse({"status": "unavailable", "database": str(error)[:200]}, status_code=503)
    head = head_revision()
    if current != head:
        return FastJSONResponse({"status": "migrations_pending", "current": current, "head": head}, status_code=503)
    return {"status": "ok", "revision": current}


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> PlainTextResponse:
    """Prometheus metrics."""
    state = request.app.state
    state.metrics.connections.set(state.gateway.connection_count)
    state.metrics.frames.set(state.gateway.frames_sent)
    state.metrics.direct_frames.set(state.gateway.frames_written_directly)
    return PlainTextResponse(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
