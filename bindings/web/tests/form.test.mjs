// The self-assessment form in a real browser (system Chromium, headless, via playwright-core).
// Run: bash bindings/web/test.sh   (or, with dist/ built: node --test bindings/web/tests/)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  serve, launch, cliScore, roundHalfUp2, normalise, median, syntheticIndex, repo, artifacts, dist, here,
} from './helpers.mjs';

const INDEX = 'criteria/examples/department-example.json';
const ASSESSMENT = 'criteria/examples/department-example.assessment.json';
const example = JSON.parse(readFileSync(join(repo, ASSESSMENT), 'utf8'));
const expected = cliScore(INDEX, ASSESSMENT);
// The print sheet's bonus/penalty columns show the self-assessed and the appraised view.
expected.views = { self: cliScore(INDEX, ASSESSMENT, 'self'), appraised: cliScore(INDEX, ASSESSMENT, 'appraised') };

let server;
let browser;
let context;
let page;
const pageErrors = [];

before(async () => {
  server = await serve();
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => d.accept());
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query = `?index=${INDEX}`) {
  await page.goto(`${server.url}${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
}

// ---------- driving the inputs ----------

async function fillLayer(code, layer, rec) {
  const cell = page.locator(`.layer[data-code="${code}"][data-layer="${layer}"]`);
  assert.equal(await cell.count(), 1, `one input column for ${code} ${layer}`);
  const v = rec.value;
  const kind = Object.keys(v)[0];
  const kindSel = cell.locator('[data-part="kind"]');
  if (await kindSel.count()) await kindSel.selectOption(kind);
  const panel = cell.locator(`.panel[data-kind="${kind}"]`);
  switch (kind) {
    case 'option':
      await panel.locator('[data-part="option"]').selectOption(v.option);
      break;
    case 'yes_no':
      await panel.locator('[data-part="yes_no"]').selectOption(v.yes_no ? 'yes' : 'no');
      break;
    case 'conditions': {
      const entries = Object.entries(v.conditions);
      if (!entries.some(([, x]) => x)) {
        const first = panel.locator(`[data-part="cond"][data-key="${entries[0][0]}"]`);
        await first.click();
        await first.click();
      }
      for (const [key, on] of entries) await panel.locator(`[data-part="cond"][data-key="${key}"]`).setChecked(on);
      break;
    }
    case 'percent': case 'number': case 'points':
      await panel.locator('[data-part="num"]').fill(v[kind]);
      break;
    case 'ratio':
      await panel.locator('[data-part="numerator"]').fill(v.ratio.numerator);
      await panel.locator('[data-part="denominator"]').fill(v.ratio.denominator);
      break;
    case 'counts':
      if (Object.keys(v.counts).length === 0) await panel.locator('[data-part="none"]').check();
      for (const [key, n] of Object.entries(v.counts)) await panel.locator(`[data-part="count"][data-key="${key}"]`).fill(n);
      break;
    case 'answers':
      for (const [key, n] of Object.entries(v.answers)) await panel.locator(`[data-part="answer"][data-key="${key}"]`).fill(n);
      break;
    default:
      throw new Error(`no UI driver for value kind ${kind}`);
  }
  for (const ev of rec.evidence || []) {
    await cell.locator('[data-part="add-evidence"]').click();
    const row = cell.locator('.ev-row').last();
    await row.locator('[data-part="ev-title"]').fill(ev.title);
    if (ev.number) await row.locator('[data-part="ev-number"]').fill(ev.number);
    if (ev.link) await row.locator('[data-part="ev-link"]').fill(ev.link);
  }
  if (rec.note) await cell.locator('[data-part="note"]').fill(rec.note);
  if (rec.explanation) await cell.locator('[data-part="explanation"]').fill(rec.explanation);
}

async function fillAssessment(a) {
  await page.fill('#unit-name', a.unit.name);
  if (a.unit.id) await page.fill('#unit-id', a.unit.id);
  if (a.unit.block) await page.fill('#unit-block', a.unit.block);
  if (a.year) await page.fill('#year', String(a.year));
  for (const [code, entry] of [...Object.entries(a.entries), ...Object.entries(a.adjustments || {})]) {
    if (entry.not_applicable) {
      const art = page.locator(`article.leaf[data-code="${code}"]`);
      await art.locator('[data-part="na"]').check();
      await art.locator('[data-part="na-reason"]').fill(entry.not_applicable.reason);
    }
    for (const layer of ['self', 'appraisal_1', 'appraisal_2', 'survey']) {
      if (entry[layer]) await fillLayer(code, layer, entry[layer]);
    }
  }
}

// ---------- reading what is displayed ----------

function expectedFigure(result, code, field) {
  const perView = /^\$adj@(self|appraised):(.*)$/.exec(code);
  if (perView) return result.views[perView[1]].adjustments.find((a) => a.code === perView[2])[field];
  if (code === '$total') return result.total[field];
  if (code.startsWith('$adj:')) return result.adjustments.find((a) => a.code === code.slice(5))[field];
  const node = result.nodes.find((n) => n.code === code);
  assert.ok(node, `the CLI result has node ${code}`);
  assert.ok(field in node, `the CLI result has ${code}.${field}`);
  return node[field];
}

/** Every [data-fig] on the page equals the CLI result (2-decimal display, exact in data-exact). */
async function settled() {
  // Edits update the total at once and every other figure on the next animation frame.
  await page.waitForFunction(() => !window.chisoForm.refreshPending);
}

async function checkFigures(result, minFigures = 200) {
  await settled();
  await page.evaluate(() => window.chisoForm.flushSave()); // print-sheet notes and per-view bonus/penalty
  const figs = await page.$$eval('[data-fig]', (els) => els.map((e) => ({
    code: e.dataset.node, field: e.dataset.fig, text: e.textContent, exact: e.getAttribute('data-exact'),
  })));
  assert.ok(figs.length > minFigures, `many figures displayed (${figs.length})`);
  const seen = new Set();
  for (const f of figs) {
    const want = expectedFigure(result, f.code, f.field);
    const where = `${f.code}.${f.field}`;
    if (want === null || want === undefined) {
      assert.equal(f.text.trim(), '—', `${where} shows no figure`);
      assert.equal(f.exact, null, `${where} has no exact value`);
    } else {
      assert.equal(f.exact, want, `${where} exact value`);
      assert.equal(normalise(f.text), roundHalfUp2(want), `${where} display "${f.text}" vs ${want}`);
    }
    seen.add(where);
  }
  // Every node's main figures are on the page.
  for (const n of result.nodes) {
    for (const field of ['achieved', 'applicable_max', 'self_points', 'appraised_points', 'max_points']) {
      assert.ok(seen.has(`${n.code}.${field}`), `${n.code}.${field} is displayed`);
    }
  }
  for (const field of ['achieved', 'applicable_max', 'percent', 'self_points', 'appraised_points', 'final_points', 'criteria_points']) {
    assert.ok(seen.has(`$total.${field}`), `total ${field} displayed`);
  }
  // Band, statuses and the engine's explanations, verbatim.
  const band = await page.locator('#totals [data-text="band"]').textContent();
  if (result.total.band) assert.equal(band, `${result.total.band.code} — ${result.total.band.label.vi}`);
  for (const n of result.nodes.filter((x) => x.leaf)) {
    const expl = await page.locator(`#criteria [data-node="${n.code}"][data-text="explanation"]`).textContent();
    assert.equal(expl, n.explanation ? n.explanation.vi : '—', `${n.code} explanation`);
    const status = await page.locator(`#criteria [data-node="${n.code}"][data-text="status"]`).getAttribute('data-status');
    assert.equal(status, n.status.status, `${n.code} status`);
  }
  return figs.length;
}

