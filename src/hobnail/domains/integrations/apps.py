"""Apps: admins create an organisation's internal apps (DingTalk's appKey/appSecret as
``client_id``/``client_secret``), rotate the secret, disable an app, and add its bot to
group chats. Apps trade their credentials for access tokens (client credentials) and for
one-time Stream-mode tickets.

Secrets and tokens are stored as SHA-256 digests; a secret is shown once, when created or
rotated. Each app has a bot user; bot user ids start with ``bot`` — a prefix ordinary ids
never have (their alphabet has no ``o``) — so the event relay can tell a message that
@mentions a bot without a query.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, NotFound, ValidationFailed
from hobnail.core.ids import new_id
from hobnail.core.security import token_digest
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.messaging import conversations as messaging_conversations
from hobnail.domains.messaging.access import access_conversation, require_group_admin
from hobnail.models import App, AppToken, StreamTicket, User

BOT_PREFIX = messaging_conversations.BOT_ID_PREFIX
SCOPES = (
    "contacts.read", "messages.read", "messages.send", "ding.send", "approvals.read", "attendance.read",
    "reports.read", "chatbot",
)  # fmt: skip
TOKEN_LIFETIME = timedelta(seconds=7200)  # DingTalk's
TICKET_LIFETIME = timedelta(minutes=5)


class AppNotFound(NotFound):
    code = "app_not_found"
    message = "No such app."


class InvalidCredentials(Conflict):
    status = 401
    code = "invalid_client"
    message = "Unknown appKey/clientId or wrong secret, or the app is disabled."


def new_bot_id() -> str:
    return BOT_PREFIX + new_id()[len(BOT_PREFIX) :]


is_bot_id = messaging_conversations.is_bot


def app_view(app: App, secret: str | None = None) -> dict[str, Any]:
    view = {
        "id": app.id, "name": app.name, "client_id": app.client_id, "bot_user_id": app.bot_user_id,
        "scopes": app.scopes, "enabled": app.enabled, "created_at": clock.isoformat(app.created_at),
    }  # fmt: skip
    if secret is not None:
        view["client_secret"] = secret
    return view


def _check_scopes(scopes: list[str]) -> list[str]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise ValidationFailed(f"Unknown scope {unknown[0]}; scopes are {', '.join(SCOPES)}.", code="invalid_scope")
    return list(dict.fromkeys(scopes))


async def create_app(session: Session, actor: Actor, *, name: str, scopes: list[str]) -> dict[str, Any]:
    """Admins. Returns the secret once."""
    require_admin(actor)
    bot = User(id=new_bot_id(), name=name.strip(), kind="bot", created_at=clock.now())
    accounts_service.set_user_name(bot, name.strip())
    session.add(bot)
    secret = secrets.token_urlsafe(48)
    app = App(
        org_id=actor.org_id, name=name.strip(), client_id="ding" + secrets.token_hex(10),
        secret_hash=token_digest(secret), bot_user_id=bot.id, scopes=_check_scopes(scopes),
        created_by=actor.user_id, created_at=clock.now(),
    )  # fmt: skip
    session.add(app)
    await session.flush()
    return app_view(app, secret)


async def access_app(session: Session, actor: Actor, app_id: str) -> App:
    require_admin(actor)
    app = await session.scalar(sa.select(App).where(App.org_id == actor.org_id, App.id == app_id))
    if app is None:
        raise AppNotFound()
    return app


async def list_apps(session: Session, actor: Actor) -> list[dict[str, Any]]:
    require_admin(actor)
    rows = await session.scalars(sa.select(App).where(App.org_id == actor.org_id).order_by(App.created_at))
    return [app_view(a) for a in rows]


async def update_app(session: Session, actor: Actor, app_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    app = await access_app(session, actor, app_id)
    if changes.get("name"):
        app.name = changes["name"].strip()
    if changes.get("scopes") is not None:
        app.scopes = _check_scopes(changes["scopes"])
    if changes.get("enabled") is not None:
        app.enabled = bool(changes["enabled"])
        if not app.enabled:  # its tokens stop working at once
            await session.execute(sa.delete(AppToken).where(AppToken.app_id == app.id))
    await session.flush()
    return app_view(app)


async def rotate_secret(session: Session, actor: Actor, app_id: str) -> dict[str, Any]:
    """A new secret (shown once); the old one and every token stop working."""
    app = await access_app(session, actor, app_id)
    secret = secrets.token_urlsafe(48)
    app.secret_hash = token_digest(secret)
    await session.execute(sa.delete(AppToken).where(AppToken.app_id == app.id))
    await session.flush()
    return app_view(app, secret)


async def add_bot_to_group(session: Session, actor: Actor, conversation_id: str, app_id: str) -> dict[str, Any]:
    """Group admins add an app's bot to their group; @mentions of it reach the app."""
    conversation, member = await access_conversation(session, actor, conversation_id)
    require_group_admin(actor, conversation, member)
    app = await session.scalar(sa.select(App).where(App.org_id == actor.org_id, App.id == app_id))
    if app is None or not app.enabled:
        raise AppNotFound()
    await messaging_conversations.add_bot(
        session, conversation, app.bot_user_id, actor_id=actor.user_id, bot_name=app.name
    )
    return app_view(app)


