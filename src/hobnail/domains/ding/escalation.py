"""Escalation as data: the policy is copied onto the DING; each step is a job keyed
``ding:<id>:step:<n>`` (so it runs once across nodes and is cancelled by key); each
delivery over SMS, voice or e-mail is an attempt row whose job calls the provider.

A step only reaches recipients still unconfirmed when it runs. SMS and voice wait out a
recipient's quiet hours unless the DING is critical. A provider failure is recorded on
the attempt and retried with backoff; in-app delivery never waits for a provider.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from hobnail.core import clock
from hobnail.core.config import Settings
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.ding import events, repository
from hobnail.domains.ding.presenters import ding_view, recipient_view
from hobnail.domains.ding.providers import registry as providers
from hobnail.domains.ding.providers.base import SendResult
from hobnail.domains.ding.quiet import quiet_until
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.jobs import queue
from hobnail.jobs.registry import register, register_external
from hobnail.models import Ding, DingAttempt, DingRecipient, Organization, User

MAX_TRIES = 5
CALL_CHECK_AFTER = timedelta(minutes=2)
CALL_CHECKS = 10

_settings = Settings()


def configure(settings: Settings) -> None:
    """The server's provider settings (called where the app or worker starts)."""
    global _settings
    _settings = settings


def unavailable_channels(channels: set[str]) -> list[str]:
    availability = providers.channel_availability(_settings)
    return sorted(c for c in channels if availability.get(c, "unknown channel"))


def channels_view() -> dict[str, dict[str, Any]]:
    return {
        channel: {"available": reason is None, "reason": reason}
        for channel, reason in providers.channel_availability(_settings).items()
    }


# --- progress for the sender ------------------------------------------------------------------


async def announce_progress(session: Session, ding: Ding, recipient: DingRecipient) -> None:
    users = await accounts_service.users_by_id(session, [recipient.user_id])
    attempts = await repository.attempts(session, ding.id, recipient.user_id)
    confirmed, total = await repository.progress(session, ding.id)
    await record(
        session,
        events.DingProgress(
            org_id=ding.org_id,
            audience=(topics.user(ding.sender_id),),
            ding_id=ding.id,
            confirmed=confirmed,
            total=total,
            recipient=recipient_view(recipient, users.get(recipient.user_id), attempts),
        ),
    )


# --- release and steps ------------------------------------------------------------------------


async def release(session: Session, ding: Ding) -> None:
    """Send now: the in-app alert to every recipient, the first channel, the steps' jobs."""
    ding.status = "sent"
    ding.sent_at = clock.now()
    await session.flush()
    await _alert(session, ding, await repository.recipients(session, ding.id), ding.channel, "initial")
    for index, step in enumerate(ding.policy):
        await queue.enqueue(
            session,
            "ding.step",
            {"ding_id": ding.id, "step": index},
            run_at=ding.sent_at + timedelta(minutes=int(step["after_minutes"])),
            dedupe_key=f"ding:{ding.id}:step:{index}",
        )


async def cancel_steps(session: Session, ding: Ding) -> None:
    """Everyone confirmed, or the DING was recalled: no further steps."""
    for index in range(len(ding.policy)):
        await queue.cancel(session, f"ding:{ding.id}:step:{index}")


async def remind(session: Session, ding: Ding, recipients: list[DingRecipient], channel: str) -> None:
    await _alert(session, ding, recipients, channel, "remind")


async def _alert(session: Session, ding: Ding, recipients: list[DingRecipient], channel: str, reason: str) -> None:
    """The in-app alert to ``recipients`` (always), and an attempt each on ``channel`` if not in-app."""
    sender = (await accounts_service.users_by_id(session, [ding.sender_id])).get(ding.sender_id)
    view = ding_view(ding, sender)
    await record(
        session,
        events.DingReceived(
            org_id=ding.org_id,
            audience=tuple(topics.user(r.user_id) for r in recipients),
            ding={**view, "reminder": True} if reason == "remind" else view,
        ),
    )
    if channel != "in_app":
        for recipient in recipients:
            await _queue_attempt(session, ding, recipient, channel, reason, fallback=None)


