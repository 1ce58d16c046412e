// The "Hồ sơ TTHC (QĐ 766)" panel in a real browser (system Chromium, headless): the shipped
// dossier export loaded through the file input, every figure shown compared with the native
// CLI (`chiso records … --format json`, group scores through `--format batch` and
// `chiso batch`), a costly dossier's explanation with `chiso records … --explain`, in both
// languages, sorting by keyboard, and a broken file: located errors, previous results kept.
// Run: bash bindings/web/test.sh
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  serve, launch, repo, artifacts, cli, cliJson, cliFail, roundHalfUp2, ratio2, vi,
} from './helpers.mjs';

const DOSSIERS = 'examples-data/dossiers-sample.csv';
const INDEX = 'criteria/service-766/qd766-portal-six-groups.json';
const PERIOD = '2026-02..2026-05';
const tmp = mkdtempSync(join(tmpdir(), 'chiso-web-records-'));

const expected = cliJson(['records', DOSSIERS, '--period', PERIOD, '--costs', '10']);
writeFileSync(join(tmp, 'batch.csv'), cli(['records', DOSSIERS, '--period', PERIOD, '--format', 'batch']));
const groups = cliJson(['batch', INDEX, join(tmp, 'batch.csv')]);

let server;
let browser;
let page;
const pageErrors = [];
const requests = [];

before(async () => {
  server = await serve();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.url}?index=criteria/examples/department-example.json`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.waitForSelector('body[data-panels="ready"]');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Text and exact value of the figure `field` in `row`. */
async function figure(row, field) {
  const f = row.locator(`[data-fig="${field}"]`);
  return { text: (await f.textContent()).trim(), exact: await f.getAttribute('data-exact') };
}

/** A figure shown from an engine decimal: rounded half up, Vietnamese comma, exact on hover. */
async function assertDecimal(row, field, value, what) {
  const f = await figure(row, field);
  if (value === null || value === undefined) {
    assert.equal(f.text, '—', what);
    return;
  }
  assert.equal(f.exact, value, what);
  assert.equal(f.text, vi(roundHalfUp2(value)), what);
}

async function loadThroughTheUi(file) {
  await page.fill('#records-period', PERIOD);
  await page.setInputFiles('#records-file', file);
}

test('the shipped dossier export: every figure equals chiso records', async () => {
  // The form's first load does not fetch the records module; the panel does, on first use.
  assert.ok(!requests.some((u) => u.includes('chiso_records')), 'chiso_records is loaded on demand only');
  await loadThroughTheUi(join(repo, DOSSIERS));
  await page.waitForSelector('#records-results[data-source="dossiers-sample.csv"]', { timeout: 30000 });
  assert.match(await page.textContent('#records-status'), /dossiers-sample\.csv/);
  assert.ok(requests.some((u) => u.endsWith('chiso_records_bg.wasm')), 'loaded when the panel computes');
  const summary = await page.textContent('#records-summary');
  assert.ok(summary.includes(`${expected.rows.rows} dòng hồ sơ, ${expected.rows.counted} được tính`), summary);
  for (const [k, v] of Object.entries(expected.policies)) {
    assert.equal(await page.locator(`#records-policies li[data-policy="${k}"]`).getAttribute('data-value'), String(v), k);
  }
  assert.ok(expected.units.length >= 4);
  for (const unit of expected.units) {
    await page.selectOption('select.records-unit', unit.code);
    const p = unit.periods[0];
    // Indicators: numerator / denominator as counted, ratio and points from the engine.
    for (const ind of expected.indicators) {
      const row = page.locator(`#records-indicators tr[data-code="${ind.code}"]`);
      const f = p.indicators[ind.code];
      assert.equal(await row.getAttribute('data-computable'), String(ind.computable), ind.code);
      if (!f) continue;
      const what = `${unit.code} ${ind.code}`;
      assert.equal((await figure(row, 'numerator')).text, String(f.numerator), what);
      assert.equal((await figure(row, 'denominator')).text, String(f.denominator), what);
      assert.equal((await figure(row, 'ratio')).text, vi(ratio2(f.numerator, f.denominator)), what);
      await assertDecimal(row, 'points', p.score.leaves[ind.code] ?? null, what);
    }
    // Groups and total: the engine's, as chiso batch scores the CLI's batch export.
    const g = groups.units.find((u) => u.unit === unit.code);
    for (const code of ['CKMB', 'TDGQ', 'CLGQ', 'TTTT', 'MDSH', 'MDHL']) {
      await assertDecimal(page.locator(`#records-groups tr[data-code="${code}"]`), 'achieved', g.points[code], `${unit.code} ${code}`);
    }
    await assertDecimal(page.locator('#records-groups tr[data-code="$total"]'), 'total', p.score.total, `${unit.code} total`);
    assert.equal(g.total, p.score.total);
    const part = page.locator('#records-groups tr[data-code="$records"]');
    await assertDecimal(part, 'records_points', p.score.records_points, unit.code);
    await assertDecimal(part, 'records_max', p.score.records_max, unit.code);
    // The dossiers that cost points, costliest first as the CLI lists them.
    const rows = page.locator('#records-costs tbody tr');
    assert.equal(await rows.count(), p.costs.length, unit.code);
    for (let i = 0; i < p.costs.length; i += 1) {
      const c = p.costs[i];
      const row = rows.nth(i);
      assert.equal(await row.getAttribute('data-ma'), c.ma_ho_so, `${unit.code} #${i}`);
      await assertDecimal(row, 'cost', c.cost, c.ma_ho_so);
      assert.equal((await figure(row, 'row')).text, String(c.row));
      assert.equal((await figure(row, 'late_minutes')).text, c.late_minutes === null ? '—' : String(c.late_minutes));
    }
  }
  // Indicators the file cannot give: those of the six-group index records never give.
  const codes = await page.locator('#records-not-computable li').evaluateAll((ls) => ls.map((l) => l.dataset.code));
  assert.deepEqual(codes, [...expected.indicators.filter((i) => !i.computable).map((i) => i.code), ...expected.not_from_dossiers.map((x) => x.code)]);
  await page.locator('#records').screenshot({ path: join(artifacts, 'records-panel.png') });
  assert.deepEqual(pageErrors, []);
});

