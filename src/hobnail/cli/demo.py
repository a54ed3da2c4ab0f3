"""`hobnail demo`: a demo organisation so a visitor can click around at once."""

from __future__ import annotations

import secrets

import typer

from hobnail.core.config import Settings
from hobnail.core.validation import normalize_phone
from hobnail.db.engine import create_engine, create_sessionmaker
from hobnail.db.session import Session
from hobnail.domains.accounts import directory, repository, service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.attendance import groups as attendance_groups
from hobnail.domains.reports import templates as report_templates

DEPARTMENTS = {
    "管理层 Management": [],
    "研发部 Engineering": ["前端组 Frontend", "后端组 Backend"],
    "市场部 Marketing": [],
    "人事行政部 HR & Admin": [],
}

# (name, e-mail local part, phone, department, title, role)
PEOPLE = [
    ("王芳", "wang.fang", "13800000001", "管理层 Management", "CEO 首席执行官", "admin"),
    ("David Chen", "david.chen", "13800000002", "管理层 Management", "CTO", "admin"),
    ("李娜", "li.na", "13800000003", "人事行政部 HR & Admin", "HR 经理", "admin"),
    ("张伟", "zhang.wei", "13800000004", "研发部 Engineering", "研发总监", "member"),
    ("刘洋", "liu.yang", "13800000005", "前端组 Frontend", "前端工程师", "member"),
    ("Emily Zhao", "emily.zhao", "13800000006", "前端组 Frontend", "UI Designer", "member"),
    ("陈静", "chen.jing", "13800000007", "前端组 Frontend", "前端工程师", "member"),
    ("杨磊", "yang.lei", "13800000008", "后端组 Backend", "后端工程师", "member"),
    ("Michael Sun", "michael.sun", "13800000009", "后端组 Backend", "Backend Engineer", "member"),
    ("赵敏", "zhao.min", "13800000010", "后端组 Backend", "测试工程师", "member"),
    ("黄强", "huang.qiang", "13800000011", "后端组 Backend", "运维工程师", "member"),
    ("周杰", "zhou.jie", "13800000012", "研发部 Engineering", "架构师", "member"),
    ("吴霞", "wu.xia", "13800000013", "市场部 Marketing", "市场总监", "member"),
    ("Sarah Lin", "sarah.lin", "13800000014", "市场部 Marketing", "Marketing Manager", "member"),
    ("徐明", "xu.ming", "13800000015", "市场部 Marketing", "品牌经理", "member"),
    ("孙丽", "sun.li", "13800000016", "市场部 Marketing", "内容运营", "member"),
    ("马超", "ma.chao", "13800000017", "市场部 Marketing", "销售经理", "member"),
    ("朱红", "zhu.hong", "13800000018", "人事行政部 HR & Admin", "招聘专员", "member"),
    ("胡斌", "hu.bin", "13800000019", "人事行政部 HR & Admin", "行政专员", "member"),
    ("James Guo", "james.guo", "13800000020", "人事行政部 HR & Admin", "Finance Officer", "member"),
    ("郭婷", "guo.ting", "13800000021", "前端组 Frontend", "前端实习生", "member"),
    ("何军", "he.jun", "13800000022", "后端组 Backend", "数据工程师", "member"),
    ("林燕", "lin.yan", "13800000023", "研发部 Engineering", "产品经理", "member"),
    ("Olivia Xu", "olivia.xu", "13800000024", "研发部 Engineering", "Product Designer", "member"),
    ("罗刚", "luo.gang", "13800000025", "后端组 Backend", "安全工程师", "member"),
    ("高峰", "gao.feng", "13800000026", "市场部 Marketing", "渠道经理", "member"),
    ("梁雪", "liang.xue", "13800000027", "人事行政部 HR & Admin", "薪酬专员", "member"),
    ("宋涛", "song.tao", "13800000028", "前端组 Frontend", "移动端工程师", "member"),
    ("Kevin Tang", "kevin.tang", "13800000029", "后端组 Backend", "SRE", "member"),
    ("谢雨", "xie.yu", "13800000030", "管理层 Management", "总经理助理", "member"),
]

DOMAIN = "demo.hobnail.local"


async def _demo_work_rules(session: Session, actor: Actor, department_ids: list[str]) -> None:
    """Everyone clocks in 09:00–18:00 at the office (field clock-in allowed) and writes a
    daily report by 20:00 on working days."""
    office = {"name": "总部 HQ", "latitude": 31.2304, "longitude": 121.4737, "radius": 500}
    await attendance_groups.create_group(
        session, actor,
        {"name": "总部考勤 HQ", "department_ids": department_ids, "rules": {"places": [office], "field_allowed": True}},
    )  # fmt: skip
    await report_templates.ensure_builtin(session, actor.org_id)
    for template in await report_templates.list_templates(session, actor):
        if template["builtin"] == "daily":
            rules = {"period": "daily", "deadline": "20:00", "department_ids": department_ids}
            await report_templates.update_template(session, actor, template["id"], {"rules": rules})


async def load_demo(settings: Settings, *, force: bool = False) -> None:
    """Create 示例科技 Demo Tech with departments and 30 people. Prints each login."""
    engine = create_engine(settings.resolved_database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            if await repository.user_by_email(session, f"wang.fang@{DOMAIN}") is not None:
                typer.echo("The demo organisation is already loaded.")
                return
            if not force and not await service.setup_needed(session):
                typer.echo("This server already has an organisation; use --reset to add the demo anyway.")
                raise typer.Exit(1)
            first = PEOPLE[0]
            owner_password = secrets.token_urlsafe(6)
            owner = await service.new_user(
                session,
                name=first[0],
                email=f"{first[1]}@{DOMAIN}",
                phone=normalize_phone(first[2]),
                password=owner_password,
            )
            org, membership = await service.new_organization(
                session, owner, name="示例科技 Demo Tech", timezone="Asia/Shanghai", language="zh-CN"
            )
            actor = Actor(user=owner, org=org, membership=membership)
            ids: dict[str, str] = {}
            for top, children in DEPARTMENTS.items():
                ids[top] = (await directory.create_department(session, actor, name=top, parent_id=None)).id
                for child in children:
                    ids[child] = (await directory.create_department(session, actor, name=child, parent_id=ids[top])).id
            membership.title = first[4]
            await repository.set_user_departments(session, org.id, owner.id, [ids[first[3]]])
            logins = [(first[0], f"{first[1]}@{DOMAIN}", first[2], owner_password, "owner")]
            for name, local, phone, department, title, role in PEOPLE[1:]:
                created = await directory.add_member(
                    session, actor, name=name, email=f"{local}@{DOMAIN}", phone=phone,
                    title=title, role=role, department_ids=[ids[department]], fast_initial_password=True,
                )  # fmt: skip
                logins.append((name, f"{local}@{DOMAIN}", phone, created.initial_password or "", role))
            await _demo_work_rules(session, actor, [ids[top] for top in DEPARTMENTS])
            await session.commit()
    finally:
        await engine.dispose()
    typer.echo(f"Demo organisation loaded: {org.name} (attendance 09:00–18:00, daily reports by 20:00).")
    typer.echo("Sign in with any of these:")
    for name, email, phone, password, role in logins:
        typer.echo(f"  {name:<12} {email:<32} {phone}  password: {password}  ({role})")