async def _queue_attempt(
    session: Session, ding: Ding, recipient: DingRecipient, channel: str, reason: str, *, fallback: str | None
) -> DingAttempt:
    """Record an attempt and schedule its delivery (after quiet hours, unless critical)."""
    now = clock.now()
    due = now
    status = "queued"
    if channel in ("sms", "voice") and not ding.critical:
        user = await session.get(User, recipient.user_id)
        org = await session.get(Organization, ding.org_id)
        if user is not None and org is not None:
            until = quiet_until(now, user.quiet_hours_start, user.quiet_hours_end, user.timezone or org.timezone)
            if until is not None:
                due, status = until, "deferred"
    attempt = DingAttempt(
        ding_id=ding.id, org_id=ding.org_id, user_id=recipient.user_id, channel=channel, reason=reason,
        status=status, fallback=fallback, due_at=due, created_at=now,
    )  # fmt: skip
    session.add(attempt)
    await session.flush()
    await queue.enqueue(
        session, "ding.deliver", {"attempt_id": attempt.id}, run_at=due, dedupe_key=f"ding-attempt:{attempt.id}"
    )
    await announce_progress(session, ding, recipient)
    return attempt


async def run_step(session: Session, payload: dict[str, Any]) -> None:
    """Job: one escalation step, for whoever has not confirmed by now."""
    ding = await session.get(Ding, payload["ding_id"])
    if ding is None or ding.status != "sent":
        return
    step = ding.policy[int(payload["step"])]
    for recipient in await repository.unconfirmed(session, ding.id):
        await _queue_attempt(
            session, ding, recipient, step["channel"], f"step-{int(payload['step']) + 1}", fallback=step.get("fallback")
        )


async def run_release(session: Session, payload: dict[str, Any]) -> None:
    """Job: a scheduled DING's minute has come."""
    ding = await session.get(Ding, payload["ding_id"])
    if ding is not None and ding.status == "scheduled":
        await release(session, ding)


# --- delivery ---------------------------------------------------------------------------------


def _text(ding: Ding, sender: User | None) -> str:
    return f"DING {sender.name if sender else ''}: {ding.body}"[:500]


async def _send(attempt: DingAttempt, user: User, text: str) -> tuple[str | None, SendResult]:
    if attempt.channel == "sms":
        sms = providers.sms_provider(_settings)
        if sms is None or not user.phone:
            return None, SendResult(ok=False, error="no SMS provider" if sms is None else "no mobile number")
        return sms.name, await sms.send_sms(to=user.phone, text=text, key=attempt.id)
    if attempt.channel == "voice":
        voice = providers.voice_provider(_settings)
        if voice is None or not user.phone:
            return None, SendResult(ok=False, error="no voice provider" if voice is None else "no mobile number")
        return voice.name, await voice.call(to=user.phone, text=text, key=attempt.id)
    if attempt.channel == "email":
        email = providers.email_provider(_settings)
        if email is None or not user.email:
            return None, SendResult(ok=False, error="no SMTP server" if email is None else "no e-mail address")
        return email.name, await email.send_email(to=user.email, subject=text[:80], text=text, key=attempt.id)
    return None, SendResult(ok=False, error=f"unknown channel {attempt.channel}")


