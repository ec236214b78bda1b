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

/**
 * Opens a live stream of one widget's question; onAnswer({status, body, refresh}) for every refresh.
 * every: refresh every n data versions (0 = only on demand); returns {close(), refresh()}, where refresh
 * asks the question now (at most once per data version, else the cached answer). Reconnects after a
 * dropped connection without asking again.
 */
export function live(widget, question, onAnswer, every = 1) {
  let ctrl = null;
  const base = `/api/v1/live/${widget}?q=${encodeURIComponent(JSON.stringify(question))}&every=${every}`;
  const run = async (now, signal) => {
    const res = await fetch(base + (now ? '&now=true' : ''), { headers: { Authorization: 'Bearer ' + apiKey() }, signal });
    if (!res.ok) { onAnswer({ status: res.status, body: await res.json().catch(() => null) }); return; }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n');
        if (data) onAnswer(JSON.parse(data));
      }
    }
    if (!signal.aborted) setTimeout(() => start(false), 3000);
  };
  const start = now => {
    if (ctrl) ctrl.abort();
    const c = new AbortController();
    ctrl = c;
    run(now, c.signal).catch(e => { if (e.name !== 'AbortError' && !c.signal.aborted) setTimeout(() => start(false), 3000); });
  };
  start(false);
  const close = () => ctrl.abort();
  close.close = close;
  close.refresh = () => start(true);
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
