// /school/join/:code: a guardian opens the class link (usually on a phone). New: sign up with
// the mobile number the school has and the child's name; with an account: sign in first
// (or, signed in already, just name the child). Then the school home. A student chooses
// "I am a student" and gives their student number and name instead.

import { api, setCsrfToken } from "../../api.js";
import { t, errorText, getLang } from "../../i18n.js";
import { h, clear, field, formError, formValues, showError, busy, loading } from "../../ui.js";
import { state, user } from "../../state.js";
import { signedIn, signOut } from "../../app.js";
import { navigate } from "../../router.js";

/** Adopt the new session and open the school home. A new account keeps the language the
 * join page was read in (it has none of its own yet, and the school's may differ). */
async function enterSchool({ keepLanguage = false } = {}) {
  const session = await api.get("/auth/session", undefined, { quiet401: true });
  if (keepLanguage && session.user && !session.user.language) {
    setCsrfToken(session.csrf_token);
    try {
      session.user = await api.patch("/me", { language: getLang() });
    } catch {
      /* the school's language will do */
    }
  }
  await signedIn(session, "/school");
}

export async function render(ctx) {
  const code = ctx.params.code;
  const here = `/school/join/${encodeURIComponent(code)}`;
  const box = h("section", { class: "auth-card card school-join", "data-testid": "school-join-page" }, loading());
  ctx.main.append(box);

  let invitation;
  try {
    invitation = await api.get(`/school/join/${encodeURIComponent(code)}`);
  } catch (error) {
    if (!ctx.isCurrent()) return;
    clear(
      box,
      h("h1", {}, t("schoolJoin.invalidTitle")),
      h("p", { class: "form-error", role: "alert", "data-testid": "school-join-invalid" }, errorText(error)),
      h("a", { href: state.session ? "/" : "/login", class: "btn" }, state.session ? t("shell.home") : t("schoolJoin.toLogin")),
    );
    return;
  }
  if (!ctx.isCurrent()) return;

  const where = h(
    "div",
    { class: "school-join-where" },
    h("p", { class: "join-org", "data-testid": "school-join-school" }, invitation.school_name),
    h("p", { class: "school-join-class", "data-testid": "school-join-class" }, [invitation.grade_name, invitation.class_name].filter(Boolean).join(" · ")),
  );
  const studentField = () =>
    field({ label: t("schoolJoin.childName"), name: "student_name", required: true, autocomplete: "off", testid: "school-join-student", hint: t("schoolJoin.childNameHint") });
  const studentNoField = () =>
    field({ label: t("schoolJoin.studentNo"), name: "student_no", required: true, autocomplete: "off", testid: "school-join-student-no" });
  const ownNameField = () =>
    field({ label: t("schoolJoin.ownNameOnRoster"), name: "name", required: true, autocomplete: "name", testid: "school-join-own-name" });
  const formBox = h("div", {});
  let role = "guardian";
  const roleSwitch = h(
    "fieldset",
    { class: "school-join-role", "data-testid": "school-join-role" },
    h("legend", {}, t("schoolJoin.iAm")),
    ...["guardian", "student"].map((value) => {
      const id = `join-role-${value}`;
      return h(
        "span",
        { class: "check" },
        h("input", {
          type: "radio", id, name: "join-role", value, checked: value === role, "data-testid": `school-join-role-${value}`,
          onchange: () => {
            role = value;
            showForm();
          },
        }),
        h("label", { for: id }, t(value === "guardian" ? "schoolJoin.iAmGuardian" : "schoolJoin.iAmStudent")),
      );
    }),
  );
  let showForm = () => {};

  if (state.session) {
    const me = user();
    showForm = () => clear(formBox, signedInForm());
    const signedInForm = () => {
      const student = role === "student";
      const form = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "school-join-form" },
        h("p", { class: "muted", "data-testid": "school-join-as" }, t("schoolJoin.signedInAs", { name: me.name, phone: me.phone || me.email || "" })),
        ...(student ? [studentNoField(), ownNameField()] : [studentField()]),
        formError(),
        h("button", { type: "submit", class: "btn btn-primary btn-block", "data-testid": "school-join-submit" }, t("schoolJoin.join")),
        h(
          "button",
          {
            type: "button",
            class: "link-btn",
            "data-testid": "school-join-switch",
            onclick: async () => {
              await signOut();
              navigate(here, { replace: true });
            },
          },
          t("schoolJoin.otherAccount"),
        ),
      );
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const v = formValues(form);
        busy(form, async () => {
          try {
            if (student) await api.post(`/school/join/${encodeURIComponent(code)}/student`, { student_no: v.student_no, name: v.name });
            else await api.post(`/school/join/${encodeURIComponent(code)}`, { student_name: v.student_name });
            await enterSchool();
          } catch (error) {
            showError(form, error);
          }
        });
      });
      return form;
    };
    showForm();
    clear(box, h("h1", {}, t("schoolJoin.title")), where, roleSwitch, formBox);
    return;
  }

  const signInLink = () => h("a", { href: `/login?next=${encodeURIComponent(here)}`, "data-testid": "school-join-sign-in" }, t("schoolJoin.signIn"));
  const studentSignUp = () => {
    const form = h(
      "form",
      { class: "stack", novalidate: true, "data-testid": "school-join-form" },
      studentNoField(),
      ownNameField(),
      field({ label: t("schoolJoin.studentContact"), name: "contact", required: true, autocomplete: "username", testid: "school-join-contact", hint: t("schoolJoin.studentContactHint") }),
      field({ label: t("login.password"), name: "password", type: "password", required: true, autocomplete: "new-password", testid: "school-join-password", hint: t("common.passwordHint") }),
      formError(),
      h("button", { type: "submit", class: "btn btn-primary btn-block", "data-testid": "school-join-submit" }, t("schoolJoin.signUp")),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const v = formValues(form);
      const contact = (v.contact || "").trim();
      const byEmail = contact.includes("@");
      busy(form, async () => {
        try {
          await api.post(`/school/join/${encodeURIComponent(code)}/student-signup`, {
            student_no: v.student_no, name: v.name, password: v.password,
            ...(byEmail ? { email: contact } : { phone: contact }),
          });
          await enterSchool({ keepLanguage: true });
        } catch (error) {
          showError(form, error, error.code === "sign_in_first" ? { extra: h("span", {}, " ", signInLink()) } : undefined);
        }
      });
    });
    return form;
  };
  const guardianSignUp = () => {
    const form = h(
      "form",
      { class: "stack", novalidate: true, "data-testid": "school-join-form" },
      field({ label: t("schoolJoin.yourName"), name: "name", required: true, autocomplete: "name", testid: "school-join-name" }),
      field({ label: t("common.phone"), name: "phone", type: "tel", required: true, autocomplete: "tel", testid: "school-join-phone", hint: t("schoolJoin.phoneHint"), attrs: { inputmode: "tel" } }),
      studentField(),
      field({ label: t("login.password"), name: "password", type: "password", required: true, autocomplete: "new-password", testid: "school-join-password", hint: t("common.passwordHint") }),
      formError(),
      h("button", { type: "submit", class: "btn btn-primary btn-block", "data-testid": "school-join-submit" }, t("schoolJoin.signUp")),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const v = formValues(form);
      busy(form, async () => {
        try {
          await api.post(`/school/join/${encodeURIComponent(code)}/signup`, { name: v.name, phone: v.phone, password: v.password, student_name: v.student_name });
          await enterSchool({ keepLanguage: true });
        } catch (error) {
          showError(form, error, error.code === "sign_in_first" ? { extra: h("span", {}, " ", signInLink()) } : undefined);
        }
      });
    });
    return form;
  };
  const intro = h("p", { class: "muted" }, t("schoolJoin.intro"));
  showForm = () => {
    intro.textContent = t(role === "student" ? "schoolJoin.introStudent" : "schoolJoin.intro");
    clear(formBox, role === "student" ? studentSignUp() : guardianSignUp());
  };
  showForm();
  clear(
    box,
    h("h1", {}, t("schoolJoin.title")),
    where,
    roleSwitch,
    intro,
    formBox,
    h("p", { class: "school-join-have" }, t("schoolJoin.haveAccount"), " ", signInLink()),
  );
}
