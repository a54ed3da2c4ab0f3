// The signed-in session (GET /api/v1/auth/session) and small derived helpers.

export const state = {
  session: null, // {user, org, orgs, csrf_token} or null when signed out
  pendingJoinRequests: 0,
};

export function user() {
  return state.session ? state.session.user : null;
}

export function org() {
  return state.session ? state.session.org : null;
}

export function isAdmin() {
  const current = org();
  return !!current && (current.role === "owner" || current.role === "admin");
}

export function orgTimezone() {
  const current = org();
  return (current && current.timezone) || (user() && user().timezone) || undefined;
}
