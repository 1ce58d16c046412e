// Types of chiso's JavaScript API (wrapper in chiso.js; the raw wasm-bindgen API with
// JSON text in and out is declared in pkg/*/chiso_wasm.d.ts).

/** An exact decimal written as a string, e.g. "3.70". Never a JS number. */
export type Dec = string;
export interface Text { vi: string; en?: string }
export type View = 'self' | 'appraised' | 'final';
export type LayerKey = 'self' | 'appraisal_1' | 'appraisal_2' | 'survey';
export type Lang = 'vi' | 'en';

/** A value for a leaf, as its rule needs it. */
export type Value =
  | { yes_no: boolean }
  | { conditions: Record<string, boolean> }
  | { option: string }
  | { number: Dec }
  | { percent: Dec }
  | { ratio: { numerator: Dec; denominator: Dec } }
  | { counts: Record<string, Dec> }
  | { answers: Record<string, Dec> }
  | { points: Dec };

export interface EvidenceRef { title: string; number?: string; link?: string }
export interface LayerEntry { value: Value; evidence?: EvidenceRef[]; note?: string; explanation?: string }
export interface Entry {
  not_applicable?: { reason: string };
  self?: LayerEntry; appraisal_1?: LayerEntry; appraisal_2?: LayerEntry; survey?: LayerEntry;
}
export interface Assessment {
  format: 'chiso.assessment/1';
  index: string;
  unit: { name: string; id?: string; block?: string };
  year?: number | null;
  entries?: Record<string, Entry>;
  adjustments?: Record<string, Entry>;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable machine code, e.g. "unknown_code", "out_of_range", "syntax". */
  code: string;
  path: string;
  criterion: string | null;
  file: string | null;
  vi: string;
  en: string;
  /** Row of a record file (dossiers, answer sheet), when the problem is in one. */
  row?: number;
  /** Column of a record file, when known. */
  column?: string;
  /** The record's key: MaHoSo of a dossier, respondent id of an answer sheet. */
  record?: string;
  /** A shape error the form module read without path tracking (path `$`); the analysis
   *  module's same call names the exact path (the wrapper asks it once `readyAnalysis()`). */
  unlocated?: true;
}

/** What every failing call throws. */
export interface ChisoError extends Error {
  name: 'ChisoError';
  code: string;
  path: string;
  criterion: string | null;
  messageVi: string;
  messageEn: string;
  diagnostics: Diagnostic[];
  /** The first error is a shape error read without path tracking (see Diagnostic.unlocated). */
  unlocated?: boolean;
}

/** A scoring rule; see criteria/schema/index.schema.json for every field. */
export interface Rule { type: 'yes_no' | 'timeliness' | 'tiers' | 'proportional' | 'levels' | 'deductions' | 'discretionary' | 'survey' | 'score'; [field: string]: unknown }

export interface NodeInfo {
  code: string; parent: string | null; depth: number; leaf: boolean; title: Text;
  max_points: Dec | null; channel: 'appraised' | 'survey'; evidence_required: boolean;
  rule: Rule | null; accepts: string[]; scoring_text: Text | null; path: string;
}

export type Status =
  | { status: 'scored' } | { status: 'missing' } | { status: 'not_applicable' }
  | { status: 'evidence_missing'; explained: boolean };

export interface NodeResult {
  code: string; title: Text; depth: number; parent: string | null; leaf: boolean;
  channel: 'appraised' | 'survey'; max_points: Dec | null; applicable_max: Dec | null;
  achieved: Dec | null; percent: Dec | null; self_points: Dec | null; appraised_points: Dec | null;
  final_points: Dec | null; delta: Dec | null; status: Status; source: LayerKey | null;
  explanation: Text | null; scoring_text: Text | null;
}

export interface Total {
  criteria_points: Dec | null; achieved: Dec | null; applicable_max: Dec | null; max_points: Dec | null;
  percent: Dec | null; band: { code: string; label: Text } | null;
  self_points: Dec | null; appraised_points: Dec | null; final_points: Dec | null; status: Status;
}

