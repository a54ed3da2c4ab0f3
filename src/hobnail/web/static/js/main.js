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
// Admin tabs:  admin-tabs, admin-tab-org|members|departments|invitations|import|ding|files
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
// Messages:    nav-messages > messages-badge, messages-page, messages-search, new-chat, new-group,
//              notify-enable, conversation-list, conversations-empty, conversation-item
//              [data-conversation-id] (aria-current when open), conversation-name, conversation-tag,
//              conversation-preview, conversation-unread, conversation-mention, conversation-muted,
//              search-status, search-results, search-result [data-message-id, data-conversation-id],
//              search-more, chat-placeholder, chat-not-found
// Chat:        chat [data-conversation-id], chat-back, chat-title, chat-subtitle, chat-muted,
//              chat-settings, chat-announcement, chat-pins, chat-pin, message-log (role=log),
//              day-separator, unread-divider, chat-empty, loading-older, jump-unread, jump-latest,
//              message [data-message-id, data-seq, data-own, data-highlighted], system-line,
//              message-recalled, message-sender, message-body, message-quote, message-forwarded,
//              message-edited, message-pinned, message-receipt, message-pending, message-retry,
//              message-actions, mention, mention-me, typing-indicator
// Composer:    composer, composer-input, send-button, emoji-button, emoji-picker, emoji-option,
//              mention-button, mention-picker, mention-option [data-user-id; "*" = @all],
//              reply-preview, reply-cancel, composer-disabled
// Msg menu:    message-menu, action-reply|forward|copy|edit|recall|pin|unpin|receipts,
//              edit-dialog, edit-form, edit-input, edit-save, forward-dialog, forward-search,
//              forward-list, forward-option [data-conversation-id], forward-submit,
//              receipts-dialog, receipts-read, receipts-unread (+ -count), receipt-person
// New chat:    new-chat-dialog, new-chat-search, new-chat-results, new-chat-person [data-member-id],
//              new-group-dialog, new-group-form, new-group-name, new-group-search,
//              new-group-selected, new-group-results, new-group-person (checkbox), new-group-submit
// Settings:    group-settings (dialog), settings-form, settings-name, settings-announcement,
//              settings-who-can-add, settings-who-can-at-all, settings-only-admins, settings-save,
//              settings-mute, settings-members, settings-member [data-user-id], settings-managed,
//              settings-add-members, member-make-admin, member-unmake-admin, member-transfer,
//              member-remove, settings-leave, settings-dissolve, add-members-dialog,
//              add-members-search, add-members-person, add-members-submit
// Person card: person-message (link to the 1:1 chat)
// DING nav:    nav-ding > ding-badge (unconfirmed received DINGs)
// DING alert:  ding-alert (role=alertdialog, data-ding-id), ding-alert-title, ding-alert-body,
//              ding-alert-count (n waiting), ding-alert-note (recalled), ding-alert-reply,
//              ding-alert-reply-send, ding-alert-later, ding-alert-confirm (收到), ding-alert-close
// DING page:   ding-tabs, ding-tab-received > ding-tab-count, ding-tab-sent, ding-new,
//              ding-notify-enable, ding-received-list, ding-sent-list, ding-empty,
//              ding-item [data-ding-id, data-confirmed], ding-item-body, ding-item-confirm,
//              ding-state, ding-status, ding-progress ("x / y confirmed")
// DING detail: ding-detail [data-ding-id], ding-back, ding-detail-body, ding-recalled,
//              ding-not-found, ding-detail-progress, ding-policy, ding-remind-channel,
//              ding-remind, ding-remind-wait (countdown), ding-recall, ding-recipients,
//              ding-recipient [data-user-id, data-confirmed], ding-delivered, ding-attempt
//              [data-status], ding-attempt-error, ding-confirmed, ding-replies, ding-reply,
//              ding-replies-empty, ding-reply-input, ding-reply-send, ding-detail-confirm,
//              ding-detail-confirmed
// DING new:    ding-composer, ding-selected > ding-chip, ding-recipient-count, ding-chat-members,
//              ding-chat-all, ding-chat-member [data-member-id], ding-people-search,
//              ding-people-results, ding-person [data-member-id], ding-departments-toggle,
//              ding-departments, ding-department [data-department-id], ding-text,
//              ding-channels, ding-channel-in_app|sms|voice|email, ding-channel-reason,
//              ding-escalation, ding-escalation-default|none|custom, ding-steps, ding-step,
//              ding-step-minutes, ding-step-add, ding-critical, ding-when-now|later,
//              ding-schedule-at, ding-send
// Msg menu:    action-ding (DING this message)
// Settings:    quiet-form, quiet-start, quiet-end, quiet-save, quiet-clear
// Admin DING:  admin-tab-ding, ding-settings-form, ding-scope, ding-per-hour, ding-cap-<channel>,
//              ding-quota-sms|voice, ding-allow-critical, ding-settings-save, ding-usage
// Admin files: files-usage, files-used, files-usage-bar (role=progressbar), files-count,
//              files-backend, files-max-now, files-settings-form, files-max-mb, files-quota-mb,
//              files-settings-save
// Uploads:     attach-button, attach-input (hidden <input type=file multiple>), drop-zone,
//              upload-tray, upload-row [data-upload-key, data-state, data-upload-id],
//              upload-unfinished [data-upload-id] (server-held, after a reload), upload-name,
//              upload-progress (role=progressbar), upload-percent, upload-status, upload-error,
//              upload-pause, upload-resume, upload-retry, upload-cancel, upload-choose-again,
//              upload-again-input, upload-discard
// File msgs:   message-file [data-file-id], file-image > file-thumbnail, file-video, file-audio,
//              file-card [data-kind], file-name, file-size, file-open, file-download,
//              image-viewer (dialog), image-viewer-img, viewer-open, viewer-download
// Files view:  chat-files (header button), files-dialog, files-search, files-status, files-list,
//              files-row [data-message-id, data-file-id], files-name, files-size, files-sender,
//              files-date, files-jump, files-download, files-more
// Approvals:   nav-approvals > approvals-badge (waiting for me), approvals-tabs,
//              approvals-tab-start|todo|mine|done|cc|balance, approvals-tab-count,
//              approval-forms > approval-form-card [data-form-id, data-builtin], approvals-empty,
//              approvals-list-<box> > approval-item [data-request-id, data-status],
//              approval-item-title, approval-status [data-status], approval-waiting-for,
//              balance-year, balance-table > balance-row [data-leave-type] > balance-left
// New request: approval-form [data-form-id], approval-form-title, approval-field-<key>
//              (daterange: -start/-end; people: -search, -option, -chip), leave-summary,
//              leave-days, leave-balance, approval-submit, approval-back, approval-form-missing
// Request:     approval-detail [data-request-id], approval-title, approval-values,
//              approval-value-<key>, approval-days, approval-steps > approval-step [data-step,
//              data-status] > approval-approver [data-user-id, data-status], approval-actions,
//              approval-action-comment, approval-approve, approval-reject, approval-transfer,
//              approval-add-before, approval-add-after, approval-withdraw, pick-person-dialog,
//              pick-person-search, pick-person-option [data-member-id], approval-timeline >
//              approval-activity [data-action], approval-comment-input, approval-comment-send
// Admin appr.: admin-tab-approvals, admin-forms > admin-form [data-form-id], admin-form-enabled,
//              admin-form-edit, admin-form-new, form-dialog, form-name, form-fields >
//              form-field-row (field-label, field-type, field-required, field-options),
//              form-field-add, flow-steps > flow-step (flow-step-type, flow-step-level,
//              flow-step-mode, flow-step-role, flow-step-people, flow-step-condition,
//              flow-step-days, flow-step-remove), flow-step-add, flow-when-empty, form-per-month,
//              form-save, quota-form, quota-everyone, quota-people, quota-type, quota-year,
//              quota-days, quota-save
// Attendance: nav-attendance, attendance-page, attendance-admin-link, attendance-today
//              [data-location], attendance-schedule, punch-button [data-kind in|out|field-in|
//              field-out, data-ready], punch-reason (why it can or cannot be pressed),
//              punch-relocate, punch-result (aria-live), today-result > today-status
//              [data-status], today-reasons, today-punches > today-punch [data-kind,
//              data-location], today-no-punches, field-dialog, field-form, field-note,
//              field-submit, attendance-month, month-title, month-prev, month-next,
//              month-calendar > month-day [data-day, data-status], month-summary (sum-*),
//              day-dialog, day-status, day-reasons, day-punches, day-makeup, day-leave
// Admin att.:  admin-tab-attendance, att-tabs, att-tab-groups|today|report|review|calendar|roster,
//              att-groups > att-group [data-group-id], att-group-new, att-group-edit,
//              att-group-delete, group-dialog, group-form, group-name, group-people,
//              group-departments, group-kind, group-start, group-end, group-flex-hours,
//              group-shifts > group-shift, group-workday-<0-6>, group-places > group-place
//              (place-name, place-lat, place-lng, place-radius), group-place-add,
//              group-networks, group-network-add, group-wifi, group-wifi-add,
//              group-field-allowed, group-field-photo, group-effective-from, group-save,
//              board-day, board-counts > board-count-<list>, board-list-<list> >
//              board-person [data-user-id], report-month, report-table > report-row,
//              report-export-xlsx|csv, report-progress, review-list > review-item
//              [data-punch-id], review-accept, review-reject, review-empty,
//              calendar-year, calendar-days > calendar-day [data-day], calendar-form,
//              calendar-date, calendar-kind, calendar-name, calendar-save, calendar-reset,
//              roster-group, roster-from, roster-table > roster-row [data-user-id] >
//              roster-cell [data-day], roster-save, roster-empty, roster-no-groups
// Dept mgrs:   department-managers (button), department-manager-names, managers-dialog,
//              managers-form, manager-option [data-member-id], managers-save
// Reports:    nav-reports > reports-badge (unread received), reports-tabs, reports-tab-write|
//              received|sent|stats > reports-tab-count, report-templates > report-template-card
//              [data-template-id, data-builtin], report-drafts > report-draft [data-report-id]
//              (report-draft-continue, report-draft-delete), report-drafts-empty
// Write:       report-form [data-template-id, data-builtin], report-form-title, report-period,
//              report-field-<key> (files: -pickers), report-recipients-box, report-to-manager,
//              report-default-people, report-recipients (people picker: -search, -option,
//              -chip), report-chats > report-chat [data-conversation-id], report-save-draft,
//              report-submit, report-status (aria-live), report-sent-to, report-locked
// Lists:       report-search, report-filter-template|since|until, report-filter-person,
//              reports-list-received|sent > report-item [data-report-id, data-read] >
//              report-item-link, report-item-title, report-unread, report-late,
//              report-read-count, report-readers, report-unread-by, report-edit, reports-empty
// Report:      report-detail [data-report-id], report-title, report-values > report-value-<key>,
//              report-files, report-like [aria-pressed] > report-like-count, report-edit,
//              report-reads > report-reader [data-user-id, data-read], report-comments >
//              report-comment > report-comment-body, report-comment-input, report-comment-send
// Statistics:  stats-template, stats-first, stats-last, stats-department, stats-export-xlsx|csv,
//              stats-progress, stats-result, stats-summary > stats-total-<state>, stats-table >
//              stats-row [data-user-id] > td[data-col=due|on_time|late|missing|pending],
//              stats-departments > stats-department, stats-trend > stats-trend-period [data-key],
//              stats-error
// Admin rpts:  admin-tab-reports, admin-templates > admin-template [data-template-id,
//              data-builtin], admin-template-enabled, admin-template-edit, admin-template-new,
//              template-dialog, template-name, template-writers, template-departments >
//              template-department, template-period, template-deadline, template-remind,
//              template-manager, template-recipients, template-save
// Admin apps:  admin-tab-apps, app-new, apps-list > app-row [data-app-id] > app-name-text,
//              app-row-client-id, app-enabled, app-edit, app-rotate; app-dialog > app-name,
//              app-scope-<scope>, app-save; app-secret-dialog > app-secret-warning,
//              app-client-id, app-client-secret, app-secret-done; apps-endpoints;
//              app-events-toggle > app-events (sub-* subscription form, delivery-* log,
//              attempt-* rows of a delivery's dialog)
// New chat:    new-chat-bots > new-chat-bot [data-bot-id]
// Robots:      robot-card [data-card-type] > card-button, card-link, card-feed-item;
//              robot-badge; settings-robots > robot-add, robot-row > robot-show, robot-delete;
//              robot-dialog > robot-name, robot-keywords, robot-sign, robot-ip-allow,
//              robot-save, robot-created > robot-webhook, robot-secret, robot-created-done;
//              settings-apps > group-app-select, group-app-add; leave-by-hour, leave-hours
// School nav:  nav-school (schools only; guardians see no staff entries: contacts, admin,
//              attendance, approvals, reports)
// School home: school-home, school-name, school-error, school-empty, school-children >
//              school-child [data-student-id] > school-child-name, school-child-class,
//              school-child-relation, school-child-head-teacher; school-classes >
//              school-class [data-class-id] > school-class-link, school-class-role,
//              school-class-open; school-classes-empty, school-overview, school-setup-link
// Class page:  school-class-page, school-back, class-summary [data-class-id] > class-title,
//              class-head-teacher-name, class-subject-teachers, class-student-count,
//              class-teachers-edit (admins), class-not-found
// Roster:      roster-card, roster-show-numbers, student-add, roster > roster-table >
//              roster-row [data-student-id] > roster-student-no, roster-student-name,
//              roster-guardian [data-guardian-id] > roster-relation, roster-phone (masked),
//              roster-joined | roster-not-joined; student-withdraw; roster-empty;
//              student-dialog > student-form, student-name, student-no, student-guardian-name,
//              student-guardian-phone, student-guardian-relation, student-save
// Import:      roster-import-card > roster-columns, roster-template-xlsx|csv, roster-form,
//              roster-file, roster-check (dry run), roster-import, roster-progress,
//              roster-result > roster-check-ok | roster-imported | roster-errors-summary,
//              roster-errors > roster-error-row [data-row, data-code] > roster-error-line,
//              roster-error-field
// Join codes:  join-codes-card, join-code-form, join-code-days, join-code-create,
//              join-code-created > join-code-url, join-code-code (+ -copy), join-codes >
//              join-code-row [data-invitation-id, data-active] > join-code-value,
//              join-code-state, join-code-link, join-code-copy, join-code-disable; join-codes-empty
// Teachers:    teachers-dialog > teachers-form, class-head-teacher (people picker: -search,
//              -option, -chip), subject-teachers > subject-teacher-row > subject-name,
//              subject-teacher (picker), subject-teacher-remove; subject-teacher-add, teachers-save
// Admin school: admin-tab-school, school-state > school-enable | school-enabled,
//              school-disabled, school-disable, school-home-link; school-grades-card >
//              grade-form, grade-name, grade-create, school-grades > grade [data-grade-id] >
//              grade-title, grade-up, grade-down, grade-rename, grade-delete, class-add,
//              class-row [data-class-id] > class-open, class-row-facts, class-up, class-down,
//              class-rename, class-delete; grades-empty; grade-dialog, class-dialog (-form,
//              -name, -save); admin-school-class
// Notices:    (school home) school-notices (teachers) > notice-new, notices-sent; school-notices-
//              received (guardians) > notices-received; notices-empty; notice-item [data-notice-id,
//              data-status | data-unconfirmed] > notice-item-link, notice-item-confirmed,
//              notice-item-read, notice-item-scheduled, notice-item-to-confirm, notice-item-done
// New notice:  notice-new-page, notice-form, notice-title, notice-text, notice-recipients >
//              notice-class [data-class-id] > notice-class-check, notice-choose-students,
//              notice-students > notice-student [data-student-id]; notice-recipients-summary,
//              notice-files-box > notice-file-pickers (DING attachment pickers: ding-file-input,
//              ding-file-progress, ding-file-status …), notice-require-confirm,
//              notice-deadline-input, notice-when-now|later, notice-release-at, notice-send,
//              notice-send-hint, notice-no-classes
// Notice:      notice-page [data-notice-id], notice-title, notice-sent-at, notice-scheduled,
//              notice-deadline, notice-body, notice-files > notice-file [data-file-id],
//              notice-not-found | notice-error; guardians: notice-children > notice-child
//              [data-student-id, data-confirmed] > notice-child-name, notice-confirm (签收),
//              notice-child-state, notice-child-time; teachers: notice-summary > notice-counts
//              (-confirmed, -read, -bar), notice-ding-all, notice-ding-result > notice-ding-sent
//              | notice-ding-error, notice-ding-unreachable, notice-ding-link;
//              notice-class-card [data-class-id] > notice-class-counts (-confirmed, -read),
//              notice-ding-class, notice-ding-result, notice-unconfirmed | notice-confirmed |
//              notice-unread | notice-read (+ -count) > notice-family [data-student-id,
//              data-confirmed, data-read] > notice-family-name, notice-family-by,
//              notice-family-time, notice-family-read | notice-family-unread; notice-not-released
// School join: school-join-page, school-join-invalid, school-join-school, school-join-class,
//              school-join-form, school-join-name, school-join-phone, school-join-student,
//              school-join-password, school-join-submit, school-join-sign-in, school-join-as,
//              school-join-switch
// Check-in:    (guardians, school home) school-checkins > checkin-reminder-notice, checkin-items >
//              checkin-item [data-form-id, data-student-id, data-state=open|done|upcoming|closed] >
//              checkin-item-title, checkin-state, checkin-window, checkin-form (report-field-<key>,
//              approval-field-<key> for times) > checkin-submit, checkin-cancel; checkin-done,
//              checkin-values, checkin-change, checkin-upcoming, checkin-missed;
//              (teachers) school-checkins-teach > checkin-class [data-form-id, data-class-id] >
//              checkin-class-title, checkin-count, checkin-done-list > checkin-done-row
//              [data-student-id] > checkin-done-name, checkin-done-time, checkin-done-values;
//              checkin-none-done, checkin-missing-list > checkin-missing-row > checkin-missing-name;
//              checkin-all-done, checkin-remind, checkin-remind-status (aria-live)
// Admin check-in: school-checkin-card > checkin-form-new, checkin-forms-empty, checkin-forms >
//              checkin-form-row [data-form-id, data-enabled] > checkin-form-name, checkin-form-state,
//              checkin-form-facts, checkin-form-edit, checkin-form-toggle; checkin-dialog >
//              checkin-editor > checkin-name, form-fields (field editor), checkin-classes-all|chosen,
//              checkin-class-option [data-class-id], checkin-weekday, checkin-opens, checkin-closes,
//              checkin-save
// Homework:    (home) school-homework > hw-home-to-grade, hw-assign-link, hw-all-link;
//              school-homework-children > hw-home-due; hw-list > hw-item [data-homework-id] >
//              hw-item-link, hw-subject, hw-due, hw-to-grade, hw-count-submitted|graded|
//              not-submitted, hw-child [data-student-id, data-state] > hw-state, hw-late,
//              hw-child-grade, hw-excellent; hw-empty; (list) hw-list-page, hw-scopes >
//              hw-scope-<scope>, hw-more
// Assign hw:   hw-assign-page, hw-assign-form, hw-classes > hw-class [data-class-id],
//              hw-subject-input, hw-title-input, hw-body-input, hw-assign-upload (uploader),
//              hw-due-input, hw-remind, hw-assign-submit, hw-wait-hint, hw-no-classes
// Uploader:    <testid> > <testid>-camera|photos|files (inputs) + <testid>-…-button,
//              <testid>-list > hw-upload-row [data-state] > hw-upload-name, hw-upload-progress
//              (role=progressbar), hw-upload-done, hw-upload-error, hw-upload-remove
// Homework:    hw-page, hw-not-found, hw-head [data-homework-id] > hw-title, hw-classes-text,
//              hw-due, hw-remind-text, hw-author, hw-body, hw-files > hw-photo, hw-file
// Teacher:     hw-stats > hw-stats-class [data-class-id] > hw-stat-submitted|graded|
//              not_submitted|late > hw-stat-count, hw-stat-student [data-student-id];
//              hw-submissions > hw-filter-class, hw-filter-status, hw-sub-list >
//              hw-submission [data-submission-id, data-status, data-student-id] >
//              hw-sub-student, hw-sub-status, hw-sub-body, hw-sub-files, hw-grade >
//              hw-grade-value, hw-grade-comment; hw-grade-button; hw-subs-empty, hw-live;
//              hw-grade-dialog > hw-grade-form, hw-grade-mode-level|score, hw-level-A..D,
//              hw-score-input, hw-comment-input, hw-comment-upload, hw-excellent-input,
//              hw-grade-save
// Family:      hw-children > hw-child-card [data-student-id, data-state] > hw-child-name,
//              hw-child-state, hw-my-work > hw-my-body, hw-my-files; hw-withdraw;
//              hw-submit-form > hw-withdrawn-note, hw-submit-body, hw-submit-upload,
//              hw-submit; hw-grade; hw-excellent-work > hw-excellent-item | hw-excellent-empty
// ────────────────────────────────────────────────────────────────────────────────────────

