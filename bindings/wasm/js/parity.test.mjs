// The WASM package in Node: the typed wrapper over pkg/web, and the same numbers as the
// native CLI (`chiso score --format json`) for every shipped example assessment.
// Run after `bash bindings/wasm/build.sh`: `node --test bindings/wasm/js/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready, readyAnalysis, Index, schema, version } from './chiso.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
await ready(readFileSync(join(here, '..', 'pkg', 'web', 'chiso_wasm_bg.wasm')));

function cli() {
  const candidates = [process.env.CHISO_BIN, join(repo, 'target/debug/chiso'), join(repo, 'target/release/chiso')];
  const found = candidates.find((p) => p && existsSync(p));
  if (found) return found;
  execFileSync('cargo', ['build', '-q', '-p', 'chiso-cli'], { cwd: repo, stdio: 'inherit' });
  return join(repo, 'target/debug/chiso');
}

function jsonFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) jsonFiles(p, out);
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

function shippedPairs() {
  const docs = jsonFiles(join(repo, 'criteria')).map((p) => {
    try { return { p, v: JSON.parse(readFileSync(p, 'utf8')) }; } catch { return { p, v: {} }; }
  });
  const indexes = docs.filter((d) => d.v.format === 'chiso.index/1');
  return docs
    .filter((d) => d.v.format === 'chiso.assessment/1')
    .map((a) => {
      const i = indexes.find((x) => x.v.id === a.v.index);
      assert.ok(i, `no index with id ${a.v.index} for ${a.p}`);
      return [i.p, a.p];
    });
}

test('every shipped example assessment scores in WASM exactly as the native CLI', () => {
  const bin = cli();
  const pairs = shippedPairs();
  assert.ok(pairs.length >= 2, `found ${pairs.length} example assessments`);
  for (const [indexPath, assessmentPath] of pairs) {
    const index = Index.load(readFileSync(indexPath, 'utf8'));
    const assessment = readFileSync(assessmentPath, 'utf8');
    for (const view of ['self', 'appraised', 'final']) {
      const native = JSON.parse(execFileSync(bin, ['score', indexPath, assessmentPath, '--format', 'json', '--layer', view], { encoding: 'utf8' }));
      const wasm = index.score(assessment, view);
      assert.deepEqual(wasm, native, `${assessmentPath} (${view})`);
    }
    index.free();
  }
});

test('decimals cross as strings and keep every digit', async () => {
  const def = JSON.parse(readFileSync(join(repo, 'criteria/examples/department-example.json'), 'utf8'));
  const a = JSON.parse(readFileSync(join(repo, 'criteria/examples/department-example.assessment.json'), 'utf8'));
  const index = Index.load(def);
  const s = index.session(a, 'self');
  // 1 of 3 → 33.33…%: a JS number would round; the engine keeps 28 digits.
  const total = s.setValue('1.1.4', 'self', { ratio: { numerator: '1', denominator: '3' } });
  assert.equal(typeof total, 'string');
  assert.equal(total, s.result('self').total.achieved);
  const leaf = s.points('1.1.4');
  assert.match(leaf, /^\d+(\.\d+)?$/);
  assert.equal(typeof version(), 'string');
  assert.equal((await schema('assessment')).$schema, 'https://json-schema.org/draft/2020-12/schema');
  await assert.rejects(schema('nope'), (e) => e.code === 'usage');
});

test('errors are Error objects with a stable code, the JSON path and the criterion', () => {
  const index = Index.load(readFileSync(join(repo, 'criteria/examples/department-example.json'), 'utf8'));
  const a = JSON.parse(readFileSync(join(repo, 'criteria/examples/department-example.assessment.json'), 'utf8'));
  a.entries['1.1.4'].self.value = { percent: '250' };
  assert.throws(() => index.score(a), (e) => e instanceof Error && e.code === 'out_of_range'
    && e.criterion === '1.1.4' && e.path === '$.entries["1.1.4"].self.value'
    && e.messageVi.includes('1.1.4') && Array.isArray(e.diagnostics));
  assert.throws(() => Index.load('{"format":"chiso.index/1"'), (e) => e.code === 'syntax');
  assert.throws(() => index.score({ ...a, index: 'other' }), (e) => e.code === 'index_mismatch');
  // After all that the module still works.
  a.entries['1.1.4'].self.value = { percent: '95' };
  assert.equal(typeof index.score(a).total.achieved, 'string');
});

