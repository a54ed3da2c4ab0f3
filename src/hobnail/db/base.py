"""Declarative base with naming conventions so migrations are stable on both databases."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hobnail.core import clock
from hobnail.core.ids import new_id
from hobnail.db.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def id_column() -> Mapped[str]:
    return mapped_column(sa.String(26), primary_key=True, default=new_id)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), nullable=False, default=clock.now)
