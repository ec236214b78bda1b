// The journey and voucher widgets (issue 7): requests to /api/v1/journey/* and their charts. Every figure
// shown is a released cell of the answer; a suppressed cell is a gap in the chart and "—" in the table.
import { t, fmt, lang, label } from './i18n.js';
import { api, errorText } from './api.js';
import { chart, value, table, display, escape } from './charts.js';

export const MAX_NODES = 8;
const ARROW = '→';

/** POST /api/v1/journey/<kind>; the answer {status, body}. */
export function ask(kind, body) { return api('POST', '/api/v1/journey/' + kind, body); }

// ---- period, nodes, segment pickers -------------------------------------------------------------

/** {"month": 202511} or {"year": 2025} from a period picker (kind select, month input, year input). */
export function period(prefix) {
  const kind = document.getElementById(prefix + '-kind').value;
  if (kind === 'year') return { year: Number(document.getElementById(prefix + '-year').value) };
  const [y, m] = document.getElementById(prefix + '-month').value.split('-').map(Number);
  return { month: y * 100 + m };
}

/** Fills a period picker with this month / this year and shows the matching input only. */
export function initPeriod(prefix) {
  const now = new Date();
  const kind = document.getElementById(prefix + '-kind');
  const month = document.getElementById(prefix + '-month');
  const year = document.getElementById(prefix + '-year');
  month.value = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  year.value = now.getFullYear();
  const sync = () => {
    month.closest('label').hidden = kind.value !== 'month';
    year.closest('label').hidden = kind.value !== 'year';
  };
  kind.addEventListener('change', sync);
  sync();
}

/**
 * Check boxes for up to {@link MAX_NODES} nodes in a fieldset; when that many are ticked the others are
 * disabled (the API's limit, said aloud in the status line). fixed: a node that is always part (not shown).
 */
export function nodePicker(fieldsetId, nodes, preselected, label, limit = MAX_NODES) {
  const fs = document.getElementById(fieldsetId);
  fs.querySelectorAll('label, .picked').forEach(el => el.remove());
  const status = document.createElement('p');
  status.className = 'note picked';
  status.setAttribute('role', 'status');
  const box = document.createElement('div');
  box.className = 'nodes picked';
  nodes.forEach(n => {
    const l = document.createElement('label');
    l.innerHTML = `<input type="checkbox" name="${escape(fieldsetId)}" value="${escape(n)}"> ${escape(label(n))}`;
    box.appendChild(l);
  });
  fs.appendChild(box);
  fs.appendChild(status);
  const inputs = [...box.querySelectorAll('input')];
  inputs.forEach(i => { i.checked = preselected.includes(i.value); });
  const sync = () => {
    const n = inputs.filter(i => i.checked).length;
    inputs.forEach(i => { i.disabled = !i.checked && n >= limit; });
    status.textContent = t('j.picked').replace('{n}', n).replace('{max}', limit);
  };
  inputs.forEach(i => i.addEventListener('change', sync));
  sync();
  return () => inputs.filter(i => i.checked).map(i => i.value);
}

/** The optional segment of a request from selects named "<prefix>-persona" etc. (empty = everyone). */
export function segment(prefix) {
  const s = {};
  for (const [field, id] of [['personas', 'persona'], ['ageBands', 'age'], ['districts', 'district']]) {
    const el = document.getElementById(`${prefix}-${id}`);
    if (el && el.value) s[field] = [el.value];
  }
  return Object.keys(s).length ? s : undefined;
}

export function fillSegmentSelects(prefix, dims) {
  for (const [id, values, kind] of [['persona', dims.personas, 'persona'], ['age', dims.ageBands, 'ageBand'], ['district', dims.districts, 'district']]) {
    const el = document.getElementById(`${prefix}-${id}`);
    if (el) el.innerHTML = `<option value="" data-i18n="j.everyone">${escape(t('j.everyone'))}</option>`
      + (values || []).map(v => `<option value="${escape(v)}" data-label-kind="${kind}" data-label-id="${escape(v)}">${escape(label(kind, v))}</option>`).join('');
  }
}

// ---- reading answers ----------------------------------------------------------------------------

export function rows(body, name) { return (body && body.tables && body.tables[name]) || []; }

/** A row "A→B": its source and target (attributes when the API gives them, else split from the label). */
export function ends(row) {
  if (row.source != null && row.target != null) return [String(row.source), String(row.target)];
  const i = row.label.indexOf(ARROW);
  return i < 0 ? [row.label, ''] : [row.label.slice(0, i), row.label.slice(i + ARROW.length)];
}

