"""Pure checks of the school domain: mainland mobile numbers, relations, roster rows."""

from __future__ import annotations

import pytest

from hobnail.core.errors import ValidationFailed
from hobnail.domains.education.roster import parse_rows
from hobnail.domains.education.students import check_mainland_mobile, check_relation, check_student_no


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("138-0013-8000", "+8613800138000"),
        ("+86 13800138000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("008619912345678", "+8619912345678"),
    ],
)
def test_mainland_mobiles_are_normalised(raw: str, expected: str) -> None:
    assert check_mainland_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345678901", "1380013800", "138001380001", "+1 4155550100", "1380013800x"])
def test_other_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        check_mainland_mobile(raw)
    assert error.value.code == "invalid_phone"


@pytest.mark.parametrize(
    ("raw", "code"),
    [("父亲", "father"), ("爸爸", "father"), ("妈妈", "mother"), ("爷爷", "grandfather"), ("奶奶", "grandmother"),
     ("外公", "maternal_grandfather"), ("姥姥", "maternal_grandmother"), ("其他", "other"), ("Mother", "mother"),
     ("maternal_grandfather", "maternal_grandfather")],
)  # fmt: skip
def test_relations_accept_words_and_codes(raw: str, code: str) -> None:
    assert check_relation(raw) == code


def test_unknown_relations_and_bad_numbers() -> None:
    with pytest.raises(ValidationFailed):
        check_relation("邻居")
    with pytest.raises(ValidationFailed):
        check_student_no("  ")
    with pytest.raises(ValidationFailed):
        check_student_no("A 1")
    assert check_student_no(" 2024001 ") == "2024001"


def test_rows_are_checked_one_by_one_with_their_line_numbers() -> None:
    rows, errors = parse_rows(
        [
            ["学号", "学生姓名", "家长手机", "家长姓名", "关系"],  # any column order
            ["1", "小明", "13800138000", "张父", ""],  # empty relation: other
            ["", "", "", "", ""],
            ["2", "小亮", "1380013800", "张父", "父亲"],
            ["3", "小红", "", "", ""],
        ],
        max_rows=100,
    )
    assert [(r.line, r.name, r.student_no) for r in rows] == [(2, "小明", "1"), (5, "小红", "3")]
    assert rows[0].guardians[0].relation == "other" and rows[1].guardians == []
    assert [(e["row"], e["code"], e["field"]) for e in errors] == [(4, "invalid_phone", "guardian_phone")]


def test_too_many_rows() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_rows([["学生姓名", "学号"], *[[f"s{i}", str(i)] for i in range(4)]], max_rows=3)
    assert error.value.code == "roster_too_many_rows"