export interface ScoreResult {
  format: 'chiso.result/1'; index: string; index_version: string;
  unit: Assessment['unit']; year: number | null; view: View; total: Total; nodes: NodeResult[];
  adjustments: { code: string; title: Text; kind: 'bonus' | 'penalty'; cap: Dec; points: Dec; source: LayerKey | null }[];
  diagnostics: unknown[];
}

/** A what-if edit (chiso::scenario::Edit). */
export interface Override {
  code: string; layer?: LayerKey; value?: Value; not_applicable?: string; applicable?: boolean; clear?: boolean;
}
export interface WhatIf {
  baseline: Total; scenario: Total; delta: Dec | null;
  nodes: { code: string; before: Dec | null; after: Dec | null; delta: Dec | null }[];
  assessment: Assessment;
}
export interface Explained {
  node: NodeResult; entry: Entry | null;
  /** One line: code, title, points/maximum — explanation (the library's chiso::explain::line). */
  text: string;
  /** The full explanation, as `chiso explain` prints it. */
  detail: string;
}

/** Loads the form's module and, in parallel, the problem messages' catalog served beside it
 *  (`pkg/web/messages.json`, handed to the module with `setMessages`). Without the catalog
 *  (not found) every error and warning still carries its stable code, which then stands in
 *  for the wording of the problem in its `vi`/`en` messages. */
export function ready(source?: BufferSource | URL | string | WebAssembly.Module): Promise<void>;
export function version(): string;
/** The JSON Schema of a document kind, read from pkg/schemas/ beside the modules. */
export function schema(name: string): Promise<object>;
/** Loads the analysis module (pkg/web/chiso_analysis*) once: explain, whatIf, scenarios, plan,
 *  headroom and sensitivity need it; with it, unlocated shape errors name their exact path. */
export function readyAnalysis(source?: BufferSource | URL | string | WebAssembly.Module): Promise<void>;

export class Session {
  /** Current total (exact) or null while values are missing under the propagate policy. */
  total(): Dec | null;
  points(code: string): Dec | null;
  /** Sets one value and returns the new total; throws ChisoError and changes nothing on bad input. */
  setValue(code: string, layer: LayerKey, value: Value | string | null): Dec | null;
  setLayer(code: string, layer: LayerKey, record: LayerEntry | string | null): Dec | null;
  setNotApplicable(code: string, reason: string | null): Dec | null;
  assessment(): Assessment;
  result(view?: View): ScoreResult;
  free(): void;
}

export class Index {
  static load(definition: object | string): Index;
  readonly id: string;
  definition(): object;
  nodes(): NodeInfo[];
  warnings(): Diagnostic[];
  validate(assessment: Assessment | string): Diagnostic[];
  score(assessment: Assessment | string, view?: View): ScoreResult;
  explain(assessment: Assessment | string, code: string, lang?: Lang): Explained;
  whatIf(assessment: Assessment | string, overrides: Override[] | string, view?: View): WhatIf;
  session(assessment: Assessment | string, view?: View): Session;
  /** `chiso.whatif/1` (schema: `schema('whatif')`). */
  scenarios(assessment: Assessment | string, scenarios: (object | string)[]): object;
  /** `chiso.plan/1` (schema: `schema('plan')`). */
  plan(assessment: Assessment | string, target: PlanTarget | string, costs?: object | string | null, view?: View): object;
  /** `chiso.headroom/1` (schema: `schema('headroom')`). */
  headroom(assessment: Assessment | string, costs?: object | string | null, view?: View): object;
  /** Sensitivity report (spec schema: `schema('sensitivity')`). */
  sensitivity(unitsCsv: string, spec: object | string): object;
  free(): void;
}

export type PlanTarget =
  | { kind: 'band'; code: string }
  | { kind: 'percent'; value: Dec }
  | { kind: 'points'; value: Dec };

