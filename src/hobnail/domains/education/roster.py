"""Importing a class roster from XLSX or CSV: every row is checked first, against the file
and the school; one bad row imports nothing (all or nothing).

Columns (Chinese or English headers, in any order): 学生姓名 / student name, 学号 /
student number, 家长姓名 / guardian name, 家长手机 / guardian phone, 关系 / relation, and
optionally a second guardian: 家长2姓名, 家长2手机, 家长2关系 (guardian 2 name, …).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from hobnail.core import tables
from hobnail.core.errors import HobnailError, PayloadTooLarge, ValidationFailed
from hobnail.core.validation import check_name
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education import events, repository
from hobnail.domains.education.access import access_class
from hobnail.domains.education.service import announce_class, class_audience
from hobnail.domains.education.students import (
    MAX_CHILDREN,
    GuardianIn,
    check_mainland_mobile,
    check_relation,
    check_student_no,
    link_guardian,
    students_view,
)
from hobnail.events.outbox import record
from hobnail.models import SchoolStudent

TEMPLATE_HEADERS = ["学生姓名", "学号", "家长姓名", "家长手机", "关系", "家长2姓名", "家长2手机", "家长2关系"]
TEMPLATE_HELP = [
    ("学生姓名", "必填 / required: the student's name"),
    ("学号", "必填，全校唯一 / required, unique in the school"),
    ("家长姓名", "选填 / optional: the guardian's name"),
    ("家长手机", "有家长时必填，11 位大陆手机号 / with a guardian: a mainland mobile number"),
    ("关系", "父亲、母亲、爷爷、奶奶、外公、外婆、其他 (空则为其他 / empty: other)"),
    ("家长2姓名 / 家长2手机 / 家长2关系", "选填：第二位家长 / optional: a second guardian"),
]

_COLUMNS = {
    "student_name": ("学生姓名", "姓名", "学生", "studentname", "student", "name"),
    "student_no": ("学号", "学籍号", "studentnumber", "studentno", "number", "no"),
    "guardian_name": ("家长姓名", "家长1姓名", "监护人姓名", "guardianname", "guardian1name", "parentname"),
    "guardian_phone": (
        "家长手机", "家长手机号", "家长1手机", "家长1手机号", "家长电话", "监护人手机",
        "guardianphone", "guardian1phone", "parentphone", "phone",
    ),
    "relation": ("关系", "家长1关系", "与学生关系", "relation", "guardian1relation", "relationship"),
    "guardian2_name": ("家长2姓名", "guardian2name", "parent2name"),
    "guardian2_phone": ("家长2手机", "家长2手机号", "家长2电话", "guardian2phone", "parent2phone"),
    "relation2": ("家长2关系", "relation2", "guardian2relation"),
}  # fmt: skip
_HEADER_NOISE = re.compile(r"[\s_\-()（）*:：]")
_HEADER_WORDS = {_HEADER_NOISE.sub("", w.lower()): key for key, words in _COLUMNS.items() for w in words}


class RosterInvalid(ValidationFailed):
    code = "roster_invalid"
    message = "The roster has errors; nothing was imported. Fix the rows listed and try again."


@dataclass
class RosterRow:
    line: int
    name: str
    student_no: str
    guardians: list[GuardianIn] = field(default_factory=list)


# --- reading the file --------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps long numbers (phones, student numbers) as floats
    return str(value).strip()


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            finally:
                book.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError):
        raise ValidationFailed("The file is not a readable XLSX workbook.", code="roster_unreadable") from None


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed("The file is neither UTF-8 nor GBK text.", code="roster_unreadable")
    try:
        return [[v.strip() for v in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise ValidationFailed(f"The file is not valid CSV: {error}", code="roster_unreadable") from None


def read_rows(data: bytes) -> list[list[str]]:
    """The file's cells as text: XLSX (recognised by its ZIP signature) or CSV."""
    return _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)


def _columns(header: list[str]) -> list[str | None]:
    columns = [_HEADER_WORDS.get(_HEADER_NOISE.sub("", h.lower())) for h in header]
    if "student_name" not in columns or "student_no" not in columns:
        raise ValidationFailed(
            "The first row must name the columns: 学生姓名, 学号, 家长姓名, 家长手机, 关系 "
            "(or student name, student number, guardian name, guardian phone, relation).",
            code="roster_header",
            details={"header": header},
        )
    return columns


def _guardian(cells: dict[str, str], suffix: str, line: int, errors: list[dict[str, Any]]) -> GuardianIn | None:
    name = cells.get(f"guardian{suffix}_name", "")
    phone = cells.get(f"guardian{suffix}_phone", "")
    relation = cells.get(f"relation{suffix}", "")
    if not (name or phone or relation):
        return None
    prefix = f"guardian{suffix}_"
    try:
        if not phone:
            raise ValidationFailed("A guardian needs a mobile number.", code="guardian_phone_required")
        if not name:
            raise ValidationFailed("A guardian needs a name.", code="guardian_name_required")
        return GuardianIn(
            name=check_name(name, f"{prefix}name"),
            phone=check_mainland_mobile(phone, f"{prefix}phone"),
            relation=check_relation(relation or "other", f"relation{suffix}"),
        )
    except HobnailError as error:
        field = error.details.get("field") or (f"{prefix}phone" if "phone" in error.code else f"{prefix}name")
        errors.append({"row": line, "code": error.code, "message": error.message, "field": field})
        return None


