"""Importing members from a CSV file: every row is checked first; one bad row imports nothing.

Accepts UTF-8 (with or without BOM) and GBK/GB18030, which Chinese Excel exports use.
Headers may be English or Chinese: name/姓名, email/邮箱, phone/手机, department/部门
(a path such as ``研发部/前端组``; missing departments are created), title/职位,
employee_no/工号, role/角色.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from hobnail.core.errors import HobnailError, PayloadTooLarge, ValidationFailed
from hobnail.core.validation import check_name, normalize_email, normalize_phone
from hobnail.db.session import Session
from hobnail.domains.accounts import repository
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.accounts.directory import NewMember, add_member, create_department

HEADERS = {
    "name": "name", "姓名": "name",
    "email": "email", "邮箱": "email", "电子邮箱": "email",
    "phone": "phone", "mobile": "phone", "手机": "phone", "手机号": "phone", "手机号码": "phone",
    "department": "department", "部门": "department",
    "title": "title", "职位": "title", "职务": "title",
    "employee_no": "employee_no", "工号": "employee_no",
    "role": "role", "角色": "role",
}  # fmt: skip
ROLES = {"member": "member", "成员": "member", "admin": "admin", "管理员": "admin", "": "member"}


class ImportFailed(ValidationFailed):
    code = "import_failed"
    message = "The file has errors; nothing was imported. Fix the rows listed and try again."


@dataclass
class ImportRow:
    line: int
    name: str
    email: str | None
    phone: str | None
    department_path: list[str] = field(default_factory=list)
    title: str = ""
    employee_no: str = ""
    role: str = "member"


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("The file is neither UTF-8 nor GBK text.", code="csv_encoding")


def parse_csv(text: str, max_rows: int) -> tuple[list[ImportRow], list[dict[str, object]]]:
    """Parse and check each row on its own. Returns the rows and the per-row errors."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValidationFailed("The file is empty.", code="csv_empty") from None
    columns = [HEADERS.get(h.strip().lower(), HEADERS.get(h.strip())) for h in header]
    if "name" not in columns or not ({"email", "phone"} & set(columns)):
        raise ValidationFailed(
            "The first line must name the columns: name, and email or phone (or 姓名, 邮箱/手机).",
            code="csv_header",
            details={"header": header},
        )
    rows: list[ImportRow] = []
    errors: list[dict[str, object]] = []
    try:
        for line_no, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) + len(errors) >= max_rows:
                raise ValidationFailed(f"At most {max_rows} rows per file.", code="csv_too_many_rows")
            cells = {col: values[i].strip() for i, col in enumerate(columns) if col and i < len(values)}
            try:
                role = ROLES.get(cells.get("role", "").lower())
                if role is None:
                    raise ValidationFailed("Role must be member or admin.", code="invalid_role")
                email = normalize_email(cells["email"]) if cells.get("email") else None
                phone = normalize_phone(cells["phone"]) if cells.get("phone") else None
                if not email and not phone:
                    raise ValidationFailed("Give an e-mail address or a mobile number.", code="contact_required")
                rows.append(
                    ImportRow(
                        line=line_no,
                        name=check_name(cells.get("name", "")),
                        email=email,
                        phone=phone,
                        department_path=[p.strip() for p in cells.get("department", "").split("/") if p.strip()],
                        title=cells.get("title", "")[:100],
                        employee_no=cells.get("employee_no", "")[:64],
                        role=role,
                    )
                )
            except HobnailError as error:
                errors.append({"row": line_no, "code": error.code, "message": error.message})
    except csv.Error as error:
        raise ValidationFailed(f"The file is not valid CSV: {error}", code="csv_malformed") from None
    return rows, errors


async def _check_against_directory(session: Session, actor: Actor, rows: list[ImportRow]) -> list[dict[str, object]]:
    errors: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for row in rows:
        for contact in (row.email, row.phone):
            if contact is None:
                continue
            if contact in seen:
                errors.append(
                    {
                        "row": row.line,
                        "code": "duplicate_in_file",
                        "message": f"{contact} is also on line {seen[contact]}.",
                    }
                )
            seen.setdefault(contact, row.line)
        by_email = await repository.user_by_email(session, row.email) if row.email else None
        by_phone = await repository.user_by_phone(session, row.phone) if row.phone else None
        if by_email and by_phone and by_email.id != by_phone.id:
            errors.append(
                {"row": row.line, "code": "contact_mismatch", "message": "E-mail and phone belong to two accounts."}
            )
            continue
        user = by_email or by_phone
        if user is not None and await repository.membership(session, actor.org_id, user.id) is not None:
            errors.append({"row": row.line, "code": "duplicate_member", "message": f"{row.name} is already a member."})
    return errors


async def _department_for_path(
    session: Session, actor: Actor, path: list[str], cache: dict[tuple[str, ...], str]
) -> str | None:
    parent_id: str | None = None
    for depth in range(len(path)):
        key = tuple(path[: depth + 1])
        if key not in cache:
            existing = await repository.department_by_name(session, actor.org_id, parent_id, path[depth])
            if existing is None:
                existing = await create_department(session, actor, name=path[depth], parent_id=parent_id)
            cache[key] = existing.id
        parent_id = cache[key]
    return parent_id


async def import_members(
    session: Session, actor: Actor, *, data: bytes, max_bytes: int, max_rows: int, dry_run: bool
) -> tuple[int, list[NewMember]]:
    """Import every row or none. Returns (rows checked, members created; none on a dry run).
    Raises ``ImportFailed`` with ``details.rows`` listing each bad row."""
    require_admin(actor)
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"CSV files are at most {max_bytes // 1024} KiB.", code="csv_too_large")
    rows, errors = parse_csv(decode_csv(data), max_rows)
    errors += await _check_against_directory(session, actor, rows)
    if errors:
        errors.sort(key=lambda e: int(str(e["row"])))
        raise ImportFailed(details={"rows": errors})
    if not rows:
        raise ValidationFailed("The file has no members in it.", code="csv_empty")
    if dry_run:
        return len(rows), []
    cache: dict[tuple[str, ...], str] = {}
    created: list[NewMember] = []
    for row in rows:
        department_id = (
            await _department_for_path(session, actor, row.department_path, cache) if row.department_path else None
        )
        created.append(
            await add_member(
                session,
                actor,
                name=row.name,
                email=row.email,
                phone=row.phone,
                title=row.title,
                employee_no=row.employee_no,
                role=row.role,
                department_ids=[department_id] if department_id else [],
                fast_initial_password=True,
            )
        )
    return len(rows), created
