// The self-assessment form. The engine (chiso compiled to WASM) does all the scoring;
// this file renders the criteria tree, sends each edit to the engine's resident session
// and shows the figures it returns (exact decimal strings, rounded only for display).
import init, { Engine, setMessages } from './chiso_wasm.js';
import { h, uid } from './dom.js';
import { t, tx } from './i18n.js';
import { fmt } from './decimal.js';
import { layerCell } from './cell.js';
import { createAnalysis } from './analysis.js';
import { loadAnalysis, fullEngine, located, locatedDiagnostics } from './analysis-engine.js';

const FORMAT = 'chiso.assessment/1';
const $ = (sel) => document.querySelector(sel);

const state = {
  lang: localStorage.getItem('chiso.lang') === 'en' ? 'en' : 'vi',
  manifest: { indexes: [], assessments: [] },
  source: null, // {path} or {file, text}
  engine: null,
  def: null,
  nodes: [],
  byCode: new Map(),
  evidenceHints: new Map(),
  session: null,
  result: null,
  cells: new Map(), // `${code}|${layer}` → cell
  committed: new Map(), // `${code}|${layer}` → last record JSON sent
  figs: [], // {el, code, field, last}
  figIndex: new Map(), // `${code}|${field}` → figs
  refreshPending: false,
  texts: [], // {el, code, kind, last}
  saveTimer: null,
  dirty: false,
};
window.chisoForm = state; // for debugging and the browser tests
const analysis = createAnalysis(state); // what-if and plan panels: read-only on the session

// ---------- small helpers ----------

function msg(key, vars, kind = 'ok') {
  const box = $('#message');
  box.textContent = key ? t(state.lang, key, vars) : '';
  box.className = `message no-print ${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

function errText(e) {
  if (e && (e.messageVi || e.messageEn)) {
    const m = state.lang === 'en' ? e.messageEn : e.messageVi;
    return e.path && !m.includes(e.path) ? `${m} (${e.path})` : m;
  }
  return String(e && e.message ? e.message : e);
}

function draftKey() {
  return `chiso.draft/${state.def.id}@${state.def.version}`;
}

function blankAssessment() {
  return { format: FORMAT, index: state.def.id, index_version: state.def.version, unit: { name: '' }, entries: {} };
}

function currentAssessment() {
  return JSON.parse(state.session.assessment());
}

function setSession(s) {
  if (state.session && state.session !== s) state.session.free();
  state.session = s;
  state.committed.clear();
}

// ---------- loading ----------

async function loadManifest() {
  try {
    const r = await fetch('criteria-list.json');
    if (r.ok) state.manifest = await r.json();
  } catch (_) { /* opened without a manifest: only "open from disk" works */ }
  const sel = $('#criteria-select');
  sel.replaceChildren(...state.manifest.indexes.map((ix) => h('option', { value: ix.path },
    `${tx(ix.title, state.lang)} — ${ix.version}`)));
}

/** An index file's text, fetched. */
async function fetchText(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.text();
}

/** Opens a listed index; `pending` is its text already being fetched (first load). */
async function openFromManifest(path, pending = null) {
  const text = await (pending || fetchText(path));
  openIndexText(text, { path });
}

function openIndexText(text, source) {
  let engine;
  try {
    engine = Engine.load(text);
  } catch (lean) {
    // The exact JSON path of a shape error, from the analysis module (when loaded).
    const e = located(lean, (m) => m.Engine.load(text).free());
    msg('indexError', { msg: errText(e) }, 'error');
    return false;
  }
  if (state.session) state.session.free();
  state.session = null;
  if (state.engine) state.engine.free();
  state.engine = engine;
  state.source = source;
  state.def = JSON.parse(engine.definition());
  state.nodes = JSON.parse(engine.nodes());
  state.byCode = new Map(state.nodes.map((n) => [n.code, n]));
  state.evidenceHints = new Map();
  const walk = (ns) => {
    for (const n of ns || []) {
      if (n.evidence && n.evidence.length) state.evidenceHints.set(n.code, n.evidence);
      walk(n.children);
    }
  };
  walk(state.def.nodes);
  try {
    localStorage.setItem('chiso.lastIndex', JSON.stringify(source.path ? { path: source.path }
      : (text.length < 2_000_000 ? { text, name: source.name } : {})));
  } catch (_) { /* storage full: not fatal */ }
  if (source.path) $('#criteria-select').value = source.path;

  // Restore the draft for this index and version, if any.
  let restored = null;
  const raw = localStorage.getItem(draftKey());
  if (raw) {
    try {
      const d = JSON.parse(raw);
      setSession(engine.session(d.assessment, 'final'));
      restored = d.savedAt;
    } catch (e) {
      const backup = `${draftKey()}#broken-${Date.now()}`;
      localStorage.setItem(backup, raw);
      msg('draftBroken', { key: backup }, 'error');
    }
  }
  if (!state.session) setSession(engine.session(JSON.stringify(blankAssessment()), 'final'));
  render();
  populate();
  refresh();
  if (restored) msg('restored', { time: new Date(restored).toLocaleString(state.lang === 'vi' ? 'vi-VN' : 'en-GB') });
  else if (!$('#message').classList.contains('error')) msg('indexLoaded', { title: tx(state.def.title, state.lang) });
  updateExampleButton();
  return true;
}

