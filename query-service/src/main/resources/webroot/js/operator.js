import { applyI18n, t, fmt } from './i18n.js';
import { api, live, session, logout, errorText } from './api.js';
import { chart, value, table, display, escape } from './charts.js';

const me = await session();
if (me.role !== 'OPERATOR') location.href = 'merchant.html';
const dims = (await api('GET', '/api/v1/audiences/dimensions')).body;
document.getElementById('who').textContent = me.displayName;
document.getElementById('logout').addEventListener('click', logout);

// ---- streaming health tiles (operational figures, no privacy cost) -------------------------------
let lastHealth = null;
function renderHealth() {
  const err = document.getElementById('health-error');
  if (!lastHealth || lastHealth.status !== 200) {
    err.textContent = lastHealth ? t('health.unavailable') + ': ' + errorText(lastHealth) : '';
    return;
  }
  err.textContent = '';
  const h = lastHealth.body;
  document.getElementById('health-sampled').textContent = t('health.sampled') + ' ' + new Date(h.sampledAt).toLocaleTimeString(document.documentElement.lang);
  document.getElementById('tiles').innerHTML = h.tiles.map(tile => {
    const detail = Object.entries(tile.detail || {}).map(([k, v]) =>
      `<li>${escape(k)}: ${escape(typeof v === 'object' && v !== null ? Object.entries(v).map(([a, b]) => a + ' ' + (b ?? t('none'))).join(', ') : (typeof v === 'number' ? fmt(v, 2) : v))}</li>`).join('');
    return `<div class="tile ${tile.status}" id="tile-${tile.id.replace(/\./g, '-')}" data-status="${tile.status}">
      <h3>${escape(t('tile.' + tile.id))}</h3>
      <div class="value">${tile.value == null ? t('none') : fmt(tile.value, 1)}</div>
      <div class="status">${escape(t('status.' + tile.status))}</div>
      ${tile.reason ? `<div class="reason">${escape(tile.reason)}</div>` : ''}
      ${detail ? `<ul class="detail">${detail}</ul>` : ''}</div>`;
  }).join('');
}
async function pollHealth() {
  lastHealth = await api('GET', '/api/v1/health/streaming').catch(e => ({ status: 0, body: null }));
  renderHealth();
}
pollHealth();
setInterval(pollHealth, 2000);

// ---- city pulse: residents active within 7 days, per persona (live) -----------------------------
let lastPulse = null;
function renderPulse() {
  const a = lastPulse;
  if (!a) return;
  const note = document.getElementById('pulse-note');
  if (a.status !== 200) { note.textContent = errorText(a); return; }
  const total = document.getElementById('pulse-total');
  total.textContent = a.body.count.display;
  total.dataset.version = a.body.dataVersion;
  note.textContent = a.body.count.suppressed ? t('audience.suppressed') : t('audience.noisy');
  const by = Object.fromEntries(a.body.cells.map(c => [c.label, c]));
  chart('pulse-chart').setOption({
    tooltip: { trigger: 'axis' }, grid: { left: 50, right: 10, bottom: 70 },
    xAxis: { type: 'category', data: dims.personas, axisLabel: { rotate: 35 } }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: dims.personas.map(p => value(by[p])) }],
  });
  table('pulse-table', [t('col.label'), t('col.value')], dims.personas.map(p => [p, display(by[p])]));
}
live('audience-size', { filter: { activeWithinDays: 7 }, breakdown: 'persona' }, a => { lastPulse = a; renderPulse(); });

applyI18n(() => { renderHealth(); renderPulse(); });
