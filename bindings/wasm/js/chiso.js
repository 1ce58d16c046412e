// chiso for JavaScript: a typed wrapper over the wasm-bindgen module (pkg/web).
// Documents go in as objects or JSON text and come out as objects; every decimal is a
// string ("3.7"), never a JavaScript number. Errors are `Error`s with `code`, `path`,
// `criterion`, `messageVi`, `messageEn` and `diagnostics`.
//
// Three modules, so the form's first load stays small (pkg/web/chiso_wasm*, its limit in
// size.test.mjs): what-if, plan, headroom, scenarios, sensitivity and explain are in a
// second module (pkg/web/chiso_analysis*, loaded by `readyAnalysis()`), dossier records (QĐ 766)
// and SIPAS answer sheets in a third (pkg/web/chiso_records*, loaded by `readyRecords()`).
// The JSON Schemas are files beside them (pkg/schemas/<name>.schema.json), read by `schema()`,
// and so is the problem messages' catalog (pkg/web/messages.json), read by `ready()`.
import init, { Engine, setMessages, version as rawVersion } from '../pkg/web/chiso_wasm.js';

const text = (doc) => (typeof doc === 'string' ? doc : JSON.stringify(doc));

function notReady(what, vi, en) {
  const e = new Error(en);
  e.name = 'ChisoError';
  e.code = 'not_ready';
  e.path = '$';
  e.criterion = null;
  e.messageVi = vi;
  e.messageEn = en;
  e.diagnostics = [];
  e.what = what;
  return e;
}

/** Loads the WASM module once; pass bytes, a URL or a `WebAssembly.Module` outside browsers.
 *  The problem messages' catalog, which the form's module does not embed, is read beside it
 *  at the same time; without it a problem is worded by its stable code. */
export async function ready(source) {
  const [, messages] = await Promise.all([
    init(source === undefined ? undefined : { module_or_path: source }),
    besideText(new URL('../pkg/web/messages.json', import.meta.url)).catch(() => null),
  ]);
  if (messages !== null) setMessages(messages);
}

/** The engine's version. */
export const version = () => rawVersion();

const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node);

/** A file served beside the modules: fetched in browsers, read from disk in Node. */
async function besideText(url) {
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return readFile(url, 'utf8');
  }
  const r = await fetch(url);
  if (!r.ok) throw new Error(String(r.status));
  return r.text();
}

/** The JSON Schema of a document kind (`index`, `assessment`, `result`, …), read from
 *  pkg/schemas/ beside the modules (fetched in browsers, read from disk in Node). */
export async function schema(name) {
  if (!/^[a-z][a-z0-9-]*$/.test(String(name))) {
    const e = notReady('schema', `tên lược đồ "${name}" không hợp lệ`, `invalid schema name "${name}"`);
    e.code = 'usage';
    e.path = 'name';
    throw e;
  }
  const url = new URL(`../pkg/schemas/${name}.schema.json`, import.meta.url);
  let body;
  try {
    body = await besideText(url);
  } catch {
    const e = notReady('schema', `không có lược đồ "${name}"`, `no schema named "${name}"`);
    e.code = 'usage';
    e.path = 'name';
    throw e;
  }
  return JSON.parse(body);
}

// ---------- the analysis module: what-if, plan, headroom, scenarios, sensitivity, explain ----------

let analysis = null;

/** Loads the analysis module once (a second WASM module); pass bytes, a URL or a
 *  `WebAssembly.Module` outside browsers. `Index`'s analysis calls throw until it is loaded;
 *  once it is, shape errors of `Index.load` and `validate` name their exact JSON path. */
export async function readyAnalysis(source) {
  if (analysis) return;
  const m = await import('../pkg/web/chiso_analysis.js');
  await m.default(source === undefined ? undefined : { module_or_path: source });
  analysis = m;
}

function needAnalysis() {
  if (analysis) return analysis;
  throw notReady('analysis', 'chưa nạp mô-đun phân tích: gọi readyAnalysis() trước',
    'call readyAnalysis() first: the analysis module is not loaded');
}

/** The form module reads files without path tracking: a shape error is `unlocated`; the
 *  analysis module (when loaded) gives the same error with its exact JSON path. */
function located(e, again) {
  if (!e || !e.unlocated || !analysis) return e;
  try { again(); } catch (exact) { return exact; }
  return e;
}

/** A resident assessment: single changes re-score in microseconds. */
export class Session {
  constructor(raw) { this.raw = raw; }
  total() { return this.raw.total() ?? null; }
  points(code) { return this.raw.points(code) ?? null; }
  setValue(code, layer, value) { return this.raw.setValue(code, layer, value === null ? 'null' : text(value)) ?? null; }
  setLayer(code, layer, record) { return this.raw.setLayer(code, layer, record === null ? 'null' : text(record)) ?? null; }
  setNotApplicable(code, reason) { return this.raw.setNotApplicable(code, reason ?? null) ?? null; }
  assessment() { return JSON.parse(this.raw.assessment()); }
  result(view = 'final') { return JSON.parse(this.raw.result(view)); }
  free() { this.raw.free(); }
}