function updateExampleButton() {
  const ex = state.manifest.assessments.find((a) => a.index === state.def.id);
  const b = $('#load-example');
  b.hidden = !ex;
  b.dataset.path = ex ? ex.path : '';
}

// ---------- rendering ----------

function addFig(f) {
  state.figs.push(f);
  const k = `${f.code}|${f.field}`;
  if (!state.figIndex.has(k)) state.figIndex.set(k, []);
  state.figIndex.get(k).push(f);
}

function figure(code, field, opts = {}) {
  const el = h('span', { class: `fig fig-${field}`, dataset: { node: code, fig: field } }, '—');
  addFig({ el, code, field, last: undefined, sign: !!opts.sign });
  return el;
}

function textSlot(code, kind, tag = 'span', cls = '') {
  const el = h(tag, { class: `${kind} ${cls}`, dataset: { node: code, text: kind } });
  state.texts.push({ el, code, kind, last: undefined });
  return el;
}

function leafLayers(node) {
  return node.channel === 'survey' ? ['survey'] : ['self', 'appraisal_1', 'appraisal_2'];
}

function render() {
  const L = state.lang;
  state.figs = [];
  state.figIndex = new Map();
  state.texts = [];
  state.cells.clear();
  state.committed.clear();
  document.documentElement.lang = L;
  document.title = `${t(L, 'appTitle')} — ${tx(state.def.title, L)}`;
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(L, e.dataset.i18n);
  $('#lang-switch').setAttribute('aria-label', t(L, 'langSwitchLabel'));
  $('#index-title').textContent = tx(state.def.title, L);
  $('#index-meta').textContent = [state.def.version,
    (state.def.legal_basis || []).map((b) => b.decision).join('; ')].filter(Boolean).join(' · ');

  // Totals
  const total = (field, label, opts) => h('div', { class: `total-item total-${field}` },
    h('dt', {}, label), h('dd', {}, figure('$total', field, opts), field === 'percent' ? ' %' : ''));
  $('#totals').replaceChildren(
    total('achieved', t(L, 'total')),
    total('applicable_max', t(L, 'applicableMax')),
    total('percent', t(L, 'percent')),
    h('div', { class: 'total-item total-band' }, h('dt', {}, t(L, 'band')), h('dd', {}, textSlot('$total', 'band'))),
    total('criteria_points', t(L, 'criteriaPoints')),
    total('self_points', t(L, 'selfPoints')),
    total('appraised_points', t(L, 'appraisedPoints')),
    total('final_points', t(L, 'finalPoints')),
    ...(state.def.adjustments || []).map((a) => h('div', { class: 'total-item' },
      h('dt', {}, tx(a.title, L)), h('dd', {}, a.kind === 'penalty' ? '−' : '+', figure(`$adj:${a.code}`, 'points')))),
  );

  // Areas table and chart
  const areas = state.nodes.filter((n) => n.depth === 1);
  $('#areas').replaceChildren(h('table', { class: 'areas' },
    h('caption', { class: 'sr-only' }, t(L, 'areas')),
    h('thead', {}, h('tr', {}, ...[t(L, 'area'), t(L, 'achieved'), t(L, 'applicableMax'), '%']
      .map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, areas.map((n) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `#node-${cssId(n.code)}` }, `${n.code}. ${tx(n.title, L)}`)),
      h('td', {}, figure(n.code, 'achieved')), h('td', {}, figure(n.code, 'applicable_max')),
      h('td', {}, figure(n.code, 'percent')))))));
  renderChart(areas);

  // The criteria tree
  const form = $('#criteria');
  const parts = [];
  for (const n of state.nodes) parts.push(n.leaf ? renderLeaf(n) : renderGroup(n));
  for (const a of state.def.adjustments || []) parts.push(renderAdjustment(a));
  form.replaceChildren(...parts);
  renderPrintSheet();
  analysis.render();
}

function cssId(code) {
  return code.replace(/[^A-Za-z0-9_-]/g, '_');
}

