// /ding/new — the DING composer: recipients (people from the directory, whole departments and,
// when DINGing a chat message, that chat's members), text, channel (unavailable ones disabled
// with the reason), escalation (organisation default / none / custom steps), critical, and
// send now or at a time in the organisation's time zone.
// /ding/new?message=MESSAGE_ID&conversation=CONVERSATION_ID comes from a chat message's menu;
// dingMessage() stores the text and file for it (sessionStorage, so a reload keeps it).
// One file may go along: uploaded with tus here, sent as file_id once finished.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, avatar, debounce, formError, showError, clearErrors, busy, uid, toast, loading, formatDateTime } from "../../ui.js";
import { icon } from "../../icons.js";
import { navigate } from "../../router.js";
import { orgTimezone, user } from "../../state.js";
import { zonedLocal, zonedToIso } from "../../tz.js";
import { fetchDepartments, buildTree, flatten } from "../../depts.js";
import { loadMembers } from "../messages/store.js";
import { loadChannels, channelLabel, unavailableReason, policyText, CHANNELS, STEP_CHANNELS } from "./common.js";
import { attachmentPicker } from "./attachment.js";

const DRAFT_KEY = "hobnail.ding.draft";
const MAX_STEPS = 5;

/** From a chat message's action menu: open the composer with its text and chat. */
export function dingMessage(message, conv) {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ message_id: message.id, body: message.body || "", file: message.file || null }));
  } catch {
    /* private mode: the server fills in the text */
  }
  navigate(`/ding/new?message=${encodeURIComponent(message.id)}&conversation=${encodeURIComponent(conv.id)}`);
}

/** {message_id, body, file} stored by dingMessage() for this message, or null. */
function draftFor(messageId) {
  try {
    const d = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
    return d && d.message_id === messageId ? d : null;
  } catch {
    return null;
  }
}

// ---------- the page ----------