export function percent(x) { return x == null || Number.isNaN(x) ? t('none') : fmt(x * 100, 1) + ' %'; }
function euroText(cents) {
  return new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'de-DE', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
/**
 * A released amount of cents in euros. A suppressed cell's display names its threshold in cents ("weniger als
 * 20.000"); in a euro column that number is shown in euros too, so the column keeps one unit.
 */
export function euros(cell) {
  if (!cell) return t('none');
  if (cell.suppressed) {
    return String(cell.display).replace(/\d[\d.,\u00a0\u202f ]*\d|\d/, n => euroText(Number(n.replace(/[^\d]/g, ''))));
  }
  return euroText(cell.value);
}

/** The answer's notes, a note on suppressed cells, and what the question cost. */
export function notes(containerId, r) {
  const el = document.getElementById(containerId);
  if (!el) return;
  if (!r || r.status !== 200) { el.innerHTML = ''; return; }
  const b = r.body;
  const suppressed = Object.values(b.tables || {}).some(tb => tb.some(row =>
    Object.values(row).some(c => c && typeof c === 'object' && c.suppressed)));
  const parts = [apiNotes(b)];
  parts.push(`<p class="note">${escape(t('j.noisy'))}${suppressed ? ' ' + escape(t('j.suppressed')) : ''}</p>`);
  el.innerHTML = parts.join('') + cost(b);
}

/**
 * The answer's own notes are English explanations for API clients (field names, formulas); the German page says
 * what matters in its own words, so they are shown on the English page only.
 */
export function apiNotes(b) {
  if (lang() !== 'en' || !b) return '';
  return (b.notes || []).map(n => `<p class="note">${escape(n)}</p>`).join('');
}

export function cost(b) {
  const p = b && b.privacy;
  if (!p) return '';
  const spent = p.repeated ? t('j.repeated') : t('j.cost').replace('{e}', fmt(p.epsilonSpent, 2));
  const left = p.budget ? ' ' + t('j.left').replace('{e}', fmt(p.budget.remainingDay, 2)) : '';
  return `<p class="note cost">${escape(spent + left)}</p>`;
}

/** Shows an error (or clears it) in a widget's alert line; true when the answer can be drawn. */
export function ok(errorId, r) {
  const err = document.getElementById(errorId);
  err.textContent = r.status === 200 ? '' : (r.status === 429 ? t('error.429') + ': ' : '') + errorText(r);
  return r.status === 200;
}

function marks(id, r) {
  const el = document.getElementById(id);
  if (el && r && r.body) {
    el.dataset.version = r.body.dataVersion || '';
    el.dataset.renders = String(Number(el.dataset.renders || 0) + 1);
  }
}

// ---- charts -------------------------------------------------------------------------------------

/**
 * Share of A's customers who also buy at B: a heat map A (rows) × B (columns). The diagonal stays empty.
 */
export function renderCrossShopping(r, ids, name) {
  if (!r || !ok(ids.error, r)) return;
  const customers = Object.fromEntries(rows(r.body, 'customers').map(x => [x.label, x]));
  const shared = rows(r.body, 'shared');
  const nodes = [...new Set([...Object.keys(customers), ...shared.flatMap(ends)])];
  const as = [...new Set(shared.map(x => ends(x)[0]))];
  const ys = as.length ? as : nodes;
  const data = [];
  shared.forEach(x => {
    const [a, b] = ends(x);
    const share = x.share;
    data.push([nodes.indexOf(b), ys.indexOf(a), share == null ? '-' : Math.round(share * 1000) / 10]);
  });
  chart(ids.chart).setOption({
    tooltip: { position: 'top', formatter: p => `${escape(name(ys[p.value[1]]))} ${ARROW} ${escape(name(nodes[p.value[0]]))}: ${p.value[2] === '-' ? t('none') : fmt(p.value[2], 1) + ' %'}` },
    grid: { left: 140, right: 20, bottom: 90, top: 10 },
    xAxis: { type: 'category', data: nodes.map(name), name: t('j.alsoAt'), nameLocation: 'middle', nameGap: 70,
      axisLabel: { rotate: 30 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: ys.map(name), inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80,
      text: ['100 %', '0 %'], inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] } },
    series: [{ type: 'heatmap', data, label: { show: true, formatter: p => p.value[2] === '-' ? t('none') : fmt(p.value[2], 0) + ' %' } }],
  }, true);
  table(ids.table, [t('j.pair'), t('j.shared'), t('j.customersOfA'), t('j.share')], shared.map(x => {
    const [a, b] = ends(x);
    return [`${name(a)} ${ARROW} ${name(b)}`, display(x.shared), display(customers[a] && customers[a].customers), percent(x.share)];
  }));
  marks(ids.chart, r);
  notes(ids.notes, r);
}

