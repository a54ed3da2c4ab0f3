"""Short-lived signed download links.

A link names the file, which bytes (original or thumbnail), how to show them (inline or
as an attachment) and when it stops working, signed with HMAC-SHA256 under the instance's
secret. Links carry no credential and are not guessable; they expire (default 10 min),
so a person removed from a chat loses access soon after.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker

from hobnail.core import clock
from hobnail.core.errors import Forbidden
from hobnail.db.session import Session
from hobnail.domains.files import repository
from hobnail.models import InstanceSecret

SECRET_NAME = "download_links"
VARIANTS = ("original", "thumbnail")
LINK_STEP_SECONDS = 300


class LinkInvalid(Forbidden):
    code = "link_invalid"
    message = "This download link is not valid."


class LinkExpired(Forbidden):
    code = "link_expired"
    message = "This download link has expired; open the file again from the chat."


@dataclass(frozen=True)
class Link:
    file_id: str
    variant: str
    inline: bool
    expires: int  # Unix seconds


class Signer:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def _signature(self, link: Link) -> str:
        message = f"{link.file_id}|{link.variant}|{int(link.inline)}|{link.expires}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:20]).decode().rstrip("=")

    def url(self, file_id: str, *, variant: str = "original", inline: bool = False, seconds: int = 600) -> str:
        """A link valid for ``seconds`` (rounded up to the next 5 minutes, so links asked for
        within those minutes are the same URL and a browser can reuse what it fetched)."""
        deadline = int(clock.now().timestamp()) + seconds
        link = Link(file_id, variant, inline, -(-deadline // LINK_STEP_SECONDS) * LINK_STEP_SECONDS)
        query = f"v={variant}&i={int(inline)}&e={link.expires}&s={self._signature(link)}"
        return f"/api/v1/downloads/{file_id}?{query}"

    def verify(self, file_id: str, *, variant: str, inline: str, expires: str, signature: str) -> Link:
        """Raises LinkInvalid for anything tampered with, LinkExpired after the deadline."""
        # ASCII only: str.isdigit() accepts "²" (int() does not) and compare_digest refuses
        # non-ASCII strings with a TypeError.
        if variant not in VARIANTS or inline not in ("0", "1") or len(expires) > 12:
            raise LinkInvalid()
        if not (expires.isascii() and expires.isdigit() and signature.isascii()):
            raise LinkInvalid()
        link = Link(file_id, variant, inline == "1", int(expires))
        if not hmac.compare_digest(self._signature(link), signature):
            raise LinkInvalid()
        if link.expires < clock.now().timestamp():
            raise LinkExpired()
        return link


async def load_or_create_secret(sessionmaker: async_sessionmaker[Session]) -> str:
    """The instance's link secret, created on first start. Every node reads the same row
    (when two nodes start together, the second insert fails and it reads the first's)."""
    for _ in range(2):
        async with sessionmaker() as session:
            existing = await repository.secret(session, SECRET_NAME)
            if existing is not None:
                return existing
            session.add(InstanceSecret(name=SECRET_NAME, value=secrets.token_urlsafe(48)))
            try:
                await session.commit()
            except sa.exc.IntegrityError:
                await session.rollback()
    async with sessionmaker() as session:
        value = await repository.secret(session, SECRET_NAME)
    if value is None:
        raise RuntimeError("could not create the download-link secret")
    return value