test('sorting by keyboard and a dossier\'s explanation in both languages', async () => {
  await page.selectOption('select.records-unit', 'Z99.202');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('records-unit')), true, 'focus stays on the unit select');
  const costs = expected.units.find((u) => u.code === 'Z99.202').periods[0].costs;
  // Sort by cost ascending: focus the column's button and press Enter.
  await page.focus('#records-costs button[data-sort="cost"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#records-costs th[aria-sort="ascending"] button', 'data-sort'), 'cost');
  const shown = await page.locator('#records-costs tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.ma));
  const cost = (ma) => costs.find((c) => c.ma_ho_so === ma).cost;
  const big = (s) => { const [i, f = ''] = s.split('.'); return BigInt(i + f.padEnd(30, '0')); };
  for (let i = 1; i < shown.length; i += 1) assert.ok(big(cost(shown[i - 1])) <= big(cost(shown[i])), `${shown}`);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.sort), 'cost', 'focus stays on the sort button');
  // The costliest dossier of the unit: Tab to its button, Enter.
  const ma = costs[0].ma_ho_so;
  await page.focus(`#records-costs tr[data-ma="${ma}"] button.dossier`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#records-explanation[data-ma="${ma}"]`);
  const text = (await page.textContent('#records-explanation')).trim();
  assert.equal(text, cli(['--lang', 'vi', 'records', DOSSIERS, '--period', PERIOD, '--explain', ma]).trim());
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector(`#records-explanation[data-ma="${ma}"]`);
  const en = (await page.textContent('#records-explanation')).trim();
  assert.equal(en, cli(['--lang', 'en', 'records', DOSSIERS, '--period', PERIOD, '--explain', ma]).trim());
  assert.match(await page.textContent('#records h2'), /Administrative-procedure dossiers/);
  // English figures use a decimal point.
  const p = expected.units.find((u) => u.code === 'Z99.202').periods[0];
  const pts = await figure(page.locator('#records-indicators tr[data-code="2.1"]'), 'points');
  assert.equal(pts.text, roundHalfUp2(p.score.leaves['2.1']));
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
});