/**
 * A Sankey of released flows. Sankey diagrams cannot draw cycles (A→B and B→A), so every node appears twice:
 * on the left where people came from, on the right where they went next.
 */
export function sankey(chartId, links, name, unit, limit = Infinity) {
  const from = id => 'from:' + id;
  const to = id => 'to:' + id;
  // With many nodes (the voucher matrix spans every catalogue pair) only the largest links stay readable.
  const drawn = links.filter(l => l.value != null && l.value > 0).sort((a, b) => b.value - a.value).slice(0, limit);
  const nodeIds = [...new Set(drawn.flatMap(l => [from(l.source), to(l.target)]))];
  const label = n => name(n.slice(n.indexOf(':') + 1));
  chart(chartId).setOption({
    tooltip: { trigger: 'item', formatter: p => p.dataType === 'edge'
      ? `${escape(label(p.data.source))} ${ARROW} ${escape(label(p.data.target))}: ${escape(unit(p.data.value))}`
      : escape(label(p.name)) },
    series: [{
      type: 'sankey', left: 10, right: 140, top: 10, bottom: 10, nodeAlign: 'justify', draggable: false,
      emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.45 },
      label: { formatter: p => label(p.name) },
      data: nodeIds.map(id => ({ name: id, depth: id.startsWith('from:') ? 0 : 1 })),
      links: drawn.map(l => ({ source: from(l.source), target: to(l.target), value: l.value })),
    }],
  }, true);
  return drawn.length;
}

export function renderFlows(r, ids, name) {
  if (!r || !ok(ids.error, r)) return;
  const flows = rows(r.body, 'flows');
  const links = flows.map(x => { const [s, d] = ends(x); return { source: s, target: d, value: value(x.residents) }; });
  const drawn = sankey(ids.chart, links, name, v => fmt(v) + ' ' + t('j.residents'));
  document.getElementById(ids.empty).textContent = drawn ? '' : t('j.noFlows');
  table(ids.table, [t('j.flow'), t('j.residents')], flows.map(x => {
    const [s, d] = ends(x);
    return [`${name(s)} ${ARROW} ${name(d)}`, display(x.residents)];
  }));
  marks(ids.chart, r);
  notes(ids.notes, r);
}

const WEEKDAYS = { de: ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] };

/** Visits by weekday (rows "1-00" … "7-23", ISO weekday) × hour, and visits and spend per district. */
export function renderWhenWhere(r, ids) {
  if (!r || !ok(ids.error, r)) return;
  const days = WEEKDAYS[lang()];
  const hours = [...Array(24).keys()].map(h => String(h).padStart(2, '0'));
  const data = [];
  let max = 1;
  rows(r.body, 'weekdayHour').forEach(x => {
    const [d, h] = x.label.split('-').map(Number);
    const v = value(x.visits);
    if (v != null) max = Math.max(max, v);
    data.push([h, d - 1, v == null ? '-' : v]);
  });
  chart(ids.heat).setOption({
    tooltip: { position: 'top', formatter: p => `${days[p.value[1]]} ${hours[p.value[0]]}:00–${hours[p.value[0]]}:59: ${p.value[2] === '-' ? t('none') : fmt(p.value[2])} ${t('j.visits')}` },
    grid: { left: 50, right: 20, bottom: 70, top: 10 },
    xAxis: { type: 'category', data: hours, splitArea: { show: true } },
    yAxis: { type: 'category', data: days, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80,
      inRange: { color: ['#fff7ec', '#fc8d59', '#7f0000'] } },
    series: [{ type: 'heatmap', data }],
  }, true);
  const places = rows(r.body, 'places');
  chart(ids.places).setOption({
    tooltip: { trigger: 'axis' }, legend: { data: [t('j.visits'), t('j.spend')] },
    grid: { left: 60, right: 60, bottom: 70 },
    xAxis: { type: 'category', data: places.map(p => label('district', p.label)), axisLabel: { rotate: 30 } },
    yAxis: [{ type: 'value', name: t('j.visits') }, { type: 'value', name: '€' }],
    series: [{ name: t('j.visits'), type: 'bar', data: places.map(p => value(p.visits)) },
             { name: t('j.spend'), type: 'bar', yAxisIndex: 1, data: places.map(p => { const v = value(p.spendCents); return v == null ? null : v / 100; }) }],
  }, true);
  table(ids.table, [t('j.district'), t('j.visits'), t('j.spend')], places.map(p => [label('district', p.label), display(p.visits), euros(p.spendCents)]));
  marks(ids.heat, r);
  notes(ids.notes, r);
}

