"""Password hashing (Argon2id) and opaque tokens (stored only as SHA-256 digests)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
# For generated high-entropy passwords only (imports): brute force is hopeless anyway.
_random_password_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
# A hash to verify against when the account does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("hobnail-dummy-password")

MIN_PASSWORD_LENGTH = 8


def use_fast_hashing_for_tests() -> None:
    """Cheap Argon2 parameters (tests only: every sign-in costs ~0.3 s with the real ones)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_random_password(password: str) -> str:
    return _random_password_hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


async def hash_password_async(password: str) -> str:
    """Argon2 takes ~0.3 s of CPU: run it in a thread so the event loop keeps serving."""
    return await asyncio.to_thread(hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)
