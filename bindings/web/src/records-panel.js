// The "Hồ sơ TTHC (QĐ 766)" panel: a dossier export in, the QĐ 766 indicators
// (numerator/denominator, ratio), the score per group and in all, the indicators the file
// cannot give, and the dossiers that cost points with their explanations. Everything shown
// comes from the engine (chiso_records, loaded on first use) as exact strings, rounded
// only for display; the page does no arithmetic on scores.
import { h, uid } from './dom.js';
import { tx } from './i18n.js';
import { fmt } from './decimal.js';
import { pt } from './panels-i18n.js';
import {
  recordsEngine, pageLang, compareDecimal, errorItems,
} from './records-engine.js';

const $ = (sel) => document.querySelector(sel);

/** A figure: rounded for display, the exact engine string in data-exact and on hover. */
function fig(value, lang, fieldName) {
  const has = value !== null && value !== undefined;
  const el = h('span', { class: 'fig', dataset: { fig: fieldName } }, has ? fmt(value, lang) : '—');
  if (has) {
    el.dataset.exact = value;
    el.title = value;
  }
  return el;
}

/** A count (a whole number from the engine), shown as is. */
function count(value, fieldName) {
  return h('span', { class: 'fig', dataset: { fig: fieldName, exact: value ?? '' } }, value ?? '—');
}