/**
 * Gift vouchers seller → place of redemption (Sankey of released euro amounts), the summary figures,
 * employer vouchers and bonus points as tables.
 */
export function renderVouchers(r, ids, name) {
  if (!r || !ok(ids.error, r)) return;
  const matrix = rows(r.body, 'giftMatrix').filter(x => value(x.amountCents) != null)
    .sort((a, b) => value(b.amountCents) - value(a.amountCents));
  const links = matrix.map(x => { const [s, d] = ends(x); return { source: s, target: d, value: value(x.amountCents) / 100 }; });
  const drawn = sankey(ids.chart, links, name, v => fmt(v, 2) + ' €', VOUCHER_LINKS);
  document.getElementById(ids.empty).textContent = !drawn ? t('j.noVouchers')
    : links.length > drawn ? t('v.topLinks').replace('{n}', drawn).replace('{m}', links.length) : '';
  table(ids.matrix, [t('v.pair'), t('v.redeemedValue')], matrix.map(x => {
    const [s, d] = ends(x);
    return [`${name(s)} ${ARROW} ${name(d)}`, euros(x.amountCents)];
  }));
  const summary = rows(r.body, 'summary')[0] || {};
  const redeemed = Object.fromEntries(rows(r.body, 'giftRedeemed').map(x => [x.label, x]));
  const sold = rows(r.body, 'giftSold');
  const dl = document.getElementById(ids.summary);
  dl.innerHTML = `<dt>${escape(t('v.redemptionRate'))}</dt><dd id="v-rate">${escape(percent(summary.giftRedemptionRate))}</dd>`
    + `<dt>${escape(t('v.local'))}</dt><dd id="v-local">${escape(percent(summary.shareSpentLocally))}</dd>`;
  const participants = [...new Set([...sold.map(x => x.label), ...Object.keys(redeemed)])];
  const soldBy = Object.fromEntries(sold.map(x => [x.label, x]));
  document.getElementById(ids.gift).innerHTML = rankedTable(
    [t('j.participant'), t('v.sold'), t('v.soldValue'), t('v.redeemed'), t('v.redeemedValue'), t('v.meanDays')],
    participants.map(p => {
      const s = soldBy[p] || {};
      const d = redeemed[p] || {};
      return { figures: [s.vouchers, s.amountCents, d.vouchers, d.amountCents], weight: sum(s.amountCents, d.amountCents),
        row: [name(p), display(s.vouchers), euros(s.amountCents), display(d.vouchers), euros(d.amountCents),
          d.meanDaysToRedemption != null ? fmt(d.meanDaysToRedemption, 1) : t('none')] };
    }));
  document.getElementById(ids.employer).innerHTML = rankedTable(
    [t('v.employer'), t('v.credited'), t('v.spent'), t('v.rate')],
    rows(r.body, 'employer').map(x => ({ figures: [x.creditedCents, x.spentCents], weight: sum(x.creditedCents, x.spentCents),
      // an employer is not a participant: its catalogue name (its id if the catalogue names none), never
      // "participant outside the catalogue"
      row: [label('employer', x.label), euros(x.creditedCents), euros(x.spentCents), percent(x.redemptionRate)] })))
    + rankedTable([t('v.spentAt'), t('v.spent')], rows(r.body, 'employerSpent').map(x => ({ figures: [x.spentCents],
      weight: sum(x.spentCents), row: [name(x.label), euros(x.spentCents)] })));
  document.getElementById(ids.bonus).innerHTML = rankedTable([t('j.participant'), t('v.earned'), t('v.redeemedPoints')],
    rows(r.body, 'bonus').map(x => ({ figures: [x.earnedPoints, x.redeemedPoints], weight: sum(x.earnedPoints, x.redeemedPoints),
      row: [name(x.label), display(x.earnedPoints), display(x.redeemedPoints)] })));
  marks(ids.chart, r);
  notes(ids.notes, r);
}

