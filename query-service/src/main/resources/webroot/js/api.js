import { t } from './i18n.js';
// The asker's key lives in sessionStorage (this tab only) and is sent as a Bearer token.
export function apiKey() { return sessionStorage.getItem('apiKey'); }
export function logout() { sessionStorage.removeItem('apiKey'); location.href = '/ui/'; }

export async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: 'Bearer ' + apiKey(), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => null);
  return { status: res.status, body: json };
}

export async function session() {
  if (!apiKey()) { location.href = '/ui/'; return null; }
  const r = await api('GET', '/api/v1/session');
  if (r.status !== 200) { logout(); return null; }
  return r.body;
}

// ---- live widgets: one stream per page ----------------------------------------------------------------
// A browser holds at most six HTTP/1.1 connections to a host; one stream per widget left the page's own requests
// waiting. All live widgets of the page share one POST /api/v1/live whose frames carry the widget's id. A change
// (a widget opens, closes, changes its question or asks "now") opens a new stream with the new list and closes the
// old one; the hub answers from its memory what still stands, so that asks nothing again.
const widgets = new Map(); // id -> {widget, question, every, onAnswer, now}
let nextId = 0;
let stream = null; // the AbortController of the open stream
let reopening = null;

function reopenSoon() {
  // every change of one event-loop turn in one new stream
  if (!reopening) reopening = setTimeout(() => { reopening = null; reopen(); }, 0);
}

/** The complete "event/data" blocks of an event stream's text, and the rest still to come. */
export function parseFrames(buffer) {
  const frames = [];
  let end;
  while ((end = buffer.indexOf('\n\n')) >= 0) {
    const block = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    const data = block.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n');
    if (data) frames.push(JSON.parse(data));
  }
  return { frames, rest: buffer };
}

async function reopen() {
  if (stream) stream.abort();
  stream = null;
  if (!widgets.size) return;
  const ctrl = new AbortController();
  stream = ctrl;
  const subscriptions = [...widgets].map(([id, w]) => ({ id, widget: w.widget, question: w.question, every: w.every, now: w.now }));
  widgets.forEach(w => { w.now = false; });
  const retry = () => setTimeout(() => { if (stream === ctrl) reopenSoon(); }, 3000);
  try {
    const res = await fetch('/api/v1/live', { method: 'POST', signal: ctrl.signal, body: JSON.stringify({ subscriptions }),
      headers: { Authorization: 'Bearer ' + apiKey(), 'Content-Type': 'application/json' } });
    if (!res.ok) {
      // refused before the stream: each widget shows why (the problems name the widget's place in the list)
      const body = await res.json().catch(() => null);
      subscriptions.forEach(s => { const w = widgets.get(s.id); if (w) w.onAnswer({ status: res.status, body }); });
      return;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const parsed = parseFrames(buffer + value);
      buffer = parsed.rest;
      for (const f of parsed.frames) { const w = widgets.get(f.id); if (w) w.onAnswer(f.answer); }
    }
    if (!ctrl.signal.aborted) retry(); // the server closed the stream: open it again without asking anew
  } catch (e) {
    if (e.name !== 'AbortError' && !ctrl.signal.aborted) retry();
  }
}

/**
 * Keeps one widget's question live; onAnswer({status, body, refresh}) for every refresh. every: refresh every n
 * data versions (0 = only on demand). Returns close() with close.close() and close.refresh(), where refresh asks
 * the question now (at most once per data version, else the cached answer). All widgets share the page's stream.
 */
export function live(widget, question, onAnswer, every = 1) {
  const id = 'w' + (++nextId);
  widgets.set(id, { widget, question, every, onAnswer, now: false });
  reopenSoon();
  const close = () => { if (widgets.delete(id)) reopenSoon(); };
  close.close = close;
  close.refresh = () => { const w = widgets.get(id); if (w) { w.now = true; reopenSoon(); } };
  return close;
}

export function errorText(r) {
  const e = r.body && r.body.error;
  // A refusal for want of budget, in the page's language: which share cannot pay and when it renews.
  if (r.status === 429 && e && e.renewsAt) {
    const renews = new Date(e.renewsAt).toLocaleString(document.documentElement.lang || 'de');
    return t('error.429full').replace('{scope}', t('scope.' + (e.scope || 'ACCOUNT'))).replace('{d}', renews);
  }
  // a refused field names its reason (e.g. a question that would cost more than the day budget)
  const problems = e && Array.isArray(e.problems) && e.problems.length
    ? ': ' + e.problems.map(p => p.field + ' – ' + p.reason).join('; ') : '';
  return ((e && e.message) || ('HTTP ' + r.status)) + problems;
}
