"""Importing a class roster from XLSX or CSV: per-row errors, all or nothing, the template."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from tests.api.test_education import S, enrol, guardian, school_with_class
from tests.support.api import check, setup_org

HEADER = ["学生姓名", "学号", "家长姓名", "家长手机", "关系", "家长2姓名", "家长2手机", "家长2关系"]


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[list[Any]]) -> bytes:
    return "\n".join(",".join(str(v) for v in row) for row in rows).encode("utf-8-sig")


async def upload(client: httpx.AsyncClient, class_id: str, data: bytes, name: str, **params: str) -> httpx.Response:
    return await client.post(f"{S}/classes/{class_id}/roster", params=params, files={"file": (name, data)})


async def test_an_xlsx_roster_enrols_the_class_with_guardians(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    head_client, _ = setup["head"]
    class_id = setup["class"]["id"]
    data = xlsx([
        HEADER,
        ["小明", 2024001, "张父", 13800138000, "父亲", "张母", "139-0013-9000", "妈妈"],
        ["小亮", "2024002", "张父", "+86 138 0013 8000", "爸爸", None, None, None],
        [None, None, None, None, None, None, None, None],  # blank rows are skipped
        ["小红", "2024003", None, None, None, None, None, None],
    ])  # fmt: skip
    dry = check(await upload(head_client, class_id, data, "roster.xlsx", dry_run="true"))
    assert dry == {"checked": 3, "imported": 0, "dry_run": True, "students": []}
    assert check(await head_client.get(f"{S}/classes/{class_id}/students")) == []
    body = check(await upload(head_client, class_id, data, "roster.xlsx"))
    assert body["imported"] == 3
    by_name = {s["name"]: s for s in check(await head_client.get(f"{S}/classes/{class_id}/students"))}
    assert by_name["小明"]["student_no"] == "2024001"
    assert [(g["name"], g["relation"]) for g in by_name["小明"]["guardians"]] == [
        ("张父", "father"),
        ("张母", "mother"),
    ]
    # One guardian (by number) for both children.
    assert by_name["小亮"]["guardians"][0]["id"] == by_name["小明"]["guardians"][0]["id"]
    assert by_name["小红"]["guardians"] == []
    assert check(await head_client.get(f"{S}/classes/{class_id}"))["student_count"] == 3


async def test_every_bad_row_is_reported_and_nothing_is_imported(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    class_id = setup["class"]["id"]
    await enrol(client, class_id, "已在校", "S-1", guardian("多孩家长", "13700137000"))
    for i in range(8):
        await enrol(client, class_id, f"孩子{i}", f"K-{i}", guardian("多孩家长", "13700137000"))
    rows = [
        HEADER[:5],
        ["好学生", "N-1", "好家长", "13600136000", "母亲"],  # fine on its own
        ["重号", "N-1", "", "", ""],  # same number as row 2
        ["校内重号", "S-1", "", "", ""],  # already in the school
        ["坏号码", "N-3", "家长", "12345678901", "父亲"],  # not a mainland mobile
        ["", "N-4", "", "", ""],  # no name
        ["无学号", "", "", "", ""],
        ["没名字的家长", "N-5", "", "13500135000", "父亲"],
        ["坏关系", "N-6", "某某", "13500135001", "邻居"],
        ["第十个", "N-7", "多孩家长", "13700137000", "父亲"],  # the guardian's 10th child: fine
        ["第十一个", "N-8", "多孩家长", "13700137000", "父亲"],  # 11th: over the limit
    ]
    response = await upload(client, class_id, csv_text(rows), "roster.csv")
    body = check(response, 422)
    assert body["error"]["code"] == "roster_invalid"
    found = {(r["row"], r["code"]) for r in body["error"]["details"]["rows"]}
    assert found == {
        (3, "duplicate_in_file"),
        (4, "student_no_taken"),
        (5, "invalid_phone"),
        (6, "name_required"),
        (7, "student_no_required"),
        (8, "guardian_name_required"),
        (9, "invalid_relation"),
        (11, "guardian_child_limit"),
    }
    assert all(r["message"] and r["field"] for r in body["error"]["details"]["rows"])
    names = {s["name"] for s in check(await client.get(f"{S}/classes/{class_id}/students"))}
    assert "好学生" not in names and "第十个" not in names and len(names) == 9


async def test_header_format_and_permission_errors(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    maths_client, _ = setup["maths"]
    class_id = setup["class"]["id"]
    no_header = await upload(client, class_id, b"foo,bar\n1,2\n", "r.csv")
    assert check(no_header, 422)["error"]["code"] == "roster_header"
    empty = await upload(client, class_id, b"", "r.csv")
    assert check(empty, 422)["error"]["code"] == "roster_empty"
    only_header = await upload(client, class_id, "学生姓名,学号\n".encode(), "r.csv")
    assert check(only_header, 422)["error"]["code"] == "roster_empty"
    broken = await upload(client, class_id, b"PK\x03\x04 not really a workbook", "r.xlsx")
    assert check(broken, 422)["error"]["code"] == "roster_unreadable"
    english = "student name,student number,guardian name,guardian phone,relation\nTom,E-1,Ann,13600136000,mother\n"
    assert check(await upload(client, class_id, english.encode(), "r.csv"))["imported"] == 1
    denied = await upload(maths_client, class_id, english.encode(), "r.csv")
    assert check(denied, 403)["error"]["code"] == "class_manager_required"


async def test_the_template_downloads_as_xlsx_and_csv(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    await school_with_class(client, make_client)
    response = await client.get(f"{S}/roster-template")
    assert response.status_code == 200 and "roster-template.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    first = next(book.worksheets[0].iter_rows(values_only=True))
    assert list(first) == HEADER and book.sheetnames == ["学生名单", "说明"]
    book.close()
    csv_response = await client.get(f"{S}/roster-template", params={"format": "csv"})
    assert csv_response.content.decode("utf-8-sig").strip() == ",".join(HEADER)
    # The template, filled in, imports as it is.
    filled = csv_response.content + "小明,1,张父,13800138000,父亲,,,\n".encode()
    assert check(await upload(client, (await _class_id(client)), filled, "t.csv"))["imported"] == 1


async def _class_id(client: httpx.AsyncClient) -> str:
    return str(check(await client.get(f"{S}/classes"))[0]["id"])