async function pageAssessment() {
  return page.evaluate(() => JSON.parse(window.chisoForm.session.assessment()));
}

async function exportFile(name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const path = join(artifacts, name);
  await download.saveAs(path);
  return path;
}

// ---------- the tests ----------

test('filling the whole example through the UI shows exactly what `chiso score` computes', async () => {
  await open();
  await fillAssessment(example);
  await page.waitForFunction(() => document.querySelector('#saved').dataset.savedAt);
  await page.evaluate(() => window.chisoForm.flushSave());
  // The assessment the form built from the keystrokes is the example file itself.
  assert.deepEqual(await pageAssessment(), example);
  const n = await checkFigures(expected);
  console.log(`# compared ${n} displayed figures with chiso score`);
  // Items needing an explanation / lacking evidence come from the engine's statuses.
  const listed = await page.$$eval('#todo li', (els) => els.map((e) => [e.closest('[data-area]').dataset.area, e.dataset.code, e.dataset.kind]));
  const want = expected.nodes.filter((x) => x.leaf && ['evidence_missing', 'missing'].includes(x.status.status))
    .map((x) => [x.code.split('.')[0], x.code, x.status.status === 'missing' ? 'missing' : (x.status.explained ? 'lacking' : 'explain')]);
  assert.ok(want.length > 0);
  assert.deepEqual(listed, want);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, 'filled-form-viewport.png') });
  await page.evaluate(() => document.body.classList.add('render-all'));
  await page.screenshot({ path: join(artifacts, 'filled-form.png'), fullPage: true });
  await page.evaluate(() => document.body.classList.remove('render-all'));
  // The print sheet: the official column layout, visible only in print.
  await page.emulateMedia({ media: 'print' });
  const heads = await page.locator('#print-sheet thead th').allTextContents();
  assert.deepEqual(heads, ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định', 'Ghi chú']);
  assert.ok(await page.locator('#print-sheet').isVisible());
  assert.ok(!(await page.locator('#criteria').isVisible()));
  const note = await page.locator('#print-sheet [data-node="2.4"][data-text="printnote"]').textContent();
  assert.match(note, /Không áp dụng: Do không có thủ tục hành chính/);
  await page.screenshot({ path: join(artifacts, 'print-sheet.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(pageErrors, []);
});

test('after a reload the draft is intact', async () => {
  await page.waitForFunction(() => document.querySelector('#saved').dataset.savedAt);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await pageAssessment(), example);
  assert.equal(await page.locator('.layer[data-code="1.1.4"][data-layer="self"] .panel[data-kind="percent"] [data-part="num"]').inputValue(), '95');
  assert.equal(await page.locator('.layer[data-code="1.1.2"][data-layer="appraisal_2"] [data-part="ev-link"]').inputValue(), 'https://example.invalid/so-vi-du/45-qd.pdf');
  assert.equal(await page.inputValue('#unit-name'), example.unit.name);
  assert.ok(await page.locator('article[data-code="2.4"] [data-part="na"]').isChecked());
  await checkFigures(expected);
});

test('export, clear, import gives the same result', async () => {
  const file = await exportFile('exported.assessment.json');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), example);
  await page.click('#clear');
  const cleared = await pageAssessment();
  assert.deepEqual(cleared.entries, {});
  assert.equal(await page.locator('[data-node="1.1.1"][data-text="status"]').getAttribute('data-status'), 'missing');
  await page.setInputFiles('#import', file);
  await page.waitForFunction(() => /department-example|exported/.test(document.querySelector('#message').textContent));
  assert.deepEqual(await pageAssessment(), example);
  await checkFigures(expected);
  // The CLI scores the exported file the same way.
  assert.deepEqual(cliScore(INDEX, file).total, expected.total);
});