function renderChart(areas) {
  const NS = 'http://www.w3.org/2000/svg';
  const rowH = 24;
  const labelW = 150;
  const barW = 140;
  const svg = document.createElementNS(NS, 'svg');
  const height = areas.length * rowH + 10;
  svg.setAttribute('viewBox', `0 0 ${labelW + barW + 62} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'chart');
  const title = document.createElementNS(NS, 'title');
  title.textContent = t(state.lang, 'chartTitle');
  svg.append(title);
  state.bars = [];
  areas.forEach((n, i) => {
    const y = 5 + i * rowH;
    const label = document.createElementNS(NS, 'text');
    label.setAttribute('x', 0);
    label.setAttribute('y', y + 16);
    const name = `${n.code}. ${tx(n.title, state.lang)}`;
    label.textContent = name.length > 21 ? `${name.slice(0, 20)}…` : name;
    const full = document.createElementNS(NS, 'title');
    full.textContent = name;
    label.append(full);
    const bg = document.createElementNS(NS, 'rect');
    Object.entries({ x: labelW, y: y + 3, width: barW, height: rowH - 8, class: 'bar-bg' }).forEach(([k, v]) => bg.setAttribute(k, v));
    const bar = document.createElementNS(NS, 'rect');
    Object.entries({ x: labelW, y: y + 3, width: 0, height: rowH - 8, class: 'bar' }).forEach(([k, v]) => bar.setAttribute(k, v));
    const val = document.createElementNS(NS, 'text');
    val.setAttribute('x', labelW + barW + 6);
    val.setAttribute('y', y + 16);
    val.setAttribute('data-node', n.code);
    val.setAttribute('data-fig', 'percent');
    val.setAttribute('class', 'fig');
    addFig({ el: val, code: n.code, field: 'percent', last: undefined, suffix: ' %' });
    svg.append(label, bg, bar, val);
    state.bars.push({ code: n.code, bar, width: barW });
  });
  $('#chart').replaceChildren(h('h3', {}, t(state.lang, 'chartTitle')), svg);
}

function heading(depth) {
  return `h${Math.min(2 + depth - 1, 4)}`;
}

function renderGroup(n) {
  const L = state.lang;
  return h('section', { class: `group depth-${n.depth}`, id: `node-${cssId(n.code)}`, dataset: { code: n.code } },
    h(heading(n.depth), {}, `${n.code}. ${tx(n.title, L)}`),
    h('p', { class: 'group-figs' },
      `${t(L, 'achieved')}: `, figure(n.code, 'achieved'), ' / ', figure(n.code, 'applicable_max'),
      ' (', figure(n.code, 'percent'), ' %) · ',
      `${t(L, 'selfPoints')}: `, figure(n.code, 'self_points'), ' · ',
      `${t(L, 'appraisedPoints')}: `, figure(n.code, 'appraised_points'), ' · ',
      `${t(L, 'delta')}: `, figure(n.code, 'delta', { sign: true })));
}

function renderLeaf(n) {
  const L = state.lang;
  const titleId = `title-${cssId(n.code)}`;
  const title = `${n.code}. ${tx(n.title, L)}`;
  const hints = state.evidenceHints.get(n.code);
  const naId = uid('na');
  const naReasonId = uid('nar');
  const na = h('input', {
    id: naId, type: 'checkbox', dataset: { part: 'na' },
    onchange: () => { naReason.disabled = !na.checked; commitNA(n.code); },
  });
  const naReason = h('input', {
    id: naReasonId, type: 'text', autocomplete: 'off', dataset: { part: 'na-reason' }, disabled: true,
    oninput: () => commitNA(n.code),
  });
  const layers = leafLayers(n).map((layer) => {
    const cell = layerCell(n, layer, L, () => commit(n.code, layer), title);
    state.cells.set(`${n.code}|${layer}`, cell);
    return cell.el;
  });
  const art = h('article', {
    class: `leaf depth-${n.depth}`, id: `node-${cssId(n.code)}`, 'aria-labelledby': titleId, dataset: { code: n.code },
  },
  h('header', {},
    h(heading(n.depth), { id: titleId }, title),
    h('p', { class: 'max' }, `${t(L, 'maxPoints')}: `, figure(n.code, 'max_points'))),
  n.scoring_text ? h('p', { class: 'scoring' }, h('span', { class: 'label' }, `${t(L, 'scoringText')}: `), tx(n.scoring_text, L)) : null,
  hints ? h('p', { class: 'evidence-hint' }, h('span', { class: 'label' }, `${t(L, 'evidenceHint')}: `), hints.map((x) => tx(x, L)).join('; ')) : null,
  h('p', { class: 'na' }, na, h('label', { for: naId }, t(L, 'notApplicable')), ' ',
    h('label', { for: naReasonId, class: 'sr-only' }, t(L, 'naReason')), naReason),
  h('div', { class: 'layers' }, layers),
  h('div', { class: 'outcome', 'aria-live': 'off' },
    h('p', { class: 'points' },
      h('strong', {}, `${t(L, 'achieved')}: `), figure(n.code, 'achieved'), ' / ', figure(n.code, 'applicable_max'),
      ' · ', `${t(L, 'layer_self')}: `, figure(n.code, 'self_points'),
      ' · ', `${t(L, 'appraisedPoints')}: `, figure(n.code, 'appraised_points'),
      ' · ', `${t(L, 'delta')}: `, figure(n.code, 'delta', { sign: true }),
      ' · ', textSlot(n.code, 'status', 'span', 'badge')),
    h('p', { class: 'why' }, h('span', { class: 'label' }, `${t(L, 'why')}: `), textSlot(n.code, 'explanation'), ' ',
      textSlot(n.code, 'source', 'span', 'source'))));
  art.na = na;
  art.naReason = naReason;
  return art;
}

function renderAdjustment(a) {
  const L = state.lang;
  const code = a.code;
  const node = { code, rule: { type: 'discretionary' }, accepts: ['points'], channel: 'appraised' };
  const title = `${tx(a.title, L)} (${t(L, 'cap')} ${fmt(a.cap, L)})`;
  const titleId = `title-adj-${cssId(code)}`;
  const layers = ['self', 'appraisal_1', 'appraisal_2'].map((layer) => {
    const cell = layerCell(node, layer, L, () => commit(code, layer), title);
    state.cells.set(`${code}|${layer}`, cell);
    return cell.el;
  });
  return h('article', { class: 'leaf adjustment', id: `adj-${cssId(code)}`, 'aria-labelledby': titleId, dataset: { code, adjustment: a.kind } },
    h('header', {}, h('h3', { id: titleId }, title)),
    a.scoring_text ? h('p', { class: 'scoring' }, tx(a.scoring_text, L)) : null,
    h('div', { class: 'layers' }, layers),
    h('p', { class: 'points' }, h('strong', {}, `${t(L, 'points')}: `), a.kind === 'penalty' ? '−' : '+',
      figure(`$adj:${code}`, 'points'), ' ', textSlot(`$adj:${code}`, 'source', 'span', 'source')));
}

function renderPrintSheet() {
  const L = state.lang;
  const rows = state.nodes.map((n) => h('tr', { class: `depth-${n.depth}${n.leaf ? '' : ' inner'}` },
    h('td', { class: 'stt' }, n.code),
    h('td', { class: 'crit', style: `padding-left:${0.3 + (n.depth - 1) * 0.8}em` }, tx(n.title, L)),
    h('td', { class: 'num' }, figure(n.code, 'max_points')),
    h('td', { class: 'num' }, figure(n.code, 'self_points')),
    h('td', { class: 'num' }, figure(n.code, 'appraised_points')),
    h('td', { class: 'note' }, textSlot(n.code, 'printnote'))));
  for (const a of state.def.adjustments || []) {
    const sign = a.kind === 'penalty' ? '−' : '+';
    rows.push(h('tr', { class: 'adjustment' }, h('td', {}), h('td', { class: 'crit' }, tx(a.title, L)),
      h('td', { class: 'num' }, fmt(a.cap, L)),
      h('td', { class: 'num' }, sign, figure(`$adj@self:${a.code}`, 'points')),
      h('td', { class: 'num' }, sign, figure(`$adj@appraised:${a.code}`, 'points')),
      h('td', { class: 'note' }, textSlot(`$adj:${a.code}`, 'printnote'))));
  }
  rows.push(h('tr', { class: 'total' }, h('td', {}), h('th', { scope: 'row', class: 'crit' }, t(L, 'total')),
    h('td', { class: 'num' }, figure('$total', 'applicable_max')),
    h('td', { class: 'num' }, figure('$total', 'self_points')),
    h('td', { class: 'num' }, figure('$total', 'appraised_points')),
    h('td', { class: 'note' }, `${t(L, 'finalPoints')}: `, figure('$total', 'final_points'), ' — ',
      figure('$total', 'percent'), ' % — ', textSlot('$total', 'band'))));
  $('#print-sheet').replaceChildren(
    h('h1', {}, t(L, 'printTitle')),
    h('p', { class: 'print-index' }, tx(state.def.title, L), ` (${state.def.version})`),
    textSlot('$unit', 'printunit', 'p', 'print-unit'),
    h('table', {},
      h('thead', {}, h('tr', {}, ...['stt', 'criterion', 'maxPoints', 'selfScore', 'appraisedScore', 'notes']
        .map((k) => h('th', { scope: 'col' }, t(L, k))))),
      h('tbody', {}, rows)),
    h('p', { class: 'rounding' }, t(L, 'roundingNote')));
}

// ---------- filling the form from an assessment ----------

function populate() {
  const a = currentAssessment();
  $('#unit-name').value = (a.unit && a.unit.name) || '';
  $('#unit-id').value = (a.unit && a.unit.id) || '';
  $('#unit-block').value = (a.unit && a.unit.block) || '';
  $('#year').value = a.year ?? '';
  for (const [key, cell] of state.cells) {
    const [code, layer] = key.split('|');
    const entry = (a.entries && a.entries[code]) || (a.adjustments && a.adjustments[code]) || {};
    cell.set(entry[layer] || null);
    state.committed.set(key, JSON.stringify(entry[layer] || null));
  }
  for (const art of document.querySelectorAll('#criteria article.leaf:not(.adjustment)')) {
    const entry = a.entries && a.entries[art.dataset.code];
    const reason = entry && entry.not_applicable ? entry.not_applicable.reason : null;
    art.na.checked = reason !== null;
    art.naReason.disabled = reason === null;
    art.naReason.value = reason || '';
  }
}

// ---------- edits ----------

/** Announces updated figures: `chiso:figures` on the document, detail `{kind, start}` —
 *  `quick` after an edit's total and points, `full` after the next frame's full refresh
 *  (`start`: when that refresh began). For embedders; the browser tests time keystrokes
 *  with it (tests/perf-hooks.js, injected by the tests, never shipped). */
function announce(kind, start) {
  document.dispatchEvent(new CustomEvent('chiso:figures', { detail: { kind, start } }));
}

function ancestors(code) {
  const out = [];
  let n = state.byCode.get(code);
  while (n && n.parent) {
    out.push(n.parent);
    n = state.byCode.get(n.parent);
  }
  return out;
}

/** The quick path of an edit: the session's new total and the points of the edited
 *  criterion and its parents, straight from the resident session; the full result
 *  (every column, explanation, status) follows on the next animation frame. */
function quickUpdate(code, total) {
  for (const f of state.figIndex.get('$total|achieved') || []) setFig(f, total ?? null);
  if (!state.byCode.has(code)) return;
  for (const c of [code, ...ancestors(code)]) {
    const v = state.session.points(c);
    for (const f of state.figIndex.get(`${c}|achieved`) || []) setFig(f, v ?? null);
  }
}

function scheduleRefresh() {
  if (state.refreshPending) return;
  state.refreshPending = true;
  const run = () => {
    if (!state.refreshPending) return;
    const start = performance.now();
    refresh();
    announce('full', start);
  };
  requestAnimationFrame(run);
  setTimeout(run, 100); // rAF does not run in hidden tabs
}

function commit(code, layer) {
  const key = `${code}|${layer}`;
  const cell = state.cells.get(key);
  const r = cell.read();
  if (!r.ok) {
    cell.showError(t(state.lang, r.error));
    return;
  }
  const json = JSON.stringify(r.record);
  if (state.committed.get(key) === json) {
    cell.showError(null);
    return;
  }
  try {
    const total = state.session.setLayer(code, layer, json);
    state.committed.set(key, json);
    cell.showError(null);
    quickUpdate(code, total);
  } catch (e) {
    cell.showError(errText(e));
    return;
  }
  announce('quick');
  scheduleRefresh();
  scheduleSave();
}

function commitNA(code) {
  const art = document.getElementById(`node-${cssId(code)}`);
  const reason = art.na.checked ? art.naReason.value : null;
  try {
    quickUpdate(code, state.session.setNotApplicable(code, reason));
  } catch (e) {
    msg(null);
    $('#message').textContent = errText(e);
    return;
  }
  scheduleRefresh();
  scheduleSave();
}

function commitUnit() {
  const a = currentAssessment();
  const unit = { name: $('#unit-name').value };
  if ($('#unit-id').value.trim()) unit.id = $('#unit-id').value.trim();
  if ($('#unit-block').value.trim()) unit.block = $('#unit-block').value.trim();
  a.unit = unit;
  const y = $('#year').value.trim();
  const yearErr = $('#year-error');
  if (y === '') delete a.year;
  else if (/^\d{4}$/.test(y)) a.year = Number(y);
  else {
    yearErr.hidden = false;
    yearErr.textContent = t(state.lang, 'notDecimal');
    return;
  }
  yearErr.hidden = true;
  try {
    setSession(state.engine.session(JSON.stringify(a), 'final'));
    for (const key of state.cells.keys()) {
      const [code, layer] = key.split('|');
      const e = (a.entries && a.entries[code]) || (a.adjustments && a.adjustments[code]) || {};
      state.committed.set(key, JSON.stringify(e[layer] || null));
    }
  } catch (e) {
    msg(null);
    $('#message').textContent = errText(e);
    return;
  }
  refresh();
  scheduleSave();
}

// ---------- showing the engine's figures ----------

function setFig(f, value) {
  if (f.last === value) return;
  f.last = value;
  const text = fmt(value, state.lang, { sign: f.sign }) + (f.suffix && value !== null ? f.suffix : '');
  f.el.textContent = text;
  if (value === null) {
    f.el.removeAttribute('data-exact');
  } else {
    f.el.setAttribute('data-exact', value);
    if (f.el.setAttribute) f.el.setAttribute('title', value);
  }
}

function statusText(st) {
  if (!st) return '';
  if (st.status === 'evidence_missing') return t(state.lang, st.explained ? 'status_evidence_missing_explained' : 'status_evidence_missing');
  return t(state.lang, `status_${st.status}`);
}

state.refreshNow = () => refresh();

function refresh() {
  state.refreshPending = false;
  const res = JSON.parse(state.session.result('final'));
  state.result = res;
  const L = state.lang;
  const byCode = new Map(res.nodes.map((n) => [n.code, n]));
  const adj = new Map((res.adjustments || []).map((a) => [`$adj:${a.code}`, a]));
  for (const f of state.figs) {
    let v;
    if (f.code.startsWith('$adj@')) continue; // per-view adjustment points: filled when saving
    if (f.code === '$total') v = res.total[f.field];
    else if (f.code.startsWith('$adj:')) v = (adj.get(f.code) || {})[f.field];
    else v = (byCode.get(f.code) || {})[f.field];
    setFig(f, v === undefined ? null : v);
  }
  for (const s of state.texts) {
    let v = '';
    if (s.kind === 'printnote' || s.code === '$unit') continue; // filled when saving
    if (s.code === '$total' && s.kind === 'band') v = res.total.band ? `${res.total.band.code} — ${tx(res.total.band.label, L)}` : '—';
    else if (s.code.startsWith('$adj:')) {
      const a = adj.get(s.code);
      v = a && a.source ? `(${t(L, 'fromLayer')} ${t(L, `layer_${a.source}`)})` : '';
    } else {
      const n = byCode.get(s.code);
      if (!n) continue;
      if (s.kind === 'status') v = statusText(n.status);
      else if (s.kind === 'explanation') v = tx(n.explanation, L) || '—';
      else if (s.kind === 'source') v = n.source ? `(${t(L, 'fromLayer')} ${t(L, `layer_${n.source}`)})` : '';
    }
    if (s.last !== v) {
      s.last = v;
      s.el.textContent = v;
      if (s.kind === 'status') s.el.dataset.status = (byCode.get(s.code) || {}).status ? byCode.get(s.code).status.status : '';
    }
  }
  for (const b of state.bars || []) {
    const p = (byCode.get(b.code) || {}).percent;
    // Bar length is graphics only; the figure next to it is the engine's string.
    const w = p === null || p === undefined ? 0 : Math.max(0, Math.min(100, parseFloat(p))) * b.width / 100;
    b.bar.setAttribute('width', String(w));
  }
  renderTodo(res);
  analysis.update();
}

function renderTodo(res) {
  // What is still missing, per area, from the engine's statuses.
  const L = state.lang;
  const areaOf = (code) => { const up = ancestors(code); return up.length ? up[up.length - 1] : code; };
  const groups = new Map();
  for (const n of res.nodes) {
    if (!n.leaf) continue;
    const st = n.status && n.status.status;
    let kind = null;
    if (st === 'evidence_missing') kind = n.status.explained ? 'lacking' : 'explain';
    else if (st === 'missing') kind = 'missing';
    if (!kind) continue;
    const area = areaOf(n.code);
    if (!groups.has(area)) groups.set(area, []);
    groups.get(area).push([kind, n]);
  }
  const key = JSON.stringify([L, [...groups].map(([a, xs]) => [a, xs.map(([k, n]) => k + n.code)])]);
  if (state.todoKey === key) return;
  state.todoKey = key;
  const label = { explain: t(L, 'needsExplanation'), lacking: `${t(L, 'lacksEvidence')} (${t(L, 'explained')})`, missing: t(L, 'notScored') };
  const parts = [...groups].map(([area, xs]) => {
    const a = state.byCode.get(area);
    return h('div', { class: 'todo', dataset: { area } },
      h('h3', {}, a ? `${a.code}. ${tx(a.title, L)}` : area),
      h('ul', {}, xs.map(([kind, n]) => h('li', { class: kind, dataset: { code: n.code, kind } },
        h('a', { href: `#node-${cssId(n.code)}` }, `${n.code}. ${tx(n.title, L)}`), ' — ', h('span', { class: 'kind' }, label[kind])))));
  });
  $('#todo').replaceChildren(h('h2', {}, t(L, 'todo')), ...(parts.length ? parts : [h('p', {}, t(L, 'nothingMissing'))]));
}

