// Admin → School: the "Daily check-in" card (每日打卡). Lists the school's check-in forms
// (window, days, classes, on/off) with Edit and Switch off / on, and "New check-in form".
// The editor dialog: name, the fields (the approvals field editor, limited to the check-in
// types), classes (all, or chosen ones by grade), weekdays and the window (HH:MM to a later
// HH:MM, in the school's timezone). POST /school/checkin-forms, PATCH …/{id}.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, field, formError, showError, busy, toast, emptyState, uid } from "../../ui.js";
import { icon } from "../../icons.js";
import { orgTimezone } from "../../state.js";
import { fieldsEditor } from "./approval-editor.js";
import { CHECKIN_TYPES, WEEKDAYS, weekdayName, weekdaysLabel, windowText } from "../school/checkin-common.js";

function classesLabel(form, classes) {
  if (!form.class_ids?.length) return t("checkinAdmin.allClasses");
  const names = form.class_ids.map((id) => classes.find((c) => c.id === id)?.name).filter(Boolean);
  return names.length ? names.join(t("common.listSep")) : t("checkinAdmin.classCount", { count: form.class_ids.length });
}

function classPicker(grades, classes, chosen) {
  const allId = uid("ck-all");
  const someId = uid("ck-some");
  const byGrade = grades.map((g) => ({ grade: g, classes: classes.filter((c) => c.grade_id === g.id).sort((a, b) => a.position - b.position) })).filter((g) => g.classes.length);
  const boxes = h(
    "div",
    { class: "ck-class-picks", "data-testid": "checkin-class-options" },
    byGrade.length
      ? byGrade.map(({ grade, classes: mine }) =>
          h(
            "div",
            { class: "ck-class-grade", role: "group", "aria-label": grade.name },
            h("p", { class: "small ck-grade-name", "aria-hidden": "true" }, grade.name),
            h(
              "div",
              { class: "check-row" },
              mine.map((c) => {
                const id = uid("ck-class");
                return h("div", { class: "check" }, h("input", { type: "checkbox", id, name: "class_ids", value: c.id, checked: chosen.includes(c.id), "data-testid": "checkin-class-option", "data-class-id": c.id }), h("label", { for: id }, c.name));
              }),
            ),
          ),
        )
      : h("p", { class: "muted small" }, t("schoolAdmin.noGrades")),
  );
  const all = h("input", { type: "radio", id: allId, name: "class_scope", value: "all", checked: !chosen.length, "data-testid": "checkin-classes-all" });
  const some = h("input", { type: "radio", id: someId, name: "class_scope", value: "some", checked: !!chosen.length, "data-testid": "checkin-classes-chosen" });
  const sync = () => (boxes.hidden = !some.checked);
  all.addEventListener("change", sync);
  some.addEventListener("change", sync);
  sync();
  return {
    el: h(
      "fieldset",
      { class: "card-lite stack", "data-testid": "checkin-classes" },
      h("legend", {}, t("checkinAdmin.classes")),
      h("div", { class: "check-row" }, h("div", { class: "check" }, all, h("label", { for: allId }, t("checkinAdmin.allClasses"))), h("div", { class: "check" }, some, h("label", { for: someId }, t("checkinAdmin.chosenClasses")))),
      boxes,
    ),
    value: () => (some.checked ? [...boxes.querySelectorAll("input:checked")].map((i) => i.value) : []),
  };
}

