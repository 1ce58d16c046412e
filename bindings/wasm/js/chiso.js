// chiso for JavaScript: a typed wrapper over the wasm-bindgen module (pkg/web).
// Documents go in as objects or JSON text and come out as objects; every decimal is a
// string ("3.7"), never a JavaScript number. Errors are `Error`s with `code`, `path`,
// `criterion`, `messageVi`, `messageEn` and `diagnostics`.
//
// Dossier records (QĐ 766) and SIPAS answer sheets live in a second module
// (pkg/web/chiso_records*), loaded only by `readyRecords()`: the form's first load stays small.
import init, { Engine, schema as rawSchema, version as rawVersion } from '../pkg/web/chiso_wasm.js';

const text = (doc) => (typeof doc === 'string' ? doc : JSON.stringify(doc));

/** Loads the WASM module once; pass bytes, a URL or a `WebAssembly.Module` outside browsers. */
export async function ready(source) {
  await init(source === undefined ? undefined : { module_or_path: source });
}

/** The engine's version. */
export const version = () => rawVersion();

/** The JSON Schema of a document kind (`index`, `assessment`, `result`, …). */
export const schema = (name) => JSON.parse(rawSchema(name));

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
  constructor(raw) { this.raw = raw; }
  static load(definition) { return new Index(Engine.load(text(definition))); }
  get id() { return this.raw.id; }
  definition() { return JSON.parse(this.raw.definition()); }
  nodes() { return JSON.parse(this.raw.nodes()); }
  warnings() { return JSON.parse(this.raw.warnings()); }
  validate(assessment) { return JSON.parse(this.raw.validate(text(assessment))); }
  score(assessment, view = 'final') { return JSON.parse(this.raw.score(text(assessment), view)); }
  explain(assessment, code, lang = 'vi') { return JSON.parse(this.raw.explain(text(assessment), code, lang)); }
  whatIf(assessment, overrides, view = 'final') { return JSON.parse(this.raw.whatIf(text(assessment), text(overrides), view)); }
  session(assessment, view = 'final') { return new Session(this.raw.session(text(assessment), view)); }
  /** Scenario files (`chiso.scenario/1`) applied in order: the `chiso.whatif/1` document. */
  scenarios(assessment, scenarios) { return JSON.parse(this.raw.scenarios(text(assessment), scenarios.map(text))); }
  /** Least-cost plan to a target ({kind:'band',code:'A'} | {kind:'percent',value:'90'} | {kind:'points',value:'85'}). */
  plan(assessment, target, costs = null, view = 'final') { return JSON.parse(this.raw.plan(text(assessment), text(target), costs === null ? null : text(costs), view)); }
  /** Points still available per leaf, sorted, with the next step. */
  headroom(assessment, costs = null, view = 'final') { return JSON.parse(this.raw.headroom(text(assessment), costs === null ? null : text(costs), view)); }
  /** Rank intervals and sensitivity indices of a batch (units CSV text, `chiso.sensitivity/1` spec), single-threaded. */
  sensitivity(unitsCsv, spec) { return JSON.parse(this.raw.sensitivity(unitsCsv, text(spec))); }
  free() { this.raw.free(); }
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
  const e = new Error('call readyRecords() first: the records and survey module is not loaded');
  e.name = 'ChisoError';
  e.code = 'not_ready';
  e.path = '$';
  e.criterion = null;
  e.messageVi = 'chưa nạp mô-đun hồ sơ và khảo sát: gọi readyRecords() trước';
  e.messageEn = e.message;
  e.diagnostics = [];
  throw e;
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