function fillPrintNotes(a) {
  const L = state.lang;
  for (const s of state.texts) {
    if (s.kind === 'printunit') {
      s.el.textContent = `${t(L, 'unit')}: ${(a.unit && a.unit.name) || '…'}${a.year ? ` — ${t(L, 'year')}: ${a.year}` : ''}`;
      continue;
    }
    if (s.kind !== 'printnote') continue;
    const e = (s.code.startsWith('$adj:') ? (a.adjustments || {})[s.code.slice(5)] : (a.entries && a.entries[s.code])) || {};
    const notes = [];
    if (e.not_applicable) notes.push(`${t(L, 'notApplicable')}: ${e.not_applicable.reason}`);
    for (const layer of ['self', 'appraisal_1', 'appraisal_2', 'survey']) {
      if (e[layer] && e[layer].note) notes.push(e[layer].note);
    }
    const n = state.result && state.result.nodes.find((x) => x.code === s.code);
    if (n && n.leaf && n.status && n.status.status !== 'scored' && n.status.status !== 'not_applicable') notes.push(statusText(n.status));
    const v = notes.join('\n');
    if (s.last !== v) { s.last = v; s.el.textContent = v; }
  }
  // Bonus and penalty as the self-assessment and the appraisal give them.
  for (const view of ['self', 'appraised']) {
    const res = JSON.parse(state.session.result(view));
    for (const x of res.adjustments || []) {
      for (const f of state.figIndex.get(`$adj@${view}:${x.code}|points`) || []) setFig(f, x.points);
    }
  }
}

