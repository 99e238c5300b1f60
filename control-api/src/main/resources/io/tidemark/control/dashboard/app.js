// The dashboard's wiring: the token, the project, the live status, and the actions. Every action is
// a call of the control API; what it answers (done, or the 409 refusal's own text) is shown where
// the operator clicked.

import { Poller, call, forgetToken, projectPath, saveToken, savedToken, tablePath } from './api.js';
import { Charts } from './charts.js';
import { cutoverPanel, marksByTable, readChecks, verificationPanel } from './checks.js';
import { badge, esc } from './format.js';
import { completed, connectors, current, license, timeline } from './panels.js';
import { needsConfirmation, projectActionRefusal, verifyRefusal } from './rules.js';
import { TableTree } from './tree.js';

const $ = id => document.getElementById(id);

const state = {
  caller: null,
  project: null,
  status: null,
  checks: null,
  lastAnswer: null,
  failure: null,
  poller: null,
};

const tree = new TableTree($('table-rows'), (table, action) => tableAction(table, action));
const charts = new Charts({ rows: $('chart-rows'), time: $('chart-time'), tables: $('chart-tables'), lag: $('chart-lag') });

// What the browser tests read (chart data, render time) besides what the page shows.
window.tidemarkDashboard = { state, tree, charts, ready: false };

/** The answer of the confirmation dialog; `expect` makes the operator type a name (delete). */
function confirm(title, text, okLabel, expect) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel;
  $('confirm-type-label').hidden = !expect;
  $('confirm-expect').textContent = expect || '';
  $('confirm-type').value = '';
  dialog.returnValue = 'cancel';
  dialog.showModal();
  (expect ? $('confirm-type') : $('confirm-ok')).focus();
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'
      && (!expect || $('confirm-type').value === expect)), { once: true });
  });
}

async function signIn(token) {
  $('login-error').textContent = '';
  try {
    state.caller = await call('GET', '/token', undefined, token);
  } catch (e) {
    forgetToken();
    $('login-error').textContent = e.status === 401 || e.status === 403
      ? 'The API refused this token: ' + e.message : e.message;
    return;
  }
  saveToken(token);
  const projects = await call('GET', '/projects');
  const pick = $('project');
  pick.innerHTML = projects.map(p => '<option>' + esc(p.name) + '</option>').join('');
  const wanted = new URLSearchParams(location.search).get('project');
  if (wanted && projects.some(p => p.name === wanted)) {
    pick.value = wanted;
  }
  pick.closest('label').hidden = projects.length < 2;
  $('login').hidden = true;
  $('board').hidden = false;
  $('sign-out').hidden = false;
  $('refresh').hidden = false;
  $('caller').innerHTML = '<span class="name">' + esc(state.caller.name) + '</span> (' + esc(state.caller.scope) + ')';
  open(pick.value);
}

function open(project) {
  state.project = project;
  state.status = null;
  state.poller?.stop();
  const base = Number(new URLSearchParams(location.search).get('poll')) || 3000;
  // The status and, beside it, the verification and the cutover report: one poll, one "last updated".
  state.poller = new Poller(() => Promise.all([call('GET', projectPath(project)), readChecks(project)]),
    ([status, checks]) => { state.checks = checks; show(status); }, unreachable, base);
  state.poller.start();
}

