"""Administrative tasks behind CLI commands, each in one unit of work."""

from __future__ import annotations

from hobnail.core.config import Settings
from hobnail.core.validation import normalize_email
from hobnail.db.engine import create_engine, create_sessionmaker
from hobnail.domains.accounts import auth, repository, service
from hobnail.domains.accounts.access import Principal


async def create_admin(settings: Settings, *, email: str, password: str, org_name: str | None, name: str) -> str:
    engine = create_engine(settings.resolved_database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            clean_email = normalize_email(email)
            user = await repository.user_by_email(session, clean_email)
            if user is None:
                auth.check_password_strength(password)
                user = await service.new_user(session, name=name, email=clean_email, phone=None, password=password)
            message = f"user {user.id} <{clean_email}>"
            if org_name:
                org, _ = await service.create_organization(
                    session, user, name=org_name, timezone="Asia/Shanghai", language="zh-CN"
                )
                message += f" owns organisation {org.id} ({org.name})"
            await session.commit()
            return message
    finally:
        await engine.dispose()


async def issue_token(settings: Settings, *, identifier: str, org_id: str | None, name: str) -> str:
    engine = create_engine(settings.resolved_database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            user = await auth.find_user_by_identifier(session, identifier)
            if user is None:
                raise SystemExit(f"no user {identifier}")
            orgs = await repository.orgs_of_user(session, user.id)
            chosen = org_id or (orgs[0][0].id if orgs else None)
            if chosen is None:
                raise SystemExit(f"{identifier} belongs to no organisation")
            actor = await auth.actor_for(session, Principal(user=user, org_id=chosen))
            _, secret = await auth.create_api_token(session, actor, name=name)
            await session.commit()
            return secret
    finally:
        await engine.dispose()