// ---------- dossier records (QĐ 766) and SIPAS answer sheets: the second module ----------

/** Loads the records and survey module (pkg/web/chiso_records*) once. */
export function readyRecords(source?: BufferSource | URL | string | WebAssembly.Module): Promise<void>;

/** Records policies (reference service-index-766.md §11.3); unnamed ones keep the formula document's default. */
export interface RecordsPolicies {
  end_event?: 'processing_end' | 'result_returned';
  comparison?: 'timestamp' | 'calendar_date';
  withdrawn?: 'judged_by_end' | 'on_time' | 'excluded';
  supplements?: 'pause_clock' | 'waiting_on_time';
  repeated_supplements?: 'overdue' | 'pause_each';
  missing_due?: 'maximum_time' | 'on_time';
  open_at_end?: 'not_overdue_at_end' | 'due_date_on_or_after_last_day';
  finished?: 'end_status' | 'end_time_given';
  finished_after_period?: 'open_at_period_end' | 'actual_end';
  calendar_days_skip_holidays?: boolean;
  electronic_result?: 'file_attached' | 'file_attached_and_signed';
}

/** Options of a records run, named like `chiso records`' flags. */
export interface RecordsOptions {
  /** `2026`, `2026-Q3`, `2026-05` or `2026-01..2026-09`. */
  period: string;
  /** Default: from `source`'s extension (.jsonl/.ndjson/.json → JSON lines), else CSV. */
  format?: 'csv' | 'jsonl';
  /** The file's name in messages and in the document (default `dossiers.csv`). */
  source?: string;
  by?: 'month' | 'quarter' | 'year' | 'whole';
  /** `all` (default), `leaves` or a depth (`'1'`). */
  unit_level?: string;
  policies?: RecordsPolicies;
  /** A `chiso.records-mapping/1` document. */
  mapping?: { format: 'chiso.records-mapping/1'; columns?: Record<string, string>; ignore?: string[]; values?: Record<string, Record<string, string>> };
  /** Evaluate open dossiers as of the end of this day (`YYYY-MM-DD`) or this time. */
  as_of?: string;
  /** The index to score with (object or JSON text); default the shipped six-group portal index. */
  index?: object | string | null;
  /** Text of a values CSV (`unit`, leaf codes) for the indicators records cannot give. */
  values?: string | null;
  /** List the dossiers that cost points, this many per unit and period. */
  costs?: number | null;
  /** Explain these dossiers (MaHoSo). */
  explain?: string[];
  /** Explain every dossier of the cost lists too. */
  explain_costs?: boolean;
}

/** Counts are JSON integers (exact in JavaScript: files hold at most 10⁹ rows); scores are exact decimal strings. */
export interface IndicatorFraction { numerator: number; denominator: number }

export interface CostEntry {
  ma_ho_so: string; row: number; unit: string;
  /** Indicator codes the dossier failed (computable ones). */
  failed: string[];
  /** Points it costs the unit of the list, exact. */
  cost: Dec;
  /** Working minutes late (2.1), when late or open overdue. */
  late_minutes: number | null;
}

export interface DossierExplanation {
  ma_ho_so: string; row: number; unit: string;
  outcome: 'early' | 'on_time' | 'late' | 'open_not_due' | 'open_overdue' | 'excluded' | null;
  due: string | null; margin_working_minutes: number | null; paused_working_minutes: number | null;
  costs: { indicator: string; numerator: number; denominator: number; cost: Dec | null; exact: string | null; case: 'below_cap' | 'across_cap' | 'above_cap' | null }[];
  chain_costs: { unit: string; cost: Dec }[];
  /** The explanation, one statement per line, as `chiso records --explain` prints it. */
  text: { vi: string; en: string };
}

export interface RecordsPeriod {
  period: string;
  counts: Record<string, number | number[]>;
  /** Per indicator code, only those computable from the file. */
  indicators: Record<string, IndicatorFraction>;
  score: { records_points: Dec; records_max: Dec; leaves: Record<string, Dec>; total: Dec | null };
  costs: CostEntry[];
}

