"""Property tests: parsers either return a normal form or raise a HobnailError — nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hobnail.core.errors import HobnailError, ValidationFailed
from hobnail.core.pagination import InvalidCursor, decode_cursor, encode_cursor
from hobnail.core.validation import normalize_email, normalize_phone
from hobnail.domains.accounts.csv_import import decode_csv, parse_csv
from hobnail.domains.accounts.service import pinyin_of


@given(st.text(max_size=40))
def test_phone_normalisation_is_total_and_idempotent(raw: str) -> None:
    try:
        phone = normalize_phone(raw)
    except ValidationFailed as error:
        assert error.code == "invalid_phone"
        return
    assert normalize_phone(phone) == phone
    assert phone.lstrip("+").isdigit()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("13800138000", "+8613800138000"), ("+86 138-0013-8000", "+8613800138000"), ("0086 13800138000", "+8613800138000"),
     ("+1 (415) 555-0100", "+14155550100"), ("021 6123 4567", "02161234567")],
)  # fmt: skip
def test_phone_examples(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@given(st.text(max_size=60))
def test_email_normalisation_is_total_and_idempotent(raw: str) -> None:
    try:
        email = normalize_email(raw)
    except ValidationFailed as error:
        assert error.code == "invalid_email"
        return
    assert normalize_email(email) == email
    assert email.count("@") == 1


@given(st.lists(st.one_of(st.integers(-(2**63), 2**63 - 1), st.text(max_size=20)), min_size=1, max_size=3))
def test_cursors_round_trip(values: list[object]) -> None:
    assert decode_cursor(encode_cursor(*values), len(values)) == values


@given(st.text(max_size=50))
def test_garbage_cursors_are_invalid_cursor(raw: str) -> None:
    try:
        decode_cursor(raw, 2)
    except InvalidCursor:
        pass


@given(st.binary(max_size=300))
def test_csv_parsing_never_fails_unexpectedly(data: bytes) -> None:
    try:
        rows, errors = parse_csv(decode_csv(b"name,email,phone\n" + data), max_rows=50)
    except HobnailError:
        return
    for row in rows:
        assert row.name and (row.email or row.phone)
    for error in errors:
        assert isinstance(error["row"], int) and error["code"]


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhang san", "zs"),
        ("李四光", "li si guang", "lsg"),
        ("Alice Wang", "alice wang", "aw"),
        ("王Kevin", "wang kevin", "wk"),
    ],
)
def test_pinyin_for_directory_search(name: str, full: str, initials: str) -> None:
    assert pinyin_of(name) == (full, initials)
