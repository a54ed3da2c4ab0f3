"""The one clock. Aware UTC datetimes everywhere; tests move it forward instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """The current time, aware UTC, including any test offset."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def advance(delta: timedelta) -> None:
    """Move the clock forward (tests and the admin 'time travel' for demos)."""
    global _offset, _frozen
    if _frozen is not None:
        _frozen = _frozen + delta
    else:
        _offset += delta


def freeze(at: datetime | None = None) -> None:
    global _frozen
    _frozen = (at or now()).astimezone(UTC)


def reset() -> None:
    global _offset, _frozen
    _offset = timedelta(0)
    _frozen = None


def ensure_aware(value: datetime) -> datetime:
    """Naive datetimes are taken to be UTC (SQLite returns them so)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def isoformat(value: datetime) -> str:
    return ensure_aware(value).isoformat().replace("+00:00", "Z")
