import { applyI18n, t, fmt, label, fill, setCityLabels } from './i18n.js';
import { api, session, logout, errorText } from './api.js';
import { chart, value, table, display, escape } from './charts.js';
import * as J from './journey.js';
import { costlyLive } from './livecost.js';

const me = await session();
if (me.role !== 'OPERATOR') location.href = 'merchant.html';
const dims = (await api('GET', '/api/v1/audiences/dimensions')).body;
setCityLabels(dims.labels);

// ---- the city's campaigns (issue 18): counts only, no figure about residents; free, asked every 10 s --------
// (first, so that no other widget's trouble keeps it from loading)
let lastCampaigns = null;
let lastWeeklyCap = null;
async function loadCampaigns() {
  lastCampaigns = await api('GET', '/api/v1/operator/campaigns');
  renderCampaigns();
}
// the weekly cap's effect is a released figure (one per running campaign, free again within a data version): once a minute
async function loadWeeklyCap() {
  lastWeeklyCap = await api('GET', '/api/v1/operator/campaigns/weekly-cap');
  renderCampaigns();
}
function weeklyCapText() {
  const w = lastWeeklyCap;
  if (!w) return '…';
  if (w.status !== 200) return errorText(w);
  const total = (w.body.tables.total || [])[0];
  return `${fmt(total ? total.heldByWeeklyCap : 0)} ${t('op.heldNote')}`;
}
function renderCampaigns() {
  const a = lastCampaigns;
  if (!a) return;
  const dl = document.getElementById('op-campaigns-counts');
  const err = document.getElementById('op-campaigns-error');
  if (a.status !== 200) { err.textContent = errorText(a); dl.innerHTML = ''; return; }
  err.textContent = '';
  const b = a.body;
  const parts = (group, prefix) => Object.entries(b[group] || {}).map(([k, n]) => `${t(prefix + k)} ${fmt(n)}`).join(', ') || t('none');
  const row = (id, key, v) => `<dt>${escape(t(key))}</dt><dd id="${id}">${escape(v)}</dd>`;
  dl.innerHTML = row('op-campaigns-total', 'op.campaigns', fmt(b.campaigns)) + row('op-campaigns-participants', 'op.participants', fmt(b.participants))
    + row('op-campaigns-status', 'op.byStatus', parts('byStatus', 'cstatus.')) + row('op-campaigns-channel', 'op.byChannel', parts('byChannel', 'channel.'))
    + row('op-campaigns-held', 'op.heldByWeeklyCap', weeklyCapText());
  dl.dataset.campaigns = String(b.campaigns);
}
loadCampaigns();
setInterval(() => { if (!document.hidden) loadCampaigns(); }, 10000);
loadWeeklyCap();
setInterval(() => { if (!document.hidden) loadWeeklyCap(); }, 60000);

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
    const detail = detailLines(tile).map(line => `<li>${escape(line)}</li>`).join('');
    return `<div class="tile ${tile.status}" id="tile-${tile.id.replace(/\./g, '-')}" data-status="${tile.status}">
      <h3>${escape(t('tile.' + tile.id))}</h3>
      <div class="value">${tile.value == null ? t('none') : fmt(tile.value, 1)}</div>
      ${sparkline(tile.trend || [])}
      <div class="status">${escape(t('status.' + tile.status))}</div>
      ${tile.reason ? `<div class="reason">${escape(reasonText(tile.reason))}</div>` : ''}
      ${detail ? `<ul class="detail">${detail}</ul>` : ''}</div>`;
  }).join('');
}
/**
 * A tile's figures as sentences with units in the page's language (the API's detail is keyed by reason code, job,
 * consumer group or stage; the keys are ids, not words).
 */
