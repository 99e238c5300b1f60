// The table tree: tables grouped by schema, filtered by name and status, sorted, each with its
// actions. Thousands of tables stay fast: one HTML string per render, set once; a render only when
// the tables or the view changed; one listener for all the rows.

import { badge, count, esc, rate, seconds, time } from './format.js';
import { resultBadge } from './checks.js';
import { tableActionRefusal } from './rules.js';

const NAMES = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }); // table_9 before table_10

const SORTS = {
  name: t => t.sourceTable,
  mode: t => t.mode,
  iteration: t => t.iteration ?? -1,
  status: t => t.status,
  lag: t => t.lagRecords ?? -1,
  rate: t => t.rowsPerSecond ?? -1,
  eta: t => t.etaSeconds ?? Number.MAX_SAFE_INTEGER,
};

export class TableTree {
  constructor(body, onAction) {
    this.body = body;
    this.onAction = onAction;
    this.tables = [];
    this.marks = new Map(); // source table → its verification mark (checks.js marksByTable)
    this.scope = 'read';
    this.name = '';
    this.status = '';
    this.sort = 'name';
    this.ascending = true;
    this.selected = new Set();
    this.collapsed = new Set();
    this.messages = new Map(); // table → {text, refusal}
    this.busy = new Set();
    this.lastKey = null;
    this.renderMs = null;
    body.addEventListener('click', e => this.click(e));
    body.addEventListener('change', e => {
      if (e.target.matches('input[data-select]')) {
        const name = e.target.closest('tr').dataset.table;
        e.target.checked ? this.selected.add(name) : this.selected.delete(name);
      }
    });
  }

  show(tables, scope, marks = this.marks) {
    this.tables = tables || [];
    this.scope = scope;
    this.marks = marks;
    this.render();
  }

  /** The tables the filters let through, sorted. */
  shown() {
    const name = this.name.toLowerCase();
    const status = this.status;
    const key = this.sort === 'verified' ? t => this.marks.get(t.sourceTable)?.through ?? -1 : SORTS[this.sort];
    const sign = this.ascending ? 1 : -1;
    return this.tables
      .filter(t => !name || t.sourceTable.toLowerCase().includes(name) || (t.targetTable || '').toLowerCase().includes(name))
      .filter(t => !status || (status === 'ERROR' ? t.status.startsWith('ERROR') : t.status === status))
      .sort((a, b) => {
        const x = key(a);
        const y = key(b);
        const byKey = typeof x === 'string' ? NAMES.compare(x, y) : x - y;
        return byKey * sign || NAMES.compare(a.sourceTable, b.sourceTable);
      });
  }

  sortBy(column) {
    this.ascending = this.sort === column ? !this.ascending : true;
    this.sort = column;
    this.render(true);
  }

  message(table, text, refusal) {
    text ? this.messages.set(table, { text, refusal }) : this.messages.delete(table);
    this.render(true);
  }

  render(force = false) {
    const key = JSON.stringify([this.tables, [...this.marks], this.scope, this.name, this.status, this.sort, this.ascending,
      [...this.selected], [...this.collapsed], [...this.messages], [...this.busy]]);
    if (!force && key === this.lastKey) {
      return;
    }
    this.lastKey = key;
    const started = performance.now();
    const focused = document.activeElement && this.body.contains(document.activeElement)
      ? [document.activeElement.closest('tr')?.dataset.table ?? document.activeElement.closest('tr')?.dataset.schema,
        document.activeElement.dataset.action || ('toggle' in document.activeElement.dataset ? 'toggle' : 'select')]
      : null;
    const groups = new Map();
    for (const t of this.shown()) {
      const dot = t.sourceTable.indexOf('.');
      const schema = dot < 0 ? '' : t.sourceTable.slice(0, dot);
      if (!groups.has(schema)) {
        groups.set(schema, []);
      }
      groups.get(schema).push(t);
    }
    const html = [];
    for (const [schema, tables] of groups) {
      html.push(this.schemaRow(schema, tables));
      if (!this.collapsed.has(schema)) {
        for (const t of tables) {
          html.push(this.row(t));
        }
      }
    }
    if (html.length === 0) {
      html.push('<tr><td colspan="10" class="empty">' + (this.tables.length ? 'No table matches the filter.'
        : 'No table yet: the sink lists the tables once it runs.') + '</td></tr>');
    }
    this.body.innerHTML = html.join('');
    if (focused) {
      const selector = { select: 'input', toggle: '[data-toggle]' }[focused[1]] || '[data-action="' + focused[1] + '"]';
      const row = [...this.body.rows].find(r => r.dataset.table === focused[0] || r.dataset.schema === focused[0]);
      row?.querySelector(selector)?.focus();
    }
    this.renderMs = performance.now() - started;
    if (this.firstShownAt === undefined && this.tables.length) {
      this.firstShownAt = performance.now(); // from the page's navigation start: its load time with the tables
    }
  }

