// The merchant's campaign builder (issue 18, docs/CAMPAIGNS.md): the audience is the filter form of the page (the
// same controls as the audience widget), the reach a released figure, the offer what the resident will see; the
// merchant's campaigns with their status and their results (released figures only: no resident is ever named).
import { t, fmt, label, labelAttrs } from './i18n.js';
import { api, live, errorText } from './api.js';
import { escape } from './charts.js';

/**
 * Data versions between two refreshes of the results (0 = on demand only). Each refresh asks five released questions;
 * the live hub asks them at most once per data version, over the page's one stream (api.js live()).
 */
const RESULTS_EVERY = [1, 5, 0];
const RESULT_FIGURES = ['treatment', 'control', 'delivered', 'opened', 'redeemed', 'convertedTreatment', 'convertedControl'];
const RESULT_RATES = ['openRate', 'redemptionRate', 'conversionTreatment', 'conversionControl', 'uplift'];
/** Results by segment (GET .../results?by=): the dimensions offered and the figures of the table. */
const SEGMENT_BY = ['ageBand', 'district'];
const SEGMENT_FIGURES = ['treatment', 'control', 'delivered', 'redeemed', 'convertedTreatment', 'convertedControl'];

/** The campaign audience from the page's filter: consent to offers is always required, so it is never a field. */
export function campaignAudience(filter) {
  const a = { ...filter };
  delete a.consentOffers;
  return a;
}