function detailLines(tile) {
  const entries = Object.entries(tile.detail || {});
  const n = v => v == null ? t('none') : fmt(v, 0);
  switch (tile.id) {
    case 'ingestion.rejected': return entries.map(([k, v]) => fill('h.rejected', { what: label('reject', k), n: n(v) }));
    case 'ingestion.accepted': return entries.map(([k, v]) => fill('h.counter', { what: label('ingestion', k), n: n(v) }));
    case 'kafka.lag': return entries.map(([k, v]) => fill('h.lag', { what: k, n: n(v) }));
    case 'flink.unread': return entries.map(([k, v]) => fill('h.unread', { what: k, n: n(v) }));
    case 'flink.jobs': return entries.map(([k, v]) => fill('h.job', { what: k, state: label('job', v) }));
    case 'flink.restarts': return entries.map(([k, v]) => fill('h.restarts', { what: k, n: n(v) }));
    case 'flink.backpressure': return entries.map(([k, v]) => fill('h.backpressure', { what: k, p: v == null ? t('none') : fmt(v * 100, 0) }));
    case 'flink.checkpoints': return entries.map(([k, v]) => v && v.ageSeconds != null
      ? fill('h.checkpoint', { what: k, age: fmt(v.ageSeconds, 1), ms: v.durationMillis == null ? t('none') : fmt(v.durationMillis, 0) })
      : fill('h.checkpointNone', { what: k }));
    case 'cards.waiting': return entries.map(([k, v]) => fill('h.counter', { what: label('cards', k), n: n(v) }));
    case 'pinot.freshness': return entries.map(([k, v]) => {
      const partition = /^partition (\S+)$/.exec(k);
      const of = partition && /^consumed (\d+) of (\d+|null)$/.exec(String(v));
      if (of) return fill('h.partition', { p: partition[1], a: fmt(Number(of[1])), b: of[2] === 'null' ? t('none') : fmt(Number(of[2])) });
      const stage = k.replace(/ \(s\)$/, '');
      return fill('h.stage', { what: label('stage', stage), s: typeof v === 'number' ? fmt(v, 1) : v });
    });
    default: return entries.map(([k, v]) => fill('h.counter', { what: k, n: typeof v === 'number' ? fmt(v, 2) : v }));
  }
}

/** The monitor's reasons are English sentences with a number; each known one in the page's language. */
const REASONS = [
  [/^more than (\S+) rejected requests\/s$/, 'r.rejected'], [/^a consumer group is more than (\S+) records behind$/, 'r.lag'],
  [/^a job has more than (\S+) records not yet read$/, 'r.unread'], [/^no running job reports its sources' unread records yet$/, 'r.unreadUnknown'],
  [/^a job is restarting$/, 'r.restarting'], [/^backpressure above (\S+)$/, 'r.backpressure'], [/^more than (\S+) dead letters$/, 'r.deadletters'],
  [/^card events dropped/, 'r.cards'], [/^accepted events take more than (\S+) s to become visible in Pinot$/, 'r.freshness'],
  [/^no Flink job$/, 'r.noJob'], [/^(\d+) job\(s\) not running$/, 'r.notRunning'], [/^no completed checkpoint yet$/, 'r.noCheckpoint'],
  [/^last checkpoint older than (\S+) s$/, 'r.checkpoint'], [/^(.*) not configured$/, 'r.notConfigured'], [/^(.*) (?:unreachable|unreadable)(?:: .*)?$/, 'r.unreachable'],
];
function reasonText(reason) {
  for (const [re, key] of REASONS) {
    const m = re.exec(reason);
    if (m) return fill(key, { 1: m[1] ?? '' });
  }
  return reason;
}

/**
 * A small inline SVG of a tile's recent values (oldest left), so that a slowly growing lag or checkpoint time is
 * visible before it turns red; unknown samples leave a gap.
 */
function sparkline(points) {
  const known = points.filter(p => p[1] != null);
  if (known.length < 2) return '';
  const w = 160, h = 28;
  const t0 = points[0][0], t1 = points[points.length - 1][0];
  const vs = known.map(p => p[1]);
  const lo = Math.min(...vs), hi = Math.max(...vs);
  const x = at => ((at - t0) / Math.max(1, t1 - t0) * (w - 2) + 1).toFixed(1);
  const y = v => (h - 2 - (hi === lo ? 0.5 : (v - lo) / (hi - lo)) * (h - 4)).toFixed(1);
  const runs = [];
  let run = [];
  for (const [at, v] of points) {
    if (v == null) { if (run.length) runs.push(run); run = []; } else run.push(`${x(at)},${y(v)}`);
  }
  if (run.length) runs.push(run);
  const title = `${t('tile.trend')}: ${fmt(lo, 1)} – ${fmt(hi, 1)}`;
  return `<svg class="sparkline" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escape(title)}">
    <title>${escape(title)}</title>${runs.map(r => `<polyline points="${r.join(' ')}"/>`).join('')}</svg>`;
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
  const src = a.body.source || { kind: 'ad-hoc' };
  total.dataset.source = src.kind;
  // Since the activity windows are published, the pulse is the latest Stadtstatistik: free, dated, the same for all.
  const from = src.kind === 'publication'
    ? t('pulse.published').replace('{d}', new Date(src.dataAsOf).toLocaleString(document.documentElement.lang))
    : t('audience.adhoc');
  note.textContent = (a.body.count.suppressed ? t('audience.suppressed') : t('audience.noisy')) + ' ' + from;
  const by = Object.fromEntries(a.body.cells.map(c => [c.label, c]));
  chart('pulse-chart').setOption({
    tooltip: { trigger: 'axis' }, grid: { left: 50, right: 10, bottom: 70 },
    xAxis: { type: 'category', data: dims.personas.map(p => label('persona', p)), axisLabel: { rotate: 35 } }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: dims.personas.map(p => value(by[p])) }],
  });
  table('pulse-table', [t('col.label'), t('col.value')], dims.personas.map(p => [label('persona', p), display(by[p])]));
}
// Answered from the publication (activity window of 7 days): free; ad hoc (one ε per persona cell) only when no
// publication is held yet, so refreshed every 5 data versions unless the operator picks otherwise.
const pulseLive = costlyLive('pulse', [{ widget: 'audience-size', question: { filter: { activeWithinDays: 7 }, breakdown: 'persona' },
  onAnswer: a => { lastPulse = a; renderPulse(); } }], 5);