function show(status) {
  state.status = status;
  state.lastAnswer = new Date();
  state.failure = null;
  $('project-name').textContent = status.project;
  $('project-state').innerHTML = badge(status.state) + (status.refusal
    ? ' <span class="refusal">' + esc(status.refusal) + '</span>' : '');
  $('project-connectors').innerHTML = connectors(status);
  for (const button of document.querySelectorAll('[data-project-action]')) {
    const refusal = projectActionRefusal(button.dataset.projectAction, status.state, state.caller.scope);
    button.setAttribute('aria-disabled', refusal ? 'true' : 'false');
    button.title = refusal || '';
  }
  const bulkRefusal = state.caller.scope === 'read' ? 'your token has scope read; table actions need operate' : null;
  for (const button of document.querySelectorAll('[data-bulk]')) {
    button.setAttribute('aria-disabled', bulkRefusal ? 'true' : 'false');
    button.title = bulkRefusal || '';
  }
  $('current').innerHTML = current(status);
  $('completed').innerHTML = completed(status);
  $('license').innerHTML = license(status);
  $('timeline').innerHTML = timeline(status);
  const verifyOff = verifyRefusal(state.caller.scope);
  $('verify').setAttribute('aria-disabled', verifyOff ? 'true' : 'false');
  $('verify').title = verifyOff || 'verify the target against the source, table by table (POST /projects/…/verify)';
  $('verification').innerHTML = verificationPanel(state.checks.verification);
  $('cutover').innerHTML = cutoverPanel(state.checks.cutover);
  tree.show(status.tables, state.caller.scope, marksByTable(state.checks.verification));
  $('table-count').textContent = '(' + (status.tables || []).length + ')';
  charts.show(status);
  const trouble = $('trouble');
  trouble.hidden = !status.problems || status.problems.length === 0;
  trouble.innerHTML = trouble.hidden ? '' : (status.state === 'UNKNOWN' ? '<strong>Connect does not answer.</strong> '
    : '<strong>Part of the status could not be read.</strong> ') + [...new Set(status.problems)].map(esc).join('<br>'); // each connector says the same
  document.body.dataset.state = status.state;
  window.tidemarkDashboard.ready = true;
  live();
}

function unreachable(error, retryIn) {
  if (error.status === 401) {
    forgetToken();
    location.reload(); // the token was taken away: ask again
    return;
  }
  state.failure = { message: error.message, retryIn, since: state.failure?.since || new Date() };
  const trouble = $('trouble');
  trouble.hidden = false;
  trouble.innerHTML = '<strong>The control API does not answer</strong> since '
    + esc(state.failure.since.toLocaleTimeString()) + ': ' + esc(error.message) + '. Trying again in '
    + Math.round(retryIn / 1000) + ' s; what is shown is from ' + esc(state.lastAnswer
      ? state.lastAnswer.toLocaleTimeString() : 'no answer yet') + '.';
  document.body.dataset.state = 'UNREACHABLE';
  live();
}

function live() {
  const el = $('live');
  if (!state.lastAnswer) {
    el.textContent = state.failure ? 'the API does not answer' : 'connecting…';
    return;
  }
  const ago = Math.round((Date.now() - state.lastAnswer) / 1000);
  el.textContent = (state.failure ? 'unreachable · ' : 'live · ') + 'last updated '
    + state.lastAnswer.toLocaleTimeString() + ' (' + ago + ' s ago)';
  el.className = 'live' + (state.failure ? ' stale' : '');
}

/** Runs one action and says what came of it in `place`: the answer's message, or the refusal's. */
async function act(method, path, body, place, label) {
  place.className = 'message';
  place.textContent = label + '…';
  try {
    const answer = await call(method, path, body);
    place.textContent = answer && answer.message ? answer.message : label + ': done';
    return true;
  } catch (e) {
    place.className = 'refusal';
    place.textContent = (e.status === 409 ? '' : label + ' failed: ') + e.message;
    return false;
  } finally {
    state.poller.now();
  }
}

async function projectAction(action) {
  const s = state.status;
  const place = $('project-message');
  const refusal = projectActionRefusal(action, s.state, state.caller.scope);
  if (refusal) {
    place.className = 'refusal';
    place.textContent = refusal;
    return;
  }
  if (action === 'delete') {
    if (await confirm('Delete project ' + s.project + '?', 'Removes both connectors and the project\'s control schema '
      + 'rows; target tables stay.', 'Delete', s.project)) {
      act('DELETE', projectPath(s.project, '?confirm=' + encodeURIComponent(s.project)), undefined, place, 'delete');
    }
    return;
  }
  if (needsConfirmation(action) && !await confirm(action === 'stop' ? 'Stop project ' + s.project + '?'
    : 'Soft stop project ' + s.project + '?', action === 'stop'
    ? 'Both connectors stop now; the iteration in progress is not finished (a soft stop finishes it first).'
    : 'The source writes a final marker; once it is applied, both connectors stop.', action === 'stop' ? 'Stop' : 'Soft stop')) {
    return;
  }
  act('POST', projectPath(s.project, '/' + action), undefined, place, action);
}

