// /admin/ding: who members may DING, caps per DING, DINGs per person per hour, monthly SMS and
// voice quotas, critical DINGs, and this month's use.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, field, checkbox, formError, showError, clearErrors, busy, toast, loading } from "../../ui.js";
import { adminFrame } from "./layout.js";
import { channelLabel, policyText, CHANNELS } from "../ding/common.js";

const int = (v) => (v === "" || v === undefined ? undefined : Number(v));

export async function render(ctx) {
  const content = adminFrame(ctx, "ding");
  const box = h("div", {}, loading());
  content.append(box);
  let settings;
  let usage;
  try {
    [settings, usage] = await Promise.all([api.get("/ding/settings"), api.get("/ding/usage").catch(() => null)]);
  } catch (error) {
    clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    return;
  }
  if (!ctx.isCurrent()) return;

  const num = (label, name, value, testid, max) =>
    field({ label, name, type: "number", value: value ?? "", testid, attrs: { min: 0, max: max || null, inputmode: "numeric" } });
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true, "data-testid": "ding-settings-form" },
    field({
      label: t("adminDing.scope"),
      name: "member_scope",
      type: "select",
      value: settings.member_scope,
      options: [
        { value: "department", label: t("adminDing.scopeDepartment") },
        { value: "org", label: t("adminDing.scopeOrg") },
      ],
      testid: "ding-scope",
      hint: t("adminDing.scopeHint"),
    }),
    num(t("adminDing.perHour"), "per_hour", settings.per_hour, "ding-per-hour", 10000),
    h(
      "fieldset",
      {},
      h("legend", {}, t("adminDing.caps")),
      h("div", { class: "ding-num-grid" }, CHANNELS.map((c) => num(channelLabel(c), `cap_${c}`, settings.caps?.[c], `ding-cap-${c}`))),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, t("adminDing.quota")),
      h("div", { class: "ding-num-grid" }, ["sms", "voice"].map((c) => num(channelLabel(c), `quota_${c}`, settings.monthly_quota?.[c], `ding-quota-${c}`))),
    ),
    checkbox({ label: t("adminDing.allowCritical"), name: "allow_critical", checked: settings.allow_critical, testid: "ding-allow-critical" }),
    h("p", { class: "muted small", "data-testid": "ding-default-policy" }, t("adminDing.defaultPolicy", { policy: policyText(settings.default_policy) })),
    formError(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "ding-settings-save" }, t("common.save"))),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(form);
    const el = form.elements;
    const caps = {};
    for (const c of CHANNELS) if (el[`cap_${c}`].value !== "") caps[c] = int(el[`cap_${c}`].value);
    const quota = {};
    for (const c of ["sms", "voice"]) if (el[`quota_${c}`].value !== "") quota[c] = int(el[`quota_${c}`].value);
    const body = { member_scope: el.member_scope.value, caps, monthly_quota: quota, allow_critical: el.allow_critical.checked };
    if (el.per_hour.value !== "") body.per_hour = int(el.per_hour.value);
    busy(form, async () => {
      try {
        settings = await api.patch("/ding/settings", body);
        toast(t("common.saved"), { type: "success" });
      } catch (error) {
        showError(form, error);
      }
    });
  });

  const usageEl = usage
    ? h(
        "dl",
        { class: "kvs", "data-testid": "ding-usage" },
        ["sms", "voice"].map((c) =>
          h("div", { class: "kv" }, h("dt", {}, channelLabel(c)), h("dd", {}, t("adminDing.usageOf", { used: usage[c]?.used ?? 0, quota: usage[c]?.quota ?? 0 }))),
        ),
      )
    : h("p", { class: "muted" }, t("common.error"));
  clear(
    box,
    h("section", { class: "card" }, h("h2", {}, t("adminDing.settings")), form),
    h("section", { class: "card" }, h("h2", {}, t("adminDing.usage")), usageEl),
  );
}