export async function render(ctx) {
  const messageId = ctx.query.get("message");
  const conversationId = ctx.query.get("conversation");
  ctx.main.append(
    h("a", { href: "/ding/sent", class: "back-link" }, "‹ ", t("nav.ding")),
    h("div", { class: "page-head" }, h("h1", {}, messageId ? t("ding.newFromMessage") : t("ding.new"))),
  );
  const holder = h("div", {}, loading());
  ctx.main.append(holder);

  const [channels, settings, departments, chatMembers] = await Promise.all([
    loadChannels().catch(() => ({ in_app: { available: true, reason: null } })),
    api.get("/ding/settings").catch(() => null),
    fetchDepartments().catch(() => []),
    conversationId ? loadMembers(conversationId).catch(() => []) : Promise.resolve([]),
  ]);
  if (!ctx.isCurrent()) return;

  const me = user()?.id;
  const people = new Map(); // id → {id, name, avatar_url}
  const depts = new Set(); // department ids
  const { roots, byId } = buildTree(departments);

  // ----- recipients -----
  const chips = h("div", { class: "chips", "data-testid": "ding-selected", "aria-live": "polite" });
  const countLine = h("p", { class: "muted small", "data-testid": "ding-recipient-count" });
  function renderChips() {
    clear(
      chips,
      [...people.values()].map((p) =>
        h("button", { type: "button", class: "chip", "data-testid": "ding-chip", "aria-label": t("messages.unselect", { name: p.name }), onclick: () => togglePerson(p, false) }, p.name, h("span", { "aria-hidden": "true" }, " ×")),
      ),
      [...depts].map((id) => {
        const d = byId.get(id);
        const name = d ? d.name : id;
        return h(
          "button",
          { type: "button", class: "chip chip-dept", "data-testid": "ding-chip", "aria-label": t("messages.unselect", { name }), onclick: () => toggleDept(id, false) },
          icon("folder", 14),
          " ",
          name,
          h("span", { "aria-hidden": "true" }, " ×"),
        );
      }),
    );
    countLine.textContent = people.size || depts.size ? t("ding.recipientSummary", { people: people.size, departments: depts.size }) : t("ding.noRecipientsYet");
  }
  function syncBoxes(id, on) {
    document.querySelectorAll(`.ding-composer input[data-pick-id="${CSS.escape(id)}"]`).forEach((box) => (box.checked = on));
  }
  function togglePerson(p, on) {
    if (on) people.set(p.id, p);
    else people.delete(p.id);
    syncBoxes(p.id, on);
    renderChips();
  }
  function toggleDept(id, on) {
    if (on) depts.add(id);
    else depts.delete(id);
    syncBoxes(id, on);
    renderChips();
  }
  function personCheck(p, testid) {
    const id = uid("dp");
    return h(
      "li",
      {},
      h("input", { type: "checkbox", id, checked: people.has(p.id), "data-pick-id": p.id, "data-testid": testid, "data-member-id": p.id, onchange: (e) => togglePerson(p, e.target.checked) }),
      h("label", { for: id, class: "pick-label" }, avatar(p, "sm"), h("span", { class: "member-main" }, h("span", { class: "member-name" }, p.name), p.title ? h("span", { class: "member-sub" }, p.title) : null)),
    );
  }

  // chat members (DING this message)
  const others = (chatMembers || []).map((m) => ({ id: m.user_id || m.id, name: m.name, avatar_url: m.avatar_url || null })).filter((m) => m.id && m.id !== me);
  if (others.length === 1) people.set(others[0].id, others[0]);
  const chatSection = others.length
    ? h(
        "fieldset",
        { class: "ding-pick-group", "data-testid": "ding-chat-members" },
        h("legend", {}, t("ding.chatMembers")),
        h(
          "div",
          { class: "ding-pick-tools" },
          h("button", { type: "button", class: "link-btn link", "data-testid": "ding-chat-all", onclick: () => others.forEach((p) => togglePerson(p, true)) }, t("ding.selectAll")),
        ),
        h(
          "ul",
          { class: "pick-list" },
          others.map((p) => personCheck(p, "ding-chat-member")),
        ),
      )
    : null;

  // directory search
  const searchId = uid("ding-search");
  const searchInput = h("input", { id: searchId, type: "search", autocomplete: "off", placeholder: t("contacts.searchPlaceholder"), "data-testid": "ding-people-search" });
  const results = h("ul", { class: "pick-list", "data-testid": "ding-people-results" });
  let searchSeq = 0;
  const search = async () => {
    const mine = ++searchSeq;
    try {
      const page = await api.get("/members", { q: searchInput.value.trim() || undefined, limit: 30 });
      if (mine !== searchSeq) return;
      const found = page.items.filter((m) => m.id !== me && m.status !== "deactivated");
      clear(results, found.length ? found.map((m) => personCheck({ id: m.id, name: m.name, avatar_url: m.avatar_url, title: m.title }, "ding-person")) : h("li", { class: "muted small" }, t("contacts.noResults")));
    } catch (error) {
      if (mine === searchSeq) clear(results, h("li", { class: "notice notice-error" }, errorText(error)));
    }
  };
  searchInput.addEventListener("input", debounce(search, 200));
  search();

  // departments
  const deptList = h(
    "ul",
    { class: "pick-list ding-dept-list", "data-testid": "ding-departments" },
    flatten(roots).map(({ node, depth }) => {
      const id = uid("dd");
      return h(
        "li",
        { style: `padding-left:${4 + depth * 18}px` },
        h("input", { type: "checkbox", id, "data-pick-id": node.id, "data-testid": "ding-department", "data-department-id": node.id, onchange: (e) => toggleDept(node.id, e.target.checked) }),
        h("label", { for: id, class: "pick-label" }, icon("folder", 16), h("span", {}, node.name), h("span", { class: "count" }, String(node.member_count ?? ""))),
      );
    }),
  );

  const recipients = h(
    "fieldset",
    { class: "card ding-recipients-box" },
    h("legend", { class: "card-legend" }, t("ding.to")),
    chips,
    countLine,
    chatSection,
    h(
      "div",
      { class: "ding-pick-group" },
      h("div", { class: "search" }, h("label", { for: searchId, class: "sr-only" }, t("contacts.search")), icon("search", 18), searchInput),
      results,
    ),
    departments.length
      ? h("details", { class: "ding-depts" }, h("summary", { "data-testid": "ding-departments-toggle" }, t("ding.wholeDepartments"), h("span", { class: "muted small" }, ` · ${t("ding.departmentsHint")}`)), deptList)
      : null,
  );

  // ----- text -----
  const textId = uid("ding-text");
  const draft = messageId ? draftFor(messageId) : null;
  const text = h("textarea", { id: textId, name: "body", rows: 4, maxlength: 10000, "data-testid": "ding-text", "aria-describedby": `${textId}-hint ${textId}-error` });
  text.value = draft?.body || "";
  const textField = h(
    "div",
    { class: "field" },
    h("label", { for: textId }, t("ding.text"), h("span", { class: "req", "aria-hidden": "true" }, " *")),
    text,
    h("p", { class: "hint", id: `${textId}-hint` }, messageId ? t("ding.fromMessageHint") : t("ding.textHint")),
    h("p", { class: "field-error", id: `${textId}-error` }),
  );

  // ----- channel -----
  const channelName = uid("ding-channel");
  const channelBox = h(
    "fieldset",
    { class: "ding-options", "data-testid": "ding-channels" },
    h("legend", {}, t("ding.channel")),
    CHANNELS.map((c) => {
      const info = channels[c] || { available: c === "in_app" };
      const id = uid("ch");
      const reasonId = `${id}-why`;
      return h(
        "div",
        { class: `ding-option${info.available ? "" : " unavailable"}` },
        h("input", { type: "radio", id, name: "channel", value: c, checked: c === "in_app", disabled: !info.available, "data-testid": `ding-channel-${c}`, "aria-describedby": info.available ? null : reasonId }),
        h("label", { for: id }, channelLabel(c)),
        info.available ? null : h("span", { class: "muted small ding-why", id: reasonId, "data-testid": "ding-channel-reason" }, unavailableReason(c, info)),
      );
    }),
  );
  channelBox.querySelectorAll("input").forEach((i) => (i.name = channelName));

  // ----- escalation -----
  const stepChannelsOk = STEP_CHANNELS.filter((c) => channels[c]?.available);
  const defaultSteps = (settings?.default_policy || []).filter((s) => channels[s.channel]?.available);
  const escName = uid("ding-esc");
  const steps = [];
  const stepsBox = h("div", { class: "ding-steps", "data-testid": "ding-steps", hidden: true });
  const addStep = h("button", { type: "button", class: "btn btn-small", "data-testid": "ding-step-add", onclick: () => (steps.push({ after_minutes: steps.length ? steps[steps.length - 1].after_minutes + 10 : 5, channel: stepChannelsOk[0], fallback: null }), drawSteps()) }, "+ ", t("ding.addStep"));
  function channelSelect(value, onChange, { allowNone = false, label }) {
    const id = uid("sc");
    return h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      h(
        "select",
        { id, onchange: (e) => onChange(e.target.value || null) },
        allowNone ? h("option", { value: "", selected: !value }, t("ding.noFallback")) : null,
        STEP_CHANNELS.map((c) => h("option", { value: c, selected: c === value, disabled: !channels[c]?.available }, channelLabel(c))),
      ),
    );
  }
  function drawSteps() {
    clear(
      stepsBox,
      steps.map((s, i) => {
        const minId = uid("sm");
        return h(
          "div",
          { class: "ding-step-row", "data-testid": "ding-step" },
          h("span", { class: "ding-step-no", "aria-hidden": "true" }, String(i + 1)),
          h(
            "div",
            { class: "field ding-step-min" },
            h("label", { for: minId }, t("ding.afterMinutes")),
            h("input", { id: minId, type: "number", min: 1, max: 1440, value: s.after_minutes, "data-testid": "ding-step-minutes", oninput: (e) => (s.after_minutes = Number(e.target.value)) }),
          ),
          channelSelect(s.channel, (v) => ((s.channel = v), drawSteps()), { label: t("ding.stepChannel") }),
          s.channel === "voice" ? channelSelect(s.fallback, (v) => (s.fallback = v), { allowNone: true, label: t("ding.fallback") }) : null,
          h("button", { type: "button", class: "icon-btn", "aria-label": t("ding.removeStep", { n: i + 1 }), onclick: () => (steps.splice(i, 1), drawSteps()) }, "×"),
        );
      }),
      steps.length < MAX_STEPS ? addStep : null,
    );
  }
  const escOption = (value, label, hint, { disabled = false, checked = false } = {}) => {
    const id = uid("esc");
    return h(
      "div",
      { class: "ding-option" },
      h("input", {
        type: "radio",
        id,
        name: escName,
        value,
        checked,
        disabled,
        "data-testid": `ding-escalation-${value}`,
        "aria-describedby": `${id}-hint`,
        onchange: () => {
          stepsBox.hidden = value !== "custom";
          if (value === "custom" && !steps.length) addStep.click();
        },
      }),
      h("label", { for: id }, label),
      h("span", { class: "muted small ding-why", id: `${id}-hint` }, hint),
    );
  };
  const escalationBox = h(
    "fieldset",
    { class: "ding-options", "data-testid": "ding-escalation" },
    h("legend", {}, t("ding.escalation")),
    escOption("default", t("ding.escalationDefault"), policyText(defaultSteps), { checked: true }),
    escOption("none", t("ding.escalationNone"), t("ding.escalationNoneHint")),
    escOption("custom", t("ding.escalationCustom"), stepChannelsOk.length ? t("ding.escalationCustomHint") : t("ding.noEscalationChannels"), { disabled: !stepChannelsOk.length }),
    stepsBox,
  );

  // ----- critical -----
  const critId = uid("crit");
  const allowCritical = settings ? settings.allow_critical : true;
  const critical = h(
    "div",
    { class: "check ding-critical" },
    h("input", { type: "checkbox", id: critId, name: "critical", disabled: !allowCritical, "data-testid": "ding-critical", "aria-describedby": `${critId}-hint` }),
    h("label", { for: critId }, t("ding.critical")),
    h("p", { class: "hint", id: `${critId}-hint` }, allowCritical ? t("ding.criticalHint") : t("ding.criticalNotAllowed")),
  );

  // ----- when -----
  const zone = orgTimezone();
  const whenName = uid("when");
  const atId = uid("at");
  const atInput = h("input", { id: atId, type: "datetime-local", name: "scheduled_at", "data-testid": "ding-schedule-at", "aria-describedby": `${atId}-hint ${atId}-error` });
  const atField = h(
    "div",
    { class: "field ding-at", hidden: true },
    h("label", { for: atId }, t("ding.scheduleAt")),
    atInput,
    h("p", { class: "hint", id: `${atId}-hint` }, t("ding.timezoneHint", { zone: zone || Intl.DateTimeFormat().resolvedOptions().timeZone })),
    h("p", { class: "field-error", id: `${atId}-error` }),
  );
  const sendHintId = uid("ding-send-hint");
  const submit = h("button", { type: "submit", class: "btn btn-primary ding-send", "data-testid": "ding-send", "aria-describedby": sendHintId }, icon("ding", 18), t("ding.sendNow"));
  const sendHint = h("p", { class: "hint ding-send-hint", id: sendHintId, "data-testid": "ding-send-hint", "aria-live": "polite", hidden: true });
  // ----- attachment: Send waits until the upload has finished -----
  let sending = false;
  const attachment = attachmentPicker({ fromMessage: draft?.file || null, onChange: syncSend });
  function syncSend() {
    const state = attachment.state();
    const wait = state === "uploading" || state === "failed";
    submit.disabled = sending || wait;
    sendHint.hidden = !wait;
    sendHint.textContent = state === "uploading" ? t("ding.sendWaitUpload") : state === "failed" ? t("ding.sendFixUpload") : "";
  }
  const whenRadio = (value, label, checked) => {
    const id = uid("w");
    return h(
      "div",
      { class: "ding-option" },
      h("input", {
        type: "radio",
        id,
        name: whenName,
        value,
        checked,
        "data-testid": `ding-when-${value}`,
        onchange: () => {
          atField.hidden = value !== "later";
          clear(submit, icon("ding", 18), value === "later" ? t("ding.schedule") : t("ding.sendNow"));
          if (value === "later") {
            atInput.min = zonedLocal(Date.now() + 60000, zone);
            if (!atInput.value) atInput.value = zonedLocal(Date.now() + 3600000, zone);
            atInput.focus();
          }
        },
      }),
      h("label", { for: id }, label),
    );
  };
  const whenBox = h("fieldset", { class: "ding-options ding-when" }, h("legend", {}, t("ding.when")), h("div", { class: "ding-when-row" }, whenRadio("now", t("ding.now"), true), whenRadio("later", t("ding.later2"), false)), atField);

  const form = h(
    "form",
    { class: "ding-composer", novalidate: true, "data-testid": "ding-composer" },
    recipients,
    h(
      "section",
      { class: "card stack" },
      textField,
      attachment.el,
      channelBox,
      escalationBox,
      critical,
      whenBox,
      formError(),
      h("div", { class: "actions" }, sendHint, h("a", { href: "/ding/sent", class: "btn" }, t("common.cancel")), submit),
    ),
  );
  clear(holder, form);
  renderChips();
  (others.length ? text : searchInput).focus();

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (sending) return;
    clearErrors(form);
    syncSend();
    if (submit.disabled) return;
    const body = text.value.trim();
    if (!people.size && !depts.size) return showError(form, { code: "no_recipients", details: {} });
    if (!body && !messageId) return showError(form, { code: "empty_ding", field: "body", details: { field: "body" } });
    const esc = form.querySelector(`input[name="${escName}"]:checked`)?.value || "default";
    let policy = null;
    if (esc === "none") policy = [];
    if (esc === "custom") {
      if (steps.some((s) => !(s.after_minutes >= 1 && s.after_minutes <= 1440))) return showError(form, { code: "invalid_policy", details: {} });
      policy = steps.map((s) => ({ after_minutes: s.after_minutes, channel: s.channel, ...(s.fallback ? { fallback: s.fallback } : {}) }));
    }
    const later = form.querySelector(`input[name="${whenName}"]:checked`)?.value === "later";
    let scheduledAt = null;
    if (later) {
      scheduledAt = zonedToIso(atInput.value, zone);
      if (!scheduledAt) return showError(form, { code: "schedule_in_past", field: "scheduled_at", details: { field: "scheduled_at" } });
    }
    const payload = {
      body: body || null,
      user_ids: [...people.keys()],
      department_ids: [...depts],
      channel: form.querySelector(`input[name="${channelName}"]:checked`)?.value || "in_app",
      policy,
      critical: form.querySelector(`#${critId}`).checked,
      scheduled_at: scheduledAt,
      source_message_id: messageId || null,
    };
    const fileId = attachment.fileId();
    if (fileId) payload.file_id = fileId;
    sending = true;
    busy(form, async () => {
      try {
        const ding = await api.post("/dings", payload);
        if (messageId) sessionStorage.removeItem(DRAFT_KEY);
        toast(ding.status === "scheduled" ? t("ding.scheduledToast", { time: formatDateTime(ding.scheduled_at) }) : t("ding.sentToast", { count: ding.total ?? 0 }), { type: "success" });
        ctx.navigate(`/ding/${encodeURIComponent(ding.id)}`);
      } catch (error) {
        // rate_limited here means "too many DINGs this hour", not the chat's "too fast".
        showError(form, error.code === "rate_limited" ? { code: "ding_rate_limited", message: error.message, details: error.details } : error);
        if (!error.field) form.querySelector(".form-error")?.scrollIntoView({ block: "nearest" });
      }
    }).finally(() => {
      sending = false;
      syncSend();
    });
  });
  // Leaving the page stops an unfinished upload (its bytes are dropped on the server).
  return () => attachment.dispose();
}