def parse_rows(cells: list[list[str]], max_rows: int) -> tuple[list[RosterRow], list[dict[str, Any]]]:
    """Check each row on its own. Returns the good rows and every error (row = line in the file)."""
    if not cells:
        raise ValidationFailed("The file is empty.", code="roster_empty")
    columns = _columns(cells[0])
    rows: list[RosterRow] = []
    errors: list[dict[str, Any]] = []
    for line, values in enumerate(cells[1:], start=2):
        if not any(values):
            continue
        if line - 1 > max_rows:
            raise ValidationFailed(f"At most {max_rows} rows per file.", code="roster_too_many_rows")
        named = {col: values[i] for i, col in enumerate(columns) if col and i < len(values)}
        before = len(errors)
        name = number = ""
        try:
            name = check_name(named.get("student_name", ""), "student_name")
        except HobnailError as error:
            errors.append({"row": line, "code": error.code, "message": error.message, "field": "student_name"})
        try:
            number = check_student_no(named.get("student_no", ""))
        except HobnailError as error:
            errors.append({"row": line, "code": error.code, "message": error.message, "field": "student_no"})
        guardians = [g for g in (_guardian(named, "", line, errors), _guardian(named, "2", line, errors)) if g]
        if len(guardians) == 2 and guardians[0].phone == guardians[1].phone:
            errors.append(
                {"row": line, "code": "duplicate_guardian", "message": "Both guardians have the same number.",
                 "field": "guardian2_phone"}
            )  # fmt: skip
        if len(errors) == before:
            rows.append(RosterRow(line=line, name=name, student_no=number, guardians=guardians))
    return rows, errors


async def check_against_school(session: Session, org_id: str, rows: list[RosterRow]) -> list[dict[str, Any]]:
    """Duplicate numbers in the file or the school; guardians who would pass the child limit."""
    errors: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for row in rows:
        if row.student_no in first_line:
            errors.append(
                {"row": row.line, "code": "duplicate_in_file", "field": "student_no",
                 "message": f"Student number {row.student_no} is also on row {first_line[row.student_no]}."}
            )  # fmt: skip
        first_line.setdefault(row.student_no, row.line)
    taken = await repository.taken_student_nos(session, org_id, list(first_line))
    for row in rows:
        if row.student_no in taken and first_line[row.student_no] == row.line:
            errors.append(
                {"row": row.line, "code": "student_no_taken", "field": "student_no",
                 "message": f"Student number {row.student_no} is already used in the school."}
            )  # fmt: skip
    phones = [g.phone for row in rows for g in row.guardians]
    known = await repository.guardians_by_phone(session, org_id, phones)
    existing = await repository.child_counts(session, [g.id for g in known.values()])
    counts: Counter[str] = Counter({phone: existing.get(g.id, 0) for phone, g in known.items()})
    for row in rows:
        for index, guardian in enumerate(row.guardians):
            counts[guardian.phone] += 1
            if counts[guardian.phone] == MAX_CHILDREN + 1:  # report the row that goes over, once
                errors.append(
                    {"row": row.line, "code": "guardian_child_limit",
                     "field": "guardian_phone" if index == 0 else "guardian2_phone",
                     "message": f"The guardian with number {guardian.phone} would have more than "
                     f"{MAX_CHILDREN} children."}
                )  # fmt: skip
    return errors


async def import_roster(
    session: Session, actor: Actor, class_id: str, *, data: bytes, max_bytes: int, max_rows: int, dry_run: bool
) -> dict[str, Any]:
    """Admins and the head teacher enrol a class from a file: every row or none.

    Raises ``RosterInvalid`` with ``details.rows`` (row, code, field, message) for each bad
    row. Side effects: students and guardian links; one ``roster.imported`` event.
    """
    found = await access_class(session, actor, class_id)
    found.require_manager()
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"Roster files are at most {max_bytes // 1024} KiB.", code="roster_too_large")
    rows, errors = parse_rows(read_rows(data), max_rows)
    errors += await check_against_school(session, actor.org_id, rows)
    if errors:
        errors.sort(key=lambda e: int(e["row"]))
        raise RosterInvalid(details={"rows": errors})
    if not rows:
        raise ValidationFailed("The file has no students in it.", code="roster_empty")
    if dry_run:
        return {"checked": len(rows), "imported": 0, "dry_run": True, "students": []}
    students: list[SchoolStudent] = []
    guardian_ids: set[str] = set()
    for row in rows:
        student = SchoolStudent(
            org_id=actor.org_id, class_id=found.school_class.id, name=row.name, student_no=row.student_no
        )
        session.add(student)
        await session.flush()
        for guardian_in in row.guardians:
            guardian_ids.add((await link_guardian(session, actor.org_id, student, guardian_in)).id)
        students.append(student)
    await record(
        session,
        events.RosterImported(
            org_id=actor.org_id, audience=await class_audience(session, actor.org_id, found.school_class.id),
            class_id=found.school_class.id, student_count=len(students), guardian_count=len(guardian_ids),
        ),
    )  # fmt: skip
    await announce_class(session, actor.org_id, found.school_class)
    return {
        "checked": len(rows),
        "imported": len(students),
        "dry_run": False,
        "students": await students_view(session, actor, students, show_phones=True),
    }


def template(format: str) -> bytes:
    """An empty roster to fill in: XLSX (with a sheet explaining the columns) or CSV."""
    if format == "csv":
        return tables.csv_bytes(TEMPLATE_HEADERS, [])
    return tables.xlsx(("学生名单", TEMPLATE_HEADERS, []), ("说明", ["列 / column", "说明 / notes"], TEMPLATE_HELP))
