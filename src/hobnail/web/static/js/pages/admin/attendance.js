// /admin/attendance: attendance groups (name, who, schedule, places) with New / Edit /
// Delete. Live: attendance.group_updated (another admin's change) reloads the list.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, emptyState, toast, confirmDialog, debounce } from "../../ui.js";
import { icon } from "../../icons.js";
import { editGroupDialog, WEEKDAYS } from "./attendance-editor.js";
import { attendanceFrame } from "./attendance-layout.js";

export function scheduleSummary(rules) {
  if (!rules) return "";
  const days = (rules.workdays || []).map((d) => t(`attendanceAdmin.weekday.${WEEKDAYS[d]}`)).join(" ");
  if (rules.kind === "flexible") return t("attendanceAdmin.summaryFlex", { hours: rules.flex_hours, days });
  if (rules.kind === "shift") return t("attendanceAdmin.summaryShifts", { names: (rules.shifts || []).map((s) => `${s.name} ${s.start}–${s.end}`).join(t("common.listSep")) });
  return t("attendanceAdmin.summaryFixed", { start: rules.shift.start, end: rules.shift.end, days });
}

export async function render(ctx) {
  const newButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "att-group-new", onclick: async () => (await editGroupDialog(null)) && load() }, icon("plus", 18), t("attendanceAdmin.newGroup"));
  const content = attendanceFrame(ctx, "groups", newButton);
  const box = h("div", {}, loading());
  content.append(h("section", { class: "card", "aria-labelledby": "groups-h" }, h("h2", { id: "groups-h" }, t("attendanceAdmin.groups")), h("p", { class: "muted small" }, t("attendanceAdmin.groupsHelp")), box));

  async function remove(g) {
    const ok = await confirmDialog({ title: t("attendanceAdmin.deleteTitle", { name: g.name }), message: t("attendanceAdmin.deleteText"), confirmLabel: t("common.delete"), danger: true });
    if (!ok) return;
    try {
      await api.del(`/attendance/groups/${encodeURIComponent(g.id)}`);
      toast(t("attendanceAdmin.deleted"), { type: "success" });
      await load();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const groups = await api.get("/attendance/groups");
      if (mine !== seq || !ctx.isCurrent()) return;
      if (!groups.length) return clear(box, emptyState(t("attendanceAdmin.noGroups"), "att-groups-empty"));
      clear(
        box,
        h(
          "ul",
          { class: "admin-forms", "data-testid": "att-groups" },
          groups.map((g) => {
            const r = g.rules || {};
            const where = [...(r.places || []).map((p) => p.name), ...(r.networks || []).map((n) => n.name || n.cidr)].join(t("common.listSep"));
            return h(
              "li",
              { class: "admin-form-row", "data-testid": "att-group", "data-group-id": g.id },
              h(
                "div",
                { class: "admin-form-main" },
                h("strong", {}, g.name),
                h("span", { class: "muted small" }, scheduleSummary(r)),
                h("span", { class: "muted small" }, t("attendanceAdmin.whoCount", { people: g.user_ids.length, departments: g.department_ids.length }), where ? ` · ${where}` : "", r.field_allowed ? ` · ${t("attendanceAdmin.fieldOn")}` : ""),
                g.upcoming?.length ? h("span", { class: "tag tag-info" }, t("attendanceAdmin.upcoming", { day: g.upcoming[0].effective_from })) : null,
              ),
              h("button", { type: "button", class: "btn btn-small", "data-testid": "att-group-edit", "aria-label": t("attendanceAdmin.editGroup", { name: g.name }), onclick: async () => (await editGroupDialog(g)) && load() }, t("common.edit")),
              h("button", { type: "button", class: "btn btn-small btn-danger", "data-testid": "att-group-delete", "aria-label": t("attendanceAdmin.deleteTitle", { name: g.name }), onclick: () => remove(g) }, t("common.delete")),
            );
          }),
        ),
      );
    } catch (error) {
      if (mine === seq) clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  ctx.on("attendance.group_updated", debounce(load, 300));
  await load();
}