// ---------- draft, export, import ----------

function scheduleSave() {
  state.dirty = true;
  clearTimeout(state.saveTimer);
  state.saveTimer = setTimeout(saveNow, 250);
}

state.flushSave = () => saveNow();

function saveNow() {
  clearTimeout(state.saveTimer);
  if (!state.session) return;
  if (state.refreshPending) refresh();
  const text = state.session.assessment();
  const savedAt = new Date().toISOString();
  try {
    localStorage.setItem(draftKey(), JSON.stringify({ savedAt, assessment: text }));
    state.dirty = false;
    $('#saved').textContent = `${t(state.lang, 'savedAt')} ${new Date(savedAt).toLocaleTimeString(state.lang === 'vi' ? 'vi-VN' : 'en-GB')}`;
    $('#saved').dataset.savedAt = savedAt;
  } catch (e) {
    $('#saved').textContent = String(e);
  }
  fillPrintNotes(JSON.parse(text));
  renderWarnings(text);
}

function renderWarnings(text) {
  // Warnings (never errors: those are refused at entry) in both languages, from the engine.
  const L = state.lang;
  const ds = JSON.parse(state.engine.validate(text));
  const box = $('#warnings');
  box.hidden = ds.length === 0;
  box.replaceChildren(h('h3', {}, t(L, 'warnings')), h('ul', {}, ds.map((d) => h('li', { dataset: { code: d.code } },
    `${d.criterion ? `${d.criterion}: ` : ''}${L === 'en' ? d.en : d.vi}`))));
}