test('the form module words problems from the served catalog exactly as the native CLI', () => {
  const bin = cli();
  const indexPath = join(repo, 'criteria/examples/department-example.json');
  const a = JSON.parse(readFileSync(join(repo, 'criteria/examples/department-example.assessment.json'), 'utf8'));
  a.entries['1.1.4'].self.value = { percent: '250.50' };
  a.entries['nope'] = a.entries['1.1.4'];
  const file = join(mkdtempSync(join(tmpdir(), 'chiso-messages-')), 'bad.assessment.json');
  writeFileSync(file, JSON.stringify(a));
  const ds = Index.load(readFileSync(indexPath, 'utf8')).validate(a);
  assert.ok(ds.length >= 2, JSON.stringify(ds));
  for (const lang of ['vi', 'en']) {
    const { stderr } = spawnSync(bin, ['--lang', lang, 'validate', indexPath, file], { encoding: 'utf8' });
    for (const d of ds) {
      assert.notEqual(d[lang].endsWith(`: ${d.code}`), true, d[lang]);
      assert.ok(stderr.includes(d[lang]), `${d[lang]}\n${stderr}`);
    }
  }
});

test('the analysis calls need the analysis module, then come through the wrapper', async () => {
  const def = readFileSync(join(repo, 'criteria/examples/department-example.json'), 'utf8');
  const early = Index.load(def);
  assert.throws(() => early.headroom('{}'), (e) => e.code === 'not_ready' && e.messageVi.includes('readyAnalysis'));
  // The form module reads without path tracking: a shape error is at `$`, unlocated…
  const bad = JSON.parse(def);
  bad.nodes[0].children[0].max_points = { x: 1 };
  let lean;
  assert.throws(() => Index.load(bad), (e) => { lean = e; return e.code === 'structure'; });
  assert.equal(lean.unlocated, true);
  assert.equal(lean.path, '$');
  await readyAnalysis(readFileSync(join(here, '..', 'pkg', 'web', 'chiso_analysis_bg.wasm')));
  // …and once the analysis module is there, the same error names its exact path.
  assert.throws(() => Index.load(bad), (e) => e.code === 'structure' && !e.unlocated
    && e.path.startsWith('$.nodes[0]') && e.path.includes('max_points'));
  const badA = JSON.parse(readFileSync(join(repo, 'criteria/examples/department-example.assessment.json'), 'utf8'));
  badA.entries['1.1.4'].self = { value: 5 };
  const ds = early.validate(badA);
  assert.ok(ds.length > 0 && ds.every((d) => !d.unlocated), JSON.stringify(ds));
  assert.ok(ds[0].path.startsWith('$.entries["1.1.4"]'), ds[0].path);
  early.free();
  const index = Index.load(readFileSync(join(repo, 'criteria/examples/department-example.json'), 'utf8'));
  const a = readFileSync(join(repo, 'criteria/examples/department-example.assessment.json'), 'utf8');
  const plan = index.plan(a, { kind: 'band', code: 'A' });
  const native = JSON.parse(execFileSync(cli(), ['plan', join(repo, 'criteria/examples/department-example.json'),
    join(repo, 'criteria/examples/department-example.assessment.json'), '--target-band', 'A', '--format', 'json'], { encoding: 'utf8' }));
  assert.deepEqual(plan, native);
  const rows = index.headroom(a).rows;
  assert.ok(rows.length > 0);
  const w = index.scenarios(a, [readFileSync(join(repo, 'criteria/examples/department-example.scenario.json'), 'utf8')]);
  assert.equal(w.format, 'chiso.whatif/1');
});
