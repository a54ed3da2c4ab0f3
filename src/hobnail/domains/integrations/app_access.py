"""Apps on Hobnail's own API: an app's access token acts as the app's bot user, on the
routes its scopes open, at most ``APP_REQUESTS_PER_SECOND`` requests a second.

The bot is not a member of the organisation's directory; for a request it acts as an
active member (reads that need an admin — the attendance report, report statistics —
are opened by the matching read scope and run with admin rights, reads only). Every
route not listed here is closed to apps, so a new route is never opened by accident.
"""

from __future__ import annotations

import time
from collections import defaultdict

from hobnail.core.errors import Forbidden, TooManyRequests
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, Principal
from hobnail.domains.integrations.apps import app_for_token
from hobnail.models import App, Membership, Organization, User

APP_REQUESTS_PER_SECOND = 20  # DingTalk's default per app and API
ANY = ""
# (method, route path) → (scope, whether the read runs with admin rights)
APP_ROUTES: dict[tuple[str, str], tuple[str, bool]] = {
    ("GET", "/api/v1/me"): (ANY, False),
    ("GET", "/api/v1/members"): ("contacts.read", False),
    ("GET", "/api/v1/members/{member_id}"): ("contacts.read", False),
    ("GET", "/api/v1/departments"): ("contacts.read", False),
    ("GET", "/api/v1/conversations"): ("messages.read", False),
    ("GET", "/api/v1/conversations/{conversation_id}"): ("messages.read", False),
    ("GET", "/api/v1/conversations/{conversation_id}/members"): ("messages.read", False),
    ("GET", "/api/v1/conversations/{conversation_id}/messages"): ("messages.read", False),
    ("POST", "/api/v1/conversations/{conversation_id}/messages"): ("messages.send", False),
    ("POST", "/api/v1/conversations/direct"): ("messages.send", False),
    ("POST", "/api/v1/messages/{message_id}/recall"): ("messages.send", False),
    ("GET", "/api/v1/messages/{message_id}/receipts"): ("messages.read", False),
    ("POST", "/api/v1/dings"): ("ding.send", True),  # an admin granted it: may DING anyone
    ("GET", "/api/v1/dings/sent"): ("ding.send", False),
    ("GET", "/api/v1/dings/{ding_id}"): ("ding.send", False),
    ("POST", "/api/v1/dings/{ding_id}/recall"): ("ding.send", False),
    ("GET", "/api/v1/attendance/reports/monthly"): ("attendance.read", True),
    ("GET", "/api/v1/attendance/people/{user_id}/month"): ("attendance.read", True),
    ("GET", "/api/v1/attendance/board"): ("attendance.read", True),
    ("GET", "/api/v1/reports/stats"): ("reports.read", True),
    ("GET", "/api/v1/app/failed-events"): (ANY, False),
    ("POST", "/api/v1/app/failed-events/ack"): (ANY, False),
}


class NotForApps(Forbidden):
    code = "not_available_to_apps"
    message = "Apps cannot use this API."


class ScopeMissing(Forbidden):
    code = "scope_missing"


class AppRateLimited(TooManyRequests):
    code = "app_rate_limited"
    message = "This app is making requests too fast; wait a moment."


class _Window:
    """Requests per app in the current second, on this node."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = defaultdict(int)
        self._second = 0

    def hit(self, app_id: str, now: float) -> bool:
        second = int(now)
        if second != self._second:
            self._counts.clear()
            self._second = second
        self._counts[app_id] += 1
        return self._counts[app_id] <= APP_REQUESTS_PER_SECOND


_window = _Window()


async def app_principal(session: Session, token: str) -> Principal | None:
    """The principal an app token stands for (its bot, in its organisation), or None."""
    app = await app_for_token(session, token)
    actor = await app_actor(session, app) if app is not None else None
    if actor is None:
        return None
    return Principal(user=actor.user, org_id=actor.org_id, org=actor.org, membership=actor.membership, app=app)


async def app_actor(session: Session, app: App) -> Actor | None:
    """The app's bot acting in its organisation as an (unsaved) active member."""
    bot, org = await session.get(User, app.bot_user_id), await session.get(Organization, app.org_id)
    if bot is None or org is None:
        return None
    membership = Membership(org_id=org.id, user_id=bot.id, role="member", status="active", kind="staff")
    return Actor(user=bot, org=org, membership=membership, app=app)


def admit(app: App, membership: Membership, method: str, route_path: str) -> None:
    """Raise unless the app may call this route now. Side effect: counts the request and,
    for reads that need it, gives this request's membership admin rights."""
    entry = APP_ROUTES.get((method, route_path))
    if entry is None:
        raise NotForApps()
    scope, as_admin = entry
    if scope and scope not in app.scopes:
        raise ScopeMissing(f"This needs the app's {scope} scope.", details={"scope": scope})
    if not _window.hit(app.id, time.monotonic()):
        raise AppRateLimited(retry_after=1)
    if as_admin:
        membership.role = "admin"