function exportJson() {
  const a = currentAssessment();
  const text = `${JSON.stringify(a, null, 2)}\n`;
  const name = `${state.def.id}${a.unit && a.unit.id ? `-${a.unit.id}` : ''}.assessment.json`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  msg('exported', { file: name });
}

function hasWork() {
  const a = currentAssessment();
  return Object.keys(a.entries || {}).length > 0 || Object.keys(a.adjustments || {}).length > 0;
}

/** Imports an assessment's text; refuses (changing nothing) when it is for another index or invalid. */
function importText(text, name) {
  const L = state.lang;
  const refuse = (reason) => {
    msg('importRefused', { file: name, reason }, 'error');
    return false;
  };
  const diags = locatedDiagnostics(JSON.parse(state.engine.validate(text)),
    () => JSON.parse(fullEngine(state.engine).validate(text)));
  const errors = diags.filter((d) => d.severity === 'error');
  if (errors.length) {
    const mismatch = errors.find((d) => d.code === 'index_mismatch');
    const otherVersion = errors.find((d) => d.code === 'index_version_mismatch');
    if (!mismatch && otherVersion) {
      let found = '?';
      try { found = JSON.parse(text).index_version; } catch (_) { /* keep ? */ }
      return refuse(t(L, 'importOtherVersion', { found, expected: state.def.version, index: state.def.id }));
    }
    const syntax = errors.find((d) => d.code === 'syntax' || d.code === 'structure');
    if (mismatch) {
      let found = '?';
      try { found = JSON.parse(text).index; } catch (_) { /* keep ? */ }
      return refuse(t(L, 'importOther', { found, expected: state.def.id, version: state.def.version }));
    }
    if (syntax) return refuse(t(L, 'importSyntax', { detail: L === 'en' ? syntax.en : syntax.vi }));
    const first = errors[0];
    return refuse(t(L, 'importInvalid', { n: errors.length, first: `${first.path}${first.criterion ? ` [${first.criterion}]` : ''}: ${L === 'en' ? first.en : first.vi}` }));
  }
  let next;
  try {
    next = state.engine.session(text, 'final');
  } catch (e) {
    return refuse(errText(located(e, () => fullEngine(state.engine).session(text, 'final').free())));
  }
  if (hasWork() && !window.confirm(t(L, 'confirmReplace'))) {
    next.free();
    return false;
  }
  setSession(next);
  populate();
  refresh();
  saveNow();
  msg('importOk', { file: name });
  return true;
}