async function tableAction(table, action) {
  const name = table.sourceTable;
  if (action === 'mode') {
    const mode = table.mode === 'FULL' ? 'PARTIAL' : 'FULL';
    if (!await confirm('Make ' + name + ' ' + mode + '?', 'The table is applied in ' + mode + ' mode from its next start '
      + '(docs/consistency.md).', 'Make ' + mode)) {
      return;
    }
    return runTable(table, 'PUT', '/mode', { mode }, 'mode ' + mode);
  }
  if (needsConfirmation(action) && !await confirm('Stop ' + name + '?', 'The table stops taking changes; they wait '
    + 'in Kafka until it is started again.', 'Stop')) {
    return;
  }
  return runTable(table, 'POST', '/' + action, undefined, action);
}

async function runTable(table, method, rest, body, label) {
  const name = table.sourceTable;
  tree.busy.add(name);
  tree.message(name, label + '…', false);
  const place = document.createElement('p');
  const ok = await act(method, tablePath(state.project, name, rest), body, place, label);
  tree.busy.delete(name);
  tree.message(name, place.textContent, !ok);
  return ok;
}

async function bulk(kind) {
  const tables = state.status.tables || [];
  const selected = tables.filter(t => tree.selected.has(t.sourceTable));
  const plan = {
    'stop-errors': [tables.filter(t => t.status.startsWith('ERROR')), 'stop'],
    'start-paused': [tables.filter(t => t.status === 'PAUSED'), 'start'],
    'pause-selected': [selected, 'pause'],
    'start-selected': [selected, 'start'],
    'stop-selected': [selected, 'stop'],
  }[kind];
  const [targets, action] = plan;
  const place = $('bulk-message');
  if (state.caller.scope === 'read') {
    place.className = 'refusal';
    place.textContent = 'your token has scope read; table actions need operate';
    return;
  }
  if (targets.length === 0) {
    place.className = 'message';
    place.textContent = 'No table to ' + action + '.';
    return;
  }
  if (action === 'stop' && !await confirm('Stop ' + targets.length + ' table(s)?', targets.map(t => t.sourceTable)
    .join(', '), 'Stop')) {
    return;
  }
  let done = 0;
  for (const t of targets) {
    place.className = 'message';
    place.textContent = action + ': ' + (done + 1) + ' of ' + targets.length + '…';
    if (await runTable(t, 'POST', '/' + action, undefined, action)) {
      done++;
    }
  }
  place.textContent = action + ': ' + done + ' of ' + targets.length + ' done' + (done < targets.length
    ? '; the refusals are shown beside their tables' : '');
}

$('login-form').addEventListener('submit', e => {
  e.preventDefault();
  signIn($('token').value.trim());
});
$('sign-out').addEventListener('click', () => {
  forgetToken();
  location.reload();
});
$('refresh').addEventListener('click', () => state.poller?.now());
$('project').addEventListener('change', e => open(e.target.value));
$('filter-name').addEventListener('input', e => { tree.name = e.target.value; tree.render(); });
$('filter-status').addEventListener('change', e => { tree.status = e.target.value; tree.render(); });
$('select-all').addEventListener('change', e => {
  tree.shown().forEach(t => e.target.checked ? tree.selected.add(t.sourceTable) : tree.selected.delete(t.sourceTable));
  tree.render(true);
});
document.querySelectorAll('[data-sort]').forEach(b => b.addEventListener('click', () => tree.sortBy(b.dataset.sort)));
document.querySelectorAll('[data-project-action]').forEach(b => b.addEventListener('click',
  () => projectAction(b.dataset.projectAction)));
$('verify').addEventListener('click', () => {
  const refusal = verifyRefusal(state.caller.scope);
  if (refusal) {
    $('verify-message').className = 'refusal';
    $('verify-message').textContent = refusal;
    return;
  }
  act('POST', projectPath(state.project, '/verify'), {}, $('verify-message'), 'verify'); // a second run: 409, shown here
});
document.querySelectorAll('[data-bulk]').forEach(b => b.addEventListener('click', () => bulk(b.dataset.bulk)));
setInterval(live, 1000);

if (savedToken()) {
  signIn(savedToken());
} else {
  $('token').focus();
}