test('a file for another index, or broken JSON, is refused with a clear message and nothing is lost', async () => {
  const before = await pageAssessment();
  await page.setInputFiles('#import', join(repo, 'criteria/par-index/camau-1880-2013-area1.assessment.json'));
  await page.waitForFunction(() => document.querySelector('#message').classList.contains('error'));
  const m1 = await page.locator('#message').textContent();
  assert.match(m1, /par-camau-1880-2013-area1/);
  assert.match(m1, /par-example-department/);
  assert.match(m1, /không thay đổi/);
  assert.deepEqual(await pageAssessment(), before);
  await checkFigures(expected);

  const broken = join(artifacts, 'broken.assessment.json');
  writeFileSync(broken, '{ "format": "chiso.assessment/1", "index": "par-example-department", "entries": { ');
  await page.click('#export'); // any action that resets the message
  await page.setInputFiles('#import', broken);
  await page.waitForFunction(() => /broken\.assessment\.json/.test(document.querySelector('#message').textContent));
  const m2 = await page.locator('#message').textContent();
  assert.match(m2, /JSON/);
  assert.ok(await page.locator('#message.error').count());
  assert.deepEqual(await pageAssessment(), before);
  await checkFigures(expected);
  // The same index in another version (a file from last year's form) is refused too.
  const older = join(artifacts, 'older-version.assessment.json');
  const example = JSON.parse(readFileSync(join(repo, 'criteria/examples/department-example.assessment.json'), 'utf8'));
  writeFileSync(older, JSON.stringify({ ...example, index_version: 'example-0' }));
  await page.click('#export');
  await page.setInputFiles('#import', older);
  await page.waitForFunction(() => /older-version\.assessment\.json/.test(document.querySelector('#message').textContent));
  const m3 = await page.locator('#message').textContent();
  assert.match(m3, /phiên bản "example-0"/);
  assert.match(m3, /phiên bản "example-1"/);
  assert.ok(await page.locator('#message.error').count());
  assert.deepEqual(await pageAssessment(), before);
  await checkFigures(expected);
  // And in English.
  await page.click('#lang-switch');
  await page.setInputFiles('#import', join(repo, 'criteria/par-index/camau-1880-2013-area1.assessment.json'));
  await page.waitForFunction(() => /Did not import/.test(document.querySelector('#message').textContent));
  assert.match(await page.locator('#message').textContent(), /the file is for index "par-camau-1880-2013-area1"/);
  assert.deepEqual(await pageAssessment(), before);
  await page.click('#lang-switch');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
});

