// Which actions the status allows, so that the page offers only those and says why the others are
// off. The sink and the API decide (docs/control-schema.md, "Actions by status"; a refusal still
// comes back as a 409 and is shown); this only spares the operator a click that would be refused.

const TABLE_ACTIONS = {
  RUNNING: ['pause', 'stop'],
  WAITING: ['stop'],
  FINALIZING: ['pause', 'stop'],
  PAUSED: ['start', 'stop'],
  STOPPED: ['start'],
  ERROR_RETRIABLE: ['start', 'pause', 'stop'],
  ERROR_ABORTED: ['start', 'stop'],
};

const PROJECT_ACTIONS = {
  RUNNING: ['pause', 'soft-stop', 'stop'],
  PAUSED: ['start', 'stop'],
  STOPPED: ['start', 'delete'],
  NOT_CREATED: ['start', 'delete'],
  FAILED: ['start', 'stop'],
  SOFT_STOPPING: ['stop'],
  CHANGING: ['start', 'pause', 'stop'],
};

const NEEDS = { delete: 'admin' };
const RANK = { read: 0, operate: 1, admin: 2 };

/** Null when allowed, else why not (in the words of the API's refusals). */
function scopeReason(action, scope) {
  const needed = NEEDS[action] || 'operate';
  return RANK[scope] >= RANK[needed] ? null : 'your token has scope ' + scope + '; ' + action + ' needs ' + needed;
}

export function tableActionRefusal(action, table, scope) {
  const byScope = scopeReason(action, scope);
  if (byScope) {
    return byScope;
  }
  if (action === 'mode') {
    return table.status === 'STOPPED' ? null : 'the mode changes only while the table is STOPPED (it is ' + table.status + ')';
  }
  const allowed = TABLE_ACTIONS[table.status] || [];
  return allowed.includes(action) ? null
    : action + ' is not allowed: ' + table.sourceTable + ' is ' + table.status + ' (allowed: '
      + (allowed.join(', ') || 'none') + ')';
}

export function projectActionRefusal(action, state, scope) {
  const byScope = scopeReason(action, scope);
  if (byScope) {
    return byScope;
  }
  if (state === 'UNKNOWN') {
    return 'the project\'s state is unknown (Connect does not answer)';
  }
  const allowed = PROJECT_ACTIONS[state] || [];
  return allowed.includes(action) ? null
    : action + ' is not allowed while the project is ' + state + ' (allowed: ' + (allowed.join(', ') || 'none') + ')';
}

/** Actions that stop or remove something, or change how a table is applied: the operator confirms them. */
export function needsConfirmation(action) {
  return action === 'stop' || action === 'delete' || action === 'mode' || action === 'soft-stop';
}

/** Verify needs an operate token; the API refuses (409) a second run of the project itself. */
export function verifyRefusal(scope) {
  return scopeReason('verify', scope);
}
