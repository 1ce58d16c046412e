// Re-scoring after one input change, through the WASM binding in Node, with the index
// and the assessment resident (Session.setValue → new exact total).
// Usage: bash bindings/wasm/build.sh && node bindings/wasm/js/bench.mjs
// Prints the median time per call for the largest shipped index (by leaves) and for a
// SYNTHETIC 150-leaf PAR-like index generated below (not a real criteria set).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready, Index } from './chiso.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
await ready(readFileSync(join(here, '..', 'pkg', 'web', 'chiso_wasm_bg.wasm')));

const t = (vi) => ({ vi, en: vi });
const award = (label, points) => ({ label: t(label), points });

/** A synthetic 150-leaf index: 5 areas × 30 leaves of 1 point, seven rule kinds. */
export function synthetic150() {
  const rules = [
    { type: 'yes_no', yes: award('Có', '1'), no: award('Không', '0') },
    { type: 'timeliness', on_time: award('Kịp thời', '1'), late: award('Không kịp thời', '0.5'), not_done: award('Không', '0') },
    { type: 'tiers', measure: 'percent', tiers: [
      { range: { from: { value: '80', inclusive: true } }, label: t('từ 80%'), points: '1' },
      { range: { from: { value: '50', inclusive: true }, to: { value: '80', inclusive: false } }, label: t('từ 50% đến dưới 80%'), points: '0.5' },
      { range: { to: { value: '50', inclusive: false } }, label: t('dưới 50%'), points: '0' } ] },
    { type: 'proportional', zero_denominator: 'zero' },
    { type: 'levels', levels: [{ key: 'tot', label: t('Tốt'), points: '1' }, { key: 'dat', label: t('Đạt'), points: '0.5' }, { key: 'khong', label: t('Không'), points: '0' }] },
    { type: 'deductions', severities: [{ key: 'nhe', label: t('Vi phạm'), points: '0.25' }] },
    { type: 'discretionary', step: '0.25' },
  ];
  const values = [
    { yes_no: true }, { option: 'late' }, { percent: '72.5' }, { ratio: { numerator: '17', denominator: '23' } },
    { option: 'dat' }, { counts: { nhe: '1' } }, { points: '0.75' },
  ];
  const nodes = [];
  const entries = {};
  for (let a = 1; a <= 5; a++) {
    const children = [];
    for (let l = 1; l <= 30; l++) {
      const k = (a * 31 + l) % rules.length;
      const code = `${a}.${l}`;
      children.push({ code, title: t(`Tiêu chí tổng hợp ${code}`), max_points: '1', rule: rules[k] });
      entries[code] = { self: { value: values[k], evidence: [{ title: 'Báo cáo' }] } };
    }
    nodes.push({ code: `${a}`, title: t(`Lĩnh vực ${a}`), max_points: '30', aggregation: { method: 'sum' }, children });
  }
  const index = {
    format: 'chiso.index/1', id: 'synthetic-150', version: 'bench', title: t('SYNTHETIC 150-leaf benchmark index'),
    legal_basis: [{ decision: 'none (synthetic benchmark)', issuer: 'chiso', url: 'https://example.invalid' }],
    unit_levels: ['department'], years: { from: 2024 }, completeness: 'example', max_points: '150', nodes,
  };
  const assessment = { format: 'chiso.assessment/1', index: 'synthetic-150', unit: { name: 'Synthetic' }, entries };
  return { index, assessment };
}

function jsonFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) jsonFiles(p, out);
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

function leaves(nodes) {
  return nodes.flatMap((n) => (n.children?.length ? leaves(n.children) : [n]));
}

/** The shipped index with the most leaves, with an assessment filling every leaf. */
function largestShipped() {
  const defs = jsonFiles(join(repo, 'criteria'))
    .map((p) => { try { return JSON.parse(readFileSync(p, 'utf8')); } catch { return {}; } })
    .filter((d) => d.format === 'chiso.index/1' && leaves(d.nodes).every((l) => l.rule?.type === 'score'));
  defs.sort((x, y) => leaves(y.nodes).length - leaves(x.nodes).length);
  const def = defs[0];
  const entries = {};
  for (const l of leaves(def.nodes)) entries[l.code] = { self: { value: { number: '1.5' } } };
  return { index: def, assessment: { format: 'chiso.assessment/1', index: def.id, unit: { name: 'Bench' }, entries } };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bench(label, { index, assessment }, code, valueAt) {
  const idx = Index.load(index);
  const s = idx.session(assessment, 'final');
  const n = leaves(index.nodes).length;
  const raw = s.raw;
  const texts = Array.from({ length: 64 }, (_, i) => JSON.stringify(valueAt(i)));
  for (let i = 0; i < 2000; i++) raw.setValue(code, 'self', texts[i % 64]);
  const per = [];
  const batch = 100;
  for (let r = 0; r < 300; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) raw.setValue(code, 'self', texts[(r * batch + i) % 64]);
    per.push(Number(process.hrtime.bigint() - t0) / batch / 1000);
  }
  const full = [];
  for (let r = 0; r < 200; r++) {
    const t0 = process.hrtime.bigint();
    raw.result('final');
    full.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  console.log(`${label} (${n} leaves): setValue + re-score median ${median(per).toFixed(2)} µs/call; full explained result() median ${median(full).toFixed(1)} µs`);
  return median(per);
}

const big = largestShipped();
bench(`largest shipped index ${big.index.id}`, big, leaves(big.index.nodes)[0].code, (i) => ({ number: `${(i % 10) / 2}` }));
bench('SYNTHETIC 150-leaf PAR-like index', synthetic150(), '1.7', (i) => ({ ratio: { numerator: `${i % 23}`, denominator: '23' } }));
