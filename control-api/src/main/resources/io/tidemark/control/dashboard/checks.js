// The verification and cutover panels: the last verification (GET /projects/{p}/verification) and
// the newest cutover report (GET /projects/{p}/cutover/report), read with the status at each poll.
// A failure of either is said in its panel; it does not make the whole API "unreachable".

import { call, projectPath } from './api.js';
import { count, esc, rate, seconds, time } from './format.js';

/** Both, each as {value} or {error}; a cutover report that does not exist (404) is no report. */
export async function readChecks(project) {
  const [verification, cutover] = await Promise.all([
    call('GET', projectPath(project, '/verification')).then(value => ({ value }), error => ({ error })),
    call('GET', projectPath(project, '/cutover/report')).then(value => ({ value }),
      error => (error.status === 404 ? { value: null } : { error })),
  ]);
  return { verification, cutover };
}

/** A verification's, a table's or a cutover's result word as a badge: IN_SYNC and DONE read as good. */
export function resultBadge(status) {
  const tone = { IN_SYNC: 'ok', DONE: 'ok', PLANNED: 'ok', RUNNING: 'busy', IN_FLIGHT: 'busy', PENDING: 'busy',
    CANCELLED: 'stopped' }[status] || 'bad';
  return '<span class="badge ' + tone + '">' + esc(status || '–') + '</span>';
}

/** Source table → its "verified through iteration N" mark (and its last result), for the tree. */
export function marksByTable(verification) {
  const out = new Map();
  const v = verification && verification.value;
  if (!v) {
    return out;
  }
  (v.marks || []).forEach(m => out.set(m.table, { through: m.iteration, run: m.run, at: m.at }));
  (v.tables || []).forEach(t => out.set(t.table, Object.assign(out.get(t.table) || {}, { last: t.status, lastRun: v.run })));
  return out;
}

export function verificationPanel(read) {
  if (read.error) {
    return '<p class="refusal">The verification cannot be read: ' + esc(read.error.message) + '</p>';
  }
  const v = read.value;
  if (!v || v.run === undefined) {
    return '<p class="muted">No verification ran yet. Verify compares the target with the source table by table at '
      + 'one applied iteration (docs/verification.md).</p>';
  }
  const tables = v.tables || [];
  return '<p id="verification-result" data-status="' + esc(v.status) + '" data-iteration="' + esc(v.iteration ?? '')
    + '">Run <strong>' + v.run + '</strong> ' + resultBadge(v.status) + ' at iteration <strong>'
    + (v.iteration ?? '–') + '</strong></p>'
    + '<dl class="facts"><div><dt>Started</dt><dd>' + time(v.startedAt) + '</dd></div><div><dt>Finished</dt><dd>'
    + time(v.finishedAt) + '</dd></div><div><dt>In sync</dt><dd>' + tables.filter(t => t.status === 'IN_SYNC').length
    + ' of ' + tables.length + '</dd></div></dl>'
    + (v.message ? '<p class="message">' + esc(v.message) + '</p>' : '')
    + (tables.length === 0 ? '' : '<div class="table-wrap"><table class="checks" id="verification-tables"><thead><tr>'
      + '<th scope="col">Table</th><th scope="col">Result</th><th scope="col">Iteration</th><th scope="col">Source rows</th>'
      + '<th scope="col">Target rows</th><th scope="col">Out of sync</th><th scope="col">In flight</th>'
      + '<th scope="col">Rows/s</th></tr></thead><tbody>'
      + tables.map(t => '<tr data-table="' + esc(t.table) + '" data-status="' + esc(t.status) + '" data-iteration="'
        + esc(t.iteration ?? '') + '"><td class="name">' + esc(t.table) + (t.note ? '<div class="muted">' + esc(t.note)
        + '</div>' : '') + '</td><td>' + resultBadge(t.status) + '</td><td class="num">' + (t.iteration ?? '–')
        + (t.pinned ? ' <span class="muted" title="read at the same instant on both sides">pinned</span>' : '')
        + '</td><td class="num">' + count(t.sourceRows) + '</td><td class="num">' + count(t.targetRows) + '</td><td class="num">'
        + count(t.differences) + '</td><td class="num">' + count(t.inFlight)
        + '</td><td class="num">' + rate(t.rowsPerSecond) + '</td></tr>'
        + differing(t)).join('')
      + '</tbody></table></div>');
}

