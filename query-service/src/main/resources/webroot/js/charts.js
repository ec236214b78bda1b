import { t, fmt } from './i18n.js';

// ECharts is loaded as a classic script (window.echarts); SVG keeps the charts crisp on tablets.
const charts = new Map();
export function chart(id) {
  let c = charts.get(id);
  if (!c) {
    c = window.echarts.init(document.getElementById(id), null, { renderer: 'svg' });
    charts.set(id, c);
    window.addEventListener('resize', () => c.resize());
  }
  return c;
}

/** A released cell's number for a chart: null when suppressed (the chart shows a gap, never a guess). */
export function value(cell) { return cell && !cell.suppressed ? cell.value : null; }

/** Accessible figures beside each chart: label → displayed value, exactly as released. */
export function table(containerId, headers, rows) {
  const el = document.getElementById(containerId);
  const head = headers.map(h => `<th scope="col">${escape(h)}</th>`).join('');
  const body = rows.map(r => '<tr>' + r.map((c, i) => i === 0 ? `<th scope="row">${escape(c)}</th>`
    : `<td class="num">${escape(c)}</td>`).join('') + '</tr>').join('');
  el.innerHTML = `<details><summary>${escape(t('table.show'))}</summary><table class="data"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></details>`;
}

export function display(cell) { return cell ? cell.display : t('none'); }
export function lift(x) { return x == null ? t('none') : fmt(x, 2); }

export function escape(s) {
  return String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
