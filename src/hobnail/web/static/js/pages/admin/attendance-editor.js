// The attendance group editor of Admin → Attendance: name, people and departments, the
// schedule (fixed hours / shifts / flexible), workdays, grace and lateness thresholds, the
// holiday calendar, places, office networks, Wi-Fi, field clock-in, make-up allowance,
// reminders and the day the rules apply from. People already in another group: the server
// says already_in_group and the admin may move them here (move=true).

import { api } from "../../api.js";
import { t } from "../../i18n.js";
import { h, dialog, field, formError, showError, busy, toast, uid, confirmDialog } from "../../ui.js";
import { fetchDepartments, buildTree, flatten } from "../../depts.js";
import { peoplePicker } from "../approvals/people.js";
import { localDay } from "../attendance/common.js";
import { shiftsEditor, placesEditor, networksEditor, wifiEditor } from "./attendance-rules.js";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DEFAULT_RULES = {
  kind: "fixed", workdays: [0, 1, 2, 3, 4], shift: { id: "day", name: "Day", start: "09:00", end: "18:00" }, shifts: [], flex_hours: 8,
  late_grace_minutes: 5, early_grace_minutes: 0, serious_late_minutes: 30, absent_late_minutes: 120, holidays: true,
  places: [], networks: [], wifi: [], field_allowed: false, field_photo_required: false, makeup_per_month: 3, remind_before_minutes: 10, remind_after_minutes: 30,
};
const MINUTES = ["late_grace_minutes", "early_grace_minutes", "serious_late_minutes", "absent_late_minutes"];
const OTHER_NUMBERS = ["makeup_per_month", "remind_before_minutes", "remind_after_minutes"];

function check(label, name, checked, testid, onchange) {
  const id = uid(name);
  return h("div", { class: "check" }, h("input", { type: "checkbox", id, name, checked, "data-testid": testid, onchange }), h("label", { for: id }, label));
}

function fieldset(legend, ...children) {
  return h("fieldset", { class: "card-lite stack" }, h("legend", {}, legend), children);
}

function departmentsBox(tree, selected) {
  const items = flatten(tree.roots);
  return h(
    "fieldset",
    { class: "field dept-picker", "data-testid": "group-departments" },
    h("legend", {}, t("common.departments")),
    items.length
      ? h(
          "div",
          { class: "dept-options" },
          items.map(({ node, depth }) => {
            const id = uid("dept");
            return h("div", { class: "check", style: `--depth:${depth}` }, h("input", { type: "checkbox", id, name: "department_ids", value: node.id, "data-multi": "1", checked: selected.includes(node.id) }), h("label", { for: id }, node.name));
          }),
        )
      : h("p", { class: "muted" }, t("departments.empty")),
    h("p", { class: "field-error" }),
  );
}

