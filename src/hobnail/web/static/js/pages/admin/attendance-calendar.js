// /admin/attendance/calendar: the year's public holidays and working weekends (China's
// built-in calendar with the organisation's changes) and a form to change a day: make it a
// holiday, a working day, an ordinary day (ignore the built-in entry) or reset it.

import { api } from "../../api.js";
import { t, errorText, getLang } from "../../i18n.js";
import { h, clear, loading, emptyState, toast, field, formError, showError, busy, uid } from "../../ui.js";
import { formatDay, localDay } from "../attendance/common.js";
import { attendanceFrame } from "./attendance-layout.js";

const KINDS = ["holiday", "workday", "normal", "reset"];

export async function render(ctx) {
  const content = attendanceFrame(ctx, "calendar");
  const thisYear = Number(localDay().slice(0, 4));
  const yearId = uid("year");
  const yearSelect = h("select", { id: yearId, "data-testid": "calendar-year" }, [thisYear - 1, thisYear, thisYear + 1].map((y) => h("option", { value: y, selected: y === thisYear }, String(y))));
  const box = h("div", {}, loading());
  const form = h(
    "form",
    { class: "stack", novalidate: true, "data-testid": "calendar-form" },
    formError(),
    h(
      "div",
      { class: "grid-3" },
      field({ label: t("attendanceAdmin.calDay"), name: "day", type: "date", required: true, testid: "calendar-date", value: localDay() }),
      field({ label: t("attendanceAdmin.calKind"), name: "kind", type: "select", testid: "calendar-kind", options: KINDS.map((k) => ({ value: k, label: t(`attendanceAdmin.calKinds.${k}`) })) }),
      field({ label: t("attendanceAdmin.calName"), name: "name", testid: "calendar-name", attrs: { maxlength: 50 } }),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "calendar-save" }, t("common.save"))),
  );
  content.append(
    h("section", { class: "card", "aria-labelledby": "cal-change-h" }, h("h2", { id: "cal-change-h" }, t("attendanceAdmin.calChange")), h("p", { class: "muted small" }, t("attendanceAdmin.calHelp")), form),
    h("section", { class: "card", "aria-labelledby": "cal-h" }, h("div", { class: "card-head" }, h("h2", { id: "cal-h" }, t("attendanceAdmin.calendar")), h("div", { class: "field inline-field" }, h("label", { for: yearId }, t("approvals.year")), yearSelect)), box),
  );

  async function setDay(day, kind, name) {
    await api.put(`/attendance/calendar/${day}`, { kind, name });
    toast(t("common.saved"), { type: "success" });
    if (day.slice(0, 4) !== yearSelect.value) yearSelect.value = day.slice(0, 4);
    await load();
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await setDay(form.elements.day.value, form.elements.kind.value, form.elements.name.value.trim());
      } catch (error) {
        showError(form, error);
      }
    });
  });

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const cal = await api.get("/attendance/calendar", { year: yearSelect.value });
      if (mine !== seq || !ctx.isCurrent()) return;
      const changed = new Set(cal.changes.map((c) => c.day));
      const today = localDay();
      const zh = getLang() === "zh-CN";
      clear(
        box,
        cal.builtin_known ? null : h("p", { class: "notice" }, t("attendanceAdmin.calUnknownYear")),
        cal.days.length
          ? h(
              "ul",
              { class: "admin-forms", "data-testid": "calendar-days" },
              cal.days.map((d) =>
                h(
                  "li",
                  { class: "admin-form-row", "data-testid": "calendar-day", "data-day": d.day, "data-kind": d.kind },
                  h("div", { class: "admin-form-main" }, h("strong", {}, formatDay(d.day)), h("span", { class: "muted small" }, (zh ? d.name_zh : d.name) || "")),
                  h("span", { class: `tag ${d.kind === "holiday" ? "att-rest" : "tag-warn"}` }, t(`attendanceAdmin.calKinds.${d.kind}`)),
                  changed.has(d.day) ? h("span", { class: "tag tag-info" }, t("attendanceAdmin.calChanged")) : null,
                  d.day >= today && changed.has(d.day)
                    ? h("button", { type: "button", class: "btn btn-small", "data-testid": "calendar-reset", onclick: () => setDay(d.day, "reset", "").catch((error) => toast(errorText(error), { type: "error" })) }, t("attendanceAdmin.calKinds.reset"))
                    : null,
                ),
              ),
            )
          : emptyState(t("attendanceAdmin.calEmpty"), "calendar-empty"),
      );
    } catch (error) {
      if (mine === seq) clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  yearSelect.addEventListener("change", load);
  await load();
}