async def deliver(sessionmaker: async_sessionmaker[Session], payload: dict[str, Any]) -> None:
    """Job: one attempt, in three steps so no transaction is open while the provider
    answers: claim it, call the provider, record the result. Skipped if the recipient
    confirmed or the DING was recalled meanwhile. Repeating it is safe: a claimed
    ("sending") attempt is sent again with the same key."""
    async with sessionmaker() as session:
        attempt = await session.get(DingAttempt, payload["attempt_id"])
        if attempt is None or attempt.status not in ("queued", "deferred", "sending"):
            return
        ding = await session.get(Ding, attempt.ding_id)
        recipient = await repository.recipient(session, attempt.ding_id, attempt.user_id)
        user = await session.get(User, attempt.user_id)
        if ding is None or recipient is None or user is None:
            return
        if ding.status == "recalled" or recipient.confirmed_at is not None:
            attempt.status, attempt.finished_at = "skipped", clock.now()
            await announce_progress(session, ding, recipient)
            await session.commit()
            return
        sender = await session.get(User, ding.sender_id)
        attempt.tries += 1
        attempt.status = "sending"
        text = _text(ding, sender)
        await session.commit()

    provider, result = await _send(attempt, user, text)

    async with sessionmaker() as session:
        attempt = await session.get(DingAttempt, payload["attempt_id"])
        if attempt is None:
            return
        ding = await session.get(Ding, attempt.ding_id)
        recipient = await repository.recipient(session, attempt.ding_id, attempt.user_id)
        if ding is None or recipient is None:
            return
        attempt.provider = provider
        if result.ok:
            attempt.status = "sent"
            attempt.provider_ref = result.provider_ref
            attempt.error = None
            if attempt.channel == "voice" and result.provider_ref:
                await queue.enqueue(
                    session, "ding.call_check", {"attempt_id": attempt.id, "checks": 0},
                    run_at=clock.now() + CALL_CHECK_AFTER, dedupe_key=f"ding-call:{attempt.id}",
                )  # fmt: skip
            else:
                attempt.finished_at = clock.now()
        else:
            attempt.error = result.error
            if result.retryable and attempt.tries < MAX_TRIES:
                # Recorded now; tried again later (2, 4, 8, 16 minutes).
                attempt.status = "queued"
                await queue.enqueue(
                    session, "ding.deliver", {"attempt_id": attempt.id},
                    run_at=clock.now() + timedelta(minutes=2**attempt.tries),
                    dedupe_key=f"ding-retry:{attempt.id}:{attempt.tries}",
                )  # fmt: skip
            else:
                attempt.status, attempt.finished_at = "failed", clock.now()
        await session.flush()
        await announce_progress(session, ding, recipient)
        await session.commit()


async def check_call(sessionmaker: async_sessionmaker[Session], payload: dict[str, Any]) -> None:
    """Job: did the voice call get answered? If not, the step's fallback (SMS) follows."""
    async with sessionmaker() as session:
        attempt = await session.get(DingAttempt, payload["attempt_id"])
        if attempt is None or attempt.status != "sent" or not attempt.provider_ref:
            return
        reference = attempt.provider_ref
        await session.rollback()
    voice = providers.voice_provider(_settings)
    outcome = await voice.call_outcome(reference) if voice else "failed"
    async with sessionmaker() as session:
        attempt = await session.get(DingAttempt, payload["attempt_id"])
        if attempt is None or attempt.status != "sent":
            return
        ding = await session.get(Ding, attempt.ding_id)
        recipient = await repository.recipient(session, attempt.ding_id, attempt.user_id)
        if ding is None or recipient is None:
            return
        checks = int(payload["checks"])
        if outcome == "pending" and checks < CALL_CHECKS:
            await queue.enqueue(
                session, "ding.call_check", {"attempt_id": attempt.id, "checks": checks + 1},
                run_at=clock.now() + timedelta(minutes=1), dedupe_key=f"ding-call:{attempt.id}:{checks + 1}",
            )  # fmt: skip
            await session.commit()
            return
        attempt.status = "answered" if outcome == "answered" else "no_answer"
        attempt.finished_at = clock.now()
        await session.flush()
        if (
            attempt.status == "no_answer"
            and attempt.fallback
            and recipient.confirmed_at is None
            and ding.status == "sent"
        ):
            await _queue_attempt(session, ding, recipient, attempt.fallback, "fallback", fallback=None)
        else:
            await announce_progress(session, ding, recipient)
        await session.commit()


def register_jobs(settings: Settings) -> None:
    configure(settings)
    register("ding.release", run_release)
    register("ding.step", run_step)
    register_external("ding.deliver", deliver)
    register_external("ding.call_check", check_call)