test('a broken file shows located errors and keeps the previous results', async () => {
  const lines = readFileSync(join(repo, DOSSIERS), 'utf8').split('\n');
  const cells = lines[2].split(',');
  cells[10] = '42'; // TrangThaiHoSo
  lines[2] = cells.join(',');
  const c5 = lines[4].split(',');
  c5[6] = '31/02/2026'; // NgayTiepNhan
  lines[4] = c5.join(',');
  const broken = join(tmp, 'broken.csv');
  writeFileSync(broken, lines.join('\n'));
  const before = await page.textContent('#records-results');
  await page.setInputFiles('#records-file', broken);
  await page.waitForSelector('#records-errors li');
  const native = cliFail(['records', broken, '--period', PERIOD]);
  assert.equal(native.status, 1);
  const items = page.locator('#records-errors li');
  assert.deepEqual(await items.allTextContents(), native.lines);
  assert.deepEqual(await items.evaluateAll((ls) => ls.map((l) => [l.dataset.row, l.dataset.column, l.dataset.record])),
    [['3', 'TrangThaiHoSo', cells[0]], ['5', 'NgayTiepNhan', c5[0]]]);
  assert.equal(await page.getAttribute('#records-status', 'class'), 'message error');
  // The previous results stay, figure for figure.
  assert.equal(await page.getAttribute('#records-results', 'data-source'), 'dossiers-sample.csv');
  assert.equal(await page.textContent('#records-results'), before);
  // The errors follow the language switch; a good file clears them.
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.deepEqual(await page.locator('#records-errors li').allTextContents(), cliFail(['--lang', 'en', 'records', broken, '--period', PERIOD]).lines);
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  await page.setInputFiles('#records-file', join(repo, DOSSIERS));
  await page.waitForSelector('#records-errors-box[hidden]', { state: 'attached' });
  assert.deepEqual(pageErrors, []);
});

test('cut by month: one period per month, each equal to chiso records --by month', async () => {
  const monthly = cliJson(['records', DOSSIERS, '--period', PERIOD, '--by', 'month', '--costs', '10']);
  await page.selectOption('#records-by', 'month');
  await page.click('#records-compute');
  await page.waitForSelector('select.records-bucket');
  const unit = monthly.units.find((u) => u.code === 'Z99.10');
  await page.selectOption('select.records-unit', unit.code);
  // The costliest first again (the previous test sorted by cost ascending).
  if (await page.locator('#records-costs th[aria-sort="ascending"]').count()) await page.click('#records-costs button[data-sort="cost"]');
  const labels = await page.locator('select.records-bucket option').allTextContents();
  assert.deepEqual(labels, unit.periods.map((p) => p.period));
  for (let b = 0; b < unit.periods.length; b += 1) {
    const p = unit.periods[b];
    await page.selectOption('select.records-bucket', String(b));
    for (const [code, f] of Object.entries(p.indicators)) {
      const row = page.locator(`#records-indicators tr[data-code="${code}"]`);
      assert.equal((await figure(row, 'numerator')).text, String(f.numerator), `${p.period} ${code}`);
      assert.equal((await figure(row, 'denominator')).text, String(f.denominator), `${p.period} ${code}`);
      await assertDecimal(row, 'points', p.score.leaves[code] ?? null, `${p.period} ${code}`);
    }
    assert.deepEqual(await page.locator('#records-costs tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.ma)),
      p.costs.map((c) => c.ma_ho_so), p.period);
  }
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('records-bucket')), true);
  await page.selectOption('#records-by', 'whole');
  assert.deepEqual(pageErrors, []);
});