/** Open the editor; group null = a new group. Resolves true when saved. */
export async function editGroupDialog(group) {
  const isNew = !group;
  const rules = { ...DEFAULT_RULES, ...(group?.rules || {}) };
  const tree = buildTree(await fetchDepartments().catch(() => []));
  const d = dialog({
    title: isNew ? t("attendanceAdmin.newGroup") : t("attendanceAdmin.editGroup", { name: group.name }),
    testid: "group-dialog",
    wide: true,
    content: (close) => {
      const people = peoplePicker({ name: "user_ids", label: t("attendanceAdmin.people"), initial: group?.user_ids || [], testid: "group-people" });
      const shifts = shiftsEditor(rules.shifts || []);
      const places = placesEditor(rules.places || []);
      const networks = networksEditor(rules.networks || []);
      const wifi = wifiEditor(rules.wifi || []);
      const fixedBox = h("div", { class: "grid-3" }, field({ label: t("attendanceAdmin.start"), name: "shift.start", type: "time", value: rules.shift.start, testid: "group-start" }), field({ label: t("attendanceAdmin.end"), name: "shift.end", type: "time", value: rules.shift.end, testid: "group-end" }));
      const shiftBox = h("div", {}, h("p", { class: "muted small" }, t("attendanceAdmin.shiftsHelp")), shifts.el);
      const flexBox = field({ label: t("attendanceAdmin.flexHours"), name: "flex_hours", type: "number", value: rules.flex_hours, testid: "group-flex-hours", attrs: { min: 0.5, max: 16, step: 0.5 } });
      const showKind = (kind) => {
        fixedBox.hidden = kind !== "fixed";
        shiftBox.hidden = kind !== "shift";
        flexBox.hidden = kind !== "flexible";
        workdaysBox.hidden = kind === "shift";
      };
      const kindField = field({ label: t("attendanceAdmin.kind"), name: "kind", type: "select", value: rules.kind, testid: "group-kind", options: ["fixed", "shift", "flexible"].map((k) => ({ value: k, label: t(`attendanceAdmin.kinds.${k}`) })) });
      kindField.querySelector("select").addEventListener("change", (e) => showKind(e.target.value));
      const workdaysBox = h(
        "fieldset",
        { class: "field", "data-testid": "group-workdays" },
        h("legend", {}, t("attendanceAdmin.workdays")),
        h("div", { class: "check-row" }, WEEKDAYS.map((w, i) => check(t(`attendanceAdmin.weekday.${w}`), "workdays", (rules.workdays || []).includes(i), `group-workday-${i}`))),
        h("p", { class: "field-error" }),
      );
      workdaysBox.querySelectorAll("input").forEach((input, i) => (input.value = String(i)));
      const fieldPhoto = check(t("attendanceAdmin.fieldPhoto"), "field_photo_required", rules.field_photo_required, "group-field-photo");
      const fieldAllowed = check(t("attendanceAdmin.fieldAllowed"), "field_allowed", rules.field_allowed, "group-field-allowed", (e) => (fieldPhoto.hidden = !e.target.checked));
      fieldPhoto.hidden = !rules.field_allowed;
      const number = (key, attrs = {}) => field({ label: t(`attendanceAdmin.rule.${key}`), name: key, type: "number", value: rules[key], testid: `group-${key.replace(/_/g, "-")}`, attrs: { min: 0, step: 1, ...attrs } });

      const el = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "group-form" },
        formError(),
        field({ label: t("attendanceAdmin.groupName"), name: "name", value: group?.name || "", required: true, testid: "group-name", attrs: { maxlength: 50 } }),
        fieldset(t("attendanceAdmin.who"), people.el, departmentsBox(tree, group?.department_ids || [])),
        fieldset(t("attendanceAdmin.schedule"), kindField, fixedBox, shiftBox, flexBox, workdaysBox, check(t("attendanceAdmin.holidays"), "holidays", rules.holidays, "group-holidays")),
        fieldset(t("attendanceAdmin.lateness"), h("div", { class: "grid-3" }, MINUTES.map((k) => number(k))), h("p", { class: "muted small" }, t("attendanceAdmin.latenessHelp"))),
        fieldset(t("attendanceAdmin.places"), h("p", { class: "muted small" }, t("attendanceAdmin.placesHelp")), places.el),
        fieldset(t("attendanceAdmin.networks"), h("p", { class: "muted small" }, t("attendanceAdmin.networksHelp")), networks.el, h("h3", { class: "small" }, t("attendanceAdmin.wifi")), wifi.el),
        fieldset(t("attendanceAdmin.fieldTitle"), fieldAllowed, fieldPhoto),
        fieldset(t("attendanceAdmin.more"), h("div", { class: "grid-3" }, OTHER_NUMBERS.map((k) => number(k, k === "makeup_per_month" ? { max: 31 } : { max: 240 })))),
        field({ label: t("attendanceAdmin.effectiveFrom"), name: "effective_from", type: "date", value: localDay(), testid: "group-effective-from", hint: t("attendanceAdmin.effectiveHelp"), attrs: { min: localDay() } }),
        h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "group-save" }, isNew ? t("common.create") : t("common.save"))),
      );
      showKind(rules.kind);

      function body(move) {
        const f = el.elements;
        const kind = f.kind.value;
        const out = { ...rules, kind, holidays: f.holidays.checked, field_allowed: f.field_allowed.checked, field_photo_required: f.field_allowed.checked && f.field_photo_required.checked };
        out.workdays = [...el.querySelectorAll("input[name=workdays]:checked")].map((i) => Number(i.value));
        out.shift = { ...rules.shift, start: f["shift.start"].value, end: f["shift.end"].value };
        out.shifts = kind === "shift" ? shifts.value() : rules.shifts || [];
        out.flex_hours = Number(f.flex_hours.value);
        for (const k of [...MINUTES, ...OTHER_NUMBERS]) out[k] = Math.round(Number(f[k].value));
        out.places = places.value();
        out.networks = networks.value();
        out.wifi = wifi.value();
        return {
          name: f.name.value.trim(),
          user_ids: people.ids(),
          department_ids: [...el.querySelectorAll("input[name=department_ids]:checked")].map((i) => i.value),
          rules: out,
          effective_from: f.effective_from.value || undefined,
          move,
        };
      }
      async function save(move) {
        const payload = body(move);
        if (isNew) await api.post("/attendance/groups", payload);
        else await api.patch(`/attendance/groups/${encodeURIComponent(group.id)}`, payload);
      }
      el.addEventListener("submit", (e) => {
        e.preventDefault();
        busy(el, async () => {
          try {
            try {
              await save(false);
            } catch (error) {
              if (error.code !== "already_in_group") throw error;
              const names = (error.details.group_names || []).join(t("common.listSep"));
              const ok = await confirmDialog({ title: t("attendanceAdmin.moveTitle"), message: t("attendanceAdmin.moveText", { groups: names }), confirmLabel: t("attendanceAdmin.moveOk") });
              if (!ok) return;
              await save(true);
            }
            toast(t("common.saved"), { type: "success" });
            close(true);
          } catch (error) {
            showError(el, error);
          }
        });
      });
      return el;
    },
  });
  return d.closed.then((v) => v === true);
}
