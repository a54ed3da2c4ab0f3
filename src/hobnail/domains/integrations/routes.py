"""HTTP routes of the open platform: robots and apps under /api/v1, and DingTalk's own
paths (``/robot/send``, ``/v1.0/oauth2/accessToken``, ``/gettoken``, Stream mode), so
DingTalk clients work by changing their base URL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, WebSocket
from fastapi.responses import JSONResponse

from hobnail.api.deps import DB, CurrentActor
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.core.errors import Forbidden
from hobnail.core.ids import new_id
from hobnail.db.session import Session
from hobnail.domains.integrations import apps, bots, deliveries, robot_api, robots, schemas, subscriptions

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["robots"])
dingtalk = APIRouter(route_class=UnitOfWorkRoute, tags=["dingtalk-compatible"])
stream_router = APIRouter()


@router.get("/conversations/{conversation_id}/robots")
async def get_robots(conversation_id: str, actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """A group's robots (webhook and secret only for the group's admins)."""
    return await robots.list_robots(session, actor, conversation_id)


@router.post("/conversations/{conversation_id}/robots", status_code=201)
async def post_robot(conversation_id: str, body: schemas.RobotIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Group admins: add a custom robot (at least one of keywords, signing, IP allow-list)."""
    return await robots.create_robot(session, actor, conversation_id, body.model_dump())


@router.delete("/conversations/{conversation_id}/robots/{robot_id}", status_code=204)
async def delete_robot(conversation_id: str, robot_id: str, actor: CurrentActor, session: DB) -> Response:
    await robots.delete_robot(session, actor, conversation_id, robot_id)
    return Response(status_code=204)


@dingtalk.post("/robot/send")
async def robot_send(
    request: Request,
    session: DB,
    access_token: Annotated[str | None, Query(max_length=100)] = None,
    timestamp: Annotated[str | None, Query(max_length=20)] = None,
    sign: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """DingTalk's custom robot webhook: text, markdown, link, actionCard, feedCard (and
    image), with ``at``. Always HTTP 200 with ``{"errcode", "errmsg"}``, as DingTalk answers."""
    body = await request.body()
    client_ip = request.client.host if request.client else ""
    return await robots.receive(
        session, token=access_token, timestamp=timestamp, signature=sign, client_ip=client_ip, body=body
    )


# --- DingTalk's open API: tokens, Stream mode, bot replies -------------------------------


def _dingtalk_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "requestid": new_id()}, status_code=status)


@dingtalk.post("/v1.0/oauth2/accessToken")
async def post_access_token(body: schemas.AccessTokenIn, session: DB) -> Any:
    """DingTalk's internal-app token: appKey/appSecret (a Hobnail app's client id and
    secret) → accessToken for the ``x-acs-dingtalk-access-token`` header."""
    try:
        token, lifetime = await apps.issue_token(session, body.appKey, body.appSecret)
    except apps.InvalidCredentials as error:
        return _dingtalk_error(400, "invalidClientIdOrSecret", error.message)
    return {"accessToken": token, "expireIn": lifetime}