test('an index file with a shape error is refused with its exact JSON path (the second pass, in the analysis module)', async () => {
  const before = await pageAssessment();
  const def = JSON.parse(readFileSync(join(repo, INDEX), 'utf8'));
  def.nodes[0].children[0].max_points = { x: 1 };
  const bad = join(artifacts, 'shape-error.index.json');
  writeFileSync(bad, JSON.stringify(def));
  await page.click('#export'); // any action that resets the message
  await page.setInputFiles('#open-index', bad);
  await page.waitForFunction(() => document.querySelector('#message').classList.contains('error'));
  const m = await page.locator('#message').textContent();
  // The form's module reads without path tracking; the message still names the field.
  assert.match(m, /\$\.nodes\[0\]\.children\[0\]\.max_points/, m);
  assert.equal(await page.evaluate(() => window.chisoForm.def.id), 'par-example-department');
  assert.deepEqual(await pageAssessment(), before);
  await checkFigures(expected);
});

test('a value the rule cannot take shows the engine\'s message and changes nothing', async () => {
  const before = await pageAssessment();
  const cell = page.locator('.layer[data-code="1.3"][data-layer="appraisal_2"]');
  const input = cell.locator('.panel[data-kind="points"] [data-part="num"]');
  await input.fill('2.8'); // not on the 0.25 step
  await settled();
  assert.match(await cell.locator('.error').textContent(), /0,25/);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await pageAssessment(), before);
  await checkFigures(expected);
  await input.fill('abc');
  assert.match(await cell.locator('.error').textContent(), /Không phải số hợp lệ/);
  assert.deepEqual(await pageAssessment(), before);
  await input.fill('2,75'); // a decimal comma is read as a decimal point
  await settled();
  assert.equal(await cell.locator('.error').isVisible(), false);
  assert.equal(await input.getAttribute('aria-invalid'), null);
  assert.deepEqual(await pageAssessment(), example);
  await checkFigures(expected);
});

test('every shipped criteria set opens and renders a form with the engine\'s figures', async () => {
  const manifest = JSON.parse(readFileSync(join(dist, 'criteria-list.json'), 'utf8'));
  assert.ok(manifest.indexes.length >= 10, `${manifest.indexes.length} criteria sets listed`);
  await open();
  assert.ok(manifest.indexes.some((x) => x.path === INDEX));
  assert.ok(manifest.assessments.some((x) => x.path === ASSESSMENT && x.index === example.index));
  for (const ix of manifest.indexes) {
    await page.selectOption('#criteria-select', ix.path);
    await page.click('#open-selected');
    await page.waitForFunction((id) => window.chisoForm.def && window.chisoForm.def.id === id, ix.id);
    await settled();
    const { leaves, rendered, layers } = await page.evaluate(() => ({
      leaves: window.chisoForm.nodes.filter((n) => n.leaf).length,
      rendered: document.querySelectorAll('#criteria article.leaf:not(.adjustment)').length,
      layers: document.querySelectorAll('#criteria .layer').length,
    }));
    assert.equal(rendered, leaves, `${ix.path}: one card per leaf`);
    assert.ok(layers >= leaves, `${ix.path}: input columns`);
    assert.doesNotMatch(await page.locator('#message').textContent(), /Không mở được/);
    // Whatever the form holds (an empty assessment, or a draft): every displayed figure is
    // what the CLI says for the same data.
    const blank = join(artifacts, `shown-${ix.id}.assessment.json`);
    writeFileSync(blank, JSON.stringify(await pageAssessment()));
    const want = cliScore(ix.path, blank);
    want.views = { self: cliScore(ix.path, blank, 'self'), appraised: cliScore(ix.path, blank, 'appraised') };
    await checkFigures(want, 5 * leaves);
  }
  assert.deepEqual(pageErrors, []);
});

