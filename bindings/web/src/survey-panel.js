// The SIPAS panel: a questionnaire (a shipped chiso.survey/1 definition or a file) and an
// answer sheet in, the index per unit out — satisfaction rate and mean score per unit,
// per component, rank, and on request bootstrap intervals and sample sizes; the estimates
// of every block and item of a chosen unit. Every figure is an engine string
// (chiso_records, loaded on first use), rounded only for display.
import { h, uid } from './dom.js';
import { tx } from './i18n.js';
import { fmt } from './decimal.js';
import { pt } from './panels-i18n.js';
import { recordsEngine, pageLang, errorItems } from './records-engine.js';

const $ = (sel) => document.querySelector(sel);
const ALL = '__all__';

function fig(value, lang, fieldName) {
  const has = value !== null && value !== undefined;
  const el = h('span', { class: 'fig', dataset: { fig: fieldName } }, has ? fmt(value, lang) : '—');
  if (has) {
    el.dataset.exact = value;
    el.title = value;
  }
  return el;
}

function count(value, fieldName) {
  return h('span', { class: 'fig', dataset: { fig: fieldName, exact: value ?? '' } }, value ?? '—');
}

/** code → title of every node of a definition (components, blocks, items). */
function titles(def) {
  const out = new Map();
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (typeof v.code === 'string' && v.title) out.set(v.code, v.title);
      Object.values(v).forEach(walk);
    }
  };
  walk(def.components);
  walk(def.overall);
  return out;
}

