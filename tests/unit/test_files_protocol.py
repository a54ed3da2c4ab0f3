"""Properties of the upload/download parsers (tus metadata, names, ranges, dispositions)."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hobnail.domains.files import protocol

keys = st.from_regex(r"[A-Za-z0-9_.\-]{1,20}", fullmatch=True)


@given(st.dictionaries(keys, st.text(max_size=50), max_size=8))
def test_metadata_round_trips(metadata: dict[str, str]) -> None:
    assert protocol.parse_metadata(protocol.format_metadata(metadata)) == metadata


@given(st.text(max_size=300))
def test_any_metadata_header_parses_or_is_refused_cleanly(header: str) -> None:
    try:
        protocol.parse_metadata(header)
    except protocol.InvalidMetadata:
        pass


@given(st.text(max_size=400))
def test_names_are_safe_or_refused(raw: str) -> None:
    try:
        name = protocol.check_file_name(raw)
    except protocol.InvalidFileName:
        return
    assert 1 <= len(name) <= protocol.MAX_NAME_CHARS
    assert "/" not in name and "\\" not in name and name not in (".", "..")
    assert not any(unicodedata.category(ch) == "Cc" for ch in name)


@given(st.integers(0, 10**12), st.one_of(st.none(), st.integers(0, 10**13)), st.integers(0, 10**12))
def test_ranges_stay_inside_the_file(first: int, last: int | None, size: int) -> None:
    header = f"bytes={first}-{'' if last is None else last}"
    try:
        parsed = protocol.parse_range(header, size)
    except protocol.RangeNotSatisfiable:
        assert first >= size
        return
    if parsed is None:
        assert last is not None and last < first
        return
    start, end = parsed
    assert 0 <= start <= end < size
    assert start == first


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_suffix_ranges_take_the_end(suffix: int, size: int) -> None:
    start, end = protocol.parse_range(f"bytes=-{suffix}", size) or (-1, -1)
    assert end == size - 1 and end - start + 1 == min(suffix, size)


@given(st.text(max_size=100))
def test_any_range_header_is_handled(header: str) -> None:
    try:
        protocol.parse_range(header, 1000)
    except protocol.RangeNotSatisfiable:
        pass


@given(st.text(min_size=1, max_size=200))
def test_dispositions_carry_the_exact_name(name: str) -> None:
    header = protocol.content_disposition(name, inline=False)
    assert header.isascii()
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert '"' not in fallback and "\\" not in fallback
    assert unquote(header.rsplit("filename*=UTF-8''", 1)[1]) == name


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"filename": "a.pdf"}, ("a.pdf", "application/pdf")),
        ({"filename": "a.bin", "filetype": "image/PNG"}, ("a.bin", "image/png")),
        ({"name": "照片.jpg", "type": "bogus"}, ("照片.jpg", "image/jpeg")),
        ({}, ("untitled", "application/octet-stream")),
    ],
)
def test_names_and_types_from_the_usual_keys(metadata: dict[str, str], expected: tuple[str, str]) -> None:
    assert protocol.name_and_type(metadata) == expected