test('keyboard only: every input has a label and Tab reaches the first criterion', async () => {
  const unlabeled = await page.$$eval('#main input:not([type=file]), #main select, #main textarea', (els) => els
    .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabeled, []);
  await page.goto(`${server.url}?index=${INDEX}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Enter');
  let reached = false;
  for (let i = 0; i < 12 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => !!document.activeElement.closest('.layer[data-code="1.1.1"]'));
  }
  assert.ok(reached, 'Tab reaches the first criterion');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
});

test('keystroke to updated total on a SYNTHETIC 150-leaf index: median under 16 ms', async () => {
  const ix = syntheticIndex(10, 15);
  const leaves = ix.nodes.reduce((n, a) => n + a.children.length, 0);
  assert.equal(leaves, 150);
  const file = join(artifacts, 'synthetic-150-leaves.json');
  writeFileSync(file, JSON.stringify(ix, null, 1));
  const perfPage = await context.newPage();
  perfPage.on('pageerror', (e) => pageErrors.push(e.message));
  // The timing hooks are a test-only script (never in dist/): it listens to the form's
  // `chiso:figures` announcements.
  await perfPage.addInitScript({ path: join(here, 'perf-hooks.js') });
  await perfPage.goto(server.url);
  await perfPage.waitForSelector('body[data-ready="true"]');
  await perfPage.setInputFiles('#open-index', file);
  await perfPage.waitForFunction(() => window.chisoForm.def && window.chisoForm.def.id === 'synthetic-150-leaves');
  // Fill a part of the form so the engine has real work, then time single keystrokes.
  const percent = perfPage.locator('.layer[data-code="1.4"][data-layer="self"] .panel[data-kind="percent"] [data-part="num"]');
  const total = perfPage.locator('#totals [data-node="$total"][data-fig="achieved"]');
  const before = await total.textContent();
  await percent.click();
  await perfPage.evaluate(() => { window.__chisoPerf.samples = []; });
  for (let i = 0; i < 40; i += 1) {
    await perfPage.keyboard.press(String((i % 9) + 1));
    await perfPage.keyboard.press('5');
    await perfPage.keyboard.press('Backspace');
    await perfPage.keyboard.press('Backspace');
  }
  await perfPage.keyboard.type('95');
  assert.notEqual(await total.textContent(), before, 'the total follows the keystrokes');
  await perfPage.waitForFunction(() => !window.chisoForm.refreshPending);
  const { samples, full, refreshWork } = await perfPage.evaluate(() => window.__chisoPerf);
  assert.ok(samples.length >= 160, `${samples.length} keystrokes timed`);
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median_ms: +median(s).toFixed(2), p95_ms: +s[Math.floor(s.length * 0.95)].toFixed(2), max_ms: +s[s.length - 1].toFixed(2) };
  };
  const med = median(samples);
  const report = {
    index: 'SYNTHETIC 150-leaf index (generated; not a real criteria set)',
    keystrokes: samples.length,
    total_updated: stats(samples),
    all_figures_updated_next_frame: full && full.length ? { samples: full.length, ...stats(full) } : null,
    full_refresh_work: refreshWork && refreshWork.length ? { samples: refreshWork.length, ...stats(refreshWork) } : null,
    load_average: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
  };
  console.log(`# keystroke → updated total (SYNTHETIC 150 leaves): ${JSON.stringify(report)}`);
  writeFileSync(join(artifacts, 'keystroke-benchmark.json'), `${JSON.stringify(report, null, 2)}\n`);
  await perfPage.close();
  assert.ok(med < 16, `median ${med.toFixed(2)} ms ≥ 16 ms`);
  assert.deepEqual(pageErrors, []);
});

test('the shipped page carries no test hooks (tests/perf-hooks.js is injected by the tests only)', () => {
  for (const f of ['app.js', 'analysis.js', 'analysis-engine.js', 'index.html']) {
    const text = readFileSync(join(dist, f), 'utf8');
    assert.ok(!text.includes('__chisoPerf'), `${f} mentions the test hooks`);
  }
  assert.ok(!readFileSync(join(dist, 'index.html'), 'utf8').includes('perf-hooks'));
});