export function createSurveyPanel(manifest) {
  const st = {
    lang: pageLang(),
    definition: null, // {text, def, name}
    text: null, // answer sheet text
    source: null,
    result: null, // chiso.survey-result/1 of the last good computation
    resultDef: null, // the definition it was computed with
    unit: null,
    errors: null,
  };
  window.chisoSurvey = st;
  const root = $('#survey');
  const surveys = manifest.surveys || [];
  const sample = (manifest.examples || []).find((e) => e.kind === 'answers');

  function status(text, kind = 'ok') {
    const s = $('#survey-status');
    s.textContent = text;
    s.className = `message ${kind}`;
  }

  function renderForm() {
    const L = st.lang;
    const keep = {
      def: $('#survey-definition') ? $('#survey-definition').value : (surveys[0] || {}).path || '',
      bootstrap: $('#survey-bootstrap') ? $('#survey-bootstrap').value : '',
      seed: $('#survey-seed') ? $('#survey-seed').value : '1',
      margin: $('#survey-margin') ? $('#survey-margin').value : '',
    };
    root.replaceChildren(
      h('h2', { id: 'survey-title' }, pt(L, 'surveyTitle')),
      h('p', { class: 'hint-text' }, pt(L, 'surveyIntro')),
      h('div', { class: 'box survey-inputs' },
        h('span', { class: 'field' }, h('label', { for: 'survey-definition' }, pt(L, 'definition')),
          h('select', { id: 'survey-definition', onchange: () => { st.definition = null; } },
            surveys.map((s) => h('option', { value: s.path, selected: s.path === keep.def }, `${tx(s.title, L)} — ${s.id}`)))),
        h('span', { class: 'field' }, h('label', { for: 'survey-definition-file' }, pt(L, 'definitionFile')),
          h('input', { id: 'survey-definition-file', type: 'file', accept: '.json,application/json', onchange: onDefinitionFile })),
        h('span', { class: 'field' }, h('label', { for: 'survey-file' }, pt(L, 'answersFile')),
          h('input', { id: 'survey-file', type: 'file', accept: '.csv,.jsonl,.ndjson,.json,text/csv', onchange: onFile })),
        sample ? h('button', { type: 'button', id: 'survey-sample', onclick: useSample }, pt(L, 'useSample')) : null,
        h('span', { class: 'field' }, h('label', { for: 'survey-bootstrap' }, pt(L, 'bootstrap')),
          h('input', { id: 'survey-bootstrap', type: 'number', min: '1', max: '100000', step: '1', class: 'num', value: keep.bootstrap })),
        h('span', { class: 'field' }, h('label', { for: 'survey-seed' }, pt(L, 'seed')),
          h('input', { id: 'survey-seed', type: 'number', min: '0', step: '1', class: 'num', value: keep.seed })),
        h('span', { class: 'field' }, h('label', { for: 'survey-margin' }, pt(L, 'margin')),
          h('input', { id: 'survey-margin', type: 'text', inputmode: 'decimal', class: 'num', value: keep.margin })),
        h('button', { type: 'button', id: 'survey-compute', onclick: () => compute() }, pt(L, 'computeSurvey'))),
      h('p', { id: 'survey-status', class: 'message', role: 'status', 'aria-live': 'polite' }),
      h('section', { id: 'survey-errors-box', class: 'box errors', hidden: true, 'aria-labelledby': 'survey-errors-title' },
        h('h3', { id: 'survey-errors-title' }, pt(L, 'errorsTitle')),
        h('ul', { id: 'survey-errors', role: 'alert' })),
      h('div', { id: 'survey-results' }));
    if (st.errors) showErrors(st.errors);
    renderResults();
  }

  async function onDefinitionFile(ev) {
    const f = ev.target.files[0];
    if (!f) return;
    const text = await f.text();
    let def = null;
    try { def = JSON.parse(text); } catch (_) { /* the engine reports it, located */ }
    st.definition = { text, def, name: f.name };
    if (st.text) await compute();
  }

  async function onFile(ev) {
    const f = ev.target.files[0];
    if (!f) return;
    st.text = await f.text();
    st.source = f.name;
    await compute();
  }

  async function useSample() {
    const r = await fetch(sample.path);
    st.text = await r.text();
    st.source = sample.path.split('/').pop();
    const def = surveys.find((s) => s.id === sample.survey);
    if (def && !st.definition) $('#survey-definition').value = def.path;
    await compute();
  }

  async function definition() {
    if (st.definition) return st.definition;
    const path = $('#survey-definition').value;
    if (!path) return null;
    const text = await (await fetch(path)).text();
    st.definition = { text, def: JSON.parse(text), name: path.split('/').pop() };
    return st.definition;
  }

  function showErrors(e) {
    $('#survey-errors-box').hidden = false;
    $('#survey-errors').replaceChildren(...errorItems(h, e, st.lang));
  }

  async function compute() {
    const L = st.lang;
    if (!st.text) { status(pt(L, 'noFile'), 'error'); return; }
    const def = await definition();
    if (!def) { status(pt(L, 'noDefinition'), 'error'); return; }
    status(pt(L, 'loadingModule'));
    const m = await recordsEngine();
    const options = { source: st.source };
    const reps = Number.parseInt($('#survey-bootstrap').value, 10);
    if (Number.isFinite(reps)) {
      options.bootstrap = reps;
      const seed = Number.parseInt($('#survey-seed').value, 10);
      options.seed = Number.isFinite(seed) ? seed : 0;
    }
    const margin = $('#survey-margin').value.trim().replace(',', '.');
    if (margin) options.margin = margin;
    let result;
    try {
      result = JSON.parse(m.survey(def.text, st.text, JSON.stringify(options)));
    } catch (e) {
      st.errors = e;
      showErrors(e);
      status(L === 'en' ? e.messageEn || String(e) : e.messageVi || String(e), 'error');
      return;
    }
    Object.assign(st, {
      result, resultDef: def.def, errors: null,
      unit: result.units.some((u) => u.unit === st.unit) ? st.unit : ALL,
    });
    $('#survey-errors-box').hidden = true;
    $('#survey-errors').replaceChildren();
    renderResults();
    status(pt(L, 'computed', { file: st.source }));
  }

  function renderResults() {
    const box = $('#survey-results');
    const r = st.result;
    if (!r) { box.replaceChildren(); return; }
    const L = st.lang;
    const names = titles(st.resultDef || {});
    const components = ((st.resultDef || {}).components || []).map((c) => c.code);
    const level = r.bootstrap ? (L === 'vi' ? r.bootstrap.level.replace('.', ',') : r.bootstrap.level) : null;
    const margin = r.units.some((u) => u.sample_size);
    const name = (u) => (u.unit === ALL ? pt(L, 'allUnits') : u.unit);
    const head = [pt(L, 'unitSel'), pt(L, 'respondents'), pt(L, 'index'), pt(L, 'mean'),
      ...components.map((c) => `${c} (%)`), pt(L, 'rank')];
    if (r.bootstrap) head.push(pt(L, 'interval', { level }), pt(L, 'rankInterval'));
    if (margin) head.push(pt(L, 'required'));
    const row = (u) => {
      const node = (c) => u.nodes.find((n) => n.code === c) || {};
      const cells = [
        h('th', { scope: 'row' }, name(u)),
        h('td', {}, count(u.respondents, 'respondents')),
        h('td', {}, fig(u.index, L, 'index')),
        h('td', {}, fig(u.mean_score, L, 'mean_score')),
        ...components.map((c) => h('td', {}, fig(node(c).satisfaction_rate ?? null, L, `component:${c}`))),
        h('td', {}, count(u.rank, 'rank')),
      ];
      if (r.bootstrap) {
        const ci = u.interval;
        cells.push(h('td', {}, ci ? [fig(ci.low, L, 'ci_low'), ' – ', fig(ci.high, L, 'ci_high'), ci.widened ? h('abbr', { title: pt(L, 'widened') }, '*') : ''] : '—'),
          h('td', {}, ci ? [count(ci.rank_best, 'rank_best'), ' – ', count(ci.rank_worst, 'rank_worst')] : '—'));
      }
      if (margin) {
        const s = u.sample_size;
        cells.push(h('td', {}, s ? [count(s.required, 'required'), ` (${pt(L, s.sufficient ? 'enough' : 'notEnough')})`] : '—'));
      }
      return h('tr', { dataset: { unit: u.unit } }, cells);
    };
    const unitId = uid('su');
    const chosen = st.unit === ALL ? r.all : r.units.find((u) => u.unit === st.unit) || r.all;
    box.dataset.survey = r.survey;
    box.replaceChildren(
      h('section', { class: 'box' }, h('h3', {}, `${pt(L, 'surveyUnits')} — ${r.survey} (${r.survey_version})`),
        h('table', { id: 'survey-units', class: 'data' },
          h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, r.units.map(row)),
          h('tfoot', {}, row(r.all))),
        h('ul', { class: 'notes' }, r.notes.map((n) => h('li', {}, tx(n, L)))),
        r.bootstrap ? h('p', { class: 'hint-text' }, tx(r.bootstrap.method, L)) : null),
      h('section', { class: 'box' }, h('h3', {}, pt(L, 'details')),
        h('span', { class: 'field' }, h('label', { for: unitId }, pt(L, 'unitSel')),
          h('select', { id: unitId, class: 'survey-unit', onchange: (ev) => { st.unit = ev.target.value; renderResults(); box.querySelector('select.survey-unit').focus(); } },
            [...r.units, r.all].map((u) => h('option', { value: u.unit, selected: u.unit === chosen.unit }, name(u))))),
        h('table', { id: 'survey-nodes', class: 'data', dataset: { unit: chosen.unit } },
          h('thead', {}, h('tr', {}, [pt(L, 'code'), pt(L, 'node'), pt(L, 'level'), pt(L, 'rate'), pt(L, 'mean'), pt(L, 'answers'), pt(L, 'noAnswers')]
            .map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, chosen.nodes.map((n) => h('tr', { dataset: { code: n.code } },
            h('th', { scope: 'row' }, n.code), h('td', { class: 'text' }, n.code === 'total' ? pt(L, 'index') : tx(names.get(n.code), L)),
            h('td', { class: 'text' }, pt(L, `level_${n.level}`)),
            h('td', {}, fig(n.satisfaction_rate, L, 'satisfaction_rate')), h('td', {}, fig(n.mean_score, L, 'mean_score')),
            h('td', {}, count(n.answers, 'answers')), h('td', {}, count(n.no_answers, 'no_answers'))))))),
      h('p', { class: 'rounding' }, pt(L, 'rounding')));
  }

  document.addEventListener('chiso:lang', (ev) => {
    st.lang = ev.detail;
    renderForm();
  });
  renderForm();
  return { state: st, compute };
}
