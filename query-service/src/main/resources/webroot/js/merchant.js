import { applyI18n, t, fmt, label, labelAttrs, setCityLabels } from './i18n.js';
import { api, live, session, logout, errorText } from './api.js';
import { chart, value, table, display, lift, escape } from './charts.js';
import { costlyLive } from './livecost.js';
import * as J from './journey.js';
import { initCampaigns } from './campaigns.js';

const me = await session();
const dims = (await api('GET', '/api/v1/audiences/dimensions')).body;
setCityLabels(dims.labels);
const thisYear = new Date().getFullYear();
document.getElementById('who').textContent = me.displayName;
document.getElementById('logout').addEventListener('click', logout);

// ---- filters -------------------------------------------------------------------------------------
// Boxes and options carry the API's id as value and show its name (i18n.label), renamed on a language switch.
function checkboxes(id, values, kind) {
  const fs = document.getElementById(id);
  values.forEach(v => {
    const box = document.createElement('label');
    box.innerHTML = `<input type="checkbox" name="${id}" value="${escape(v)}"> <span ${labelAttrs(kind, v)}>${escape(label(kind, v))}</span>`;
    fs.appendChild(box);
  });
}
checkboxes('genders', dims.genders, 'gender');
checkboxes('districts', dims.districts, 'district');
checkboxes('householdTypes', dims.householdTypes, 'household');
checkboxes('personas', dims.personas, 'persona');
function options(id, values, empty) {
  const sel = document.getElementById(id);
  sel.innerHTML = (empty ? `<option value="" data-i18n="f.none">${escape(t('f.none'))}</option>` : '')
    + values.map(v => `<option value="${escape(v)}" ${labelAttrs('category', v)}>${escape(label('category', v))}</option>`).join('');
}
options('boughtCategory', me.categories, true);
['history-category', 'assortment-category'].forEach(id => options(id, me.categories, false));
options('affinity-categories', me.categories, false);
const preferred = me.categories.includes('lebensmittel.backwaren') ? 'lebensmittel.backwaren' : me.categories[0];
['history-category', 'assortment-category'].forEach(id => { document.getElementById(id).value = preferred; });
document.querySelector(`#affinity-categories option[value="${preferred}"]`).selected = true;
document.getElementById('boughtYear').value = thisYear;
document.getElementById('affinity-year').value = thisYear;
document.getElementById('history-from').value = thisYear - 3;
document.getElementById('history-to').value = thisYear;

function filter() {
  const f = {};
  const num = id => { const v = document.getElementById(id).value; return v === '' ? null : Number(v); };
  if (num('ageFrom') != null) f.ageFrom = num('ageFrom');
  if (num('ageTo') != null) f.ageTo = num('ageTo');
  for (const dim of ['genders', 'districts', 'householdTypes', 'personas']) {
    const picked = [...document.querySelectorAll(`input[name=${dim}]:checked`)].map(i => i.value);
    if (picked.length) f[dim] = picked;
  }
  const cat = document.getElementById('boughtCategory').value;
  if (cat) f.boughtCategory = { category: cat, year: num('boughtYear') ?? thisYear };
  if (num('activeWithinDays') != null) f.activeWithinDays = num('activeWithinDays');
  if (document.getElementById('consentOffers').checked) f.consentOffers = true;
  if (document.getElementById('customerOf').checked) f.customerOf = me.id;
  return f;
}

