// App controller: session lifecycle, language, live events and rendering the current route.
// Pages are modules exporting render(ctx) → optional cleanup function, where
// ctx = {main, params, query, on(type, fn), refresh(), navigate}.

import { api, setCsrfToken, setUnauthorizedHandler } from "./api.js";
import { t, setLang, browserLang, normalizeLang, getLang, errorText } from "./i18n.js";
import { defineRoutes, match, navigate, startRouter, currentPath } from "./router.js";
import * as events from "./events.js";
import { state, isAdmin, org, user } from "./state.js";
import { buildShell, markActive, updateBadge, languageSelect } from "./shell.js";
import { h, clear, toast } from "./ui.js";

const appRoot = () => document.getElementById("app");
let setupNeeded = false;
let shell = null; // {root, main, nav}
let pageCleanup = [];
let renderSeq = 0;
let firstRender = true;
let pageUpdate = null; // {page, fn}: same-page navigations call fn instead of re-rendering
const sessionHooks = new Set();
const shellHooks = new Set();

/** fn(session|null) after every session change (sign-in, sign-out, organisation switch). */
export function onSessionChange(fn) {
  sessionHooks.add(fn);
}

/** fn(nav) whenever the shell is (re)built, e.g. to add badges to the navigation. */
export function onShellBuilt(fn) {
  shellHooks.add(fn);
}

function runHooks(hooks, arg) {
  for (const fn of hooks) {
    try {
      fn(arg);
    } catch (e) {
      console.error(e);
    }
  }
}

// ---------- session ----------

function preferredLang() {
  const s = state.session;
  return normalizeLang(s?.user?.language) || normalizeLang(s?.org?.language) || browserLang();
}

async function applySession(session) {
  state.session = session;
  setCsrfToken(session ? session.csrf_token : null);
  shell = null;
  await setLang(preferredLang(), { remember: false });
  if (session) {
    events.connect();
    refreshPendingCount();
  } else {
    events.disconnect({ forget: true });
  }
  runHooks(sessionHooks, session);
}

export async function loadSession() {
  try {
    const session = await api.get("/auth/session", undefined, { quiet401: true });
    await applySession(session);
  } catch (error) {
    if (error.status !== 401) throw error;
    await applySession(null);
  }
}

/** After login, setup or switching organisation: adopt the new session and go on. */
export async function signedIn(session, next = "/") {
  events.disconnect({ forget: true });
  await applySession(session);
  navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
}

export async function signOut() {
  try {
    await api.post("/auth/logout");
  } catch (error) {
    if (error.status !== 401) toast(errorText(error), { type: "error" });
  }
  await applySession(null);
  navigate("/login", { replace: true });
}

export async function switchOrg(orgId) {
  try {
    const session = await api.put("/auth/session/org", { org_id: orgId });
    await signedIn(session, "/");
    toast(t("shell.switchedOrg", { name: session.org?.name || "" }), { type: "success" });
  } catch (error) {
    toast(errorText(error), { type: "error" });
    rerender({ rebuildShell: true });
  }
}

/** Language switch: saved to the profile when signed in, else remembered in the browser. */
export async function changeLanguage(lang) {
  if (state.session) {
    try {
      const me = await api.patch("/me", { language: lang });
      state.session.user = me;
    } catch (error) {
      toast(errorText(error), { type: "error" });
      return;
    }
  }
  await setLang(lang, { remember: true });
  rerender({ rebuildShell: true });
}

export function setSessionUser(me) {
  if (state.session) state.session.user = me;
}

export function setSessionOrg(updated) {
  if (!state.session) return;
  state.session.org = { ...state.session.org, ...updated };
  state.session.orgs = state.session.orgs.map((o) => (o.id === updated.id ? { ...o, ...updated } : o));
}

export async function refreshPendingCount() {
  if (!isAdmin()) {
    state.pendingJoinRequests = 0;
    return;
  }
  try {
    const list = await api.get("/join-requests", { status: "pending" });
    state.pendingJoinRequests = list.length;
  } catch {
    state.pendingJoinRequests = 0;
  }
  if (shell) updateBadge(shell.nav);
}

// ---------- rendering ----------

function runCleanup() {
  pageUpdate = null;
  for (const fn of pageCleanup) {
    try {
      fn();
    } catch (e) {
      console.error(e);
    }
  }
  pageCleanup = [];
}

function bareLayout() {
  const main = h("main", { id: "main", class: "bare-main", tabindex: "-1", "data-testid": "main" });
  const root = h(
    "div",
    { class: "bare" },
    h(
      "header",
      { class: "bare-header" },
      h("span", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "H"), h("span", { class: "brand-text" }, "Hobnail")),
      languageSelect({ onChange: changeLanguage, compact: true }),
    ),
    main,
  );
  return { root, main };
}

function messagePage(main, title, text) {
  clear(main, h("div", { class: "page-head" }, h("h1", {}, title)), h("section", { class: "card" }, h("p", {}, text), h("a", { href: "/", class: "btn" }, t("shell.home"))));
}

export function rerender({ rebuildShell = false } = {}) {
  if (rebuildShell) shell = null;
  return renderRoute({ force: true });
}

