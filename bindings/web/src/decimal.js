// Display helpers for the engine's exact decimal strings. Nothing here does score
// arithmetic: figures arrive as strings from the engine and are only rounded for display.

/** Rounds an exact decimal string to 2 places, half away from zero (official tables:
 *  89.955 → 89.96), by string/integer manipulation only. `null` stays `null`. */
export function round2(s) {
  if (s === null || s === undefined) return null;
  const str = String(s).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(str);
  if (!m) return str;
  const neg = m[1] === '-';
  const ip = m[2] || '0';
  const fp = (m[3] || '').padEnd(3, '0');
  let n = BigInt(ip + fp.slice(0, 2));
  if (fp[2] >= '5') n += 1n;
  const digits = n.toString().padStart(3, '0');
  const out = `${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return neg && n !== 0n ? `-${out}` : out;
}

/** A figure for display: 2 decimals, decimal comma in Vietnamese, `—` when missing. */
export function fmt(s, lang, { sign = false } = {}) {
  const r = round2(s);
  if (r === null) return '—';
  let out = lang === 'vi' ? r.replace('.', ',') : r;
  if (sign && !out.startsWith('-') && /[1-9]/.test(out)) out = `+${out}`;
  return out.replace('-', '−');
}

/** Reads a decimal typed by a person ("0,5", " 12.75 ") into the engine's string form.
 *  Returns '' for an empty field and `null` for something that is not a decimal. */
export function readDecimal(text) {
  const t = String(text).trim().replace(/\s/g, '').replace(',', '.');
  if (t === '') return '';
  return /^-?\d+(\.\d+)?$/.test(t) || /^-?\.\d+$/.test(t) ? t.replace(/^(-?)\./, '$10.') : null;
}