/** `chiso.records/1`, as `chiso records --format json` writes it. */
export interface RecordsDocument {
  format: 'chiso.records/1';
  source: string; period: string; by: 'month' | 'quarter' | 'year' | 'whole'; as_of: string | null;
  policies: Required<RecordsPolicies>;
  index: string; cost_model: string;
  rows: { rows: number; not_received: number; outside_period: number; counted: number };
  columns: string[]; supplement_columns: boolean;
  indicators: { code: string; title: Text; computable: boolean; missing_columns: string[][]; numerator: string; denominator: string; reference: string }[];
  not_from_dossiers: { code: string; needs: Text }[];
  roll_up: string;
  units: { code: string; name: string; depth: number; parent: string | null; own_dossiers: boolean; children: number; periods: RecordsPeriod[] }[];
  explanations: DossierExplanation[];
  unit_labels: string[];
}

/** `chiso records --format json` (throws ChisoError; diagnostics carry row, column and record = MaHoSo). */
export function records(dossiers: string, options: RecordsOptions | string): RecordsDocument;
/** `chiso records --explain <MaHoSo> --format json`: one element of `explanations`. */
export function explainDossier(dossiers: string, options: RecordsOptions | string, maHoSo: string): DossierExplanation;

export class Records {
  static analyse(dossiers: string, options: RecordsOptions | string): Records;
  document(): RecordsDocument;
  explain(maHoSo: string): DossierExplanation;
  /** The engine's full result of a unit (DonViXuLy code) in a period (a label of the document). */
  result(unit: string, period: string): ScoreResult;
  free(): void;
}

/** `100 × numerator / denominator` of whole numbers, exact (28 significant digits); null when the denominator is 0. */
export function ratioPercent(numerator: number | string, denominator: number | string): Dec | null;

/** Options of a survey run, named like `chiso survey`'s flags. */
export interface SurveyOptions {
  format?: 'csv' | 'jsonl';
  /** The sheet's name in messages (default `answers.csv`). */
  source?: string;
  /** Column naming the units (default: the definition's columns.unit). */
  by?: string;
  bootstrap?: number;
  seed?: number;
  level?: Dec;
  /** Margin of error as a proportion ("0.05" = ±5 points). */
  margin?: Dec;
  max_errors?: number;
}

export interface SurveyNodeEstimate {
  code: string; level: 'index' | 'component' | 'block' | 'item' | 'overall_item';
  satisfaction_rate: Dec | null; mean_score: Dec | null; answers: number; no_answers: number;
}

export interface SurveyUnitResult {
  /** `__all__` for all units. */
  unit: string; respondents: number; dropped: number; weight_total: Dec;
  index: Dec | null; mean_score: Dec | null; rank: number | null;
  interval?: { low: Dec; high: Dec; widened: boolean; rank_best: number; rank_worst: number; rank_widened: boolean; replications: number };
  sample_size?: { margin: Dec; level: Dec; z: Dec; proportion: Dec; design_effect: Dec; required: number; respondents: number; sufficient: boolean };
  nodes: SurveyNodeEstimate[];
}

/** `chiso.survey-result/1` (schema: `schema('survey-result')`). */
export interface SurveyResult {
  format: 'chiso.survey-result/1';
  survey: string; survey_version: string;
  aggregation: object; policies: object; satisfied: number[]; weighted: boolean; notes: Text[];
  rows: number; respondents: number; recoded_out_of_range: number; ignored_columns?: string[];
  units: SurveyUnitResult[]; all: SurveyUnitResult;
  bootstrap?: { replications: number; seed: number; level: Dec; method: Text };
}

/** `chiso survey --format json` (throws ChisoError; diagnostics carry row, column and record = respondent id). */
export function survey(definition: object | string, answers: string, options?: SurveyOptions | string): SurveyResult;
