// The records and survey module in Node, through the typed wrapper: the same documents as
// the native CLI (`chiso records … --format json`, `chiso survey … --format json`) on the
// shipped examples, the same explanations as `chiso records … --explain`, and the same
// located error lines as the CLI's stderr.
// Run after `bash bindings/wasm/build.sh`: `node --test bindings/wasm/js/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  readyRecords, records, explainDossier, Records, survey, ratioPercent,
} from './chiso.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const DOSSIERS = 'examples-data/dossiers-sample.csv';
const DEFINITION = 'criteria/sipas/sipas-1001-2023-q9.survey.json';
const SHEET = 'examples-data/sipas-sample.csv';
const PERIOD = '2026-02..2026-05';
const tmp = mkdtempSync(join(tmpdir(), 'chiso-records-'));

assert.throws(() => records('', { period: PERIOD }), (e) => e.code === 'not_ready');
await readyRecords(readFileSync(join(here, '..', 'pkg', 'web', 'chiso_records_bg.wasm')));

function cli() {
  const candidates = [process.env.CHISO_BIN, join(repo, 'target/debug/chiso'), join(repo, 'target/release/chiso')];
  const found = candidates.find((p) => p && existsSync(p));
  if (found) return found;
  execFileSync('cargo', ['build', '-q', '-p', 'chiso-cli'], { cwd: repo, stdio: 'inherit' });
  return join(repo, 'target/debug/chiso');
}