export function createRecordsPanel(manifest) {
  const st = {
    lang: pageLang(),
    text: null, // the file's text
    source: null, // its name
    values: null, // values CSV text
    valuesName: null,
    run: null, // resident Records of the last good computation
    doc: null, // its chiso.records/1 document
    unit: null,
    bucket: 0,
    sort: { key: 'cost', dir: 'desc' },
    explained: null, // {ma, doc}
    errors: null, // the last error, shown until the next good computation
    modCache: null, // the records module, once loaded (its ratio helper is synchronous)
    focus: null, // selector to focus after a re-render
  };
  window.chisoRecords = st; // for debugging and the browser tests
  const root = $('#records');
  const sample = (manifest.examples || []).find((e) => e.kind === 'dossiers');

  function status(text, kind = 'ok') {
    const s = $('#records-status');
    s.textContent = text;
    s.className = `message ${kind}`;
  }

  function renderForm() {
    const L = st.lang;
    const ids = { file: 'records-file', period: 'records-period', by: 'records-by', costs: 'records-costs-n', values: 'records-values' };
    const keep = {
      period: $('#records-period') ? $('#records-period').value : '',
      by: $('#records-by') ? $('#records-by').value : 'whole',
      costs: $('#records-costs-n') ? $('#records-costs-n').value : '10',
    };
    root.replaceChildren(
      h('h2', { id: 'records-title' }, pt(L, 'recordsTitle')),
      h('p', { class: 'hint-text' }, pt(L, 'recordsIntro')),
      h('div', { class: 'box records-inputs' },
        h('span', { class: 'field' }, h('label', { for: ids.file }, pt(L, 'dossierFile')),
          h('input', { id: ids.file, type: 'file', accept: '.csv,.jsonl,.ndjson,.json,text/csv', onchange: onFile })),
        sample ? h('button', { type: 'button', id: 'records-sample', onclick: useSample }, pt(L, 'useSample')) : null,
        h('span', { class: 'field' }, h('label', { for: ids.period }, pt(L, 'period')),
          h('input', { id: ids.period, type: 'text', autocomplete: 'off', value: keep.period, onkeydown: (ev) => { if (ev.key === 'Enter') compute(); } })),
        h('span', { class: 'field' }, h('label', { for: ids.by }, pt(L, 'cutBy')),
          h('select', { id: ids.by }, ['whole', 'month', 'quarter', 'year'].map((b) => h('option', { value: b, selected: b === keep.by }, pt(L, `by_${b}`))))),
        h('span', { class: 'field' }, h('label', { for: ids.costs }, pt(L, 'costsN')),
          h('input', { id: ids.costs, type: 'number', min: '1', max: '10000', step: '1', value: keep.costs, class: 'num' })),
        h('span', { class: 'field' }, h('label', { for: ids.values }, pt(L, 'valuesFile')),
          h('input', { id: ids.values, type: 'file', accept: '.csv,text/csv', onchange: onValues })),
        h('button', { type: 'button', id: 'records-compute', onclick: () => compute() }, pt(L, 'compute'))),
      h('p', { id: 'records-status', class: 'message', role: 'status', 'aria-live': 'polite' }),
      h('section', { id: 'records-errors-box', class: 'box errors', hidden: true, 'aria-labelledby': 'records-errors-title' },
        h('h3', { id: 'records-errors-title' }, pt(L, 'errorsTitle')),
        h('ul', { id: 'records-errors', role: 'alert' })),
      h('div', { id: 'records-results' }));
    if (st.errors) showErrors(st.errors);
    renderResults();
  }

  async function onFile(ev) {
    const f = ev.target.files[0];
    if (!f) return;
    st.text = await f.text();
    st.source = f.name;
    if ($('#records-period').value.trim()) await compute();
    else status(pt(st.lang, 'noPeriod'), 'error');
  }

  async function onValues(ev) {
    const f = ev.target.files[0];
    st.values = f ? await f.text() : null;
    st.valuesName = f ? f.name : null;
    if (st.text && $('#records-period').value.trim()) await compute();
  }

  async function useSample() {
    const r = await fetch(sample.path);
    st.text = await r.text();
    st.source = sample.path.split('/').pop();
    if (!$('#records-period').value.trim()) $('#records-period').value = sample.period;
    await compute();
  }

  function showErrors(e) {
    const box = $('#records-errors-box');
    box.hidden = false;
    $('#records-errors').replaceChildren(...errorItems(h, e, st.lang));
  }

  async function compute() {
    const L = st.lang;
    if (!st.text) { status(pt(L, 'noFile'), 'error'); return; }
    const period = $('#records-period').value.trim();
    if (!period) { status(pt(L, 'noPeriod'), 'error'); return; }
    status(pt(L, 'loadingModule'));
    const m = await recordsEngine();
    st.modCache = m;
    const n = Number.parseInt($('#records-costs-n').value, 10);
    const options = {
      period, source: st.source, by: $('#records-by').value, costs: Number.isFinite(n) && n > 0 ? n : 10,
    };
    if (st.values) options.values = st.values;
    let run;
    let doc;
    try {
      run = m.Records.analyse(st.text, JSON.stringify(options));
      doc = JSON.parse(run.document());
    } catch (e) {
      if (run) run.free();
      st.errors = e;
      showErrors(e);
      status(L === 'en' ? e.messageEn || String(e) : e.messageVi || String(e), 'error');
      return;
    }
    if (st.run) st.run.free();
    Object.assign(st, {
      run, doc, errors: null, explained: null, bucket: 0,
      unit: doc.units.some((u) => u.code === st.unit) ? st.unit : (doc.units[0] || {}).code,
    });
    $('#records-errors-box').hidden = true;
    $('#records-errors').replaceChildren();
    renderResults();
    status(pt(L, 'computed', { file: st.source }));
  }

  function current() {
    const i = st.doc.units.findIndex((u) => u.code === st.unit);
    const u = st.doc.units[Math.max(0, i)];
    return { u, label: st.doc.unit_labels[Math.max(0, i)], p: u.periods[st.bucket] || u.periods[0] };
  }

  function renderResults() {
    const box = $('#records-results');
    if (!st.doc) { box.replaceChildren(); return; }
    const L = st.lang;
    const d = st.doc;
    const { u, p } = current();
    const unitId = uid('ru');
    const bucketId = uid('rb');
    box.dataset.source = d.source;
    box.dataset.period = d.period;
    box.replaceChildren(
      h('p', { id: 'records-summary' }, pt(L, 'summaryLine', {
        file: d.source, period: d.period, rows: d.rows.rows, counted: d.rows.counted,
        notReceived: d.rows.not_received, outside: d.rows.outside_period, index: d.index,
      })),
      h('details', { class: 'box' }, h('summary', {}, pt(L, 'policies')),
        h('ul', { id: 'records-policies' }, Object.entries(d.policies).map(([k, v]) => h('li', { dataset: { policy: k, value: String(v) } }, `${k} = ${v}`)))),
      h('div', { class: 'records-pick' },
        h('span', { class: 'field' }, h('label', { for: unitId }, pt(L, 'unitSel')),
          h('select', { id: unitId, class: 'records-unit', onchange: (ev) => { st.unit = ev.target.value; st.explained = null; st.focus = 'select.records-unit'; renderResults(); } },
            d.units.map((x, i) => h('option', { value: x.code, selected: x.code === u.code }, d.unit_labels[i])))),
        u.periods.length > 1 ? h('span', { class: 'field' }, h('label', { for: bucketId }, pt(L, 'periodSel')),
          h('select', { id: bucketId, class: 'records-bucket', onchange: (ev) => { st.bucket = Number(ev.target.value); st.explained = null; st.focus = 'select.records-bucket'; renderResults(); } },
            u.periods.map((x, i) => h('option', { value: String(i), selected: i === st.bucket }, x.period)))) : null),
      indicatorsTable(u, p),
      groupsTable(u, p),
      notComputable(),
      costsTable(p),
      h('section', { id: 'records-explanation-box', class: 'box', hidden: !st.explained, 'aria-live': 'polite' },
        h('h3', {}, st.explained ? pt(L, 'explanation', { ma: st.explained.ma }) : ''),
        h('pre', { id: 'records-explanation', dataset: { ma: st.explained ? st.explained.ma : '' } },
          st.explained ? st.explained.doc.text[L] : '')),
      h('p', { class: 'rounding' }, pt(L, 'rounding')));
    // The unit/period selects are re-created: keep the keyboard focus on the one used.
    const focus = st.focus;
    st.focus = null;
    if (focus) { const el = box.querySelector(focus); if (el) el.focus(); }
  }

  function indicatorsTable(u, p) {
    const L = st.lang;
    const m = st.modCache;
    const rows = st.doc.indicators.map((i) => {
      const f = p.indicators[i.code];
      const points = p.score.leaves[i.code];
      const ratio = f && m ? m.ratioPercent(String(f.numerator), String(f.denominator)) ?? null : null;
      return h('tr', { dataset: { code: i.code, computable: String(i.computable) } },
        h('th', { scope: 'row' }, i.code),
        h('td', { class: 'text' }, tx(i.title, L)),
        f ? [h('td', {}, count(f.numerator, 'numerator')), h('td', {}, count(f.denominator, 'denominator')),
          h('td', {}, fig(ratio, L, 'ratio')), h('td', {}, fig(points ?? null, L, 'points'))]
          : h('td', { colspan: '4', class: 'text muted' }, pt(L, 'notComputableShort', { cols: i.missing_columns.map((g) => g.join(' / ')).join(', ') })));
    });
    return h('section', { class: 'box' }, h('h3', {}, `${pt(L, 'indicators')} — ${current().label}, ${p.period}`),
      h('table', { id: 'records-indicators', class: 'data' },
        h('thead', {}, h('tr', {}, [pt(L, 'code'), pt(L, 'indicator'), pt(L, 'numerator'), pt(L, 'denominator'), pt(L, 'ratio'), pt(L, 'points')]
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows)));
  }

  function groupsTable(u, p) {
    const L = st.lang;
    const res = JSON.parse(st.run.result(u.code, p.period));
    const groups = res.nodes.filter((n) => n.depth === 1);
    return h('section', { class: 'box' }, h('h3', {}, pt(L, 'groups')),
      h('table', { id: 'records-groups', class: 'data' },
        h('thead', {}, h('tr', {}, [pt(L, 'code'), pt(L, 'group'), pt(L, 'points'), pt(L, 'maxPoints'), pt(L, 'status')]
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, groups.map((g) => h('tr', { dataset: { code: g.code } },
          h('th', { scope: 'row' }, g.code), h('td', { class: 'text' }, tx(g.title, L)),
          h('td', {}, fig(g.achieved, L, 'achieved')), h('td', {}, fig(g.max_points, L, 'max_points')),
          h('td', { class: 'text' }, g.achieved === null ? pt(L, 'missingGroup') : '')))),
        h('tfoot', {},
          h('tr', { dataset: { code: '$total' } }, h('th', { scope: 'row' }), h('td', { class: 'text' }, pt(L, 'total')),
            h('td', {}, fig(p.score.total, L, 'total')), h('td', {}, fig(res.total.max_points, L, 'max_points')), h('td', {})),
          h('tr', { dataset: { code: '$records' } }, h('th', { scope: 'row' }), h('td', { class: 'text' }, pt(L, 'recordsPart')),
            h('td', {}, fig(p.score.records_points, L, 'records_points')), h('td', {}, fig(p.score.records_max, L, 'records_max')), h('td', {})))));
  }

  function notComputable() {
    const L = st.lang;
    const d = st.doc;
    const items = [
      ...d.indicators.filter((i) => !i.computable).map((i) => h('li', { dataset: { code: i.code } },
        `${i.code} ${tx(i.title, L)}: ${pt(L, 'needsColumns', { cols: i.missing_columns.map((g) => g.join(' / ')).join(', ') })}`)),
      ...d.not_from_dossiers.map((x) => h('li', { dataset: { code: x.code } }, `${x.code}: ${tx(x.needs, L)}`)),
    ];
    return h('section', { class: 'box' }, h('h3', {}, pt(L, 'notComputable')), h('ul', { id: 'records-not-computable' }, items));
  }

  const SORTS = {
    cost: (a, b) => compareDecimal(a.cost, b.cost),
    late: (a, b) => (a.late_minutes ?? -Infinity) - (b.late_minutes ?? -Infinity),
    row: (a, b) => a.row - b.row,
    ma: (a, b) => a.ma_ho_so.localeCompare(b.ma_ho_so),
  };

  function costsTable(p) {
    const L = st.lang;
    if (!p.costs.length) return h('section', { class: 'box' }, h('h3', {}, pt(L, 'costs')), h('p', { id: 'records-no-costs' }, pt(L, 'noCosts')));
    const { key, dir } = st.sort;
    const list = p.costs.map((c, i) => [c, i]).sort(([a, i], [b, j]) => (dir === 'asc' ? 1 : -1) * SORTS[key](a, b) || i - j).map(([c]) => c);
    const th = (k, label) => h('th', { scope: 'col', 'aria-sort': key === k ? (dir === 'asc' ? 'ascending' : 'descending') : 'none' },
      h('button', {
        type: 'button', class: 'sort', dataset: { sort: k },
        onclick: () => {
          st.sort = { key: k, dir: key === k && dir === 'desc' ? 'asc' : 'desc' };
          st.focus = `#records-costs button[data-sort="${k}"]`;
          renderResults();
        },
      }, label, key === k ? ` ${dir === 'asc' ? '▲' : '▼'}` : ''));
    return h('section', { class: 'box' }, h('h3', {}, pt(L, 'costs')), h('p', { class: 'hint-text' }, pt(L, 'costsHint')),
      h('table', { id: 'records-costs', class: 'data' },
        h('thead', {}, h('tr', {}, th('ma', pt(L, 'maHoSo')), th('row', pt(L, 'row')), h('th', { scope: 'col' }, pt(L, 'unit')),
          h('th', { scope: 'col' }, pt(L, 'failed')), th('late', pt(L, 'late')), th('cost', pt(L, 'cost')))),
        h('tbody', {}, list.map((c) => h('tr', { dataset: { ma: c.ma_ho_so } },
          h('th', { scope: 'row' }, h('button', {
            type: 'button', class: 'dossier link', 'aria-pressed': String(!!st.explained && st.explained.ma === c.ma_ho_so),
            onclick: () => explain(c.ma_ho_so),
          }, c.ma_ho_so)),
          h('td', {}, count(c.row, 'row')), h('td', { class: 'text' }, c.unit), h('td', { class: 'text' }, c.failed.join(', ')),
          h('td', {}, count(c.late_minutes, 'late_minutes')), h('td', {}, fig(c.cost, L, 'cost')))))));
  }

  function explain(ma) {
    try {
      st.explained = { ma, doc: JSON.parse(st.run.explain(ma)) };
    } catch (e) {
      showErrors(e);
      return;
    }
    st.focus = '#records-explanation-box';
    renderResults();
    $('#records-explanation-box').setAttribute('tabindex', '-1');
    $('#records-explanation-box').focus();
  }

  document.addEventListener('chiso:lang', (ev) => {
    st.lang = ev.detail;
    renderForm();
  });
  renderForm();
  return { state: st, compute };
}
