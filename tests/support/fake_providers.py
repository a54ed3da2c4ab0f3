"""Local stand-ins for SMS/voice providers. Each checks that a request is exactly what the
provider documents and answers as the provider would (including errors); tests read
what was sent from ``requests`` and steer answers with ``script``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "twilio-auth-token"
WEBHOOK_SECRET = "webhook-secret"
ALIYUN_KEY_ID = "LTAI-test-key"
ALIYUN_SECRET = "aliyun-test-secret"


def aliyun_signature(params: dict[str, str], secret: str) -> str:
    """Signature version 1.0 as Alibaba documents it, written out independently here."""

    def enc(value: str) -> str:
        return quote(value, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")

    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()) if k != "Signature")
    string_to_sign = "POST&" + enc("/") + "&" + enc(canonical)
    return base64.b64encode(hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()


@dataclass
class FakeGateway:
    requests: list[dict[str, Any]] = field(default_factory=list)
    # Queued answers, e.g. {"status": 500} or {"call_status": "no-answer"}; empty: succeed.
    script: list[dict[str, Any]] = field(default_factory=list)
    call_status: str = "completed"
    # Alibaba call details by CallId: "200000" answered, other states not; absent: not yet known.
    aliyun_call_states: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def _next(self) -> dict[str, Any]:
        return self.script.pop(0) if self.script else {}

    # --- the generic signed webhook -------------------------------------------------------

    async def webhook(self, request: Request) -> Response:
        body = await request.body()
        timestamp = request.headers.get("x-hobnail-timestamp", "")
        expected = (
            "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        )
        if request.headers.get("x-hobnail-signature") != expected:
            self.problems.append("bad webhook signature")
            return JSONResponse({"error": "signature"}, status_code=401)
        if abs(time.time() - int(timestamp)) > 300:
            self.problems.append("stale timestamp")
        payload = orjson.loads(body)
        if payload.get("type") == "voice_status":
            return JSONResponse({"status": "answered" if self.call_status == "completed" else "no_answer"})
        self.requests.append({"provider": "webhook", **payload})
        answer = self._next()
        if "status" in answer:
            return JSONResponse({"error": "gateway says no"}, status_code=answer["status"])
        return JSONResponse({"id": f"wh-{len(self.requests)}"})

    # --- Twilio (REST API 2010-04-01) ------------------------------------------------------

    def _twilio_auth(self, request: Request) -> bool:
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        return request.headers.get("authorization") == expected

    async def twilio_create(self, request: Request) -> Response:
        if not self._twilio_auth(request):
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, status_code=401)
        if request.path_params["sid"] != TWILIO_SID:
            self.problems.append("wrong account sid in path")
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            self.problems.append("twilio wants form encoding")
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        resource = request.path_params["resource"]
        required = {"Messages": {"To", "From", "Body"}, "Calls": {"To", "From", "Twiml"}}[resource]
        if not required <= set(form):
            self.problems.append(f"missing {required - set(form)}")
        if not form.get("To", "").startswith("+"):
            return JSONResponse(
                {"code": 21211, "message": f"The 'To' number {form.get('To')} is not a valid phone number.",
                 "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400},
                status_code=400,
            )  # fmt: skip
        self.requests.append({"provider": "twilio", "resource": resource, **form})
        answer = self._next()
        if "status" in answer:
            return JSONResponse({"code": 20500, "message": "Internal Server Error", "status": answer["status"]},
                                status_code=answer["status"])  # fmt: skip
        prefix = "SM" if resource == "Messages" else "CA"
        return JSONResponse({"sid": f"{prefix}{len(self.requests):032d}", "status": "queued"}, status_code=201)

    async def twilio_call(self, request: Request) -> Response:
        if not self._twilio_auth(request):
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, status_code=401)
        return JSONResponse({"sid": request.path_params["call_sid"], "status": self.call_status})

    # --- Alibaba Cloud (Dysmsapi / Dyvmsapi, RPC signature 1.0) ---------------------------------

    async def aliyun(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode(), keep_blank_values=True).items()}
        common = {"AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion",
                  "Timestamp", "Version", "Signature"}  # fmt: skip
        if not common <= set(form):
            self.problems.append(f"aliyun: missing {common - set(form)}")
        if form.get("AccessKeyId") != ALIYUN_KEY_ID or form.get("Signature") != aliyun_signature(form, ALIYUN_SECRET):
            return JSONResponse({"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}, 400)
        if (form.get("SignatureMethod"), form.get("SignatureVersion"), form.get("Version")) != (
            "HMAC-SHA1",
            "1.0",
            "2017-05-25",
        ):
            self.problems.append("aliyun: wrong signature method or API version")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", form.get("Timestamp", "")):
            self.problems.append("aliyun: Timestamp must be ISO 8601 UTC")
        action = form.get("Action")
        number = form.get("PhoneNumbers") or form.get("CalledNumber") or ""
        if action == "SendSms":
            needed = {"PhoneNumbers", "SignName", "TemplateCode", "TemplateParam"}
        elif action == "SingleCallByTts":
            needed = {"CalledShowNumber", "CalledNumber", "TtsCode"}
        elif action == "QueryCallDetailByCallId":
            return self._aliyun_call_detail(form)
        else:
            return JSONResponse({"Code": "InvalidAction.NotFound", "Message": action}, 404)
        if not needed <= set(form):
            self.problems.append(f"aliyun {action}: missing {needed - set(form)}")
        if not number.isdigit():
            return JSONResponse({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "invalid mobile number"})
        self.requests.append({"provider": "aliyun", **form})
        answer = self._next()
        if "code" in answer:
            return JSONResponse({"Code": answer["code"], "Message": "refused"})
        key = "BizId" if action == "SendSms" else "CallId"
        return JSONResponse(
            {"Code": "OK", "Message": "OK", "RequestId": "req-1", key: f"{action}-{len(self.requests)}"}
        )

    def _aliyun_call_detail(self, form: dict[str, str]) -> Response:
        if form.get("ProdId") != "11000000300006" or not form.get("QueryDate", "").isdigit():
            self.problems.append("aliyun QueryCallDetailByCallId: ProdId of voice notification and QueryDate in ms")
        self.requests.append({"provider": "aliyun", **form})
        state = self.aliyun_call_states.get(form.get("CallId", ""), "")
        detail = {"state": state, "stateDesc": state, "duration": 12 if state == "200000" else 0}
        data = orjson.dumps(detail).decode() if state else ""
        return JSONResponse({"Code": "OK", "Message": "OK", "RequestId": "req-2", "Data": data})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/webhook", self.webhook, methods=["POST"]),
                Route("/aliyun-sms/", self.aliyun, methods=["POST"]),
                Route("/aliyun-voice/", self.aliyun, methods=["POST"]),
                Route("/2010-04-01/Accounts/{sid}/{resource:str}.json", self.twilio_create, methods=["POST"]),
                Route("/2010-04-01/Accounts/{sid}/Calls/{call_sid}.json", self.twilio_call, methods=["GET"]),
            ]
        )
