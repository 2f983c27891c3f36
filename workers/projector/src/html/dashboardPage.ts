import { html, page } from './html';

// The key stays in sessionStorage: it lives as long as the tab and is never sent to another
// origin; the page's fetches send it as a bearer token, so the server keeps no session.
export const DASHBOARD_SCRIPT = `
const KEY = 'vigil.readKey';
const form = document.getElementById('signin');
const error = document.getElementById('message');
const out = document.getElementById('dashboard');
const signOut = document.getElementById('signout');
function signedOut(message) {
  sessionStorage.removeItem(KEY);
  form.hidden = false; signOut.hidden = true; out.innerHTML = '';
  error.textContent = message || '';
}
async function load(incident) {
  const key = sessionStorage.getItem(KEY);
  if (!key) return signedOut();
  const url = '/v1/dashboard' + (incident ? '?incident=' + encodeURIComponent(incident) : '');
  try {
    const response = await fetch(url, { headers: { authorization: 'Bearer ' + key } });
    if (response.status === 401) return signedOut('That key is unknown or revoked.');
    if (response.status === 403) return signedOut('That key lacks the read scope.');
    if (!response.ok) { error.textContent = 'The dashboard could not load (' + response.status + '); try again.'; return; }
    const fragment = await response.text();
    form.hidden = true; signOut.hidden = false; error.textContent = '';
    out.innerHTML = fragment;
  } catch (failure) {
    error.textContent = 'The dashboard could not load (' + failure.message + '); try again.';
  }
}
form.addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, document.getElementById('key').value.trim());
  load(location.hash.slice(1));
});
out.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-incident]');
  if (!link) return;
  event.preventDefault();
  history.replaceState(null, '', '#' + link.dataset.incident);
  load(link.dataset.incident);
});
signOut.addEventListener('click', () => signedOut());
load(location.hash.slice(1));
`;

/**
 * The dashboard shell: a sign-in form, a message line that stays visible whether or not the form
 * is (a failed load says so), and the script that loads the server-rendered dashboard.
 */
export function dashboardPage(): string {
  const body = html`<h1>Vigil dashboard <button id="signout" class="signout" type="button" hidden>Sign out</button></h1>
<form id="signin" class="signin card" hidden>
<label for="key">API key with the <code>read</code> scope</label>
<input id="key" name="key" type="password" autocomplete="off" required placeholder="vgl_…">
<button type="submit">Sign in</button>
</form>
<p id="message" class="muted" role="alert"></p>
<div id="dashboard" aria-live="polite"></div>`;
  return page({ title: 'Vigil dashboard', body, script: DASHBOARD_SCRIPT });
}