import { start } from "./app.js";
import * as setup from "./pages/setup.js";
import * as login from "./pages/login.js";
import * as join from "./pages/join.js";
import * as home from "./pages/home.js";
import * as contacts from "./pages/contacts.js";
import * as settings from "./pages/settings.js";
import * as messages from "./pages/messages/index.js";
import { install as installMessaging } from "./pages/messages/store.js";
import { install as installDingAlert } from "./ding-alert.js";
import * as dingList from "./pages/ding/list.js";
import * as dingComposer from "./pages/ding/composer.js";
import * as dingDetail from "./pages/ding/detail.js";
import * as adminOrg from "./pages/admin/org.js";
import * as adminMembers from "./pages/admin/members.js";
import * as adminDepartments from "./pages/admin/departments.js";
import * as adminInvitations from "./pages/admin/invitations.js";
import * as adminImport from "./pages/admin/import.js";
import * as adminDing from "./pages/admin/ding.js";
import * as adminFiles from "./pages/admin/files.js";
import * as adminApprovals from "./pages/admin/approvals.js";
import * as approvals from "./pages/approvals/index.js";
import * as approvalForm from "./pages/approvals/form.js";
import * as approvalDetail from "./pages/approvals/detail.js";
import { install as installApprovals } from "./pages/approvals/common.js";
import * as attendance from "./pages/attendance/index.js";
import { install as installAttendance } from "./pages/attendance/common.js";
import * as adminAttendanceGroups from "./pages/admin/attendance.js";
import * as adminAttendanceBoard from "./pages/admin/attendance-board.js";
import * as adminAttendanceReport from "./pages/admin/attendance-report.js";
import * as adminAttendanceReview from "./pages/admin/attendance-review.js";
import * as adminAttendanceCalendar from "./pages/admin/attendance-calendar.js";
import * as adminAttendanceRoster from "./pages/admin/attendance-roster.js";
import * as reportsWrite from "./pages/reports/write.js";
import * as reportsList from "./pages/reports/list.js";
import * as reportForm from "./pages/reports/form.js";
import * as reportDetail from "./pages/reports/detail.js";
import * as reportStats from "./pages/reports/stats.js";
import { install as installReports } from "./pages/reports/common.js";
import * as adminReports from "./pages/admin/reports.js";
import * as adminApps from "./pages/admin/apps.js";
import * as schoolHome from "./pages/school/home.js";
import * as schoolClass from "./pages/school/class.js";
import * as schoolJoin from "./pages/school/join.js";
import { install as installSchool } from "./pages/school/common.js";
import * as schoolHomeworkList from "./pages/school/homework-list.js";
import * as schoolHomeworkAssign from "./pages/school/homework-assign.js";
import * as schoolHomework from "./pages/school/homework-detail.js";
import { install as installHomework } from "./pages/school/homework-home.js";
import * as schoolNoticeNew from "./pages/school/notice-new.js";
import * as schoolNotice from "./pages/school/notice-detail.js";
import { install as installSchoolNotices } from "./pages/school/notice-home.js";
import { install as installSchoolCheckins } from "./pages/school/checkin-home.js";
import * as adminSchool from "./pages/admin/school.js";
import * as adminSchoolClass from "./pages/admin/school-class.js";