/** A loaded, validated index. */
export class Index {
  constructor(raw, source) { this.raw = raw; this.source = source; this.full = null; }
  static load(definition) {
    const source = text(definition);
    try {
      return new Index(Engine.load(source), source);
    } catch (e) {
      throw located(e, () => needAnalysis().Engine.load(source).free());
    }
  }
  get id() { return this.raw.id; }
  definition() { return JSON.parse(this.raw.definition()); }
  nodes() { return JSON.parse(this.raw.nodes()); }
  warnings() { return JSON.parse(this.raw.warnings()); }
  validate(assessment) {
    const a = text(assessment);
    const ds = JSON.parse(this.raw.validate(a));
    return ds.some((d) => d.unlocated) && analysis ? JSON.parse(this.analysis().validate(a)) : ds;
  }
  score(assessment, view = 'final') {
    const a = text(assessment);
    try {
      return JSON.parse(this.raw.score(a, view));
    } catch (e) {
      throw located(e, () => this.analysis().score(a, view));
    }
  }
  session(assessment, view = 'final') {
    const a = text(assessment);
    try {
      return new Session(this.raw.session(a, view));
    } catch (e) {
      throw located(e, () => this.analysis().session(a, view).free());
    }
  }
  /** The same index in the analysis module (loaded from its text on first use). */
  analysis() {
    if (!this.full) this.full = needAnalysis().Engine.load(this.source);
    return this.full;
  }
  explain(assessment, code, lang = 'vi') { return JSON.parse(this.analysis().explain(text(assessment), code, lang)); }
  whatIf(assessment, overrides, view = 'final') { return JSON.parse(this.analysis().whatIf(text(assessment), text(overrides), view)); }
  /** Scenario files (`chiso.scenario/1`) applied in order: the `chiso.whatif/1` document. */
  scenarios(assessment, scenarios) { return JSON.parse(this.analysis().scenarios(text(assessment), scenarios.map(text))); }
  /** Least-cost plan to a target ({kind:'band',code:'A'} | {kind:'percent',value:'90'} | {kind:'points',value:'85'}). */
  plan(assessment, target, costs = null, view = 'final') { return JSON.parse(this.analysis().plan(text(assessment), text(target), costs === null ? null : text(costs), view)); }
  /** Points still available per leaf, sorted, with the next step. */
  headroom(assessment, costs = null, view = 'final') { return JSON.parse(this.analysis().headroom(text(assessment), costs === null ? null : text(costs), view)); }
  /** Rank intervals and sensitivity indices of a batch (units CSV text, `chiso.sensitivity/1` spec), single-threaded. */
  sensitivity(unitsCsv, spec) { return JSON.parse(this.analysis().sensitivity(unitsCsv, text(spec))); }
  free() {
    this.raw.free();
    if (this.full) this.full.free();
    this.full = null;
  }
}

// ---------- the second module: dossier records and SIPAS answer sheets ----------

let extra = null;

/** Loads the records and survey module once (a second WASM module); pass bytes, a URL or a
 *  `WebAssembly.Module` outside browsers. The calls below throw until it is loaded. */
export async function readyRecords(source) {
  if (extra) return;
  const m = await import('../pkg/web/chiso_records.js');
  await m.default(source === undefined ? undefined : { module_or_path: source });
  extra = m;
}

function need() {
  if (extra) return extra;
  throw notReady('records', 'chưa nạp mô-đun hồ sơ và khảo sát: gọi readyRecords() trước',
    'call readyRecords() first: the records and survey module is not loaded');
}

/** `chiso records --format json`: the `chiso.records/1` document of a dossier export's text. */
export function records(dossiers, options) {
  return JSON.parse(need().records(dossiers, text(options)));
}

/** `chiso records --explain <MaHoSo> --format json`: one dossier's explanation. */
export function explainDossier(dossiers, options, maHoSo) {
  return JSON.parse(need().explainDossier(dossiers, text(options), maHoSo));
}

/** A records run kept resident: the document, explanations and full scores without re-counting. */
export class Records {
  constructor(raw) { this.raw = raw; }
  static analyse(dossiers, options) { return new Records(need().Records.analyse(dossiers, text(options))); }
  document() { return JSON.parse(this.raw.document()); }
  explain(maHoSo) { return JSON.parse(this.raw.explain(maHoSo)); }
  result(unit, period) { return JSON.parse(this.raw.result(unit, period)); }
  free() { this.raw.free(); }
}

/** `100 × numerator / denominator` of whole numbers, exact, as a decimal string (null when the
 *  denominator is 0): an indicator's ratio without dividing in JavaScript. */
export function ratioPercent(numerator, denominator) {
  return need().ratioPercent(String(numerator), String(denominator)) ?? null;
}

/** `chiso survey --format json`: the `chiso.survey-result/1` document of an answer sheet. */
export function survey(definition, answers, options = {}) {
  return JSON.parse(need().survey(text(definition), answers, text(options)));
}
