"""`hobnail worker`: the outbox relay and the job runner, without HTTP."""

from __future__ import annotations

import asyncio
import logging
import signal

from hobnail.api.app import make_pubsub, register_domains
from hobnail.core.config import Settings
from hobnail.core.logging import configure_logging
from hobnail.db.engine import create_engine, create_sessionmaker
from hobnail.domains.integrations.subscriptions import EventTap
from hobnail.domains.integrations.webhooks import WebhookSender
from hobnail.events import outbox
from hobnail.events.relay import Relay
from hobnail.jobs import queue
from hobnail.jobs.runner import JobRunner

log = logging.getLogger(__name__)


async def run_worker(settings: Settings) -> None:
    configure_logging(settings.log_level, settings.log_json)
    register_domains(settings)
    engine = create_engine(settings.resolved_database_url)
    pubsub = make_pubsub(settings)
    await pubsub.start()
    relay = Relay(engine, pubsub)
    sessionmaker = create_sessionmaker(engine)
    runner = JobRunner(sessionmaker, poll_seconds=settings.job_poll_seconds)
    webhook_sender = WebhookSender(sessionmaker)
    event_tap = EventTap(sessionmaker, webhook_sender.wake)
    pubsub.subscribe(event_tap.on_published)
    outbox.set_relay_waker(relay.wake)
    queue.set_runner_waker(runner.wake)
    relay.start()
    runner.start()
    event_tap.start()
    webhook_sender.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("worker running")
    await stop.wait()
    await event_tap.stop()
    await webhook_sender.stop()
    await runner.stop()
    await relay.stop()
    await pubsub.stop()
    await engine.dispose()