// public: no sign-in needed; bare: rendered without the app shell; admin: owners/admins only.
const ROUTES = [
  { path: "/setup", page: setup, title: "setup.title", public: true, bare: true },
  { path: "/login", page: login, title: "login.title", public: true, bare: true },
  { path: "/join/:code", page: join, title: "join.title", public: true, bare: true },
  { path: "/", page: home, title: "nav.home" },
  { path: "/messages", page: messages, title: "nav.messages", needsOrg: true },
  { path: "/messages/:id", page: messages, title: "nav.messages", needsOrg: true },
  { path: "/ding", page: dingList, title: "nav.ding", needsOrg: true },
  { path: "/ding/sent", page: dingList, title: "ding.sent", needsOrg: true },
  { path: "/ding/new", page: dingComposer, title: "ding.new", needsOrg: true },
  { path: "/ding/:id", page: dingDetail, title: "ding.detailTitle", needsOrg: true },
  { path: "/approvals", page: approvals, title: "nav.approvals", needsOrg: true },
  { path: "/approvals/todo", page: approvals, title: "approvals.tabTodo", needsOrg: true },
  { path: "/approvals/mine", page: approvals, title: "approvals.tabMine", needsOrg: true },
  { path: "/approvals/done", page: approvals, title: "approvals.tabDone", needsOrg: true },
  { path: "/approvals/cc", page: approvals, title: "approvals.tabCc", needsOrg: true },
  { path: "/approvals/balance", page: approvals, title: "approvals.tabBalance", needsOrg: true },
  { path: "/approvals/new/:formId", page: approvalForm, title: "approvals.newTitle", needsOrg: true },
  { path: "/approvals/request/:id", page: approvalDetail, title: "approvals.detailTitle", needsOrg: true },
  { path: "/attendance", page: attendance, title: "attendance.title", needsOrg: true },
  { path: "/reports", page: reportsWrite, title: "nav.reports", needsOrg: true },
  { path: "/reports/received", page: reportsList, title: "reports.tabReceived", needsOrg: true },
  { path: "/reports/sent", page: reportsList, title: "reports.tabSent", needsOrg: true },
  { path: "/reports/stats", page: reportStats, title: "reports.tabStats", needsOrg: true },
  { path: "/reports/write/:templateId", page: reportForm, title: "reports.tabWrite", needsOrg: true },
  { path: "/reports/edit/:id", page: reportForm, title: "reports.tabWrite", needsOrg: true },
  { path: "/reports/view/:id", page: reportDetail, title: "nav.reports", needsOrg: true },
  { path: "/contacts", page: contacts, title: "nav.contacts", needsOrg: true },
  { path: "/admin", page: adminOrg, title: "admin.tabOrg", admin: true },
  { path: "/admin/members", page: adminMembers, title: "admin.tabMembers", admin: true },
  { path: "/admin/departments", page: adminDepartments, title: "admin.tabDepartments", admin: true },
  { path: "/admin/invitations", page: adminInvitations, title: "admin.tabInvitations", admin: true },
  { path: "/admin/import", page: adminImport, title: "admin.tabImport", admin: true },
  { path: "/admin/ding", page: adminDing, title: "admin.tabDing", admin: true },
  { path: "/admin/files", page: adminFiles, title: "admin.tabFiles", admin: true },
  { path: "/admin/approvals", page: adminApprovals, title: "admin.tabApprovals", admin: true },
  { path: "/admin/attendance", page: adminAttendanceGroups, title: "attendanceAdmin.tabGroups", admin: true },
  { path: "/admin/attendance/today", page: adminAttendanceBoard, title: "attendanceAdmin.tabToday", admin: true },
  { path: "/admin/attendance/report", page: adminAttendanceReport, title: "attendanceAdmin.tabReport", admin: true },
  { path: "/admin/attendance/review", page: adminAttendanceReview, title: "attendanceAdmin.tabReview", admin: true },
  { path: "/admin/attendance/calendar", page: adminAttendanceCalendar, title: "attendanceAdmin.tabCalendar", admin: true },
  { path: "/admin/attendance/roster", page: adminAttendanceRoster, title: "attendanceAdmin.tabRoster", admin: true },
  { path: "/admin/reports", page: adminReports, title: "admin.tabReports", admin: true },
  { path: "/admin/apps", page: adminApps, title: "admin.tabApps", admin: true },
  { path: "/admin/school", page: adminSchool, title: "admin.tabSchool", admin: true },
  { path: "/admin/school/classes/:id", page: adminSchoolClass, title: "school.classTitle", admin: true },
  { path: "/school", page: schoolHome, title: "nav.school", needsOrg: true },
  { path: "/school/classes/:id", page: schoolClass, title: "school.classTitle", needsOrg: true },
  { path: "/school/homework", page: schoolHomeworkList, title: "homework.title", needsOrg: true },
  { path: "/school/homework/new", page: schoolHomeworkAssign, title: "homework.assignTitle", needsOrg: true },
  { path: "/school/homework/:id", page: schoolHomework, title: "homework.title", needsOrg: true },
  { path: "/school/notices/new", page: schoolNoticeNew, title: "notice.newTitle", needsOrg: true },
  { path: "/school/notices/:id", page: schoolNotice, title: "notice.pageTitle", needsOrg: true },
  { path: "/school/join/:code", page: schoolJoin, title: "schoolJoin.title", public: true, bare: true },
  { path: "/settings", page: settings, title: "nav.settings" },
];

installMessaging();
installDingAlert();
installApprovals();
installAttendance();
installReports();
installSchool();
installHomework();
installSchoolNotices();
installSchoolCheckins();
start(ROUTES).catch((error) => {
  console.error(error);
  const app = document.getElementById("app");
  app.textContent = "Hobnail could not start. Reload the page to try again.";
});
