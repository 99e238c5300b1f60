// The control API as the page calls it: same origin, the token kept for this tab only
// (sessionStorage), every answer's refusal text handed back as it is.

const KEY = 'tidemark.token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function savedToken() {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token) {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

/** A call with the saved token: the parsed JSON, or an ApiError carrying the API's own message. */
export async function call(method, path, body, token = savedToken()) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: Object.assign({ Authorization: 'Bearer ' + token, Accept: 'application/json' },
        body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'the control API does not answer (' + e.message + ')');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const message = json && json.message ? json.message : 'HTTP ' + response.status + ' ' + response.statusText;
    throw new ApiError(response.status, message);
  }
  return json;
}

export function projectPath(project, rest = '') {
  return '/projects/' + encodeURIComponent(project) + rest;
}

export function tablePath(project, table, rest = '') {
  return projectPath(project, '/tables/' + encodeURIComponent(table) + rest);
}

/**
 * Reads again and again: every `base` ms while the API answers, doubling up to `max` ms while it
 * does not (so that a dead API is not hammered), back to `base` at the first answer.
 */
export class Poller {
  constructor(read, onAnswer, onFailure, base = 3000, max = 60000) {
    this.read = read;
    this.onAnswer = onAnswer;
    this.onFailure = onFailure;
    this.base = base;
    this.max = max;
    this.delay = base;
    this.timer = null;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.now();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Reads at once (a click on Refresh, an action done). */
  async now() {
    clearTimeout(this.timer);
    try {
      const answer = await this.read();
      this.delay = this.base;
      this.onAnswer(answer);
    } catch (e) {
      this.delay = Math.min(this.max, this.delay * 2);
      this.onFailure(e, this.delay);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => this.now(), this.delay);
    }
  }
}
