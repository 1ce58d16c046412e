// The second WASM module (dossier records and SIPAS answer sheets), loaded on first use
// so the form's first load stays small. Shared by the records and SIPAS panels.

let loading = null;

/** The module's exports once loaded (`records`, `Records`, `survey`, `ratioPercent`, …). */
export function recordsEngine() {
  if (!loading) {
    loading = import('./chiso_records.js').then(async (m) => {
      await m.default();
      return m;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** The current language of the page (the form stores it; `chiso:lang` announces changes). */
export function pageLang() {
  return localStorage.getItem('chiso.lang') === 'en' ? 'en' : 'vi';
}

/** Exact ordering of two decimal strings ("3.2261…" vs "2.98…"), `null` last; no floats. */
export function compareDecimal(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  const parts = (s) => {
    const neg = s.startsWith('-');
    const [ip, fp = ''] = (neg ? s.slice(1) : s).split('.');
    return { neg, ip, fp };
  };
  const x = parts(String(a));
  const y = parts(String(b));
  const scale = Math.max(x.fp.length, y.fp.length);
  const big = (p) => (p.neg ? -1n : 1n) * BigInt(p.ip + p.fp.padEnd(scale, '0'));
  const d = big(x) - big(y);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The located problems of a ChisoError as list items: one per diagnostic, in `lang`. */
export function errorItems(h, e, lang) {
  const ds = e && Array.isArray(e.diagnostics) && e.diagnostics.length ? e.diagnostics
    : [{ vi: (e && (e.messageVi || e.message)) || String(e), en: (e && (e.messageEn || e.message)) || String(e) }];
  return ds.map((d) => h('li', {
    dataset: {
      code: d.code || '', row: d.row ?? '', column: d.column ?? '', record: d.record ?? '',
    },
  }, lang === 'en' ? d.en : d.vi));
}
