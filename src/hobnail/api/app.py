"""The application: wiring infrastructure and domains together (the only place that does)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI

from hobnail import __version__
from hobnail.api import errors, events_routes, observability
from hobnail.api.idempotency import IdempotencyMiddleware, prune_idempotency_keys
from hobnail.core.config import Settings, get_settings
from hobnail.core.logging import configure_logging
from hobnail.db.engine import create_engine, create_sessionmaker
from hobnail.db.session import optimize_statistics
from hobnail.domains.accounts import realtime as accounts_realtime
from hobnail.domains.accounts import routes as accounts_routes
from hobnail.domains.approvals import attachments as approvals_attachments
from hobnail.domains.approvals import hooks as approvals_hooks
from hobnail.domains.approvals import reminders as approvals_reminders
from hobnail.domains.approvals import routes as approvals_routes
from hobnail.domains.attendance import attachments as attendance_attachments
from hobnail.domains.attendance import jobs as attendance_jobs
from hobnail.domains.attendance import punches as attendance_punches
from hobnail.domains.attendance import routes as attendance_routes
from hobnail.domains.attendance import subscribers as attendance_subscribers
from hobnail.domains.attendance import workdays as attendance_workdays
from hobnail.domains.ding import attachments as ding_attachments
from hobnail.domains.ding import escalation as ding_escalation
from hobnail.domains.ding import routes as ding_routes
from hobnail.domains.education import class_groups as education_class_groups
from hobnail.domains.education import homework_jobs as education_homework_jobs
from hobnail.domains.education import notice_files as education_notice_files
from hobnail.domains.education import notices as education_notices
from hobnail.domains.education import routes as education_routes
from hobnail.domains.files import jobs as files_jobs
from hobnail.domains.files import routes as files_routes
from hobnail.domains.files.links import Signer, load_or_create_secret
from hobnail.domains.integrations import bots as integrations_bots
from hobnail.domains.integrations import deliveries as integrations_deliveries
from hobnail.domains.integrations import routes as integrations_routes
from hobnail.domains.integrations.stream import StreamGateway
from hobnail.domains.integrations.subscriptions import EventTap
from hobnail.domains.integrations.webhooks import WebhookSender
from hobnail.domains.messaging import attachments as messaging_attachments
from hobnail.domains.messaging import realtime as messaging_realtime
from hobnail.domains.messaging import routes as messaging_routes
from hobnail.domains.messaging import subscribers as messaging_subscribers
from hobnail.domains.reports import attachments as reports_attachments
from hobnail.domains.reports import reminders as reports_reminders
from hobnail.domains.reports import routes as reports_routes
from hobnail.events import ephemeral, outbox
from hobnail.events.pubsub.base import PubSub
from hobnail.events.pubsub.memory import MemoryPubSub
from hobnail.events.relay import Relay
from hobnail.events.retention import prune_job
from hobnail.jobs import queue, registry
from hobnail.jobs.runner import JobRunner
from hobnail.realtime import topics
from hobnail.realtime.gateway import Gateway
from hobnail.storage.factory import make_storage
from hobnail.web import routes as web_routes


def make_pubsub(settings: Settings) -> PubSub:
    if settings.redis_url:
        from hobnail.events.pubsub.redis import RedisPubSub

        return RedisPubSub(settings.redis_url)
    return MemoryPubSub()


def register_domains(settings: Settings) -> None:
    """Job handlers and topic resolvers of every domain (idempotent)."""
    topics.register(accounts_realtime.topics_for)
    topics.register(messaging_realtime.topics_for)
    messaging_subscribers.register()
    messaging_attachments.register()
    ding_attachments.register()
    approvals_attachments.register()
    ding_escalation.register_jobs(settings)
    files_jobs.register_jobs(settings)
    approvals_reminders.register_jobs()
    attendance_attachments.register()
    attendance_subscribers.register()
    attendance_jobs.register_jobs()
    reports_attachments.register()
    reports_reminders.register_jobs()
    integrations_bots.register()
    integrations_deliveries.register_jobs()
    education_class_groups.register()
    education_notice_files.register()
    education_homework_jobs.register()
    registry.register(education_notices.RELEASE_JOB, education_notices.release_job)
    approvals_hooks.register_submit_check("makeup", attendance_punches.check_makeup_request)
    approvals_hooks.register_workday_calendar(attendance_workdays.workdays_of)
    registry.register(
        "events.prune", prune_job(timedelta(days=settings.event_retention_days)), every=timedelta(hours=1)
    )
    registry.register("idempotency.prune", prune_idempotency_keys, every=timedelta(hours=1))
    registry.register("db.optimize", optimize_statistics, every=timedelta(hours=6))


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = create_engine(settings.resolved_database_url)
    sessionmaker = create_sessionmaker(engine)
    pubsub = make_pubsub(settings)
    gateway = Gateway(sessionmaker, topics.resolve)
    pubsub.subscribe(gateway.on_message)
    await pubsub.start()
    relay = Relay(engine, pubsub)
    runner = JobRunner(sessionmaker, poll_seconds=settings.job_poll_seconds)
    app.state.engine, app.state.sessionmaker = engine, sessionmaker
    app.state.signer = Signer(settings.secret_key or await load_or_create_secret(sessionmaker))
    app.state.gateway, app.state.relay, app.state.runner = gateway, relay, runner
    app.state.stream_gateway = StreamGateway(sessionmaker)
    outbox.set_relay_waker(relay.wake)
    ephemeral.set_pubsub(pubsub)
    relay.start()
    webhook_sender = WebhookSender(sessionmaker)
    event_tap = EventTap(sessionmaker, webhook_sender.wake)
    app.state.webhook_sender, app.state.event_tap = webhook_sender, event_tap
    if settings.run_background:
        queue.set_runner_waker(runner.wake)
        runner.start()
        pubsub.subscribe(event_tap.on_published)
        event_tap.start()
        webhook_sender.start()
    try:
        yield
    finally:
        await event_tap.stop()
        await webhook_sender.stop()
        await app.state.stream_gateway.close()
        await runner.stop()
        await relay.stop()
        outbox.set_relay_waker(None)
        ephemeral.set_pubsub(None)
        queue.set_runner_waker(None)
        await pubsub.stop()
        await engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    register_domains(settings)
    app = FastAPI(
        title="Hobnail API",
        version=__version__,
        description=(
            "Every feature of Hobnail as JSON under /api/v1. Errors share one shape: "
            '`{"error": {"code", "message", "details"}}`. Browser clients authenticate with the '
            "session cookie and send `X-CSRF-Token` on writes; API clients send `Authorization: Bearer <token>`. "
            "Writes accept `Idempotency-Key`. Changes arrive on the WebSocket `/api/v1/events` "
            "(see docs/events.md)."
        ),
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = observability.Metrics()
    app.state.storage = make_storage(settings)
    errors.install_error_handlers(app)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(observability.MetricsMiddleware, metrics=app.state.metrics)
    app.include_router(observability.router)
    app.include_router(accounts_routes.router)
    app.include_router(messaging_routes.router)
    app.include_router(ding_routes.router)
    app.include_router(approvals_routes.router)
    app.include_router(attendance_routes.router)
    app.include_router(reports_routes.router)
    app.include_router(education_routes.router)
    app.include_router(integrations_routes.router)
    app.include_router(integrations_routes.dingtalk)
    app.include_router(integrations_routes.stream_router)
    app.include_router(files_routes.tus)
    app.include_router(files_routes.router)
    app.include_router(files_routes.downloads)
    app.include_router(events_routes.router)
    app.include_router(events_routes.ws_router)
    web_routes.mount(app)
    return app