// ---- audience count (live) -----------------------------------------------------------------------
let closeAudience = null;
let lastAudience = null;
function showAudience(a) {
  lastAudience = a;
  const count = document.getElementById('audience-count');
  count.dataset.renders = String(Number(count.dataset.renders || 0) + 1);
  const note = document.getElementById('audience-note');
  if (a.status !== 200) {
    count.textContent = a.status === 429 ? t('error.429') : t('error');
    note.textContent = errorText(a);
    return;
  }
  const c = a.body.count;
  count.textContent = c.display;
  count.dataset.value = c.suppressed ? '' : String(c.value);
  count.dataset.version = a.body.dataVersion;
  count.dataset.question = a.body.question;
  const src = a.body.source || { kind: 'ad-hoc' };
  count.dataset.source = src.kind;
  // Published figures are free and the same for everybody; say so, and say from when they are.
  const from = src.kind === 'publication'
    ? t('audience.published').replace('{d}', new Date(src.publishedAt).toLocaleDateString(document.documentElement.lang))
    : t('audience.adhoc');
  note.textContent = (c.suppressed ? t('audience.suppressed') : t('audience.noisy')) + ' ' + from;
  document.getElementById('audience-version').textContent = a.body.dataVersion;
  if (a.body.privacy && a.body.privacy.budget) showBudget({ status: 200, body: a.body.privacy.budget });
}
function watchAudience() {
  if (closeAudience) closeAudience();
  document.getElementById('audience-count').textContent = t('loading');
  closeAudience = live('audience-size', { filter: filter() }, showAudience);
}
let debounce;
for (const kind of ['input', 'change']) {
  document.getElementById('filters').addEventListener(kind, () => { clearTimeout(debounce); debounce = setTimeout(watchAudience, 300); });
}
document.getElementById('filters').addEventListener('reset', () => { clearTimeout(debounce); debounce = setTimeout(watchAudience, 50); });

// ---- budget (live, free) -------------------------------------------------------------------------
let lastBudget = null;
function showBudget(b) {
  lastBudget = b;
  const dl = document.getElementById('budget');
  const note = document.getElementById('budget-note');
  if (b.status !== 200) { dl.innerHTML = ''; note.textContent = errorText(b); return; }
  const renews = new Date(b.body.renewsAt).toLocaleString(document.documentElement.lang);
  dl.innerHTML = `<dt>${escape(t('budget.day'))}</dt><dd id="budget-day">${fmt(b.body.remainingDay, 2)} ε</dd>`
    + `<dt>${escape(t('budget.month'))}</dt><dd>${fmt(b.body.remainingMonth, 2)} ε</dd>`
    + `<dt>${escape(t('budget.renews'))}</dt><dd>${escape(renews)}</dd>`;
  const city = b.body.city;
  if (city) {
    // The city-wide guarantee per resident and month, and what is left of this account's part for ad-hoc questions.
    const share = city.account.capRho > 0 ? 100 * city.account.leftRho / city.account.capRho : 0;
    dl.innerHTML += `<dt>${escape(t('budget.cityCap'))}</dt><dd id="budget-city-cap">${fmt(city.cap.epsilon, 2)} ε</dd>`
      + `<dt>${escape(t('budget.cityLeft'))}</dt><dd id="budget-city-left">${fmt(city.left.epsilon, 2)} ε</dd>`
      + `<dt>${escape(t('budget.adHocLeft'))}</dt><dd id="budget-adhoc-left">${fmt(share, 0)} %</dd>`;
    // The account's part is released in portions of the month (pacing): what it may spend now, and when more comes.
    if (city.pacing && city.pacing.portions > 1 && city.account.capRho > 0) {
      const now = 100 * city.account.availableRho / city.account.capRho;
      const next = city.pacing.nextPortion
        ? ' ' + t('budget.nextPortion').replace('{d}', new Date(city.pacing.nextPortion + 'T00:00:00').toLocaleDateString(document.documentElement.lang))
        : '';
      dl.innerHTML += `<dt>${escape(t('budget.adHocNow'))}</dt><dd id="budget-adhoc-now">${fmt(now, 0)} %${escape(next)}</dd>`;
    }
  }
  note.textContent = b.body.remainingDay <= 0 ? t('budget.exhausted') : '';
}
live('budget', {}, showBudget);

