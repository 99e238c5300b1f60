// Words and numbers as the page shows them. Everything from the API goes through esc() before it
// becomes HTML: table names and reasons are the source's and the sink's text.

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value) {
  return value === null || value === undefined ? '' : String(value).replace(/[&<>"']/g, c => ENTITIES[c]);
}

export function count(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en');
}

export function rate(n) {
  if (n === null || n === undefined) {
    return '–';
  }
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(n >= 10 ? 1 : 2);
}

export function bytes(n) {
  if (n === null || n === undefined) {
    return '–';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return (i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)) + ' ' + units[i];
}

/** 0 s, 42 s, 3 min 5 s, 2 h 10 min, 3 d 4 h. */
export function seconds(s) {
  if (s === null || s === undefined) {
    return '–';
  }
  s = Math.round(s);
  if (s < 60) {
    return s + ' s';
  }
  if (s < 3600) {
    return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  }
  if (s < 86400) {
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

/** The CSS class of a state word: ok, busy, held, stopped, bad. */
export function tone(state) {
  switch (state) {
    case 'RUNNING': case 'APPLIED': case 'OK': return 'ok';
    case 'WAITING': case 'FINALIZING': case 'SOFT_STOPPING': case 'CHANGING': case 'OPEN': case 'LOW': return 'busy';
    case 'PAUSED': return 'held';
    case 'STOPPED': case 'NOT_CREATED': return 'stopped';
    default: return 'bad';
  }
}

export function badge(state) {
  return '<span class="badge ' + tone(state) + '">' + esc(state || 'UNKNOWN') + '</span>';
}