/** A table's differing keys (the API keeps at most 100 a table), each with its kind and verdict. */
function differing(t) {
  const keys = t.differing || [];
  if (keys.length === 0) {
    return '';
  }
  return '<tr class="differing"><td colspan="8"><ul>' + keys.slice(0, 20).map(d => '<li><span class="name">key '
    + esc(JSON.stringify(d.key)) + '</span> ' + esc(d.kind) + (d.columns && d.columns.length ? ' ' + esc(d.columns.join(', '))
    : '') + ' ' + esc(d.verdict)).join('</li>') + '</li>' + (keys.length > 20 ? '<li class="muted">and ' + (keys.length - 20)
    + ' more (GET /projects/…/verification)</li>' : '') + '</ul></td></tr>';
}

export function cutoverPanel(read) {
  const cli = '<p class="muted">No cutover button here: the CLI runs it (<code>tidemark cutover PROJECT</code>, '
    + 'docs/cutover.md); this panel shows its newest report.</p>';
  if (read.error) {
    return '<p class="refusal">The cutover report cannot be read: ' + esc(read.error.message) + '</p>' + cli;
  }
  const r = read.value;
  if (!r) {
    return '<p class="muted">No cutover yet.</p>' + cli;
  }
  const v = r.verification;
  return '<p id="cutover-outcome" data-outcome="' + esc(r.outcome) + '">' + esc(r.kind) + ' ' + resultBadge(r.outcome)
    + '</p>' + (r.message ? '<p class="message">' + esc(r.message) + '</p>' : '')
    + '<dl class="facts"><div><dt>Started</dt><dd>' + time(r.startedAt) + '</dd></div><div><dt>Finished</dt><dd>'
    + time(r.finishedAt) + '</dd></div><div><dt>Final iteration</dt><dd>' + (r.finalIteration ?? '–')
    + '</dd></div><div><dt>Source position</dt><dd class="name">' + esc(r.sourcePosition || '–') + '</dd></div>'
    + '<div><dt>Verification</dt><dd>' + (v ? resultBadge(v.status) + ' run ' + v.run + ' at iteration '
      + (v.iteration ?? '–') + (v.skipVerify ? ' (asked to go on past differences)' : '') : 'did not run') + '</dd></div></dl>'
    + '<div class="table-wrap"><table class="checks"><thead><tr><th scope="col">Step</th><th scope="col">Status</th>'
    + '<th scope="col">Started</th><th scope="col">Took</th><th scope="col">Detail</th></tr></thead><tbody>'
    + (r.steps || []).map(s => '<tr><td>' + esc(s.step) + '</td><td>' + esc(s.status) + '</td><td>' + time(s.startedAt)
      + '</td><td class="num">' + seconds(s.millis / 1000) + '</td><td>' + esc(s.detail || '') + '</td></tr>').join('')
    + '</tbody></table></div>'
    + '<p>Tables restored: ' + (r.tables || []).map(t => '<span class="name">' + esc(t.targetTable) + '</span> ('
      + count(Object.values(t.restored || {}).reduce((a, b) => a + b, 0)) + ' statements' + (t.failed ? ', '
      + t.failed + ' failed' : '') + ')').join(', ') + ((r.tables || []).length ? '' : 'none') + '</p>'
    + ((r.handReview || []).length ? '<p><strong>For review by hand:</strong></p><ul>' + r.handReview.map(h => '<li><span '
      + 'class="name">' + esc(h.table) + '</span> ' + esc(h.what) + ': ' + esc(h.reason) + '</li>').join('') + '</ul>'
      : '<p class="muted">Nothing for review by hand.</p>')
    + cli;
}