// ---- persona mix: city vs my customers (live) ----------------------------------------------------
// City: the audience by persona. Mine: the shop's own customers of the last full month by persona
// (insights/customers). Both are read from the city statistics (free); before the first publication each
// persona cell is an ad-hoc question, so the widget refreshes every 15 data versions unless the owner picks otherwise.
const mix = { city: null, mine: null };
const localDate = iso => new Date(iso).toLocaleDateString(document.documentElement.lang);
const monthName = label => {
  const [y, m] = label.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleDateString(document.documentElement.lang, { month: 'long', year: 'numeric', timeZone: 'UTC' });
};
function mineMonth() {
  const a = mix.mine;
  if (!a || a.status !== 200 || !a.body.tables.total || !a.body.tables.total.length) return null;
  return a.body.tables.total[0].label;
}
function showMix() {
  const labels = dims.personas;
  const cells = key => {
    const a = mix[key];
    if (!a || a.status !== 200) return labels.map(() => null);
    const list = key === 'mine'
      ? (a.body.tables.segments || []).map(r => ({ label: r.label, ...r.customers }))
      : a.body.cells;
    const by = Object.fromEntries(list.map(c => [c.label, c]));
    return labels.map(l => by[l]);
  };
  const city = cells('city');
  const mine = cells('mine');
  const month = mineMonth();
  const mineName = month ? t('mix.mineOf').replace('{m}', monthName(month)) : t('mix.mine');
  chart('mix-chart').setOption({
    tooltip: { trigger: 'axis' }, legend: { data: [t('mix.city'), mineName] },
    grid: { left: 50, right: 10, bottom: 70 },
    xAxis: { type: 'category', data: labels.map(l => label('persona', l)), axisLabel: { rotate: 35 } }, yAxis: { type: 'value' },
    series: [{ name: t('mix.city'), type: 'bar', data: city.map(value) },
             { name: mineName, type: 'bar', data: mine.map(value) }],
  });
  table('mix-table', [t('col.label'), t('mix.city'), mineName], labels.map((l, i) => [label('persona', l), display(city[i]), display(mine[i])]));
  const note = document.getElementById('mix-source');
  const a = mix.mine;
  if (!a) { note.textContent = ''; return; }
  if (a.status !== 200) { note.textContent = errorText(a); delete note.dataset.source; return; }
  const src = a.body.source || { kind: 'ad-hoc' };
  note.dataset.source = src.kind;
  note.dataset.month = month || '';
  if (src.kind === 'publication') {
    // the publication's own month is partial: the figures run until its data time
    const partial = month && month === src.dataAsOf.slice(0, 7);
    note.textContent = t(partial ? 'mix.minePartial' : 'mix.minePublished').replace('{m}', monthName(month)).replace('{d}', localDate(src.publishedAt));
  } else {
    note.textContent = t('mix.mineAdhoc').replace('{m}', month ? monthName(month) : '');
  }
}
const mixStreams = [{ widget: 'audience-size', question: { filter: {}, breakdown: 'persona' }, onAnswer: a => { mix.city = a; showMix(); } }];
if (me.role === 'PARTICIPANT') mixStreams.push({ widget: 'customers', question: { segmentBy: 'persona' },
  onAnswer: a => { mix.mine = a; showMix(); } });
const mixLive = costlyLive('mix', mixStreams, 15);

