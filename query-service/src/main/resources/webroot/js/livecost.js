// Live widgets that cost one ε per cell (a persona breakdown): refreshed every n data versions or on demand,
// with what the last refresh cost and the budget left, so a shop owner sees why the widget is not instant.
import { t, fmt } from './i18n.js';
import { live } from './api.js';
import { escape } from './charts.js';

export const EVERY_CHOICES = [1, 5, 15, 60, 0];

/**
 * Opens the streams [{widget, question, onAnswer}] with the refresh interval picked in `<prefix>-every`
 * (default `every`), wires `<prefix>-refresh` ("refresh now") and writes the cost line into `<prefix>-cost`.
 */
export function costlyLive(prefix, streams, every) {
  const select = document.getElementById(prefix + '-every');
  const fill = () => {
    const current = select.value || String(every);
    select.innerHTML = EVERY_CHOICES.map(n => `<option value="${n}">${escape(t('mix.every' + n))}</option>`).join('');
    select.value = current;
  };
  fill();
  const latest = new Map();
  const showCost = () => {
    const answers = [...latest.values()].filter(a => a && a.status === 200 && a.body && a.body.privacy);
    const el = document.getElementById(prefix + '-cost');
    if (!answers.length) { el.textContent = ''; return; }
    const spent = answers.reduce((s, a) => s + (a.body.privacy.repeated ? 0 : a.body.privacy.epsilonSpent), 0);
    const version = answers.map(a => a.body.dataVersion).sort().pop();
    const budget = answers.map(a => a.body.privacy.budget).filter(Boolean).map(b => b.remainingDay);
    const published = answers.every(a => a.body.source && a.body.source.kind === 'publication');
    el.textContent = (published ? t('mix.published')
        : (spent > 0 ? t('mix.cost').replace('{e}', fmt(spent, 2)) : t('mix.repeated')).replace('{v}', version))
      + (budget.length ? ' ' + t('j.left').replace('{e}', fmt(Math.min(...budget), 2)) : '');
    el.dataset.every = select.value;
  };
  let handles = [];
  const open = () => {
    handles.forEach(h => h.close());
    handles = streams.map((s, i) => live(s.widget, s.question, a => { latest.set(i, a); s.onAnswer(a); showCost(); }, Number(select.value)));
  };
  select.addEventListener('change', open);
  document.getElementById(prefix + '-refresh').addEventListener('click', () => handles.forEach(h => h.refresh()));
  open();
  return { relabel: () => { fill(); showCost(); } };
}
