"""Twilio Programmable Messaging and Voice over its REST API (2010-04-01).

SMS: ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` (form: To, From, Body).
Calls: ``POST /2010-04-01/Accounts/{AccountSid}/Calls.json`` (form: To, From, Twiml with
``<Say>``), outcome from ``GET …/Calls/{Sid}.json`` ``status``. HTTP Basic auth with the
Account SID and Auth Token. Errors come as JSON ``{"code", "message", "status"}``.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

import httpx

from hobnail.domains.ding.providers.base import CallOutcome, SendResult

_FINAL_NOT_ANSWERED = {"busy", "no-answer", "failed", "canceled"}


class TwilioProvider:
    name = "twilio"

    def __init__(self, *, account_sid: str, auth_token: str, from_number: str, base_url: str) -> None:
        self._sid = account_sid
        self._auth = (account_sid, auth_token)
        self._from = from_number
        self._base = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}"

    async def _create(self, resource: str, form: dict[str, str]) -> SendResult:
        try:
            async with httpx.AsyncClient(timeout=15, auth=self._auth) as client:
                response = await client.post(f"{self._base}/{resource}.json", data=form)
        except httpx.HTTPError as error:
            return SendResult(ok=False, error=f"twilio: {error!r}"[:500], retryable=True)
        body: dict[str, Any]
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 300:
            return SendResult(
                ok=False,
                error=f"twilio {body.get('code', response.status_code)}: {body.get('message', response.text[:200])}"[
                    :500
                ],
                retryable=response.status_code >= 500 or response.status_code == 429,
            )
        return SendResult(ok=True, provider_ref=str(body.get("sid", "")) or None)

    async def send_sms(self, *, to: str, text: str, key: str) -> SendResult:
        return await self._create("Messages", {"To": to, "From": self._from, "Body": text})

    async def call(self, *, to: str, text: str, key: str) -> SendResult:
        say = f'<Say language="zh-CN">{escape(text)}</Say>'
        twiml = f'<Response>{say}<Pause length="1"/>{say}</Response>'  # said twice, as DingTalk's calls do
        return await self._create("Calls", {"To": to, "From": self._from, "Twiml": twiml})

    async def call_outcome(self, provider_ref: str) -> CallOutcome:
        try:
            async with httpx.AsyncClient(timeout=15, auth=self._auth) as client:
                response = await client.get(f"{self._base}/Calls/{provider_ref}.json")
            status = str(response.json().get("status", ""))
        except (httpx.HTTPError, ValueError):
            return "pending"
        if status == "completed":
            return "answered"
        if status in _FINAL_NOT_ANSWERED:
            return "no_answer"
        return "pending"