// ---- my shared customers: my cross-shopping row and flows in/out of my shop (on demand) -----------
const names = Object.fromEntries((me.participants || []).map(p => [p.id, p.name]));
const name = id => names[id] || label('participant', id);
J.initPeriod('mine-period');
const others = (me.participants || []).map(p => p.id).filter(id => id !== me.id);
const pickedOthers = J.nodePicker('mine-others', others, others.slice(0, J.MAX_NODES - 1), name, J.MAX_NODES - 1);
const mine = {};
async function showMine(e) {
  if (e) e.preventDefault();
  const chosen = pickedOthers();
  const err = document.getElementById('mine-error');
  if (chosen.length < 1) { err.textContent = t('j.pickTwo').replace('{field}', t('mine.others')); return; }
  const nodes = [me.id, ...chosen].slice(0, J.MAX_NODES);
  const period = J.period('mine-period');
  mine.cross = await J.ask('cross-shopping', { period, participants: nodes });
  mine.flows = await J.ask('flows', { period, level: 'participant', nodes, within: '7d' });
  renderMine();
  document.getElementById('mine').dataset.loaded = String(Date.now());
}
function renderMine() {
  // Where the figures come from: the journey publication (free) or an ad-hoc release (paid), as the answer says.
  const src = (mine.cross && mine.cross.body && mine.cross.body.source) || { kind: 'ad-hoc' };
  document.getElementById('mine-source').textContent = src.kind === 'publication'
    ? t('mine.published').replace('{d}', localDate(src.publishedAt)) : t('mine.adhoc');
  if (mine.cross && J.ok('mine-error', mine.cross)) {
    const own = J.rows(mine.cross.body, 'shared').filter(x => J.ends(x)[0] === me.id);
    chart('mine-chart').setOption({
      tooltip: { trigger: 'axis', valueFormatter: v => v == null ? t('none') : fmt(v, 1) + ' %' },
      grid: { left: 150, right: 40, bottom: 30, top: 10 },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: v => v + ' %' } },
      yAxis: { type: 'category', inverse: true, data: own.map(x => name(J.ends(x)[1])) },
      series: [{ type: 'bar', data: own.map(x => x.share == null ? null : Math.round(x.share * 1000) / 10),
        label: { show: true, position: 'right', formatter: p => fmt(p.value, 1) + ' %' } }],
    }, true);
    table('mine-table', [t('j.participant'), t('j.shared'), t('j.share')],
      own.map(x => [name(J.ends(x)[1]), display(x.shared), J.percent(x.share)]));
  }
  if (mine.flows) J.renderFlows(mine.flows, { chart: 'mine-flows-chart', table: 'mine-flows-table', error: 'mine-flows-error',
    notes: 'mine-notes', empty: 'mine-flows-empty' }, name);
}
document.getElementById('mine-form').addEventListener('submit', showMine);

// ---- affinity heat map (on demand: every persona cell costs its own ε) ----------------------------
let lastAffinity = null;
async function showAffinity(e) {
  if (e) e.preventDefault();
  const cats = [...document.getElementById('affinity-categories').selectedOptions].map(o => o.value).slice(0, 6);
  const year = Number(document.getElementById('affinity-year').value);
  const err = document.getElementById('affinity-error');
  err.textContent = '';
  const answers = [];
  for (const category of cats) {
    const r = await api('POST', '/api/v1/insights/affinity', { category, year, segmentBy: 'persona' });
    if (r.status !== 200) { err.textContent = label('category', category) + ': ' + errorText(r); continue; }
    answers.push([category, r.body]);
  }
  lastAffinity = answers;
  renderAffinity();
}
function renderAffinity() {
  if (!lastAffinity) return;
  const personas = dims.personas;
  const data = [];
  const rows = [];
  lastAffinity.forEach(([category, body], x) => {
    const byLabel = Object.fromEntries(body.tables.segments.map(r => [r.label, r]));
    personas.forEach((p, y) => {
      const row = byLabel[p];
      const l = row ? row.lift : null;
      data.push([x, y, l == null ? '-' : Number(l.toFixed(2))]);
      rows.push([`${label('persona', p)} · ${label('category', category)}`, lift(l), display(row && row.buyers)]);
    });
  });
  chart('affinity-chart').setOption({
    tooltip: { position: 'top' }, grid: { left: 120, right: 20, bottom: 60, top: 10 },
    xAxis: { type: 'category', data: lastAffinity.map(a => label('category', a[0])), splitArea: { show: true } },
    yAxis: { type: 'category', data: personas.map(p => label('persona', p)), splitArea: { show: true } },
    visualMap: { min: 0, max: 2, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
      inRange: { color: ['#2166ac', '#f7f7f7', '#b2182b'] } },
    series: [{ type: 'heatmap', data, label: { show: true } }],
  }, true);
  table('affinity-table', [t('col.label'), 'Lift', t('history.buyers')], rows);
}
document.getElementById('affinity-form').addEventListener('submit', showAffinity);

