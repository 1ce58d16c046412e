// The analysis module (what-if, plan, headroom: chiso_analysis*), loaded after the form's
// first paint so the form's own module (chiso_wasm*) stays small. It holds the same index,
// loaded again from the definition the form's engine returns, and the library's located
// loaders: the form's module reads files without path tracking, so a shape error it finds
// is `unlocated` (at `$`) and this module names its exact JSON path (the second pass).

let mod = null;
let loading = null;
const cache = { engine: null, full: null };

/** Loads the module once; resolves to its exports. */
export function loadAnalysis() {
  if (!loading) {
    loading = import('./chiso_analysis.js').then(async (m) => {
      await m.default();
      mod = m;
      return m;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** Whether the module is loaded (the analysis panels wait for it). */
export const analysisReady = () => mod !== null;

/** The analysis module's engine for the form's `engine` (same index), or null while the
 *  module loads. Throws what loading the index throws. */
export function fullEngine(engine) {
  if (!mod || !engine) return null;
  if (cache.engine !== engine) {
    if (cache.full) cache.full.free();
    cache.full = null;
    cache.engine = engine;
    cache.full = mod.Engine.load(engine.definition());
  }
  return cache.full;
}

/** An error of the form's module with its exact JSON path: `again(module)` re-runs the call
 *  in the analysis module when the error is `unlocated` and the module is loaded. */
export function located(e, again) {
  if (!e || !e.unlocated || !mod) return e;
  try {
    again(mod);
  } catch (exact) {
    return exact;
  }
  return e;
}

/** Diagnostics (`validate`) of the form's module with exact JSON paths, as `located`. */
export function locatedDiagnostics(ds, again) {
  if (!mod || !ds.some((d) => d.unlocated)) return ds;
  try {
    return again(mod);
  } catch (_) {
    return ds;
  }
}
