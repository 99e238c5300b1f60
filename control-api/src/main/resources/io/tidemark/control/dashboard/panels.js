// The panels above the tree: the project, the current iteration, the completed migration and the
// license, each from GET /projects/{project} as it is.

import { badge, bytes, count, esc, seconds, time, tone } from './format.js';

function facts(pairs) {
  return '<dl class="facts">' + pairs.map(([k, v]) => '<div><dt>' + esc(k) + '</dt><dd>' + v + '</dd></div>').join('')
    + '</dl>';
}

export function connectors(status) {
  return (status.connectors || []).map(c => esc(c.role) + ' <span class="name">' + esc(c.name) + '</span> '
    + badge(c.state) + (c.tasks || []).map(t => ' task ' + t.id + ' ' + badge(t.state)).join('')).join('<br>');
}

/** The tables' statuses as one bar, each status as wide as its share. */
function statusBar(tables) {
  const counts = {};
  tables.forEach(t => { counts[t.status] = (counts[t.status] || 0) + 1; });
  const parts = Object.entries(counts).sort();
  if (parts.length === 0) {
    return '';
  }
  return '<div class="status-bar" role="img" aria-label="' + esc(parts.map(([s, n]) => n + ' ' + s).join(', ')) + '">'
    + parts.map(([s, n]) => '<span class="' + tone(s) + '" style="flex-grow:' + n + '" title="' + n + ' ' + esc(s)
      + '"></span>').join('') + '</div><p class="legend">' + parts.map(([s, n]) => badge(s) + ' ' + n).join(' ')
    + '</p>';
}

export function current(status) {
  const it = status.currentIteration;
  const tables = status.tables || [];
  if (!it) {
    return '<p class="muted">No iteration open: every iteration the source marked is applied.</p>' + statusBar(tables);
  }
  const pct = it.progress === null || it.progress === undefined ? null : Math.round(it.progress * 100);
  // The iteration ends when its slowest table is past the marker: the largest of the tables' ETAs.
  const etas = tables.map(t => t.etaSeconds).filter(e => e !== null && e !== undefined);
  const eta = etas.length ? Math.max(...etas) : null;
  return '<p>Iteration <strong>' + it.iteration + '</strong> ' + badge(it.status) + (it.isFinal ? ' (final)' : '') + '</p>'
    + '<div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"'
    + (pct === null ? '' : ' aria-valuenow="' + pct + '"') + '><span style="width:' + (pct ?? 0) + '%"></span></div>'
    + facts([
      ['Tables past the marker', count(it.tablesCompleted) + ' of ' + count(it.tablesTotal) + (pct === null ? '' : ' (' + pct + ' %)')],
      ['ETA', seconds(eta)],
      ['Upserted', count(it.upserted)],
      ['Deleted', count(it.deleted)],
      ['Marker written', time(it.markerCreatedAt)],
      ['Source position', '<span class="name">' + esc(it.sourcePosition || '–') + '</span>'],
    ])
    + (it.waitingFor ? '<p class="waiting"><strong>Waiting for:</strong> <span class="name">' + esc(it.waitingFor)
      + '</span></p>' : '')
    + statusBar(tables);
}

export function completed(status) {
  const c = status.completed;
  if (!c) {
    return '<p class="muted">Nothing applied yet.</p>';
  }
  return facts([
    ['Iterations applied', count(c.count)],
    ['Last iteration', c.lastIteration < 0 ? '–' : count(c.lastIteration)],
    ['Data migrated', bytes(c.bytes)],
    ['Rows', count(c.upserted + c.deleted)],
    ['Upserted', count(c.upserted)],
    ['Deleted', count(c.deleted)],
    ['Total time', seconds(c.totalSeconds)],
    ['Last applied', time(c.lastAppliedAt)],
    ['License used', status.license ? bytes(status.license.usedBytes) : '–'],
  ]);
}

export function license(status) {
  const l = status.license;
  if (!l) {
    return '<p class="muted">No license usage recorded yet (the sink records it as it applies).</p>';
  }
  const pct = l.usedRatio === null || l.usedRatio === undefined ? null : Math.min(100, Math.round(l.usedRatio * 100));
  const moved = status.completed ? status.completed.bytes : null;
  return '<p>' + badge(l.state) + (l.keyId ? ' key <span class="name">' + esc(l.keyId) + '</span>' : '') + '</p>'
    + (pct === null ? '' : '<div class="progress ' + tone(l.state) + '" role="progressbar" aria-valuemin="0" '
      + 'aria-valuemax="100" aria-valuenow="' + pct + '"><span style="width:' + pct + '%"></span></div>')
    + facts([
      ['Used', bytes(l.usedBytes) + (pct === null ? '' : ' (' + pct + ' %)')],
      ['Available', l.maxBytes === null ? 'unlimited' : bytes(l.availableBytes)],
      ['Of', l.maxBytes === null ? '–' : bytes(l.maxBytes)],
      ['Data moved (applied)', bytes(moved)],
      ['Expires', time(l.expiresAt)],
    ])
    + (l.warning ? '<p class="refusal" role="alert">' + esc(l.warning) + '</p>' : '');
}

/** The newest iterations, each with its marker's place in the source's log and how long it took. */
export function timeline(status, newest = 20) {
  const its = (status.iterations || []).slice(-newest).reverse();
  if (its.length === 0) {
    return '<p class="muted">No iteration yet.</p>';
  }
  return '<div class="table-wrap"><table class="timeline"><thead><tr><th scope="col">Iteration</th>'
    + '<th scope="col">Status</th><th scope="col">Source position</th><th scope="col">Marker written</th>'
    + '<th scope="col">Applied</th><th scope="col">Took</th><th scope="col">Upserted</th><th scope="col">Deleted</th>'
    + '<th scope="col">Tables</th></tr></thead><tbody>'
    + its.map(i => '<tr data-iteration="' + i.iteration + '"><td class="num">' + i.iteration + (i.isFinal ? ' (final)' : '')
      + '</td><td>' + badge(i.status) + '</td><td class="name">' + esc(i.sourcePosition || '–') + '</td><td>'
      + time(i.markerCreatedAt) + '</td><td>' + time(i.appliedAt) + '</td><td class="num">'
      + seconds(i.durationMs === null ? null : i.durationMs / 1000) + '</td><td class="num">' + count(i.upserted)
      + '</td><td class="num">' + count(i.deleted) + '</td><td class="num">' + count(i.tablesCompleted) + ' / '
      + count(i.tablesTotal) + '</td></tr>').join('')
    + '</tbody></table></div>';
}