// ---- product history (on demand) -----------------------------------------------------------------
let lastHistory = null;
async function showHistory(e) {
  if (e) e.preventDefault();
  const err = document.getElementById('history-error');
  err.textContent = '';
  const r = await api('POST', '/api/v1/insights/product-history', {
    category: document.getElementById('history-category').value, granularity: 'year',
    from: Number(document.getElementById('history-from').value), to: Number(document.getElementById('history-to').value) });
  if (r.status !== 200) { err.textContent = errorText(r); return; }
  lastHistory = r.body;
  renderHistory();
}
function renderHistory() {
  if (!lastHistory) return;
  const periods = lastHistory.tables.periods;
  const active = Object.fromEntries((lastHistory.tables.stillActive || []).map(r => [r.label, r.stillActive]));
  chart('history-chart').setOption({
    tooltip: { trigger: 'axis' }, legend: { data: [t('history.buyers'), t('history.active')] },
    xAxis: { type: 'category', data: periods.map(p => p.label) }, yAxis: { type: 'value' },
    series: [{ name: t('history.buyers'), type: 'bar', data: periods.map(p => value(p.buyers)) },
             { name: t('history.active'), type: 'bar', data: periods.map(p => value(active[p.label])) }],
  }, true);
  table('history-table', [t('col.year'), t('history.buyers'), t('history.active')],
    periods.map(p => [p.label, display(p.buyers), display(active[p.label])]));
  document.getElementById('history-table').dataset.version = lastHistory.dataVersion;
}
document.getElementById('history-form').addEventListener('submit', showHistory);

// ---- assortment check (on demand) ----------------------------------------------------------------
let lastAssortment = null;
async function showAssortment(e) {
  if (e) e.preventDefault();
  const err = document.getElementById('assortment-error');
  err.textContent = '';
  const r = await api('POST', '/api/v1/insights/assortment-check', {
    category: document.getElementById('assortment-category').value,
    years: Number(document.getElementById('assortment-years').value) });
  if (r.status !== 200) { err.textContent = errorText(r); return; }
  lastAssortment = r.body;
  renderAssortment();
}
function renderAssortment() {
  if (!lastAssortment) return;
  const tb = lastAssortment.tables;
  const interested = (tb.interested || []).map(r => `<tr><th scope="row">${escape(r.label)}</th><td class="num">${escape(display(r.stillActive))}</td></tr>`).join('');
  const personas = (tb.personas || []).slice(0, 5).map(r => `<tr><th scope="row">${escape(label('persona', r.label))}</th><td class="num">${escape(lift(r.lift))}</td><td class="num">${escape(display(r.buyers))}</td></tr>`).join('');
  const src = lastAssortment.source || { kind: 'ad-hoc' };
  const from = src.kind === 'publication' ? t('assortment.published').replace('{d}', localDate(src.publishedAt)) : t('assortment.adhoc');
  document.getElementById('assortment-result').dataset.source = src.kind;
  document.getElementById('assortment-result').innerHTML =
    `<p class="note" id="assortment-source">${escape(from)}</p>`
    + `<h3>${escape(t('assortment.interested'))}</h3><table class="data" id="assortment-interested"><thead><tr><th scope="col">${escape(t('col.year'))}</th><th scope="col">${escape(t('col.value'))}</th></tr></thead><tbody>${interested}</tbody></table>`
    + `<h3>${escape(t('assortment.personas'))}</h3><table class="data"><thead><tr><th scope="col">Persona</th><th scope="col">Lift</th><th scope="col">${escape(t('history.buyers'))}</th></tr></thead><tbody>${personas}</tbody></table>`
    + J.apiNotes(lastAssortment);
}
document.getElementById('assortment-form').addEventListener('submit', showAssortment);

// ---- campaigns (issue 18): builder, my campaigns, results -------------------------------------------
const campaignWidget = me.role === 'PARTICIPANT' ? initCampaigns(me, filter) : null;
if (!campaignWidget) document.getElementById('campaign').hidden = true;

applyI18n(() => {
  if (campaignWidget) campaignWidget.relabel();
  if (lastAudience) showAudience(lastAudience);
  if (lastBudget) showBudget(lastBudget);
  showMix(); renderAffinity(); renderHistory(); renderAssortment(); renderMine(); mixLive.relabel();
});
watchAudience();