// ---- journey and vouchers (issue 7): asked on demand only, each answer costs question budget --------
const names = Object.fromEntries((me.participants || []).map(p => [p.id, p.name]));
const name = id => names[id] || label('participant', id);
const categoryName = id => label('category', id);
J.initPeriod('j-period');
J.fillSegmentSelects('j-seg', dims);
const participantIds = (me.participants || []).map(p => p.id);
let pickedNodes = J.nodePicker('j-nodes', participantIds, participantIds.slice(0, J.MAX_NODES), name);
const preferredCategories = ['lebensmittel.backwaren', 'lebensmittel.fleisch-wurst', 'lebensmittel.obst-gemuese',
  'gastronomie.cafe', 'gastronomie.restaurant', 'mode.bekleidung', 'drogerie.koerperpflege', 'veranstaltung'];
const categoryChoices = [...new Set([...me.categories, 'veranstaltung', 'unmapped'])];
const pickedCategories = J.nodePicker('flows-categories', categoryChoices,
  preferredCategories.filter(c => categoryChoices.includes(c)), categoryName);
const engagementSelect = document.getElementById('engagement-participant');
engagementSelect.innerHTML = (me.participants || []).map(p => `<option value="${escape(p.id)}">${escape(p.name)}</option>`).join('');
document.getElementById('flows-level').addEventListener('change', e => {
  document.getElementById('flows-categories').hidden = e.target.value !== 'category';
});