function clearAll() {
  if (!window.confirm(t(state.lang, 'confirmClear'))) return;
  setSession(state.engine.session(JSON.stringify(blankAssessment()), 'final'));
  localStorage.removeItem(draftKey());
  populate();
  refresh();
  fillPrintNotes(currentAssessment());
  $('#saved').textContent = '';
  msg('cleared');
}

// ---------- start ----------

function switchLang() {
  state.lang = state.lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('chiso.lang', state.lang);
  const keep = $('#criteria-select').value;
  const opts = [...$('#criteria-select').options];
  opts.forEach((o, i) => { const ix = state.manifest.indexes[i]; if (ix) o.textContent = `${tx(ix.title, state.lang)} — ${ix.version}`; });
  $('#criteria-select').value = keep;
  render();
  populate();
  refresh();
  saveNow();
  // The records and SIPAS panels (panels.js) follow the page's language.
  document.dispatchEvent(new CustomEvent('chiso:lang', { detail: state.lang }));
  $('#lang-switch').focus();
}

async function main() {
  $('#loading').textContent = t(state.lang, 'loading');
  // The module, the list of criteria sets and then the index file download together
  // (first paint on a slow network), instead of one after the other.
  // The problem messages' catalog is served beside the module (not embedded in it); until
  // it arrives, or if it cannot be read, a problem is worded by its stable code.
  const messages = fetch('messages.json').then((r) => (r.ok ? r.text() : null)).catch(() => null);
  const wasm = Promise.all([init(), messages]).then(([, text]) => { if (text !== null) setMessages(text); });
  wasm.catch(() => { /* thrown below, by await */ });
  await loadManifest();
  const params = new URLSearchParams(location.search);
  let last = null;
  try { last = JSON.parse(localStorage.getItem('chiso.lastIndex') || 'null'); } catch (_) { /* ignore */ }
  const wanted = params.get('index') || (last && last.path)
    || (state.manifest.indexes.find((x) => x.id === 'par-example-department') || state.manifest.indexes[0] || {}).path;
  const fromDraft = !params.get('index') && last && last.text;
  const pending = !fromDraft && wanted ? fetchText(wanted) : null;
  if (pending) pending.catch(() => { /* reported when opened */ });
  await wasm;
  $('#lang-switch').addEventListener('click', switchLang);
  $('#open-selected').addEventListener('click', () => openFromManifest($('#criteria-select').value).catch((e) => msg('indexError', { msg: errText(e) }, 'error')));
  $('#open-index-btn').addEventListener('click', () => $('#open-index').click());
  $('#open-index').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    if (f) openIndexText(await f.text(), { name: f.name });
    ev.target.value = '';
  });
  $('#export').addEventListener('click', exportJson);
  $('#import-btn').addEventListener('click', () => $('#import').click());
  $('#import').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    if (f) importText(await f.text(), f.name);
    ev.target.value = '';
  });
  $('#load-example').addEventListener('click', async (ev) => {
    const path = ev.currentTarget.dataset.path;
    const r = await fetch(path);
    importText(await r.text(), path.split('/').pop());
  });
  $('#clear').addEventListener('click', clearAll);
  $('#print').addEventListener('click', () => { saveNow(); window.print(); });
  for (const id of ['#unit-name', '#unit-id', '#unit-block', '#year']) $(id).addEventListener('input', commitUnit);
  window.addEventListener('beforeprint', saveNow);
  window.addEventListener('pagehide', () => { if (state.dirty) saveNow(); });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden' && state.dirty) saveNow(); });

  if (fromDraft) openIndexText(last.text, { name: last.name });
  else if (wanted) await openFromManifest(wanted, pending);
  $('#loading').remove();
  // First paint: the criteria tree and its figures, with the form's module only.
  document.body.dataset.painted = 'true';
  // The analysis panels' module (what-if, plan) follows; `ready` once it is there too.
  await loadAnalysis();
  if (state.def) analysis.render();
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  const box = $('#message');
  box.textContent = `${t(state.lang, 'indexError', { msg: errText(e) })}`;
  box.className = 'message no-print error';
  document.body.dataset.ready = 'error';
});
