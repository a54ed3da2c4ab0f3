// The person card dialog (Contacts and Admin → Members).

import { t } from "./i18n.js";
import { h, dialog, avatar, roleLabel, formatDateTime } from "./ui.js";
import { pathName } from "./depts.js";
import { user } from "./state.js";

function row(label, value, testid) {
  if (!value) return null;
  return h("div", { class: "kv" }, h("dt", {}, label), h("dd", { "data-testid": testid }, value));
}

export function openPersonCard(member, byId) {
  const departments = (member.department_ids || []).map((id) => pathName(byId, id)).filter(Boolean);
  return dialog({
    title: member.name,
    testid: "person-card",
    content: h(
      "div",
      { class: "person-card" },
      h(
        "div",
        { class: "person-top" },
        avatar(member, "lg"),
        h(
          "div",
          {},
          h("p", { class: "person-name", "data-testid": "person-name" }, member.name),
          member.title ? h("p", { class: "muted", "data-testid": "person-title" }, member.title) : null,
          h(
            "p",
            {},
            h("span", { class: `tag role-${member.role}`, "data-testid": "person-role" }, roleLabel(member.role)),
            member.status === "deactivated" ? h("span", { class: "tag tag-muted" }, t("members.deactivated")) : null,
          ),
          member.status !== "deactivated" && member.id !== user()?.id
            ? h(
                "a",
                {
                  href: `/messages?with=${encodeURIComponent(member.id)}`,
                  class: "btn btn-primary btn-small",
                  "data-testid": "person-message",
                  onclick: (e) => e.currentTarget.closest("dialog")?.close(),
                },
                t("messages.sendMessage"),
              )
            : null,
        ),
      ),
      h(
        "dl",
        { class: "kvs" },
        row(t("common.departments"), departments.length ? h("span", {}, departments.join(t("common.listSep"))) : t("contacts.noDepartment"), "person-departments"),
        row(t("common.phone"), member.phone ? h("a", { href: `tel:${member.phone}` }, member.phone) : null, "person-phone"),
        row(t("common.email"), member.email ? h("a", { href: `mailto:${member.email}` }, member.email) : null, "person-email"),
        row(t("members.employeeNo"), member.employee_no, "person-employee-no"),
        row(t("members.joinedAt"), formatDateTime(member.joined_at, { dateOnly: true }), "person-joined"),
      ),
    ),
  });
}
