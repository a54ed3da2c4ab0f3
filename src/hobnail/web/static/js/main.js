// Hobnail web client entry point: routes → page modules.
//
// ─── data-testid hooks for browser tests ────────────────────────────────────────────────
// Shell:       app-header, org-name (single org) | org-switcher (<select>, several orgs),
//              lang-switch (<select> in header / on sign-in pages), user-menu-button, user-menu,
//              menu-settings, sign-out, main-nav, nav-home, nav-contacts, nav-admin, nav-settings,
//              join-request-badge (inside nav-admin), main, toast (each toast; region #toasts),
//              dialog-close (× of any dialog), form-error (form-level error box, role=alert)
// Confirm:     confirm-dialog, confirm-ok, confirm-cancel
// Home:        welcome-card, welcome-org, shortcuts, shortcut-contacts|admin|settings
// Setup:       setup-form, setup-org-name, setup-timezone, setup-language, setup-owner-name,
//              setup-email, setup-phone, setup-password, setup-submit
// Sign in:     login-form, login-identifier, login-password, login-submit, login-retry (countdown)
// Join:        join-page, join-org-name, join-form, join-name, join-phone, join-email,
//              join-password, join-submit, join-sent, join-invalid
// Contacts:    department-tree, tree-toggle (phone: collapsible <summary>), department-all,
//              department-item [data-department-id], contacts-search, member-list-title,
//              member-list, member-row [data-member-id], member-list-empty, load-more
// Person card: person-card (dialog), person-name, person-title, person-role,
//              person-departments, person-phone, person-email, person-employee-no, person-joined
// Admin tabs:  admin-tabs, admin-tab-org|members|departments|invitations|import
// Admin org:   org-form, org-name-input, org-timezone, org-language, org-save
// Members:     member-add, admin-member-search, show-deactivated, admin-member-table,
//              admin-member-rows, admin-member-row [data-member-id], member-edit,
//              member-deactivate, member-reactivate, member-deactivated (tag), admin-load-more,
//              member-dialog, member-form, member-name, member-title, member-email, member-phone,
//              member-employee-no, member-role, member-departments (fieldset of checkboxes),
//              member-password, member-save, initial-password-dialog, initial-login,
//              initial-password, initial-password-copy, initial-password-done
// Departments: department-new, admin-department-tree, admin-department [data-department-id],
//              admin-department-name, department-up, department-down, department-add-child,
//              department-edit, department-delete, department-dialog, department-form,
//              department-name, department-parent, department-save, departments-empty
// Invitations: invitation-form, invitation-days, invitation-department, invitation-create,
//              invitation-created, invitation-url, invitation-url-copy, invitation-code,
//              invitation-code-copy, invitation-list, invitation-row [data-invitation-id],
//              invitation-state, invitation-copy-link, invitation-disable,
//              join-requests, join-request [data-request-id], join-approve, join-reject,
//              join-requests-empty
// Import:      import-columns, import-form, import-file, import-dry-run, import-submit,
//              import-progress, import-result, import-success, import-members,
//              import-download-passwords, import-errors-summary, import-errors, import-error-row
// Settings:    profile-form, profile-name, profile-language, profile-timezone, profile-save,
//              avatar-form, avatar-preview, avatar-file, avatar-upload,
//              password-form, current-password, new-password, password-save,
//              token-form, token-name, token-create, token-list, token-row [data-token-id],
//              token-revoke, tokens-empty, token-dialog, token-value, token-value-copy, token-done
// ────────────────────────────────────────────────────────────────────────────────────────

import { start } from "./app.js";
import * as setup from "./pages/setup.js";
import * as login from "./pages/login.js";
import * as join from "./pages/join.js";
import * as home from "./pages/home.js";
import * as contacts from "./pages/contacts.js";
import * as settings from "./pages/settings.js";
import * as adminOrg from "./pages/admin/org.js";
import * as adminMembers from "./pages/admin/members.js";
import * as adminDepartments from "./pages/admin/departments.js";
import * as adminInvitations from "./pages/admin/invitations.js";
import * as adminImport from "./pages/admin/import.js";

// public: no sign-in needed; bare: rendered without the app shell; admin: owners/admins only.
const ROUTES = [
  { path: "/setup", page: setup, title: "setup.title", public: true, bare: true },
  { path: "/login", page: login, title: "login.title", public: true, bare: true },
  { path: "/join/:code", page: join, title: "join.title", public: true, bare: true },
  { path: "/", page: home, title: "nav.home" },
  { path: "/contacts", page: contacts, title: "nav.contacts", needsOrg: true },
  { path: "/admin", page: adminOrg, title: "admin.tabOrg", admin: true },
  { path: "/admin/members", page: adminMembers, title: "admin.tabMembers", admin: true },
  { path: "/admin/departments", page: adminDepartments, title: "admin.tabDepartments", admin: true },
  { path: "/admin/invitations", page: adminInvitations, title: "admin.tabInvitations", admin: true },
  { path: "/admin/import", page: adminImport, title: "admin.tabImport", admin: true },
  { path: "/settings", page: settings, title: "nav.settings" },
];

start(ROUTES).catch((error) => {
  console.error(error);
  const app = document.getElementById("app");
  app.textContent = "Hobnail could not start. Reload the page to try again.";
});