/** Engaged residents, buyers within 30 days, conversion vs the segment-matched baseline, lift. */
export function renderEngagement(r, ids, name, participant) {
  if (!r || !ok(ids.error, r)) return;
  const e = rows(r.body, 'engagement')[0] || {};
  const s = rows(r.body, 'summary')[0] || {};
  const engaged = display(e.residents);
  const buyers = display(e.buyers);
  document.getElementById(ids.text).textContent = t('e.sentence')
    .replace('{engaged}', engaged).replace('{who}', name(participant)).replace('{buyers}', buyers)
    .replace('{conv}', percent(e.conversion)).replace('{base}', percent(s.expectedConversion))
    .replace('{lift}', s.lift == null ? t('none') : fmt(s.lift, 2));
  chart(ids.chart).setOption({
    tooltip: { trigger: 'axis', valueFormatter: v => v == null ? t('none') : fmt(v, 1) + ' %' },
    grid: { left: 60, right: 20, bottom: 56, top: 20 },
    // both bars are labelled even in a narrow card (ECharts would otherwise drop a label that does not fit)
    xAxis: { type: 'category', data: [t('e.engaged'), t('e.baseline')], axisLabel: { interval: 0, width: 110, overflow: 'break', lineHeight: 14 } },
    yAxis: { type: 'value', axisLabel: { formatter: v => v + ' %' } },
    series: [{ type: 'bar', data: [e.conversion, s.expectedConversion].map(x => x == null ? null : Math.round(x * 1000) / 10),
      label: { show: true, position: 'top', formatter: p => fmt(p.value, 1) + ' %' } }],
  }, true);
  table(ids.table, [t('e.ageBand'), t('e.residents'), t('e.customers'), t('e.rate')],
    rows(r.body, 'baseline').map(x => [label('ageBand', x.label), display(x.residents), display(x.customers), percent(x.rate)]));
  marks(ids.chart, r);
  notes(ids.notes, r);
}

/** Which participants brought new customers to the city card (first visits), most first. */
export function renderFirstVisits(r, ids, name) {
  if (!r || !ok(ids.error, r)) return;
  const fv = [...rows(r.body, 'firstVisits')].sort((a, b) => (value(b.newCustomers) ?? -1) - (value(a.newCustomers) ?? -1));
  const top = fv.slice(0, 15);
  chart(ids.chart).setOption({
    tooltip: { trigger: 'axis' }, grid: { left: 150, right: 30, bottom: 30, top: 10 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', inverse: true, data: top.map(x => name(x.label)) },
    series: [{ type: 'bar', data: top.map(x => value(x.newCustomers)) }],
  }, true);
  table(ids.table, [t('j.participant'), t('f.newCustomers')], fv.map(x => [name(x.label), display(x.newCustomers)]));
  marks(ids.chart, r);
  notes(ids.notes, r);
  return fv;
}

/** The voucher Sankey draws this many of the largest released links; the table beneath lists them all. */
const VOUCHER_LINKS = 12;
/** Rows of a per-participant voucher table shown at once; the rest behind a toggle. */
const SHOWN_ROWS = 12;

function sum(...cells) { return cells.reduce((acc, c) => acc + (value(c) ?? 0), 0); }

/**
 * A table over every catalogue participant is long and mostly "weniger als …": the rows with at least one released
 * figure, largest first (weight), the first {@link SHOWN_ROWS} at once and all of them behind a toggle; how many
 * rows had no released figure is said, not hidden silently.
 */
function rankedTable(headers, items) {
  const released = items.filter(x => x.figures.some(c => c && !c.suppressed)).sort((a, b) => b.weight - a.weight);
  const withheld = items.length - released.length;
  let html = dataTable(headers, released.slice(0, SHOWN_ROWS).map(x => x.row));
  if (released.length > SHOWN_ROWS) {
    html += `<details><summary>${escape(t('v.allRows').replace('{n}', released.length))}</summary>`
      + dataTable(headers, released.map(x => x.row)) + '</details>';
  }
  if (withheld) html += `<p class="note">${escape(t('v.withheldRows').replace('{n}', withheld))}</p>`;
  return html;
}

function dataTable(headers, body) {
  if (!body.length) return `<p class="note">${escape(t('j.noRows'))}</p>`;
  return `<table class="data"><thead><tr>${headers.map(h => `<th scope="col">${escape(h)}</th>`).join('')}</tr></thead><tbody>`
    + body.map(r => '<tr>' + r.map((c, i) => i === 0 ? `<th scope="row">${escape(c)}</th>` : `<td class="num">${escape(c)}</td>`).join('') + '</tr>').join('')
    + '</tbody></table>';
}