export function initCampaigns(me, filter) {
  const $ = id => document.getElementById(id);
  const lang = () => document.documentElement.lang;
  const categories = $('c-category');
  categories.innerHTML = `<option value="" data-i18n="f.none">${escape(t('f.none'))}</option>`
    + me.categories.map(v => `<option value="${escape(v)}" ${labelAttrs('category', v)}>${escape(label('category', v))}</option>`).join('');
  const local = d => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const now = new Date();
  $('c-validFrom').value = local(now);
  $('c-validUntil').value = local(new Date(now.getTime() + 14 * 86400000));

  // ---- reach (debounced like the audience widget) ---------------------------------------------------
  let lastReach = null;
  let reachAsked = 0;
  async function askReach() {
    const asked = ++reachAsked;
    const body = { audience: campaignAudience(filter()) };
    if (categories.value) body.offerCategory = categories.value;
    const r = await api('POST', '/api/v1/campaigns/reach', body);
    if (asked !== reachAsked) return; // a newer question is under way
    lastReach = r;
    showReach();
    // the campaigns are still being read (a fresh start): ask again shortly
    if (r.status === 503) setTimeout(() => { if (asked === reachAsked) askReach(); }, 3000);
  }
  function showReach() {
    const el = $('campaign-reach');
    const note = $('campaign-reach-note');
    $('cerr-audience').textContent = '';
    if (!lastReach) return;
    if (lastReach.status !== 200) {
      el.textContent = lastReach.status === 429 ? t('error.429') : t('error');
      delete el.dataset.value;
      fieldErrors(lastReach, 'cerr-audience');
      note.textContent = '';
      return;
    }
    const c = lastReach.body.count;
    el.dataset.renders = String(Number(el.dataset.renders || 0) + 1);
    el.textContent = c.display;
    el.dataset.value = c.suppressed ? '' : String(c.value);
    el.dataset.version = lastReach.body.dataVersion;
    el.dataset.question = lastReach.body.question;
    note.textContent = (c.suppressed ? t('audience.suppressed') : t('audience.noisy')) + ' ' + t('c.reachNote');
  }
  let debounce;
  const later = () => { clearTimeout(debounce); debounce = setTimeout(askReach, 300); };
  for (const kind of ['input', 'change']) $('filters').addEventListener(kind, later);
  $('filters').addEventListener('reset', later);
  categories.addEventListener('change', later);

  // ---- offer and preview ---------------------------------------------------------------------------
  const iso = v => v ? new Date(v).toISOString() : null;
  function offer() {
    const o = { title: $('c-title').value, text: $('c-text').value,
      validFrom: iso($('c-validFrom').value), validUntil: iso($('c-validUntil').value) };
    if ($('c-code').value.trim()) o.code = $('c-code').value.trim();
    if (categories.value) o.category = categories.value;
    return o;
  }
  const when = v => v ? new Date(v).toLocaleString(lang(), { dateStyle: 'medium', timeStyle: 'short' }) : t('none');
  function preview() {
    const o = offer();
    $('preview-from').textContent = t('c.previewFrom').replace('{who}', me.displayName);
    $('preview-title').textContent = o.title || t('c.previewTitle');
    $('preview-text').textContent = o.text || t('c.previewText');
    $('preview-valid').textContent = t('c.previewValid').replace('{from}', when(o.validFrom)).replace('{until}', when(o.validUntil));
    $('preview-code').textContent = o.code ? t('c.previewCode').replace('{code}', o.code) : '';
    $('preview-why').textContent = t('c.previewWhy');
  }
  $('campaign-form').addEventListener('input', preview);

  // ---- start ---------------------------------------------------------------------------------------
  // the field in words (an audience field by the filter's own legend); the API's reason follows
  const fieldName = f => { const k = 'cf.' + f; const n = t(k); return n === k ? t('c.field') : n; };
  /** Each problem next to the field it names; a field without a place of its own goes to `fallback`. */
  function fieldErrors(r, fallback) {
    const problems = (r.body && r.body.error && r.body.error.problems) || [];
    if (!problems.length) { $(fallback).textContent = errorText(r); return; }
    for (const p of problems) {
      const place = $('cerr-' + p.field) || (p.field.startsWith('audience') ? $('cerr-audience') : $(fallback));
      place.textContent = (place.textContent ? place.textContent + ' ' : '') + fieldName(p.field) + ' – ' + p.reason;
      place.dataset.field = p.field;
    }
  }
  async function start(e) {
    e.preventDefault();
    document.querySelectorAll('#campaign-form .error').forEach(el => { el.textContent = ''; delete el.dataset.field; });
    $('campaign-started').textContent = '';
    const body = { audience: campaignAudience(filter()), offer: offer(), channel: $('c-channel').value };
    if ($('c-cap').value !== '') body.recipientCap = Number($('c-cap').value);
    $('campaign-start').disabled = true;
    const r = await api('POST', '/api/v1/campaigns', body);
    $('campaign-start').disabled = false;
    if (r.status !== 201) { fieldErrors(r, 'cerr-body'); return; }
    $('campaign-started').textContent = t('c.started').replace('{title}', r.body.offer.title);
    selected = r.body.campaignId;
    await loadList();
    refreshResults();
  }
  $('campaign-form').addEventListener('submit', start);

  // ---- my campaigns --------------------------------------------------------------------------------
  let campaigns = [];
  let selected = null;
  async function loadList() {
    const r = await api('GET', '/api/v1/campaigns');
    $('campaigns-error').textContent = r.status === 200 ? '' : errorText(r);
    if (r.status === 200) campaigns = r.body.campaigns.slice().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    renderList();
    if (r.status === 503) setTimeout(loadList, 3000);
  }
  function renderList() {
    $('campaigns-empty').hidden = campaigns.length > 0;
    const actions = c => (c.status === 'RUNNING' ? ['pause', 'end'] : c.status === 'PAUSED' ? ['resume', 'end'] : [])
      .map(a => `<button type="button" class="secondary" data-action="${a}" data-id="${escape(c.campaignId)}">${escape(t('c.' + a))}</button>`).join('');
    const rows = campaigns.map(c => `<tr data-id="${escape(c.campaignId)}" data-status="${escape(c.status)}">`
      + `<th scope="row">${escape(c.offer.title)}</th><td class="status">${escape(t('cstatus.' + c.status))}</td>`
      + `<td>${escape(t('channel.' + c.channel))}</td><td>${escape(when(c.offer.validFrom))} – ${escape(when(c.offer.validUntil))}</td>`
      + `<td>${c.recipientCap == null ? escape(t('none')) : escape(fmt(c.recipientCap))}</td>`
      + `<td>${actions(c)}<button type="button" data-action="results" data-id="${escape(c.campaignId)}">${escape(t('c.showResults'))}</button></td></tr>`).join('');
    $('campaign-list').innerHTML = campaigns.length ? `<table class="data campaigns"><thead><tr><th scope="col">${escape(t('c.offerTitle'))}</th>`
      + `<th scope="col">${escape(t('c.status'))}</th><th scope="col">${escape(t('c.channel'))}</th><th scope="col">${escape(t('c.validity'))}</th>`
      + `<th scope="col">${escape(t('cf.recipientCap'))}</th><th scope="col"><span class="visually-hidden">${escape(t('c.actions'))}</span></th></tr></thead><tbody>${rows}</tbody></table>` : '';
  }
  $('campaign-list').addEventListener('click', async e => {
    const b = e.target.closest('button[data-action]');
    if (!b) return;
    const id = b.dataset.id;
    if (b.dataset.action === 'results') { selected = id; refreshResults(); return; }
    // an ended campaign stays ended (its offers are withdrawn): ask first
    if (b.dataset.action === 'end' && !window.confirm(t('c.confirmEnd'))) return;
    b.disabled = true;
    const r = await api('POST', `/api/v1/campaigns/${encodeURIComponent(id)}/${b.dataset.action}`);
    if (r.status !== 200) $('campaigns-error').textContent = errorText(r);
    await loadList();
  });

  // ---- results (released figures, live: a new data version brings new figures without a reload) -------
  let lastResults = null;
  let resultsLive = null;
  const every = $('results-every');
  const fillEvery = () => {
    const current = every.value || String(RESULTS_EVERY[0]);
    every.innerHTML = RESULTS_EVERY.map(n => `<option value="${n}">${escape(t('mix.every' + n))}</option>`).join('');
    every.value = current;
  };
  fillEvery();
  function refreshResults() {
    if (resultsLive) resultsLive.close();
    resultsLive = null;
    if (!selected) return;
    const id = selected;
    resultsLive = live('campaign-results', { campaignId: id }, a => {
      if (id !== selected) return;
      lastResults = a;
      renderResults();
    }, Number(every.value));
  }
  every.addEventListener('change', refreshResults);
  $('results-refresh').addEventListener('click', () => { if (resultsLive) resultsLive.refresh(); });
  const percent = x => x == null ? t('none') : fmt(x * 100, 1) + ' %';
  const points = x => x == null ? t('none') : (x > 0 ? '+' : '') + fmt(x * 100, 1) + ' ' + t('c.points');
  function renderResults() {
    const dl = $('campaign-results');
    const c = campaigns.find(x => x.campaignId === selected);
    $('results-of').textContent = c ? '„' + c.offer.title + '“' : '';
    if (!lastResults) return;
    if (lastResults.status !== 200) { $('results-error').textContent = errorText(lastResults); return; }
    $('results-error').textContent = '';
    const row = (lastResults.body.tables.results || [])[0] || {};
    dl.dataset.version = lastResults.body.dataVersion;
    dl.dataset.campaign = selected;
    dl.dataset.renders = String(Number(dl.dataset.renders || 0) + 1);
    dl.innerHTML = RESULT_FIGURES.map(f => `<dt>${escape(t('cr.' + f))}</dt><dd id="result-${f}" data-value="${row[f] && !row[f].suppressed ? row[f].value : ''}">${escape(row[f] ? row[f].display : t('none'))}</dd>`).join('')
      + RESULT_RATES.map(f => `<dt>${escape(t('cr.' + f))}</dt><dd id="result-${f}">${escape(f === 'uplift' ? points(row[f]) : percent(row[f]))}</dd>`).join('');
    $('results-note').textContent = t('c.resultsNote');
    const p = lastResults.body.privacy;
    $('results-cost').textContent = p ? (p.repeated ? t('mix.repeated') : t('mix.cost').replace('{e}', fmt(p.epsilonSpent, 2)))
      .replace('{v}', lastResults.body.dataVersion) : '';
    renderSegments(); // another campaign chosen: its segments are not these
  }

  // ---- results by segment: on demand only (five more released questions per data version) -------------
  // (built here rather than in merchant.html: the panel's markup stays as it is)
  const segments = document.createElement('div');
  segments.id = 'campaign-segments';
  segments.innerHTML = '<form class="inline"><label><span id="segments-label"></span> <select id="results-by"></select></label>'
    + '<button type="button" class="secondary" id="segments-ask"></button></form>'
    + '<p class="error" id="segments-error" role="alert"></p><div id="segments-table"></div>';
  $('campaign-results').after(segments);
  let lastSegments = null;
  const fillBy = () => {
    const by = $('results-by');
    const current = by.value || SEGMENT_BY[0];
    by.innerHTML = SEGMENT_BY.map(b => `<option value="${b}">${escape(t('cs.' + b))}</option>`).join('');
    by.value = current;
    $('segments-label').textContent = t('cs.by');
    $('segments-ask').textContent = t('cs.ask');
  };
  fillBy();
  $('segments-ask').addEventListener('click', async () => {
    if (!selected) return;
    const id = selected;
    const by = $('results-by').value;
    const r = await api('GET', `/api/v1/campaigns/${encodeURIComponent(id)}/results?by=${encodeURIComponent(by)}`);
    if (id !== selected) return;
    lastSegments = { r, by, id };
    renderSegments();
  });
  function renderSegments() {
    const box = $('segments-table');
    if (!lastSegments || lastSegments.id !== selected) { box.innerHTML = ''; $('segments-error').textContent = ''; return; }
    const { r, by } = lastSegments;
    if (r.status !== 200) { $('segments-error').textContent = errorText(r); box.innerHTML = ''; return; }
    $('segments-error').textContent = '';
    const rows = r.body.tables.segments || [];
    const cell = c => escape(c ? c.display : t('none'));
    box.innerHTML = `<table data-version="${escape(r.body.dataVersion)}"><thead><tr><th>${escape(t('cs.' + by))}</th>`
      + SEGMENT_FIGURES.map(f => `<th>${escape(t('cr.' + f))}</th>`).join('') + `<th>${escape(t('cr.uplift'))}</th></tr></thead><tbody>`
      + rows.map(row => `<tr><td>${escape(label(by, row.label))}</td>` + SEGMENT_FIGURES.map(f => `<td>${cell(row[f])}</td>`).join('')
        + `<td>${escape(points(row.uplift))}</td></tr>`).join('') + '</tbody></table>';
  }

  preview();
  askReach();
  loadList();
  return { relabel: () => { fillEvery(); fillBy(); showReach(); preview(); renderList(); renderResults(); renderSegments(); } };
}