async def list_bots(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Members: the chat bots of their organisation (apps with the chatbot scope) they
    can talk to in a 1:1 chat."""
    rows = await session.scalars(
        sa.select(App).where(App.org_id == actor.org_id, App.enabled.is_(True)).order_by(App.name)
    )
    return [{"app_id": a.id, "bot_user_id": a.bot_user_id, "name": a.name} for a in rows if "chatbot" in a.scopes]


async def open_bot_chat(session: Session, actor: Actor, bot_user_id: str) -> dict[str, Any]:
    """The member's 1:1 chat with a chat bot; every message in it reaches the bot's app."""
    app = await session.scalar(sa.select(App).where(App.org_id == actor.org_id, App.bot_user_id == bot_user_id))
    if app is None or not app.enabled or "chatbot" not in app.scopes:
        raise AppNotFound()
    return await messaging_conversations.open_direct(session, actor, bot_user_id, vouched_bot=True)


async def authenticate(session: Session, client_id: str, secret: str) -> App:
    app = await session.scalar(sa.select(App).where(App.client_id == client_id))
    if app is None or not app.enabled or not secrets.compare_digest(app.secret_hash, token_digest(secret)):
        raise InvalidCredentials()
    return app


async def issue_token(session: Session, client_id: str, secret: str) -> tuple[str, int]:
    """(access token, seconds it lives) for an app's credentials."""
    app = await authenticate(session, client_id, secret)
    token = secrets.token_urlsafe(32)
    now = clock.now()
    await session.execute(sa.delete(AppToken).where(AppToken.app_id == app.id, AppToken.expires_at < now))
    session.add(AppToken(token_hash=token_digest(token), app_id=app.id, expires_at=now + TOKEN_LIFETIME))
    await session.flush()
    return token, int(TOKEN_LIFETIME.total_seconds())


async def app_for_token(session: Session, token: str | None) -> App | None:
    if not token:
        return None
    row = await session.get(AppToken, token_digest(token))
    if row is None or row.expires_at <= clock.now():
        return None
    app = await session.get(App, row.app_id)
    return app if app is not None and app.enabled else None


async def open_ticket(
    session: Session, client_id: str, secret: str, subscriptions: list[dict[str, str]], origin: str
) -> str:
    """A one-time ticket for the Stream-mode WebSocket (five minutes to use it)."""
    app = await authenticate(session, client_id, secret)
    ticket = secrets.token_urlsafe(32)
    session.add(
        StreamTicket(
            ticket_hash=token_digest(ticket), app_id=app.id, subscriptions=subscriptions, origin=origin,
            expires_at=clock.now() + TICKET_LIFETIME,
        )
    )  # fmt: skip
    await session.flush()
    return ticket


async def use_ticket(session: Session, ticket: str) -> StreamTicket | None:
    """The ticket, marked used (None if unknown, used or expired). Side effect: a write."""
    now = clock.now()
    result = await session.execute(
        sa.update(StreamTicket)
        .where(
            StreamTicket.ticket_hash == token_digest(ticket), StreamTicket.used_at.is_(None),
            StreamTicket.expires_at > now,
        )
        .values(used_at=now)
        .returning(StreamTicket.app_id, StreamTicket.subscriptions, StreamTicket.origin)
    )  # fmt: skip
    row = result.first()
    if row is None:
        return None
    return StreamTicket(ticket_hash="", app_id=row[0], subscriptions=row[1], origin=row[2], expires_at=now)
