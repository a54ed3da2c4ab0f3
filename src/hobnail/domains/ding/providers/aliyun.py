"""Alibaba Cloud SMS (Dysmsapi ``SendSms``) and voice notification (Dyvmsapi
``SingleCallByTts``), RPC style, signature version 1.0:

    StringToSign = "POST&%2F&" + enc(sorted, enc-joined query)
    Signature    = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))

where ``enc`` is UTF-8 percent-encoding with ``%20`` for space, ``%2A`` for ``*`` and ``~``
kept. Both services answer JSON ``{"Code": "OK", ...}`` or an error ``Code``. The text goes
into the template parameter ``content`` of a template the organisation registered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
import orjson

from hobnail.domains.ding.providers.base import CallOutcome, SendResult

# Codes Alibaba documents as temporary (flow control); others are final for this attempt.
_RETRYABLE = {"Throttling", "isv.BUSINESS_LIMIT_CONTROL", "ServiceUnavailable", "InternalError"}


VOICE_NOTIFICATION_PRODUCT = "11000000300006"  # ProdId of 语音通知 in QueryCallDetailByCallId
ANSWERED_STATE = "200000"


def percent_encode(value: str) -> str:
    return quote(value, safe="~")


def sign(params: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def national(phone: str) -> str:
    """Alibaba wants mainland numbers without +86 and others with their country code, no '+'."""
    return phone[3:] if phone.startswith("+86") else phone.lstrip("+")


class AliyunProvider:
    name = "aliyun"

    def __init__(
        self,
        *,
        access_key_id: str,
        access_key_secret: str,
        sms_sign_name: str,
        sms_template_code: str,
        voice_show_number: str,
        voice_tts_code: str,
        sms_endpoint: str = "https://dysmsapi.aliyuncs.com",
        voice_endpoint: str = "https://dyvmsapi.aliyuncs.com",
    ) -> None:
        self._key_id = access_key_id
        self._secret = access_key_secret
        self._sign_name = sms_sign_name
        self._template = sms_template_code
        self._show_number = voice_show_number
        self._tts_code = voice_tts_code
        self._sms_endpoint = sms_endpoint.rstrip("/")
        self._voice_endpoint = voice_endpoint.rstrip("/")

    async def _call(
        self, endpoint: str, action: str, params: dict[str, str]
    ) -> tuple[dict[str, Any] | None, SendResult | None]:
        common = {
            "AccessKeyId": self._key_id,
            "Action": action,
            "Format": "JSON",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        form = {**common, **params}
        form["Signature"] = sign(form, self._secret)
        try:
            async with httpx.AsyncClient(timeout=15) as client:
                response = await client.post(f"{endpoint}/", data=form)
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            return None, SendResult(ok=False, error=f"aliyun: {error!r}"[:500], retryable=True)
        code = str(body.get("Code", ""))
        if response.status_code >= 300 or code != "OK":
            retryable = code in _RETRYABLE or response.status_code >= 500
            return None, SendResult(
                ok=False, error=f"aliyun {code}: {body.get('Message', '')}"[:500], retryable=retryable
            )
        return body, None

    async def send_sms(self, *, to: str, text: str, key: str) -> SendResult:
        body, failure = await self._call(
            self._sms_endpoint,
            "SendSms",
            {
                "PhoneNumbers": national(to),
                "SignName": self._sign_name,
                "TemplateCode": self._template,
                "TemplateParam": orjson.dumps({"content": text[:300]}).decode(),
                "OutId": key,
            },
        )
        return failure or SendResult(ok=True, provider_ref=str((body or {}).get("BizId", "")) or None)

    async def call(self, *, to: str, text: str, key: str) -> SendResult:
        body, failure = await self._call(
            self._voice_endpoint,
            "SingleCallByTts",
            {
                "CalledShowNumber": self._show_number,
                "CalledNumber": national(to),
                "TtsCode": self._tts_code,
                "TtsParam": orjson.dumps({"content": text[:300]}).decode(),
                "PlayTimes": "2",
                "OutId": key,
            },
        )
        if failure:
            return failure
        call_id = str((body or {}).get("CallId", ""))
        # The detail query needs the call's day as well as its id, so the reference carries both.
        placed_ms = int(datetime.now(UTC).timestamp() * 1000)
        return SendResult(ok=True, provider_ref=f"{call_id}@{placed_ms}" if call_id else None)

    async def call_outcome(self, provider_ref: str) -> CallOutcome:
        """Ask ``QueryCallDetailByCallId`` (voice notification product). Alibaba fills the
        detail a few minutes after the call ends; until then it is pending (and escalation
        treats a call still pending after its last check as not answered). State 200000 is
        an answered call; any other final state (busy, refused, no answer, off) is not."""
        call_id, _, placed_ms = provider_ref.partition("@")
        body, failure = await self._call(
            self._voice_endpoint,
            "QueryCallDetailByCallId",
            {"CallId": call_id, "ProdId": VOICE_NOTIFICATION_PRODUCT, "QueryDate": placed_ms or "0"},
        )
        if failure is not None or body is None:
            return "pending"
        try:
            detail = orjson.loads(body.get("Data") or "{}")
        except orjson.JSONDecodeError:
            return "pending"
        state = str(detail.get("state", "")) if isinstance(detail, dict) else ""
        if not state:
            return "pending"
        return "answered" if state == ANSWERED_STATE else "no_answer"
