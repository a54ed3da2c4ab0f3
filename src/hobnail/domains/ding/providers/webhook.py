"""A generic provider: Hobnail POSTs a signed JSON request to the organisation's own
gateway, which sends the SMS or places the call.

Request: ``POST <url>`` with JSON ``{"type": "sms"|"voice", "to": "+86…", "text": "…",
"key": "<attempt id>"}`` and headers ``X-Hobnail-Timestamp`` (Unix seconds) and
``X-Hobnail-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>``.
Answer 2xx with ``{"id": "<your reference>"}``. Call outcomes are asked with
``{"type": "voice_status", "id": "<reference>"}`` and answered with
``{"status": "answered"|"no_answer"|"pending"|"failed"}``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

import httpx
import orjson

from hobnail.domains.ding.providers.base import CallOutcome, SendResult


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookProvider:
    name = "webhook"

    def __init__(self, url: str, secret: str) -> None:
        self._url = url
        self._secret = secret

    async def _post(self, payload: dict[str, Any]) -> httpx.Response:
        body = orjson.dumps(payload)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Hobnail-Timestamp": timestamp,
            "X-Hobnail-Signature": sign(self._secret, timestamp, body),
        }
        async with httpx.AsyncClient(timeout=15) as client:
            return await client.post(self._url, content=body, headers=headers)

    async def _send(self, payload: dict[str, Any]) -> SendResult:
        try:
            response = await self._post(payload)
        except httpx.HTTPError as error:
            return SendResult(ok=False, error=f"webhook: {error!r}"[:500], retryable=True)
        if response.status_code >= 300:
            return SendResult(
                ok=False,
                error=f"webhook answered {response.status_code}: {response.text[:200]}",
                retryable=response.status_code >= 500 or response.status_code == 429,
            )
        try:
            reference = str(response.json().get("id", ""))
        except ValueError:
            reference = ""
        return SendResult(ok=True, provider_ref=reference or None)

    async def send_sms(self, *, to: str, text: str, key: str) -> SendResult:
        return await self._send({"type": "sms", "to": to, "text": text, "key": key})

    async def call(self, *, to: str, text: str, key: str) -> SendResult:
        return await self._send({"type": "voice", "to": to, "text": text, "key": key})

    async def call_outcome(self, provider_ref: str) -> CallOutcome:
        try:
            response = await self._post({"type": "voice_status", "id": provider_ref})
            status = str(response.json().get("status", "pending"))
        except (httpx.HTTPError, ValueError):
            return "pending"
        return status if status in ("answered", "no_answer", "pending", "failed") else "pending"  # type: ignore[return-value]