async function renderRoute({ force = false } = {}) {
  const path = location.pathname;
  const found = match(path);
  const query = new URLSearchParams(location.search);
  // A page that registered ctx.onUpdate handles moves within itself (e.g. /messages/A → /messages/B).
  if (!force && found && shell && state.session && pageUpdate && pageUpdate.page === found.route.page) {
    markActive(shell.nav, path);
    pageUpdate.fn({ params: found.params, query });
    return;
  }
  const seq = ++renderSeq;
  runCleanup();

  if (setupNeeded && path !== "/setup") return navigate("/setup", { replace: true });
  if (!setupNeeded && path === "/setup") return navigate(state.session ? "/" : "/login", { replace: true });
  if (found && !found.route.public && !state.session) {
    const next = path === "/" ? "" : `?next=${encodeURIComponent(currentPath())}`;
    return navigate(`/login${next}`, { replace: true });
  }
  if (found && found.route.path === "/login" && state.session) return navigate("/", { replace: true });

  let main;
  if (found && found.route.bare) {
    shell = null;
    const layout = bareLayout();
    clear(appRoot(), layout.root);
    main = layout.main;
  } else {
    if (!state.session) return navigate("/login", { replace: true });
    if (!shell) {
      shell = buildShell({ switchOrg, signOut, changeLanguage });
      clear(appRoot(), shell.root);
      updateBadge(shell.nav);
      runHooks(shellHooks, shell.nav);
    }
    markActive(shell.nav, path);
    main = shell.main;
    clear(main);
  }

  const titleKey = found ? found.route.title : "shell.notFound";
  const orgName = org()?.name;
  document.title = [t(titleKey), orgName, "Hobnail"].filter(Boolean).join(" · ");

  if (!found) {
    messagePage(main, t("shell.notFound"), t("shell.notFoundText"));
  } else if (found.route.admin && !isAdmin()) {
    messagePage(main, t("shell.forbidden"), t("shell.forbiddenText"));
  } else if (found.route.needsOrg && !org()) {
    messagePage(main, t("shell.noOrg"), t("shell.noOrgText"));
  } else {
    const ctx = {
      main,
      params: found.params,
      query,
      navigate,
      refresh: () => rerender(),
      on: (type, fn) => pageCleanup.push(events.on(type, fn)),
      isCurrent: () => seq === renderSeq,
      onUpdate: (fn) => (pageUpdate = { page: found.route.page, fn }),
    };
    try {
      const cleanup = await found.route.page.render(ctx);
      if (typeof cleanup === "function") pageCleanup.push(cleanup);
    } catch (error) {
      console.error(error);
      if (seq === renderSeq) messagePage(main, t("common.error"), errorText(error));
    }
  }
  if (!firstRender && seq === renderSeq) {
    const heading = main.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: false });
    }
  }
  firstRender = false;
}

// ---------- live events wired to the shell ----------

function wireEvents() {
  events.onUnauthorized(async () => {
    await applySession(null);
    navigate(`/login?next=${encodeURIComponent(currentPath())}`, { replace: true });
  });
  events.on("stream.resync", () => {
    refreshPendingCount();
    rerender();
  });
  events.on("organization.updated", (event) => {
    const updated = event.data?.organization || event.data?.org;
    if (updated && org() && updated.id === org().id) {
      setSessionOrg(updated);
      if (shell) {
        const name = shell.root.querySelector("[data-testid=org-name]");
        if (name) name.textContent = updated.name;
      }
    }
  });
  events.on("join_request.created", (event) => {
    if (!isAdmin()) return;
    const name = event.data?.join_request?.name || "";
    toast(t("joinRequests.newToast", { name }), { type: "info", timeout: 8000 });
    refreshPendingCount();
  });
  events.on("join_request.decided", () => refreshPendingCount());
  events.on("member.updated", (event) => {
    // Our own role may have changed: refresh the session so Admin appears/disappears.
    const member = event.data?.member;
    if (member && user() && member.id === user().id) {
      const wasAdmin = isAdmin();
      api
        .get("/auth/session", undefined, { quiet401: true })
        .then((session) => {
          state.session = session;
          setCsrfToken(session.csrf_token);
          if (wasAdmin !== isAdmin()) {
            refreshPendingCount();
            rerender({ rebuildShell: true });
          }
        })
        .catch(() => {});
    }
  });
}

export async function start(routes) {
  defineRoutes(routes, renderRoute);
  startRouter();
  setUnauthorizedHandler(async () => {
    if (!state.session) return;
    await applySession(null);
    toast(t("error.not_authenticated"), { type: "error" });
    navigate(`/login?next=${encodeURIComponent(currentPath())}`, { replace: true });
  });
  wireEvents();
  await setLang(browserLang(), { remember: false });
  try {
    const status = await api.get("/setup");
    setupNeeded = !!status.needed;
  } catch (error) {
    console.error(error);
  }
  if (!setupNeeded) await loadSession();
  else await applySession(null);
  await renderRoute();
}

export function setupDone() {
  setupNeeded = false;
}

export { getLang };
