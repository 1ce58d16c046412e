// The SIPAS panel in a real browser (system Chromium, headless): the shipped definition and
// answer sheet loaded through the UI, every figure compared with the native CLI
// (`chiso survey … --format json`, bootstrap and sample sizes included), a unit's blocks and
// items, and a broken sheet: located errors, previous results kept.
// Run: bash bindings/web/test.sh
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  serve, launch, repo, artifacts, cliJson, cliFail, roundHalfUp2, vi,
} from './helpers.mjs';

const DEFINITION = 'criteria/sipas/sipas-1001-2023-q9.survey.json';
const SHEET = 'examples-data/sipas-sample.csv';
const tmp = mkdtempSync(join(tmpdir(), 'chiso-web-survey-'));
const expected = cliJson(['survey', DEFINITION, SHEET, '--bootstrap', '200', '--seed', '3', '--margin', '0.05']);
const definition = JSON.parse(readFileSync(join(repo, DEFINITION), 'utf8'));

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await serve();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}?index=criteria/examples/department-example.json`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.waitForSelector('body[data-panels="ready"]');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function figure(row, field) {
  const f = row.locator(`[data-fig="${field}"]`);
  return { text: (await f.textContent()).trim(), exact: await f.getAttribute('data-exact') };
}

async function assertDecimal(row, field, value, what) {
  const f = await figure(row, field);
  if (value === null || value === undefined) {
    assert.equal(f.text, '—', what);
    return;
  }
  assert.equal(f.exact, value, what);
  assert.equal(f.text, vi(roundHalfUp2(value)), what);
}

async function assertCount(row, field, value, what) {
  assert.equal((await figure(row, field)).text, value === null || value === undefined ? '—' : String(value), what);
}

test('the shipped sheet: every figure per unit equals chiso survey', async () => {
  const shipped = await page.locator('#survey-definition option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(shipped.includes(DEFINITION), `${shipped}`);
  await page.selectOption('#survey-definition', DEFINITION);
  await page.fill('#survey-bootstrap', '200');
  await page.fill('#survey-seed', '3');
  await page.fill('#survey-margin', '0.05');
  await page.setInputFiles('#survey-file', join(repo, SHEET));
  await page.waitForSelector('#survey-results[data-survey]', { timeout: 30000 });
  const components = definition.components.map((c) => c.code);
  for (const u of [...expected.units, expected.all]) {
    const row = page.locator(`#survey-units tr[data-unit="${u.unit}"]`);
    assert.equal(await row.count(), 1, u.unit);
    await assertCount(row, 'respondents', u.respondents, u.unit);
    await assertDecimal(row, 'index', u.index, u.unit);
    await assertDecimal(row, 'mean_score', u.mean_score, u.unit);
    for (const c of components) {
      await assertDecimal(row, `component:${c}`, u.nodes.find((n) => n.code === c).satisfaction_rate, `${u.unit} ${c}`);
    }
    await assertCount(row, 'rank', u.rank, u.unit);
    if (u.interval) {
      await assertDecimal(row, 'ci_low', u.interval.low, u.unit);
      await assertDecimal(row, 'ci_high', u.interval.high, u.unit);
      await assertCount(row, 'rank_best', u.interval.rank_best, u.unit);
      await assertCount(row, 'rank_worst', u.interval.rank_worst, u.unit);
    }
    if (u.sample_size) await assertCount(row, 'required', u.sample_size.required, u.unit);
  }
  assert.ok(expected.units.every((u) => u.interval && u.sample_size), 'the CLI run had intervals and sample sizes');
  // One unit's components, blocks and items.
  const unit = expected.units[1];
  await page.selectOption('select.survey-unit', unit.unit);
  await page.waitForSelector(`#survey-nodes[data-unit="${unit.unit}"]`);
  assert.equal(await page.locator('#survey-nodes tbody tr').count(), unit.nodes.length);
  for (const n of unit.nodes) {
    const row = page.locator(`#survey-nodes tr[data-code="${n.code}"]`);
    await assertDecimal(row, 'satisfaction_rate', n.satisfaction_rate, `${unit.unit} ${n.code}`);
    await assertDecimal(row, 'mean_score', n.mean_score, `${unit.unit} ${n.code}`);
    await assertCount(row, 'answers', n.answers, n.code);
    await assertCount(row, 'no_answers', n.no_answers, n.code);
  }
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('survey-unit')), true, 'focus stays on the unit select');
  await page.locator('#survey').screenshot({ path: join(artifacts, 'survey-panel.png') });
  assert.deepEqual(pageErrors, []);
});

test('a broken sheet shows located errors and keeps the previous results', async () => {
  const lines = readFileSync(join(repo, SHEET), 'utf8').split('\n');
  const header = lines[0].split(',');
  const cells = lines[3].split(',');
  cells[header.indexOf('q9_sat_3')] = '7';
  lines[3] = cells.join(',');
  const c6 = lines[5].split(',');
  c6[header.indexOf('q9_sat_5')] = 'tốt';
  lines[5] = c6.join(',');
  const broken = join(tmp, 'sipas-broken.csv');
  writeFileSync(broken, lines.join('\n'));
  const before = await page.textContent('#survey-results');
  await page.setInputFiles('#survey-file', broken);
  await page.waitForSelector('#survey-errors li');
  const native = cliFail(['survey', DEFINITION, broken]);
  assert.equal(native.status, 1);
  const items = page.locator('#survey-errors li');
  assert.deepEqual(await items.allTextContents(), native.lines);
  assert.deepEqual(await items.evaluateAll((ls) => ls.map((l) => [l.dataset.row, l.dataset.column, l.dataset.record])),
    [['4', 'q9_sat_3', cells[0]], ['6', 'q9_sat_5', c6[0]]]);
  assert.equal(await page.textContent('#survey-results'), before);
  // English: the CLI's English lines.
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.deepEqual(await page.locator('#survey-errors li').allTextContents(), cliFail(['--lang', 'en', 'survey', DEFINITION, broken]).lines);
  assert.match(await page.textContent('#survey h2'), /SIPAS/);
  const all = page.locator(`#survey-units tr[data-unit="${expected.all.unit}"]`);
  assert.equal((await figure(all, 'index')).text, roundHalfUp2(expected.all.index));
  assert.deepEqual(pageErrors, []);
});
