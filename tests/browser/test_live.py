"""Live updates over the event WebSocket, and the invitation → join request → approval flow."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    MEMBER_PASSWORD,
    ORG_NAME,
    OWNER_EMAIL,
    OWNER_PASSWORD,
    NewPage,
    Site,
    expect,
    sign_in,
    unique,
    wait_for_live_stream,
)

pytestmark = pytest.mark.browser


def test_new_department_appears_for_another_user_without_reload(site: Site, new_page: NewPage) -> None:
    email = f"{unique('watcher-')}@example.com"
    site.api.add_member(name="Wen Watcher", email=email)

    member = new_page(site.base_url, label="member")
    sign_in(member, email, MEMBER_PASSWORD)
    member.get_by_test_id("nav-contacts").click()
    expect(member.get_by_test_id("department-all")).to_be_visible()
    wait_for_live_stream(member)
    member.evaluate("window.__sameDocument = true")  # gone if the page reloads

    admin = new_page(site.base_url, label="admin")
    sign_in(admin, OWNER_EMAIL, OWNER_PASSWORD)
    admin.goto("/admin/departments")
    admin.get_by_test_id("department-new").click()
    admin.get_by_test_id("department-name").fill("实时部")
    admin.get_by_test_id("department-save").click()
    expect(admin.get_by_test_id("admin-department-name").filter(has_text="实时部")).to_be_visible()

    expect(member.get_by_test_id("department-item").filter(has_text="实时部")).to_be_visible()
    assert member.evaluate("window.__sameDocument === true"), "the member's page was reloaded"

    # A rename made through the API shows up live as well.
    [created] = [d for d in site.api.departments() if d["name"] == "实时部"]
    site.api.client.patch(f"/api/v1/departments/{created['id']}", json={"name": "实时部二"}).raise_for_status()
    expect(member.get_by_test_id("department-item").filter(has_text="实时部二")).to_be_visible()
    assert member.evaluate("window.__sameDocument === true"), "the member's page was reloaded"


def test_invitation_join_request_and_approval(site: Site, new_page: NewPage) -> None:
    department = site.api.add_department(unique("新人部-"))

    admin = new_page(site.base_url, label="admin")
    sign_in(admin, OWNER_EMAIL, OWNER_PASSWORD)
    admin.get_by_test_id("nav-admin").click()
    admin.get_by_test_id("admin-tab-invitations").click()
    expect(admin.get_by_test_id("join-requests-empty")).to_have_text("No requests waiting.")
    admin.get_by_test_id("invitation-department").select_option(label=department["name"])
    admin.get_by_test_id("invitation-create").click()
    created = admin.get_by_test_id("invitation-created")
    expect(created).to_contain_text("Invitation ready")
    code = created.get_by_test_id("invitation-code").input_value()
    link = created.get_by_test_id("invitation-url").input_value()
    assert code
    assert link.startswith(site.base_url) and link.endswith(f"/join/{code}"), link
    expect(admin.get_by_test_id("invitation-row").filter(has_text=code)).to_contain_text("Active")
    wait_for_live_stream(admin)
    badge = admin.get_by_test_id("join-request-badge")
    expect(badge).to_be_hidden()

    # Someone without an account opens the link and asks to join.
    applicant = new_page(site.base_url, label="applicant")
    applicant.goto(f"/join/{code}")
    expect(applicant.get_by_test_id("join-org-name")).to_have_text(ORG_NAME)
    applicant.get_by_test_id("join-name").fill("赵 新人")
    applicant.get_by_test_id("join-phone").fill("13700001111")
    applicant.get_by_test_id("join-password").fill("newcomer password")
    applicant.get_by_test_id("join-submit").click()
    expect(applicant.get_by_role("heading", name="Request sent")).to_be_visible()
    expect(applicant.get_by_test_id("join-sent")).to_contain_text(f"Your request to join {ORG_NAME} was sent.")

    # The admin sees it arrive live: a toast, the badge and the row.
    expect(admin.get_by_test_id("toast").filter(has_text="New join request from 赵 新人")).to_be_visible()
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("1")
    request = admin.get_by_test_id("join-request").filter(has_text="赵 新人")
    expect(request).to_contain_text("+8613700001111")

    # Not approved yet: signing in does not work.
    applicant.goto("/login")
    applicant.get_by_test_id("login-identifier").fill("13700001111")
    applicant.get_by_test_id("login-password").fill("newcomer password")
    applicant.get_by_test_id("login-submit").click()
    expect(applicant.get_by_test_id("form-error")).to_be_visible()
    expect(applicant.get_by_test_id("app-header")).to_have_count(0)

    request.get_by_test_id("join-approve").click()
    expect(admin.get_by_test_id("toast").filter(has_text="赵 新人 was approved")).to_be_visible()
    expect(admin.get_by_test_id("join-request")).to_have_count(0)
    expect(admin.get_by_test_id("join-requests-empty")).to_be_visible()
    expect(badge).to_be_hidden()

    applicant.get_by_test_id("login-submit").click()
    expect(applicant).to_have_url(f"{site.base_url}/")
    expect(applicant.get_by_test_id("welcome-org")).to_have_text(ORG_NAME)
    expect(applicant.get_by_test_id("welcome-card")).to_contain_text("赵 新人")

    [member] = site.api.members("13700001111")
    assert member["name"] == "赵 新人"
    assert member["department_ids"] == [department["id"]]
