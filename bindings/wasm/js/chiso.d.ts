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

export interface Override {
  code: string; layer?: LayerKey; value?: Value; not_applicable?: string; applicable?: boolean; clear?: boolean;
}
export interface WhatIf {
  baseline: Total; scenario: Total; delta: Dec | null;
  nodes: { code: string; before: Dec | null; after: Dec | null; delta: Dec | null }[];
  assessment: Assessment;
}
export interface Explained { node: NodeResult; entry: Entry | null; text: string }

export function ready(source?: BufferSource | URL | string | WebAssembly.Module): Promise<void>;
export function version(): string;
export function schema(name: string): object;

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
