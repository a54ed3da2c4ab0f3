"""Admin console: departments, adding a member (who then signs in), CSV import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import ORG_NAME, OWNER_EMAIL, OWNER_PASSWORD, NewPage, Page, Site, expect, sign_in

pytestmark = pytest.mark.browser


def open_admin_tab(page: Page, tab: str) -> None:
    page.get_by_test_id("nav-admin").click()
    expect(page.get_by_test_id("admin-tabs")).to_be_visible()
    page.get_by_test_id(f"admin-tab-{tab}").click()
    expect(page.get_by_test_id(f"admin-tab-{tab}")).to_have_attribute("aria-current", "page")


def test_admin_adds_a_department_and_a_member_who_can_sign_in(site: Site, new_page: NewPage) -> None:
    admin = new_page(site.base_url, label="admin")
    sign_in(admin, OWNER_EMAIL, OWNER_PASSWORD)

    # Admin → Departments → New department 研发部.
    open_admin_tab(admin, "departments")
    admin.get_by_test_id("department-new").click()
    dialog = admin.get_by_test_id("department-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("department-name").fill("研发部")
    dialog.get_by_test_id("department-save").click()
    expect(dialog).to_have_count(0)
    toast = admin.get_by_test_id("toast").filter(has_text="Department created")
    expect(toast).to_be_visible()
    # Toasts sit over the top-right page actions (e.g. "Add member") for 5 s: close it, as a user would.
    toast.get_by_role("button", name="Close").click()
    expect(toast).to_have_count(0)
    expect(admin.get_by_test_id("admin-department-name")).to_have_text(["研发部"])

    # Admin → Members → Add member, in 研发部, with a generated password.
    open_admin_tab(admin, "members")
    admin.get_by_test_id("member-add").click()
    form = admin.get_by_test_id("member-dialog")
    expect(form).to_be_visible()
    form.get_by_test_id("member-name").fill("李 研发")
    form.get_by_test_id("member-title").fill("Engineer")
    form.get_by_test_id("member-email").fill("li.dev@example.com")
    form.get_by_test_id("member-departments").get_by_label("研发部").check()
    form.get_by_test_id("member-save").click()

    shown = admin.get_by_test_id("initial-password-dialog")
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("李 研发")
    expect(shown.get_by_test_id("initial-login")).to_have_value("li.dev@example.com")
    initial_password = shown.get_by_test_id("initial-password").input_value()
    assert len(initial_password) >= 8
    shown.get_by_test_id("initial-password-done").click()
    expect(shown).to_have_count(0)
    row = admin.get_by_test_id("admin-member-row").filter(has_text="李 研发")
    expect(row).to_contain_text("研发部")

    # The new member signs in elsewhere with that password and lands on the org home.
    member = new_page(site.base_url, label="member")
    member.goto("/login")
    member.get_by_test_id("login-identifier").fill("li.dev@example.com")
    member.get_by_test_id("login-password").fill(initial_password)
    member.get_by_test_id("login-submit").click()
    expect(member).to_have_url(f"{site.base_url}/")
    expect(member.get_by_test_id("welcome-org")).to_have_text(ORG_NAME)
    expect(member.get_by_test_id("welcome-card")).to_contain_text("李 研发")

    # Contacts lists the person under 研发部.
    member.get_by_test_id("nav-contacts").click()
    department = member.get_by_test_id("department-item").filter(has_text="研发部")
    expect(department).to_contain_text("1")
    department.click()
    expect(member.get_by_test_id("member-list-title")).to_have_text("研发部")
    expect(member.get_by_test_id("member-row")).to_have_count(1)
    expect(member.get_by_test_id("member-row")).to_contain_text("李 研发")
    expect(member.get_by_test_id("member-row")).to_contain_text("Engineer · 研发部")


def test_csv_import_refuses_a_bad_row_then_imports_gbk(site: Site, new_page: NewPage, tmp_path: Path) -> None:
    page = new_page(site.base_url)
    sign_in(page, OWNER_EMAIL, OWNER_PASSWORD)
    open_admin_tab(page, "import")
    expect(page.get_by_test_id("import-columns")).to_be_visible()

    bad = tmp_path / "members-bad.csv"
    bad.write_text("姓名,邮箱,部门\n赵六,zhao6@example.com,销售部\n钱七,not-an-email,销售部\n", encoding="utf-8")
    page.get_by_test_id("import-file").set_input_files(bad)
    page.get_by_test_id("import-submit").click()

    expect(page.get_by_test_id("import-errors-summary")).to_have_text(
        "The file has errors; nothing was imported. Fix the rows listed and try again."
    )
    error_rows = page.get_by_test_id("import-error-row")
    expect(error_rows).to_have_count(1)
    expect(error_rows.locator("td").first).to_have_text("3")  # header is line 1, 钱七 is line 3
    expect(error_rows).to_contain_text("That is not a valid e-mail address.")
    expect(page.get_by_test_id("import-success")).to_have_count(0)
    assert site.api.members("zhao6") == []
    assert site.api.members("钱七") == []
    assert "销售部" not in {d["name"] for d in site.api.departments()}

    good = tmp_path / "members-gbk.csv"
    good.write_bytes("姓名,邮箱,部门\n王五,wang5@example.com,市场部\n".encode("gbk"))
    page.get_by_test_id("import-file").set_input_files(good)
    page.get_by_test_id("import-submit").click()

    expect(page.get_by_test_id("import-success")).to_have_text("1 members imported.")
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    expect(page.get_by_test_id("import-members")).to_contain_text("王五")
    expect(page.get_by_test_id("import-download-passwords")).to_be_visible()

    [wang] = site.api.members("wang5@example.com")
    assert wang["name"] == "王五"
    assert wang["email"] == "wang5@example.com"
    departments = {d["id"]: d["name"] for d in site.api.departments()}
    assert [departments[i] for i in wang["department_ids"]] == ["市场部"]