const last = {};
const ids = {
  cross: { chart: 'cross-chart', table: 'cross-table', error: 'cross-error', notes: 'cross-notes' },
  flows: { chart: 'flows-chart', table: 'flows-table', error: 'flows-error', notes: 'flows-notes', empty: 'flows-empty' },
  when: { heat: 'when-chart', places: 'places-chart', table: 'when-table', error: 'when-error', notes: 'when-notes' },
  vouchers: { chart: 'vouchers-chart', matrix: 'vouchers-matrix', summary: 'vouchers-summary', gift: 'vouchers-gift', employer: 'vouchers-employer',
    bonus: 'vouchers-bonus', error: 'vouchers-error', notes: 'vouchers-notes', empty: 'vouchers-empty' },
  engagement: { chart: 'engagement-chart', table: 'engagement-table', error: 'engagement-error', notes: 'engagement-notes', text: 'engagement-text' },
  first: { chart: 'first-chart', table: 'first-table', error: 'first-error', notes: 'first-notes' },
};
const render = {
  cross: () => J.renderCrossShopping(last.cross, ids.cross, name),
  flows: () => J.renderFlows(last.flows, ids.flows, last.flowsLevel === 'category' ? categoryName : name),
  when: () => J.renderWhenWhere(last.when, ids.when),
  vouchers: () => J.renderVouchers(last.vouchers, ids.vouchers, name),
  engagement: () => J.renderEngagement(last.engagement, ids.engagement, name, last.engagementOf),
  first: () => J.renderFirstVisits(last.first, ids.first, name),
};
function nodesOrError(errorId, nodes, field) {
  const err = document.getElementById(errorId);
  if (nodes.length < 2) { err.textContent = t('j.pickTwo').replace('{field}', field); return null; }
  return nodes.slice(0, J.MAX_NODES);
}
async function runCross() {
  const participants = nodesOrError('cross-error', pickedNodes(), t('j.nodes'));
  if (!participants) return;
  last.cross = await J.ask('cross-shopping', { period: J.period('j-period'), participants, segment: J.segment('j-seg') });
  render.cross();
}
async function runFlows(e) {
  if (e) e.preventDefault();
  const level = document.getElementById('flows-level').value;
  const nodes = nodesOrError('flows-error', level === 'category' ? pickedCategories() : pickedNodes(),
    level === 'category' ? t('flows.categories') : t('j.nodes'));
  if (!nodes) return;
  last.flowsLevel = level;
  last.flows = await J.ask('flows', { period: J.period('j-period'), level, nodes, within: document.getElementById('flows-within').value });
  render.flows();
}
async function runWhen() {
  last.when = await J.ask('when-where', { period: J.period('j-period'), segment: J.segment('j-seg') });
  render.when();
}
async function runVouchers(e) {
  if (e) e.preventDefault();
  last.vouchers = await J.ask('vouchers', { period: J.period('j-period') });
  render.vouchers();
}
async function runEngagement(e) {
  if (e) e.preventDefault();
  const p = J.period('j-period');
  const month = p.month ?? Number(document.getElementById('j-period-month').value.replace('-', ''));
  last.engagementOf = engagementSelect.value;
  last.engagement = await J.ask('engagement', { period: { month }, participant: engagementSelect.value });
  render.engagement();
}
async function runFirst() {
  last.first = await J.ask('first-visits', { period: J.period('j-period') });
  const ranked = render.first();
  // Preselect the participants that brought the most new customers, unless the operator already picked.
  if (ranked && !document.getElementById('j-nodes').dataset.touched) {
    const top = ranked.filter(x => value(x.newCustomers) > 0).map(x => x.label).filter(id => participantIds.includes(id));
    if (top.length >= 2) pickedNodes = J.nodePicker('j-nodes', participantIds, top.slice(0, J.MAX_NODES), name);
  }
}
document.getElementById('j-nodes').addEventListener('change', e => { e.currentTarget.dataset.touched = '1'; });
document.getElementById('journey-form').addEventListener('submit', async e => {
  e.preventDefault();
  const run = document.getElementById('journey-run');
  run.disabled = true;
  try {
    await runFirst();
    await runCross();
    await runFlows();
    await runWhen();
    // Vouchers ask 13 questions at once: on their own button, so that one "Auswerten" fits the operator's day budget.
    await runEngagement();
  } finally {
    run.disabled = false;
    document.getElementById('journey').dataset.loaded = String(Date.now());
  }
});
document.getElementById('flows-form').addEventListener('submit', runFlows);
document.getElementById('engagement-form').addEventListener('submit', runEngagement);
document.getElementById('vouchers-form').addEventListener('submit', runVouchers);

applyI18n(() => { renderCampaigns(); renderHealth(); renderPulse(); pulseLive.relabel(); Object.values(render).forEach(f => f()); });
