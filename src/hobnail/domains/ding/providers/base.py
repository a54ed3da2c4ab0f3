"""What every SMS, voice and e-mail provider offers DING.

Providers are called from jobs, at least once per attempt: each call carries the
attempt id as an idempotency key where the provider supports one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_ref: str | None = None
    error: str | None = None
    # A failure worth trying again (timeouts, 5xx, rate limits) rather than a final one.
    retryable: bool = False


CallOutcome = Literal["answered", "no_answer", "pending", "failed"]


class SmsProvider(Protocol):
    name: str

    async def send_sms(self, *, to: str, text: str, key: str) -> SendResult: ...


class VoiceProvider(Protocol):
    name: str

    async def call(self, *, to: str, text: str, key: str) -> SendResult: ...

    async def call_outcome(self, provider_ref: str) -> CallOutcome: ...


class EmailProvider(Protocol):
    name: str

    async def send_email(self, *, to: str, subject: str, text: str, key: str) -> SendResult: ...