@dingtalk.get("/gettoken")
async def get_token(
    session: DB, appkey: Annotated[str, Query(max_length=100)], appsecret: Annotated[str, Query(max_length=200)]
) -> dict[str, Any]:
    """DingTalk's legacy token (``?access_token=`` on old APIs)."""
    try:
        token, lifetime = await apps.issue_token(session, appkey, appsecret)
    except apps.InvalidCredentials:
        return {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret invalid appkey or appsecret"}
    return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": lifetime}


@dingtalk.post("/v1.0/gateway/connections/open")
async def post_open_connection(request: Request, body: schemas.OpenConnectionIn, session: DB) -> Any:
    """Stream mode: credentials and subscriptions → a WebSocket endpoint and a one-time ticket."""
    origin = str(request.base_url).rstrip("/")
    try:
        ticket = await apps.open_ticket(
            session, body.clientId, body.clientSecret, [s.model_dump() for s in body.subscriptions], origin
        )
    except apps.InvalidCredentials as error:
        return _dingtalk_error(400, "invalidClientIdOrSecret", error.message)
    scheme = "wss" if origin.startswith("https") else "ws"
    return {"endpoint": f"{scheme}://{origin.split('://', 1)[1]}/v1.0/gateway/stream", "ticket": ticket}


@stream_router.websocket("/v1.0/gateway/stream")
async def stream_socket(websocket: WebSocket, ticket: str = "") -> None:
    await websocket.app.state.stream_gateway.serve(websocket, ticket)


@dingtalk.post("/robot/sendBySession")
async def robot_send_by_session(
    request: Request, session: DB, session_token: Annotated[str | None, Query(alias="session", max_length=100)] = None
) -> dict[str, Any]:
    """A bot's reply through the ``sessionWebhook`` it was given (valid 90 minutes)."""
    return await bots.reply(session, session_token, await request.body())


@router.get("/apps")
async def get_apps(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """Admins: the organisation's apps."""
    return await apps.list_apps(session, actor)


@router.post("/apps", status_code=201)
async def post_app(body: schemas.AppIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: a new app; ``client_secret`` is in this answer only."""
    return await apps.create_app(session, actor, name=body.name, scopes=body.scopes)


@router.patch("/apps/{app_id}")
async def patch_app(app_id: str, body: schemas.AppPatchIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await apps.update_app(session, actor, app_id, body.model_dump(exclude_unset=True))


@router.post("/apps/{app_id}/secret")
async def post_app_secret(app_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: a new secret (shown once); the old one and every token stop working."""
    return await apps.rotate_secret(session, actor, app_id)


@router.get("/apps/{app_id}/subscription")
async def get_subscription(app_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: the app's event subscription (with the signing secret receivers check)."""
    return await subscriptions.get_subscription(session, actor, app_id)


@router.put("/apps/{app_id}/subscription")
async def put_subscription(
    app_id: str, body: schemas.SubscriptionIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Admins: subscribe the app to event types. An HTTP callback URL must echo a signed
    ``url_verification`` challenge first (422 ``callback_verification_failed`` otherwise)."""
    return await subscriptions.put_subscription(session, actor, app_id, body.model_dump())


@router.delete("/apps/{app_id}/subscription", status_code=204)
async def delete_subscription(app_id: str, actor: CurrentActor, session: DB) -> Response:
    await subscriptions.delete_subscription(session, actor, app_id)
    return Response(status_code=204)


@router.get("/apps/{app_id}/deliveries")
async def get_deliveries(
    app_id: str,
    actor: CurrentActor,
    session: DB,
    status: Annotated[str | None, Query(max_length=10)] = None,
    before: Annotated[str | None, Query(max_length=26)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Admins: the delivery log, newest first, with counts per status."""
    return await deliveries.list_deliveries(session, actor, app_id, status=status, before=before, limit=limit)


@router.get("/apps/{app_id}/deliveries/{delivery_id}")
async def get_delivery(app_id: str, delivery_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: one delivery with every attempt (status code, latency, error) and its event."""
    return await deliveries.get_delivery(session, actor, app_id, delivery_id)


@router.post("/apps/{app_id}/deliveries/{delivery_id}/redeliver", status_code=202)
async def post_redeliver(app_id: str, delivery_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: send it again now, with a fresh retry schedule."""
    return await deliveries.redeliver(session, actor, app_id, delivery_id)


class AppTokenRequired(Forbidden):
    code = "app_token_required"
    message = "Call this with an app's access token."


@router.get("/app/failed-events")
async def get_failed_events(
    actor: CurrentActor, session: DB, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> dict[str, Any]:
    """Apps: events that failed every delivery attempt, oldest first."""
    if actor.app is None:
        raise AppTokenRequired()
    return await deliveries.failed_events(session, actor.app, limit=limit)


@router.post("/app/failed-events/ack")
async def post_failed_events_ack(body: schemas.AcknowledgeIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Apps: these failed events were received; they leave the list."""
    if actor.app is None:
        raise AppTokenRequired()
    return {"acknowledged": await deliveries.acknowledge_failed(session, actor.app, body.delivery_ids)}


@router.post("/conversations/{conversation_id}/apps", status_code=201)
async def post_conversation_app(
    conversation_id: str, body: schemas.GroupAppIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Group admins: add an app's bot to the group (its @mentions reach the app)."""
    return await apps.add_bot_to_group(session, actor, conversation_id, body.app_id)


@router.get("/bots")
async def get_bots(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """Members: the organisation's chat bots (apps with the chatbot scope)."""
    return await apps.list_bots(session, actor)


@router.post("/bots/{bot_user_id}/chat")
async def post_bot_chat(bot_user_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Members: the 1:1 chat with a bot (created on first use); every message in it
    reaches the bot's app as a chatbot callback (conversationType "1")."""
    return await apps.open_bot_chat(session, actor, bot_user_id)


RobotCall = Callable[[Session, Any, dict[str, Any]], Awaitable[dict[str, Any]]]


async def _robot_call(request: Request, session: Session, call: RobotCall) -> Any:
    app = await apps.app_for_token(session, request.headers.get("x-acs-dingtalk-access-token"))
    try:
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return _dingtalk_error(400, "invalidParameter.param.invalid", "The body is not a JSON object.")
    try:
        return await call(session, app, body)
    except robot_api.RobotApiError as error:
        return _dingtalk_error(error.status, error.code, error.message)


@dingtalk.post("/v1.0/robot/groupMessages/send")
async def post_group_message(request: Request, session: DB) -> Any:
    """DingTalk's enterprise robot: an app's bot posts a template message (``msgKey``
    sampleText, sampleMarkdown, sampleLink, sampleImageMsg, sampleActionCard[2-6]) to a
    group it was added to. Authenticated by ``x-acs-dingtalk-access-token``."""
    return await _robot_call(request, session, robot_api.send_group_message)


@dingtalk.post("/v1.0/robot/oToMessages/batchSend")
async def post_people_messages(request: Request, session: DB) -> Any:
    """The bot writes the same template message to up to 20 people, each in their 1:1
    chat with it (needs messages.send)."""
    return await _robot_call(request, session, robot_api.batch_send_to_people)


@dingtalk.post("/v1.0/robot/ding/send")
async def post_robot_ding(request: Request, session: DB) -> Any:
    """A DING from the bot: remindType 1 in-app, 2 SMS, 3 phone call (needs ding.send)."""
    return await _robot_call(request, session, robot_api.send_ding)


@dingtalk.post("/v1.0/robot/ding/recall")
async def post_robot_ding_recall(request: Request, session: DB) -> Any:
    """The bot takes back a DING it sent."""
    return await _robot_call(request, session, robot_api.recall_ding)