/** Open the editor; form null = a new one. Resolves true when saved. */
export function editCheckinDialog(form, { grades, classes }) {
  const isNew = !form;
  const d = dialog({
    title: isNew ? t("checkinAdmin.newTitle") : t("checkinAdmin.editTitle", { name: form.name }),
    testid: "checkin-dialog",
    wide: true,
    content: (close) => {
      const fields = fieldsEditor(form?.fields || [{ label: "", type: "number", required: true, options: "" }], CHECKIN_TYPES);
      const picker = classPicker(grades, classes, form?.class_ids || []);
      const days = new Set(form?.weekdays || [1, 2, 3, 4, 5]);
      const el = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "checkin-editor" },
        formError(),
        field({ label: t("checkinAdmin.name"), name: "name", value: form?.name || "", required: true, testid: "checkin-name", attrs: { maxlength: 50, placeholder: t("checkinAdmin.namePlaceholder") } }),
        h("fieldset", { class: "card-lite", name: "fields" }, h("legend", {}, t("approvalsAdmin.fields")), fields.el),
        picker.el,
        h(
          "fieldset",
          { class: "card-lite stack", "data-testid": "checkin-days" },
          h("legend", {}, t("checkinAdmin.days")),
          h(
            "div",
            { class: "check-row" },
            WEEKDAYS.map((n) => {
              const id = uid("ck-day");
              return h("div", { class: "check" }, h("input", { type: "checkbox", id, name: "weekdays", value: n, checked: days.has(n), "data-testid": "checkin-weekday" }), h("label", { for: id }, weekdayName(n, "long")));
            }),
          ),
          h("p", { class: "field-error", "data-testid": "checkin-days-error" }),
        ),
        h(
          "fieldset",
          { class: "card-lite stack" },
          h("legend", {}, t("checkinAdmin.window")),
          h(
            "div",
            { class: "grid-3" },
            field({ label: t("checkinAdmin.opensAt"), name: "opens_at", type: "time", value: form?.opens_at || "06:30", required: true, testid: "checkin-opens", attrs: { step: 60 } }),
            field({ label: t("checkinAdmin.closesAt"), name: "closes_at", type: "time", value: form?.closes_at || "09:00", required: true, testid: "checkin-closes", attrs: { step: 60 } }),
          ),
          h("p", { class: "hint" }, t("checkinAdmin.windowHint", { zone: (orgTimezone() || "Asia/Shanghai").replace(/_/g, " ") })),
        ),
        h(
          "div",
          { class: "actions" },
          h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")),
          h("button", { type: "submit", class: "btn btn-primary", "data-testid": "checkin-save" }, isNew ? t("common.create") : t("common.save")),
        ),
      );
      el.addEventListener("submit", (e) => {
        e.preventDefault();
        const value = (name) => el.querySelector(`[name="${name}"]`).value.trim();
        const weekdays = [...el.querySelectorAll("input[name=weekdays]:checked")].map((i) => Number(i.value));
        const body = { name: value("name"), fields: fields.value(), class_ids: picker.value(), weekdays, opens_at: value("opens_at").slice(0, 5), closes_at: value("closes_at").slice(0, 5) };
        if (!body.name) return showError(el, { code: "name_required", message: t("error.name_required"), details: {}, field: "name" });
        if (!body.fields.length) return showError(el, { code: "invalid_form", message: t("checkinAdmin.noFields"), details: {} });
        if (!weekdays.length) return showError(el, { code: "invalid_weekdays", message: t("error.invalid_weekdays"), details: {} });
        if (picker.el.querySelector("[data-testid=checkin-classes-chosen]").checked && !body.class_ids.length) return showError(el, { code: "no_classes", message: t("checkinAdmin.chooseClasses"), details: {} });
        if (!body.opens_at || !body.closes_at || body.opens_at >= body.closes_at) return showError(el, { code: "invalid_window", message: t("error.invalid_window"), details: {}, field: "closes_at" });
        busy(el, async () => {
          try {
            if (isNew) await api.post("/school/checkin-forms", body);
            else await api.patch(`/school/checkin-forms/${encodeURIComponent(form.id)}`, body);
            toast(isNew ? t("checkinAdmin.created", { name: body.name }) : t("common.saved"), { type: "success" });
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

/** The card for Admin → School. → {el, load(grades, classes), hide()} */
export function checkinAdminCard() {
  const list = h("div", { "data-testid": "checkin-forms-box" });
  let grades = [];
  let classes = [];
  const el = h(
    "section",
    { class: "card", "aria-labelledby": "school-checkin-h", hidden: true, "data-testid": "school-checkin-card" },
    h(
      "div",
      { class: "ck-admin-head" },
      h("h2", { id: "school-checkin-h" }, t("checkinAdmin.title")),
      h("button", { type: "button", class: "btn btn-primary btn-small", "data-testid": "checkin-form-new", onclick: () => edit(null) }, icon("plus", 16), t("checkinAdmin.new")),
    ),
    h("p", { class: "muted small" }, t("checkinAdmin.help")),
    list,
  );

  async function edit(form) {
    if (await editCheckinDialog(form, { grades, classes })) await refresh();
  }

  async function toggle(form) {
    try {
      await api.patch(`/school/checkin-forms/${encodeURIComponent(form.id)}`, { enabled: !form.enabled });
      toast(form.enabled ? t("checkinAdmin.switchedOff", { name: form.name }) : t("checkinAdmin.switchedOn", { name: form.name }), { type: "success" });
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
    await refresh();
  }

  function draw(forms) {
    if (!forms.length) return clear(list, emptyState(t("checkinAdmin.none"), "checkin-forms-empty"));
    clear(
      list,
      h(
        "ul",
        { class: "ck-admin-forms", "data-testid": "checkin-forms" },
        forms.map((f) =>
          h(
            "li",
            { class: "school-class-row", "data-testid": "checkin-form-row", "data-form-id": f.id, "data-enabled": String(f.enabled) },
            h(
              "div",
              { class: "school-class-main" },
              h("strong", { "data-testid": "checkin-form-name" }, f.name),
              h("span", { class: `tag ${f.enabled ? "tag-ok" : "tag-muted"}`, "data-testid": "checkin-form-state" }, f.enabled ? t("checkinAdmin.on") : t("checkinAdmin.off")),
              h(
                "span",
                { class: "muted small", "data-testid": "checkin-form-facts" },
                [windowText(f), weekdaysLabel(f.weekdays), classesLabel(f, classes), t("checkinAdmin.fieldCount", { count: f.fields.length })].join(" · "),
              ),
            ),
            h(
              "div",
              { class: "row-actions" },
              h("button", { type: "button", class: "btn btn-small", "data-testid": "checkin-form-edit", "aria-label": t("checkinAdmin.editTitle", { name: f.name }), onclick: () => edit(f) }, t("common.edit")),
              h(
                "button",
                { type: "button", class: `btn btn-small${f.enabled ? " btn-danger-outline" : ""}`, "data-testid": "checkin-form-toggle", "aria-label": (f.enabled ? t("checkinAdmin.switchOffOf", { name: f.name }) : t("checkinAdmin.switchOnOf", { name: f.name })), onclick: () => toggle(f) },
                f.enabled ? t("checkinAdmin.switchOff") : t("checkinAdmin.switchOn"),
              ),
            ),
          ),
        ),
      ),
    );
  }

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    try {
      const forms = await api.get("/school/checkin-forms");
      if (mine === seq) draw(forms);
    } catch (error) {
      if (mine === seq) clear(list, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
    }
  }

  return {
    el,
    load(g, c) {
      grades = g;
      classes = c;
      el.hidden = false;
      return refresh();
    },
    hide() {
      el.hidden = true;
    },
  };
}