const run = (args) => execFileSync(cli(), args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
const cliJson = (args) => JSON.parse(run([...args, '--format', 'json']));
const read = (rel) => readFileSync(join(repo, rel), 'utf8');
const dossiers = read(DOSSIERS);
const base = { period: PERIOD, source: 'dossiers-sample.csv' };

test('records: the document equals chiso records --format json', () => {
  const native = cliJson(['records', DOSSIERS, '--period', PERIOD, '--costs', '10']);
  assert.deepEqual(records(dossiers, { ...base, costs: 10 }), native);
  assert.ok(native.units.length >= 4, 'the province and its three units');
});

test('records: ratios are exact decimal strings, never JavaScript divisions', () => {
  assert.equal(ratioPercent(10, 12), '83.33333333333333333333333333');
  // rust_decimal keeps 28–29 significant digits (a 96-bit mantissa): 100/3 fits 29 of them.
  assert.equal(ratioPercent('1', '3'), '33.333333333333333333333333333');
  assert.equal(ratioPercent(0, 7), '0');
  assert.equal(ratioPercent(5, 0), null);
  assert.throws(() => ratioPercent('1.5', '2'), (e) => e.code === 'usage');
});

test('records: by month, policies, unit level and explanations equal the CLI', () => {
  const policies = join(tmp, 'policies.json');
  writeFileSync(policies, JSON.stringify({ withdrawn: 'excluded', comparison: 'calendar_date' }));
  const first = records(dossiers, { ...base, costs: 2 }).units[1].periods[0].costs[0].ma_ho_so;
  const native = cliJson(['records', DOSSIERS, '--period', PERIOD, '--by', 'month', '--unit-level', 'leaves',
    '--policies', policies, '--costs', '3', '--explain', first, '--explain', 'Z99.202-2026-0003']);
  const wasm = records(dossiers, {
    ...base, by: 'month', unit_level: 'leaves', policies: { withdrawn: 'excluded', comparison: 'calendar_date' },
    costs: 3, explain: [first, 'Z99.202-2026-0003'],
  });
  assert.deepEqual(wasm, native);
  assert.equal(wasm.explanations.length, 2);
});

test('records: explain_costs equals naming every listed dossier with --explain', () => {
  const wasm = records(dossiers, { ...base, costs: 2, explain_costs: true });
  const listed = [...new Set(wasm.units.flatMap((u) => u.periods.flatMap((p) => p.costs.map((c) => c.ma_ho_so))))];
  assert.ok(listed.length >= 3);
  const native = cliJson(['records', DOSSIERS, '--period', PERIOD, '--costs', '2', ...listed.flatMap((m) => ['--explain', m])]);
  assert.deepEqual(wasm, native);
});

test('records: one explanation equals chiso records --explain, in both languages', () => {
  const ma = 'Z99.202-2026-0003';
  const e = explainDossier(dossiers, base, ma);
  const resident = Records.analyse(dossiers, base);
  assert.deepEqual(resident.explain(ma), e);
  for (const lang of ['vi', 'en']) {
    assert.equal(`${e.text[lang]}\n`, run(['--lang', lang, 'records', DOSSIERS, '--period', PERIOD, '--explain', ma]));
  }
  // The unit's full result: its leaves are the document's.
  const doc = resident.document();
  const unit = doc.units.find((u) => u.code === 'Z99.202');
  const result = resident.result('Z99.202', unit.periods[0].period);
  for (const [code, points] of Object.entries(unit.periods[0].score.leaves)) {
    assert.equal(result.nodes.find((n) => n.code === code).achieved.replace(/\.?0+$/, ''), points.replace(/\.?0+$/, ''), code);
  }
  resident.free();
});

test('records: a broken file gives the CLI\'s located error lines', () => {
  const lines = dossiers.split('\n');
  const cells = lines[2].split(',');
  cells[10] = '42'; // TrangThaiHoSo
  lines[2] = cells.join(',');
  const c5 = lines[4].split(',');
  c5[6] = '31/02/2026'; // NgayTiepNhan
  lines[4] = c5.join(',');
  const broken = join(tmp, 'broken.csv');
  writeFileSync(broken, lines.join('\n'));
  const native = spawnSync(cli(), ['records', broken, '--period', PERIOD], { cwd: repo, encoding: 'utf8' });
  assert.equal(native.status, 1);
  let err;
  assert.throws(() => records(lines.join('\n'), { period: PERIOD, source: 'broken.csv' }), (e) => { err = e; return true; });
  assert.equal(err.name, 'ChisoError');
  assert.deepEqual(err.diagnostics.map((d) => d.vi), native.stderr.trim().split('\n'));
  assert.deepEqual(err.diagnostics.map((d) => [d.row, d.column, d.record]),
    [[3, 'TrangThaiHoSo', cells[0]], [5, 'NgayTiepNhan', c5[0]]]);
});

test('survey: the result equals chiso survey --format json, with and without the bootstrap', () => {
  const def = read(DEFINITION);
  const sheet = read(SHEET);
  assert.deepEqual(survey(def, sheet, { source: 'sipas-sample.csv' }), cliJson(['survey', DEFINITION, SHEET]));
  const native = cliJson(['survey', DEFINITION, SHEET, '--bootstrap', '300', '--seed', '5', '--margin', '0.05', '--level', '0.9', '--threads', '2']);
  const wasm = survey(JSON.parse(def), sheet, { bootstrap: 300, seed: 5, margin: '0.05', level: '0.9' });
  assert.deepEqual(wasm, native);
  assert.ok(wasm.units.every((u) => u.interval && typeof u.interval.low === 'string'));
});

test('survey: a broken sheet gives the CLI\'s located error lines', () => {
  const lines = read(SHEET).split('\n');
  const header = lines[0].split(',');
  const cells = lines[3].split(',');
  cells[header.indexOf('q9_sat_3')] = '7';
  lines[3] = cells.join(',');
  const broken = join(tmp, 'sipas-broken.csv');
  writeFileSync(broken, lines.join('\n'));
  const native = spawnSync(cli(), ['--lang', 'en', 'survey', DEFINITION, broken], { cwd: repo, encoding: 'utf8' });
  assert.equal(native.status, 1);
  let err;
  assert.throws(() => survey(read(DEFINITION), lines.join('\n'), { source: 'sipas-broken.csv' }), (e) => { err = e; return true; });
  assert.deepEqual(err.diagnostics.map((d) => d.en), native.stderr.trim().split('\n'));
  assert.deepEqual([err.diagnostics[0].row, err.diagnostics[0].column, err.diagnostics[0].record], [4, 'q9_sat_3', cells[0]]);
});