  schemaRow(schema, tables) {
    const byStatus = {};
    tables.forEach(t => { byStatus[t.status] = (byStatus[t.status] || 0) + 1; });
    const summary = Object.entries(byStatus).map(([s, n]) => n + ' ' + s).join(', ');
    const open = !this.collapsed.has(schema);
    return '<tr class="schema" data-schema="' + esc(schema) + '"><th colspan="10" scope="rowgroup">'
      + '<button type="button" data-toggle aria-expanded="' + open + '">' + (open ? '▾ ' : '▸ ')
      + '<span class="name">' + esc(schema || '(no schema)') + '</span></button> <span class="muted">'
      + tables.length + ' table' + (tables.length === 1 ? '' : 's') + ': ' + esc(summary) + '</span></th></tr>';
  }

  row(t) {
    const name = esc(t.sourceTable);
    const message = this.messages.get(t.sourceTable);
    const reason = t.reason || t.lastError;
    const actions = ['start', 'pause', 'stop'].map(a => this.button(t, a, a[0].toUpperCase() + a.slice(1)));
    actions.push(this.button(t, 'mode', t.mode === 'FULL' ? 'Make PARTIAL' : 'Make FULL'));
    return '<tr data-table="' + name + '" data-status="' + esc(t.status) + '">'
      + '<td><input type="checkbox" data-select aria-label="select ' + name + '"'
      + (this.selected.has(t.sourceTable) ? ' checked' : '') + '></td>'
      + '<td class="name">' + name + (t.targetTable && t.targetTable !== t.sourceTable
        ? '<div class="muted">→ ' + esc(t.targetTable) + '</div>' : '') + '</td>'
      + '<td>' + esc(t.mode) + (t.desiredMode && t.desiredMode !== t.mode ? ' → ' + esc(t.desiredMode) : '') + '</td>'
      + '<td class="num">' + (t.iteration ?? '–') + '</td>'
      + '<td class="status">' + badge(t.status)
      + (t.desiredState !== t.acceptedState ? ' <span class="muted">asked: ' + esc(t.desiredState) + '</span>' : '')
      + (reason ? '<div class="reason">' + esc(reason) + '</div>' : '')
      + (t.refusal ? '<div class="refusal">' + esc(t.refusal) + '</div>' : '') + '</td>'
      + '<td class="num">' + count(t.lagRecords) + (t.lagSeconds !== null && t.lagSeconds !== undefined
        ? '<div class="muted" title="from the source\'s time of the last marker applied">' + seconds(t.lagSeconds)
        + '</div>' : '') + '</td>'
      + '<td class="num">' + rate(t.rowsPerSecond) + '</td>'
      + '<td class="num">' + seconds(t.etaSeconds) + '</td>'
      + this.verified(t)
      + '<td class="row-actions">' + actions.join('')
      + (message ? '<div class="' + (message.refusal ? 'refusal' : 'message') + '" role="alert">'
        + esc(message.text) + '</div>' : '') + '</td></tr>';
  }

  /** "Verified through iteration N" (the mark moves with every in-sync result) and the last run's word if not in sync. */
  verified(t) {
    const m = this.marks.get(t.sourceTable);
    if (!m) {
      return '<td class="verified muted">–</td>';
    }
    return '<td class="verified"' + (m.through === undefined ? '' : ' data-through="' + m.through + '"') + '>'
      + (m.through === undefined ? '' : '<span title="verified in sync through iteration ' + m.through + ' (run ' + m.run
        + ', ' + esc(time(m.at)) + ')">through ' + m.through + '</span>')
      + (m.last && m.last !== 'IN_SYNC' ? ' ' + resultBadge(m.last) : '') + '</td>';
  }

  button(t, action, label) {
    const refusal = tableActionRefusal(action, t, this.scope);
    const busy = this.busy.has(t.sourceTable);
    return '<button type="button" data-action="' + action + '"' + (refusal || busy ? ' aria-disabled="true"' : '')
      + ' title="' + esc(busy ? 'an action on this table is running' : refusal || label + ' ' + t.sourceTable) + '">'
      + label + '</button>';
  }

  click(e) {
    const toggle = e.target.closest('[data-toggle]');
    if (toggle) {
      const schema = toggle.closest('tr').dataset.schema;
      this.collapsed.has(schema) ? this.collapsed.delete(schema) : this.collapsed.add(schema);
      this.render(true);
      return;
    }
    const button = e.target.closest('button[data-action]');
    if (!button) {
      return;
    }
    const table = this.tables.find(t => t.sourceTable === button.closest('tr').dataset.table);
    if (!table || this.busy.has(table.sourceTable)) {
      return;
    }
    const refusal = tableActionRefusal(button.dataset.action, table, this.scope);
    if (refusal) {
      this.message(table.sourceTable, refusal, true); // said where the click was, not only in a tooltip
      return;
    }
    this.onAction(table, button.dataset.action);
  }
}
